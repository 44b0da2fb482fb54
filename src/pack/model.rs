//! The serde model of a pack (and of the coordinator's draft).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Audience, Questionnaire};

/// The format family of packs.
pub const PACK_FAMILY: &str = "sentinella-pack";
/// The version of the format this build writes and reads.
pub const PACK_VERSION: u32 = 1;
/// The format tag this build writes and reads.
pub const PACK_FORMAT: &str = "sentinella-pack/1";
/// The format tag of a coordinator's draft (unsigned, never sent).
pub const DRAFT_FORMAT: &str = "sentinella-pack-draft/1";

/// Most alerts in one pack.
pub const MAX_ALERTS: usize = 50;
/// Most territory contacts in one pack.
pub const MAX_CONTACTS: usize = 20;
/// Most questionnaires in one pack (each is 100–250 KB).
pub const MAX_QUESTIONNAIRES: usize = 8;
/// Most related question ids of one alert.
pub const MAX_RELATED: usize = 30;
/// Longest alert title, in characters.
pub const MAX_TITLE_CHARS: usize = 140;
/// Longest alert text, in characters (about a page).
pub const MAX_TEXT_CHARS: usize = 3000;
/// Longest issuer name, territory or contact name, in characters.
pub const MAX_NAME_CHARS: usize = 160;

/// How urgent an alert is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// For information.
    Info,
    /// Act soon.
    Warning,
    /// Act now: an attack under way in the territory.
    Critical,
}

impl Severity {
    /// Every severity, least urgent first.
    pub const ALL: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Critical];

    /// Stable id (as in the file and the database).
    pub fn id(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }

    /// The severity with this id.
    pub fn from_id(id: &str) -> Option<Severity> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }

    /// Italian label.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "Informazione",
            Severity::Warning => "Attenzione",
            Severity::Critical => "Urgente",
        }
    }
}

/// Whom an alert is for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AlertAudience {
    /// The comuni.
    Comuni,
    /// The Polis post-office counters.
    Polis,
    /// Both.
    Both,
}

impl AlertAudience {
    /// Every audience.
    pub const ALL: [AlertAudience; 3] = [
        AlertAudience::Comuni,
        AlertAudience::Polis,
        AlertAudience::Both,
    ];

    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            AlertAudience::Comuni => "comuni",
            AlertAudience::Polis => "polis",
            AlertAudience::Both => "both",
        }
    }

    /// The audience with this id.
    pub fn from_id(id: &str) -> Option<AlertAudience> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }

    /// Whether an organization of this kind is addressed.
    pub fn includes(self, kind: Audience) -> bool {
        matches!(
            (self, kind),
            (AlertAudience::Both, _)
                | (AlertAudience::Comuni, Audience::Comune)
                | (AlertAudience::Polis, Audience::PolisOffice)
        )
    }

    /// Italian label.
    pub fn label(self) -> &'static str {
        match self {
            AlertAudience::Comuni => "Comuni",
            AlertAudience::Polis => "Uffici Polis",
            AlertAudience::Both => "Comuni e uffici Polis",
        }
    }
}

/// An alert ("avviso").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Alert {
    /// One line, at most [`MAX_TITLE_CHARS`] characters.
    pub title: String,
    /// The text, at most [`MAX_TEXT_CHARS`] characters; line feeds allowed.
    pub text: String,
    /// The day of the alert.
    pub date: NaiveDate,
    /// How urgent it is.
    pub severity: Severity,
    /// Whom it is for.
    pub audience: AlertAudience,
    /// The last day it is shown (inclusive).
    pub expires_on: NaiveDate,
    /// The questions it relates to (so the plan can point at the actions
    /// that matter now).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related_questions: Vec<String>,
}

/// The role of a territory contact.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TerritoryRole {
    /// The regional COSC (Centro operativo per la sicurezza cibernetica) of
    /// the Polizia Postale e per la Sicurezza Cibernetica.
    Cosc,
    /// The regional CSIRT, where the region has one.
    RegionalCsirt,
    /// The ANCI or regional referent for cybersecurity.
    Referent,
}

impl TerritoryRole {
    /// Every role, in the order shown.
    pub const ALL: [TerritoryRole; 3] = [
        TerritoryRole::Cosc,
        TerritoryRole::RegionalCsirt,
        TerritoryRole::Referent,
    ];

    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            TerritoryRole::Cosc => "cosc",
            TerritoryRole::RegionalCsirt => "regional_csirt",
            TerritoryRole::Referent => "referent",
        }
    }

    /// The role with this id.
    pub fn from_id(id: &str) -> Option<TerritoryRole> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }

    /// Italian label.
    pub fn label(self) -> &'static str {
        match self {
            TerritoryRole::Cosc => {
                "Polizia Postale e per la Sicurezza Cibernetica (COSC regionale)"
            }
            TerritoryRole::RegionalCsirt => "CSIRT regionale",
            TerritoryRole::Referent => "Referente ANCI o regionale per la sicurezza informatica",
        }
    }
}

/// A contact of the territory, as the coordinator wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TerritoryContact {
    /// Who it is.
    pub role: TerritoryRole,
    /// Office or person.
    pub name: String,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail or PEC address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// Who issues the pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    /// "ANCI Lazio", "Regione Umbria", "Unione dei comuni ...".
    pub name: String,
    /// The territory it coordinates ("Lazio", "Provincia di Viterbo").
    pub territory: String,
}

/// The signed content of a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackPayload {
    /// `sentinella-pack/1` (the same tag as the envelope).
    pub format: String,
    /// Who issued it.
    pub issuer: Issuer,
    /// 1 for the coordinator's first pack, then one more for each: a comune
    /// applies only a pack newer than the last one it applied.
    pub sequence: u64,
    /// The day it was issued.
    pub issued_on: NaiveDate,
    /// The alerts; a pack replaces the alerts of the previous one.
    #[serde(default)]
    pub alerts: Vec<Alert>,
    /// The territory contacts; a pack replaces those of the previous one.
    #[serde(default)]
    pub contacts: Vec<TerritoryContact>,
    /// Questionnaire versions to add to the catalog (for the next
    /// assessments; never applied to an existing one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questionnaires: Vec<Questionnaire>,
}

/// What the coordinator writes before signing: a pack without its
/// sequence number and date (given when it is signed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackDraft {
    /// `sentinella-pack-draft/1`.
    pub format: String,
    /// Who issues it.
    pub issuer: Issuer,
    /// The alerts.
    #[serde(default)]
    pub alerts: Vec<Alert>,
    /// The territory contacts.
    #[serde(default)]
    pub contacts: Vec<TerritoryContact>,
    /// Questionnaire versions to distribute.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questionnaires: Vec<Questionnaire>,
}

impl PackDraft {
    /// An empty draft for this issuer.
    pub fn new(issuer: Issuer) -> PackDraft {
        PackDraft {
            format: DRAFT_FORMAT.into(),
            issuer,
            alerts: Vec::new(),
            contacts: Vec::new(),
            questionnaires: Vec::new(),
        }
    }

    /// The payload of the pack with this sequence number and date.
    pub fn into_payload(self, sequence: u64, issued_on: NaiveDate) -> PackPayload {
        PackPayload {
            format: PACK_FORMAT.into(),
            issuer: self.issuer,
            sequence,
            issued_on,
            alerts: self.alerts,
            contacts: self.contacts,
            questionnaires: self.questionnaires,
        }
    }
}
