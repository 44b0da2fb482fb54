//! The answers file (`sentinella-answers/1`): one organization's answers to
//! one version of one questionnaire.
//!
//! The JSON Schema in `questionnaires/schema/` is generated from these types;
//! the cross-checks against the questionnaire (known question and option ids)
//! live in [`crate::validate`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::questionnaire::Audience;

/// The format tag every answers file carries.
pub const ANSWERS_FORMAT: &str = "sentinella-answers/1";

/// A whole answers file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerSheet {
    /// Versioned format tag: `sentinella-answers/1`.
    pub format: String,
    /// The questionnaire and version these answers were given against.
    pub questionnaire: QuestionnaireRef,
    /// Who answered.
    pub organization: Organization,
    /// The day of the assessment.
    pub assessed_on: NaiveDate,
    /// Role of the person who answered (free text, optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessor_role: Option<String>,
    /// Context question id → option id.
    #[serde(default)]
    pub context: BTreeMap<String, String>,
    /// Scored question id → answer. Questions left out are unanswered.
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
}

/// Names a questionnaire version.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireRef {
    /// Questionnaire id (`comune`).
    pub id: String,
    /// Questionnaire version (`1.0.0`).
    pub version: String,
}

/// The organization that answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Name as it should appear on the report ("Comune di Proceno",
    /// "Ufficio postale di Jacurso").
    pub name: String,
    /// Six-digit ISTAT code of the comune (for a Polis office: of the comune
    /// it serves).
    pub istat_code: String,
    /// Province abbreviation (`VT`).
    pub province: String,
    /// Region name (`Lazio`).
    pub region: String,
    /// Resident population.
    pub population: u32,
    /// Comune or Polis office.
    pub kind: Audience,
}

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Id of the chosen option.
    pub option: String,
    /// Optional free-text note of the person answering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
