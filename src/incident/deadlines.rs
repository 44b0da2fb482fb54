//! What must be sent to whom by when, counted from the discovery time.
//!
//! Deadlines are instants in UTC: "72 hours" is 72 elapsed hours whatever
//! the clocks do in between (a change to or from summer time moves the local
//! hour shown, not the instant). Every deadline names its source; the list
//! of sources with their confidence is in `docs/incident.md`.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::model::{PersonalData, Triage};
use crate::model::{Audience, Organization};

/// Source of the 72-hour notification to the Garante.
pub const SOURCE_GDPR_33: &str =
    "Regolamento (UE) 2016/679 (GDPR), art. 33, paragrafi 1 e 3 — docs/incident.md";
/// Source of the processor's duty to inform the controller.
pub const SOURCE_GDPR_33_2: &str =
    "Regolamento (UE) 2016/679 (GDPR), art. 33, paragrafo 2 — docs/incident.md";
/// Source of the 24 h / 72 h notification to CSIRT Italia.
pub const SOURCE_L90: &str = "Legge 28 giugno 2024, n. 90, art. 1 — docs/incident.md";
/// Source of the voluntary notification to CSIRT Italia.
pub const SOURCE_VOLUNTARY: &str =
    "D.lgs. 4 settembre 2024, n. 138, art. 26 (notifica volontaria) — docs/incident.md";

/// Population above which a comune is bound by Legge 90/2024.
pub const L90_POPULATION: u32 = 100_000;

/// ISTAT codes of the 20 regional capitals (comuni capoluogo di regione),
/// bound by Legge 90/2024 whatever their population.
pub const REGIONAL_CAPITALS: [(&str, &str); 20] = [
    ("001272", "Torino"),
    ("007003", "Aosta"),
    ("010025", "Genova"),
    ("015146", "Milano"),
    ("022205", "Trento"),
    ("027042", "Venezia"),
    ("032006", "Trieste"),
    ("037006", "Bologna"),
    ("042002", "Ancona"),
    ("048017", "Firenze"),
    ("054039", "Perugia"),
    ("058091", "Roma"),
    ("063049", "Napoli"),
    ("066049", "L'Aquila"),
    ("070006", "Campobasso"),
    ("072006", "Bari"),
    ("076063", "Potenza"),
    ("079023", "Catanzaro"),
    ("082053", "Palermo"),
    ("092009", "Cagliari"),
];

/// Why a comune is (or is not) bound by Legge 90/2024.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum L90Scope {
    /// A regional capital.
    RegionalCapital,
    /// More than 100,000 inhabitants.
    LargeComune,
    /// Neither: notification to CSIRT Italia is voluntary.
    NotInScope,
    /// A Polis office: Poste handles notifications.
    PolisOffice,
}

/// Whether Legge 90/2024 binds this organisation (decided from its ISTAT
/// code and population).
pub fn l90_scope(org: &Organization) -> L90Scope {
    match org.kind {
        Audience::PolisOffice => L90Scope::PolisOffice,
        Audience::Comune if REGIONAL_CAPITALS.iter().any(|(c, _)| *c == org.istat_code) => {
            L90Scope::RegionalCapital
        }
        Audience::Comune if org.population > L90_POPULATION => L90Scope::LargeComune,
        Audience::Comune => L90Scope::NotInScope,
    }
}

/// Which notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Notification of a personal data breach to the Garante.
    Garante,
    /// Processor → controller (a Polis office informs Poste).
    Poste,
    /// First report to CSIRT Italia.
    CsirtFirst,
    /// Full notification to CSIRT Italia.
    CsirtFull,
}

impl DeadlineKind {
    /// Stable id (also the item id `deadline:<id>` when marked done).
    pub fn id(self) -> &'static str {
        match self {
            DeadlineKind::Garante => "garante",
            DeadlineKind::Poste => "poste",
            DeadlineKind::CsirtFirst => "csirt_first",
            DeadlineKind::CsirtFull => "csirt_full",
        }
    }

    /// The item id used when the deadline is marked done.
    pub fn item(self) -> String {
        format!("deadline:{}", self.id())
    }
}

/// How binding a deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// Required by law.
    Required,
    /// Required if personal data turn out to be involved.
    ToAssess,
    /// Not required, recommended.
    Voluntary,
}

/// One deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// Which notification.
    pub kind: DeadlineKind,
    /// Title ("Notifica al Garante per la protezione dei dati personali").
    pub title: &'static str,
    /// Required, to assess, or voluntary.
    pub duty: Duty,
    /// The instant it falls due (`None`: "senza ingiustificato ritardo" or
    /// no deadline at all).
    pub due: Option<DateTime<Utc>>,
    /// One sentence on who and why, in Italian.
    pub explanation: String,
    /// Where the rule comes from.
    pub source: &'static str,
}

/// State of a deadline at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Countdown {
    /// Marked done.
    Done,
    /// Time left.
    Open {
        /// Seconds left (0 or more).
        seconds_left: i64,
    },
    /// Past due, not marked done.
    Overdue {
        /// Seconds since it fell due.
        seconds_late: i64,
    },
    /// No instant to count towards.
    NoDeadline,
}

impl Deadline {
    /// Where the deadline stands at `now` (`done`: marked as sent).
    pub fn countdown(&self, now: DateTime<Utc>, done: bool) -> Countdown {
        if done {
            return Countdown::Done;
        }
        match self.due {
            None => Countdown::NoDeadline,
            Some(due) if now <= due => Countdown::Open {
                seconds_left: (due - now).num_seconds(),
            },
            Some(due) => Countdown::Overdue {
                seconds_late: (now - due).num_seconds(),
            },
        }
    }
}

/// The deadlines of an incident of this organisation.
pub fn deadlines(org: &Organization, triage: &Triage) -> Vec<Deadline> {
    let at = triage.discovered_at;
    let mut out = Vec::new();
    match org.kind {
        Audience::Comune => {
            if triage.personal_data != PersonalData::No {
                let (duty, explanation) = if triage.personal_data == PersonalData::Yes {
                    (
                        Duty::Required,
                        "Il Comune, titolare dei dati, notifica la violazione entro 72 ore da quando ne è venuto a conoscenza, salvo che sia improbabile un rischio per le persone; se notifica dopo, deve spiegare il ritardo. La violazione va comunque documentata.".to_string(),
                    )
                } else {
                    (
                        Duty::ToAssess,
                        "Non sapete ancora se sono coinvolti dati personali: se lo sono, la notifica va fatta entro 72 ore dalla scoperta. Le 72 ore corrono già.".to_string(),
                    )
                };
                out.push(Deadline {
                    kind: DeadlineKind::Garante,
                    title: "Notifica al Garante per la protezione dei dati personali",
                    duty,
                    due: Some(at + Duration::hours(72)),
                    explanation,
                    source: SOURCE_GDPR_33,
                });
            }
            match l90_scope(org) {
                scope @ (L90Scope::RegionalCapital | L90Scope::LargeComune) => {
                    let why = if scope == L90Scope::RegionalCapital {
                        "capoluogo di regione"
                    } else {
                        "Comune con più di 100.000 abitanti"
                    };
                    out.push(Deadline {
                        kind: DeadlineKind::CsirtFirst,
                        title: "Prima segnalazione a CSIRT Italia",
                        duty: Duty::Required,
                        due: Some(at + Duration::hours(24)),
                        explanation: format!(
                            "Come {why}, il Comune è tenuto dalla Legge 90/2024 a segnalare l'incidente all'Agenzia per la cybersicurezza nazionale (CSIRT Italia) senza ritardo ed entro 24 ore."
                        ),
                        source: SOURCE_L90,
                    });
                    out.push(Deadline {
                        kind: DeadlineKind::CsirtFull,
                        title: "Notifica completa a CSIRT Italia",
                        duty: Duty::Required,
                        due: Some(at + Duration::hours(72)),
                        explanation: "Entro 72 ore dalla scoperta va completata la notifica dell'incidente, con le procedure dell'Agenzia.".to_string(),
                        source: SOURCE_L90,
                    });
                }
                _ => out.push(Deadline {
                    kind: DeadlineKind::CsirtFirst,
                    title: "Notifica volontaria a CSIRT Italia",
                    duty: Duty::Voluntary,
                    due: None,
                    explanation: "Per un Comune sotto i 100.000 abitanti che non è capoluogo di regione la notifica a CSIRT Italia non è obbligatoria: è volontaria e consigliata, perché CSIRT Italia può aiutare e avvisare altri enti.".to_string(),
                    source: SOURCE_VOLUNTARY,
                }),
            }
        }
        Audience::PolisOffice => {
            if triage.personal_data != PersonalData::No {
                out.push(Deadline {
                    kind: DeadlineKind::Poste,
                    title: "Avviso a Poste Italiane",
                    duty: if triage.personal_data == PersonalData::Yes {
                        Duty::Required
                    } else {
                        Duty::ToAssess
                    },
                    due: None,
                    explanation: "Chi tratta dati per conto del titolare lo informa senza ingiustificato ritardo: avvisate subito la sicurezza di Poste, che decide la notifica al Garante entro 72 ore. Lo sportello non notifica da solo.".to_string(),
                    source: SOURCE_GDPR_33_2,
                });
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::incident::model::Case;

    fn org(code: &str, population: u32, kind: Audience) -> Organization {
        Organization {
            name: "X".into(),
            istat_code: code.into(),
            province: "XX".into(),
            region: "X".into(),
            population,
            kind,
        }
    }

    fn triage(pd: PersonalData) -> Triage {
        Triage {
            case: Case::Ransomware,
            personal_data: pd,
            discovered_at: DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            summary: String::new(),
            data_categories: String::new(),
            people_estimate: None,
            records_estimate: None,
        }
    }

    #[test]
    fn l90_scope_by_istat_data() {
        // A capoluogo below 100,000 (Aosta), a comune of 100,001, one of 3,000.
        assert_eq!(
            l90_scope(&org("007003", 34_102, Audience::Comune)),
            L90Scope::RegionalCapital
        );
        assert_eq!(
            l90_scope(&org("099999", 100_001, Audience::Comune)),
            L90Scope::LargeComune
        );
        assert_eq!(
            l90_scope(&org("099999", 100_000, Audience::Comune)),
            L90Scope::NotInScope
        );
        assert_eq!(
            l90_scope(&org("056044", 3_000, Audience::Comune)),
            L90Scope::NotInScope
        );
        assert_eq!(
            l90_scope(&org("058091", 2_617_175, Audience::PolisOffice)),
            L90Scope::PolisOffice
        );
    }

    #[test]
    fn kinds_and_duties() {
        let small = deadlines(
            &org("056044", 3_000, Audience::Comune),
            &triage(PersonalData::Yes),
        );
        let kinds: Vec<_> = small.iter().map(|d| (d.kind, d.duty)).collect();
        assert_eq!(
            kinds,
            [
                (DeadlineKind::Garante, Duty::Required),
                (DeadlineKind::CsirtFirst, Duty::Voluntary)
            ]
        );
        assert_eq!(small[1].due, None);
        let big = deadlines(
            &org("007003", 34_102, Audience::Comune),
            &triage(PersonalData::No),
        );
        let hours: Vec<_> = big
            .iter()
            .map(|d| {
                (
                    d.kind,
                    (d.due.unwrap() - triage(PersonalData::No).discovered_at).num_hours(),
                )
            })
            .collect();
        assert_eq!(
            hours,
            [
                (DeadlineKind::CsirtFirst, 24),
                (DeadlineKind::CsirtFull, 72)
            ]
        );
        let polis = deadlines(
            &org("056044", 3_000, Audience::PolisOffice),
            &triage(PersonalData::Unknown),
        );
        assert_eq!(polis.len(), 1);
        assert_eq!(polis[0].kind, DeadlineKind::Poste);
        assert_eq!(polis[0].duty, Duty::ToAssess);
    }

    #[test]
    fn countdown() {
        let d = &deadlines(
            &org("056044", 3_000, Audience::Comune),
            &triage(PersonalData::Yes),
        )[0];
        let due = d.due.unwrap();
        assert_eq!(d.countdown(due, false), Countdown::Open { seconds_left: 0 });
        assert_eq!(
            d.countdown(due + Duration::seconds(5), false),
            Countdown::Overdue { seconds_late: 5 }
        );
        assert_eq!(d.countdown(due + Duration::days(9), true), Countdown::Done);
    }
}
