//! The first-hour checklists, as data.
//!
//! `assets/incident/checklists.json` (format
//! `sentinella-incident-checklists/1`) lists the steps in the order they are
//! shown; each step names the cases and audiences it belongs to (all when
//! omitted) and, optionally, the contact to call. The file is compiled in and
//! checked by [`Checklists::parse`]; a test proves the shipped one is valid.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::contacts::ContactRole;
use super::model::Case;
use crate::model::Audience;

/// Format tag of the checklists file.
pub const CHECKLISTS_FORMAT: &str = "sentinella-incident-checklists/1";
/// The compiled-in checklists.
pub const BUILTIN_JSON: &str = include_str!("../../assets/incident/checklists.json");
/// Fewest steps a case must have for each audience.
pub const MIN_STEPS: usize = 4;
/// Longest step text.
pub const MAX_STEP_CHARS: usize = 400;

/// Why a checklists file was refused.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum ChecklistError {
    /// Not JSON of the expected shape.
    #[error("checklists: {0}")]
    Json(String),
    /// Wrong format tag.
    #[error("checklists: unsupported format {0:?}")]
    Format(String),
    /// A rule beyond the shape is broken.
    #[error("checklists: {0}")]
    Invalid(String),
}

/// One step as written in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Stable id (letters, digits, `_`).
    pub id: String,
    /// Cases it applies to (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cases: Option<Vec<Case>>,
    /// Audiences it applies to (both when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audiences: Option<Vec<Audience>>,
    /// Contact to call for this step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<ContactRole>,
    /// What to do, in plain Italian.
    pub text: String,
}

impl Step {
    /// Whether the step belongs to this case and audience.
    pub fn applies(&self, case: Case, audience: Audience) -> bool {
        self.cases.as_ref().is_none_or(|c| c.contains(&case))
            && self
                .audiences
                .as_ref()
                .is_none_or(|a| a.contains(&audience))
    }
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklists {
    /// [`CHECKLISTS_FORMAT`].
    pub format: String,
    /// Content version (semver).
    pub version: String,
    /// Every step, in display order.
    pub steps: Vec<Step>,
}

/// The steps for one case and audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checklist {
    /// Version of the checklists file.
    pub version: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

impl Checklists {
    /// Parse and check a checklists file.
    pub fn parse(json: &str) -> Result<Checklists, ChecklistError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let c: Checklists = serde_path_to_error::deserialize(de)
            .map_err(|e| ChecklistError::Json(e.to_string()))?;
        if c.format != CHECKLISTS_FORMAT {
            return Err(ChecklistError::Format(c.format));
        }
        if semver::Version::parse(&c.version).is_err() {
            return Err(ChecklistError::Invalid(format!(
                "version {:?} is not semver",
                c.version
            )));
        }
        let mut ids = std::collections::BTreeSet::new();
        for s in &c.steps {
            let bad = |m: String| Err(ChecklistError::Invalid(format!("step {:?}: {m}", s.id)));
            if s.id.is_empty()
                || !s
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return bad("id must be lowercase letters, digits and _".into());
            }
            if !ids.insert(s.id.as_str()) {
                return bad("id used twice".into());
            }
            let chars = s.text.trim().chars().count();
            if chars == 0 || chars > MAX_STEP_CHARS || s.text.chars().any(char::is_control) {
                return bad(format!("text must have 1 to {MAX_STEP_CHARS} characters"));
            }
            if s.cases.as_ref().is_some_and(Vec::is_empty)
                || s.audiences.as_ref().is_some_and(Vec::is_empty)
            {
                return bad("an empty list of cases or audiences applies to nothing".into());
            }
            if let Some(role) = s.call {
                for audience in [Audience::Comune, Audience::PolisOffice] {
                    let applies = s.audiences.as_ref().is_none_or(|a| a.contains(&audience));
                    if applies && !ContactRole::for_audience(audience).contains(&role) {
                        return bad(format!(
                            "calls {:?}, which a {audience:?} does not keep",
                            role.id()
                        ));
                    }
                }
            }
        }
        for case in Case::ALL {
            for audience in [Audience::Comune, Audience::PolisOffice] {
                let n = c.steps.iter().filter(|s| s.applies(case, audience)).count();
                if n < MIN_STEPS {
                    return Err(ChecklistError::Invalid(format!(
                        "case {:?} has {n} steps for a {audience:?} (at least {MIN_STEPS})",
                        case.id()
                    )));
                }
            }
        }
        Ok(c)
    }

    /// The compiled-in checklists.
    pub fn builtin() -> Result<Checklists, ChecklistError> {
        Checklists::parse(BUILTIN_JSON)
    }

    /// The steps of one case for one audience.
    pub fn for_case(&self, case: Case, audience: Audience) -> Checklist {
        Checklist {
            version: self.version.clone(),
            steps: self
                .steps
                .iter()
                .filter(|s| s.applies(case, audience))
                .cloned()
                .collect(),
        }
    }

    /// Whether `id` is a step of this case and audience.
    pub fn has_step(&self, case: Case, audience: Audience, id: &str) -> bool {
        self.steps
            .iter()
            .any(|s| s.id == id && s.applies(case, audience))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn builtin_is_valid_and_differs_by_audience() {
        let c = Checklists::builtin().unwrap();
        let comune = c.for_case(Case::Ransomware, Audience::Comune);
        let polis = c.for_case(Case::Ransomware, Audience::PolisOffice);
        assert!(comune.steps.iter().any(|s| s.id == "supplier"));
        assert!(!polis.steps.iter().any(|s| s.id == "supplier"));
        assert_eq!(polis.steps[1].id, "poste_security");
        // No step tells a Polis operator to photograph a screen.
        for s in &polis.steps {
            assert!(!s.text.contains("fotografate lo schermo"), "{}", s.id);
        }
    }

    #[test]
    fn refuses_bad_files() {
        let good = BUILTIN_JSON;
        for (from, to) in [
            ("\"version\": \"1.0.0\"", "\"version\": \"uno\""),
            ("\"id\": \"isolate\"", "\"id\": \"log\""),
            ("\"id\": \"isolate\"", "\"id\": \"Isolate!\""),
            (
                "sentinella-incident-checklists/1",
                "sentinella-incident-checklists/2",
            ),
            ("\"call\": \"dpo\"", "\"call\": \"poste_security\""),
            ("\"call\": \"dpo\"", "\"call\": \"nobody\""),
            (
                "\"id\": \"isolate\",",
                "\"id\": \"isolate\", \"colour\": 1,",
            ),
        ] {
            let bad = good.replacen(from, to, 1);
            assert_ne!(bad, good, "{from}");
            assert!(Checklists::parse(&bad).is_err(), "{from} -> {to}");
        }
        // A case left with too few steps.
        let mut c = Checklists::builtin().unwrap();
        c.steps.retain(|s| {
            s.cases
                .as_ref()
                .is_some_and(|cs| !cs.contains(&Case::MisdirectedData))
        });
        let json = serde_json::to_string(&c).unwrap();
        assert!(Checklists::parse(&json).is_err());
    }
}
