//! The incident: triage, log entries, the description read by the CLI.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::contacts::ContactRole;
use super::{clean_text, IncidentError};
use crate::model::{Audience, Organization};

/// Format tag of the incident description read by `sentinella incident open`.
pub const INCIDENT_FORMAT: &str = "sentinella-incident/1";
/// Longest summary of the triage.
pub const MAX_SUMMARY_CHARS: usize = 2000;
/// Longest log entry.
pub const MAX_ENTRY_CHARS: usize = 4000;
/// Longest description of the data categories.
pub const MAX_CATEGORIES_CHARS: usize = 500;
/// Highest estimate of people or records accepted (more than the
/// population of Italy is a typing error).
pub const MAX_ESTIMATE: u64 = 100_000_000;

/// What is happening (the triage's first question).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Case {
    /// Files encrypted, ransom note.
    Ransomware,
    /// Someone opened a link or attachment of a suspicious e-mail.
    PhishingClick,
    /// An account is used by someone else.
    AccountTakeover,
    /// A PC, phone or memory stick lost or stolen.
    DeviceLost,
    /// Data sent to the wrong person.
    MisdirectedData,
    /// A service does not work.
    ServiceDown,
}

impl Case {
    /// Every case, in the order of the triage.
    pub const ALL: [Case; 6] = [
        Case::Ransomware,
        Case::PhishingClick,
        Case::AccountTakeover,
        Case::DeviceLost,
        Case::MisdirectedData,
        Case::ServiceDown,
    ];

    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            Case::Ransomware => "ransomware",
            Case::PhishingClick => "phishing_click",
            Case::AccountTakeover => "account_takeover",
            Case::DeviceLost => "device_lost",
            Case::MisdirectedData => "misdirected_data",
            Case::ServiceDown => "service_down",
        }
    }

    /// The case with this id.
    pub fn from_id(id: &str) -> Option<Case> {
        Self::ALL.into_iter().find(|c| c.id() == id)
    }

    /// The triage answer in plain Italian.
    pub fn label(self) -> &'static str {
        match self {
            Case::Ransomware => "I file non si aprono più o compare una richiesta di riscatto",
            Case::PhishingClick => {
                "Qualcuno ha aperto un link o un allegato di una e-mail sospetta"
            }
            Case::AccountTakeover => {
                "Un account è usato da qualcun altro (accessi strani, password cambiata)"
            }
            Case::DeviceLost => "Un computer, un telefono o una chiavetta è stato perso o rubato",
            Case::MisdirectedData => "Dei dati sono stati inviati alla persona sbagliata",
            Case::ServiceDown => "Un servizio non funziona (sito, posta, programma gestionale)",
        }
    }

    /// A short name for titles and drafts.
    pub fn short(self) -> &'static str {
        match self {
            Case::Ransomware => "attacco ransomware (file cifrati e richiesta di riscatto)",
            Case::PhishingClick => "apertura di un link o allegato di posta sospetto",
            Case::AccountTakeover => "account usato da terzi",
            Case::DeviceLost => "smarrimento o furto di un dispositivo",
            Case::MisdirectedData => "dati inviati a un destinatario sbagliato",
            Case::ServiceDown => "interruzione di un servizio informatico",
        }
    }
}

/// Are personal data involved?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalData {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Not known yet.
    Unknown,
}

impl PersonalData {
    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            PersonalData::Yes => "yes",
            PersonalData::No => "no",
            PersonalData::Unknown => "unknown",
        }
    }

    /// The value with this id.
    pub fn from_id(id: &str) -> Option<PersonalData> {
        [PersonalData::Yes, PersonalData::No, PersonalData::Unknown]
            .into_iter()
            .find(|p| p.id() == id)
    }
}

/// The triage, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Triage {
    /// What is happening.
    pub case: Case,
    /// Personal data involved?
    pub personal_data: PersonalData,
    /// When the organisation became aware of it (UTC).
    pub discovered_at: DateTime<Utc>,
    /// What was seen, in a few words (may be empty).
    #[serde(default)]
    pub summary: String,
    /// Which kinds of personal data (anagrafe, tributi, ...), if known.
    #[serde(default)]
    pub data_categories: String,
    /// About how many people are concerned, if known.
    #[serde(default)]
    pub people_estimate: Option<u64>,
    /// About how many records are concerned, if known.
    #[serde(default)]
    pub records_estimate: Option<u64>,
}

impl Triage {
    /// Check and normalise a triage; `now` is the current time.
    pub fn validated(mut self, now: DateTime<Utc>) -> Result<Triage, IncidentError> {
        if self.discovered_at > now + chrono::Duration::minutes(2) {
            return Err(IncidentError::DiscoveryInFuture(
                self.discovered_at.to_rfc3339(),
            ));
        }
        let floor = NaiveDate::from_ymd_opt(2000, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc());
        if floor.is_some_and(|f| self.discovered_at < f) {
            return Err(IncidentError::DiscoveryTooOld(
                self.discovered_at.to_rfc3339(),
            ));
        }
        self.summary = clean_text("summary", &self.summary, MAX_SUMMARY_CHARS, true)?;
        self.data_categories = clean_text(
            "data_categories",
            &self.data_categories,
            MAX_CATEGORIES_CHARS,
            false,
        )?;
        for (field, v) in [
            ("people_estimate", self.people_estimate),
            ("records_estimate", self.records_estimate),
        ] {
            if let Some(v) = v.filter(|&v| v > MAX_ESTIMATE) {
                return Err(IncidentError::BadEstimate { field, value: v });
            }
        }
        Ok(self)
    }
}

/// The description of an incident read by `sentinella incident open`
/// (`sentinella-incident/1`). Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentInput {
    /// Must be [`INCIDENT_FORMAT`].
    pub format: String,
    /// The organisation hit.
    pub organization: Organization,
    /// An exercise, not a real incident.
    #[serde(default)]
    pub exercise: bool,
    /// What is happening.
    pub case: Case,
    /// Personal data involved?
    pub personal_data: PersonalData,
    /// When it was discovered, RFC 3339 with offset.
    pub discovered_at: DateTime<FixedOffset>,
    /// What was seen.
    #[serde(default)]
    pub summary: String,
    /// Which kinds of personal data.
    #[serde(default)]
    pub data_categories: String,
    /// About how many people.
    #[serde(default)]
    pub people_estimate: Option<u64>,
    /// About how many records.
    #[serde(default)]
    pub records_estimate: Option<u64>,
}

impl IncidentInput {
    /// Parse and check a description; nothing is stored here.
    pub fn parse(json: &str, now: DateTime<Utc>) -> Result<(IncidentInput, Triage), IncidentError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let input: IncidentInput =
            serde_path_to_error::deserialize(de).map_err(|e| IncidentError::Json(e.to_string()))?;
        if input.format != INCIDENT_FORMAT {
            return Err(IncidentError::Format {
                found: input.format.chars().take(60).collect(),
                expected: INCIDENT_FORMAT,
            });
        }
        check_organization(&input.organization)?;
        let triage = Triage {
            case: input.case,
            personal_data: input.personal_data,
            discovered_at: input.discovered_at.with_timezone(&Utc),
            summary: input.summary.clone(),
            data_categories: input.data_categories.clone(),
            people_estimate: input.people_estimate,
            records_estimate: input.records_estimate,
        }
        .validated(now)?;
        Ok((input, triage))
    }
}

/// The plausibility checks of an organisation given in a description (the
/// same rules as for an answers file).
pub fn check_organization(org: &Organization) -> Result<(), IncidentError> {
    let bad = |m: String| Err(IncidentError::Organization(m));
    let name = org.name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return bad("the name must have 1 to 200 characters and no control characters".into());
    }
    if org.istat_code.len() != 6 || !org.istat_code.bytes().all(|b| b.is_ascii_digit()) {
        return bad(format!(
            "{:?} is not a six-digit ISTAT code",
            org.istat_code
        ));
    }
    let p = org.province.as_bytes();
    if p.len() != 2 || !p.iter().all(u8::is_ascii_uppercase) {
        return bad(format!("{:?} is not a province abbreviation", org.province));
    }
    let region = org.region.trim();
    if region.is_empty() || region.chars().count() > 60 || region.chars().any(char::is_control) {
        return bad("the region must have 1 to 60 characters".into());
    }
    if org.population == 0 || org.population > 5_000_000 {
        return bad(format!("{} is not a plausible population", org.population));
    }
    Ok(())
}

/// A date (`dd/mm/yyyy`) and time (`hh:mm`) typed in Italian local time,
/// as an instant. In the hour repeated when summer time ends the earlier
/// instant is taken; a time skipped when it starts is read as winter time.
pub fn parse_italian_datetime(date: &str, time: &str) -> Result<DateTime<Utc>, IncidentError> {
    let bad = || {
        IncidentError::BadDateTime(
            format!("{} {}", date.trim(), time.trim())
                .chars()
                .take(40)
                .collect(),
        )
    };
    let d = NaiveDate::parse_from_str(date.trim(), "%d/%m/%Y").map_err(|_| bad())?;
    let t = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| bad())?;
    let local = d.and_time(t);
    for hours in [2, 1] {
        let candidate = local.and_utc() - chrono::Duration::hours(hours);
        if crate::store::italian_time(candidate).naive_local() == local {
            return Ok(candidate);
        }
    }
    Ok(local.and_utc() - chrono::Duration::hours(1))
}

/// What a log entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogKind {
    /// Something that happened or was seen.
    Fact,
    /// Something decided.
    Decision,
    /// Someone called or informed.
    Call,
}

impl LogKind {
    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            LogKind::Fact => "fact",
            LogKind::Decision => "decision",
            LogKind::Call => "call",
        }
    }

    /// The kind with this id.
    pub fn from_id(id: &str) -> Option<LogKind> {
        [LogKind::Fact, LogKind::Decision, LogKind::Call]
            .into_iter()
            .find(|k| k.id() == id)
    }

    /// Italian label.
    pub fn label(self) -> &'static str {
        match self {
            LogKind::Fact => "Fatto",
            LogKind::Decision => "Decisione",
            LogKind::Call => "Chiamata",
        }
    }
}

/// Check the text of a log entry.
pub fn check_entry_text(text: &str) -> Result<String, IncidentError> {
    let t = clean_text("text", text, MAX_ENTRY_CHARS, true)?;
    if t.is_empty() {
        return Err(IncidentError::Empty { field: "text" });
    }
    Ok(t)
}

/// One entry of the running log, as stored (append-only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    /// Sequence number (row id).
    pub seq: i64,
    /// When it was written (commit time, UTC).
    pub at: DateTime<Utc>,
    /// Fact, decision or call.
    pub kind: LogKind,
    /// The text.
    pub text: String,
    /// Who was called, for a call.
    pub contact: Option<ContactRole>,
}

/// An incident as loaded from the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    /// Row id.
    pub id: i64,
    /// Row id of the organisation.
    pub organization_id: i64,
    /// The organisation.
    pub organization: Organization,
    /// An exercise ("esercitazione"), never mixed with real incidents.
    pub exercise: bool,
    /// The triage.
    pub triage: Triage,
    /// Version of the checklists when the incident was opened.
    pub checklist_version: String,
    /// When it was opened in Sentinella (UTC).
    pub opened_at: DateTime<Utc>,
    /// When it was closed, if it was.
    pub closed_at: Option<DateTime<Utc>>,
    /// The log, oldest first.
    pub log: Vec<LogEntry>,
    /// Steps and deadlines marked done, with the time they were marked
    /// (the latest mark of each item; un-marked items are absent).
    pub done: BTreeMap<String, DateTime<Utc>>,
}

impl Incident {
    /// Comune or Polis office.
    pub fn audience(&self) -> Audience {
        self.organization.kind
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-01T15:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn json(extra: &str, at: &str) -> String {
        format!(
            r#"{{"format":"sentinella-incident/1","organization":{{"name":"Comune di Prova","istat_code":"056044","province":"VT","region":"Lazio","population":605,"kind":"comune"}},"case":"ransomware","personal_data":"yes","discovered_at":"{at}"{extra}}}"#
        )
    }

    #[test]
    fn parses_and_refuses() {
        let (input, t) =
            IncidentInput::parse(&json("", "2026-12-01T15:30:00+01:00"), now()).unwrap();
        assert!(!input.exercise);
        assert_eq!(t.discovered_at.to_rfc3339(), "2026-12-01T14:30:00+00:00");
        let e = IncidentInput::parse(&json("", "2026-12-01T17:30:00+01:00"), now()).unwrap_err();
        assert!(matches!(e, IncidentError::DiscoveryInFuture(_)), "{e}");
        let e = IncidentInput::parse(&json("", "2026-13-01T10:00:00+01:00"), now()).unwrap_err();
        assert!(matches!(e, IncidentError::Json(_)), "{e}");
        let e = IncidentInput::parse(&json("", "2026-12-01 10:00"), now()).unwrap_err();
        assert!(matches!(e, IncidentError::Json(_)), "{e}");
        let e = IncidentInput::parse(&json(r#","colour":"red""#, "2026-12-01T10:00:00Z"), now())
            .unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
        let bad = json("", "2026-12-01T10:00:00Z").replace("/1", "/9");
        assert!(matches!(
            IncidentInput::parse(&bad, now()),
            Err(IncidentError::Format { .. })
        ));
        let e = IncidentInput::parse(
            &json(r#","summary":"a\u0007b""#, "2026-12-01T10:00:00Z"),
            now(),
        )
        .unwrap_err();
        assert!(matches!(e, IncidentError::ControlCharacters { .. }));
        let e = IncidentInput::parse(
            &json(r#","people_estimate":999999999999"#, "2026-12-01T10:00:00Z"),
            now(),
        )
        .unwrap_err();
        assert!(matches!(e, IncidentError::BadEstimate { .. }));
    }

    #[test]
    fn italian_datetime() {
        let p = |d, t| parse_italian_datetime(d, t).map(|x| x.to_rfc3339());
        assert_eq!(
            p("01/12/2026", "15:30").unwrap(),
            "2026-12-01T14:30:00+00:00"
        );
        assert_eq!(
            p("01/07/2026", "15:30").unwrap(),
            "2026-07-01T13:30:00+00:00"
        );
        // 02:30 twice on 25 October 2026: the first (summer time).
        assert_eq!(
            p("25/10/2026", "02:30").unwrap(),
            "2026-10-25T00:30:00+00:00"
        );
        // 02:30 does not exist on 29 March 2026: read as winter time.
        assert_eq!(
            p("29/03/2026", "02:30").unwrap(),
            "2026-03-29T01:30:00+00:00"
        );
        for (d, t) in [
            ("31/02/2026", "10:00"),
            ("2026-12-01", "10:00"),
            ("01/12/2026", "25:00"),
            ("", ""),
        ] {
            assert!(
                matches!(
                    parse_italian_datetime(d, t),
                    Err(IncidentError::BadDateTime(_))
                ),
                "{d} {t}"
            );
        }
    }

    #[test]
    fn entry_text() {
        assert_eq!(check_entry_text(" ok\r\nriga ").unwrap(), "ok\nriga");
        assert!(check_entry_text("  ").is_err());
        assert!(check_entry_text("a\u{1b}[31m").is_err());
        assert!(check_entry_text(&"x".repeat(MAX_ENTRY_CHARS + 1)).is_err());
        assert!(check_entry_text(&"x".repeat(MAX_ENTRY_CHARS)).is_ok());
    }
}
