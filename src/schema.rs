//! JSON Schemas of the file formats, generated from the Rust types. The
//! checked-in copies in `questionnaires/schema/` are compared with these by
//! a test, so the documentation of the format cannot drift from the code.

use crate::model::{AnswerSheet, Questionnaire};
use crate::pack::{PackDraft, PackPayload};

/// File name and pretty JSON of each schema.
pub fn all() -> Vec<(&'static str, String)> {
    let pretty = |s: schemars::Schema| {
        let mut text = serde_json::to_string_pretty(&s).unwrap_or_default();
        text.push('\n');
        text
    };
    vec![
        (
            "questionnaire.schema.json",
            pretty(schemars::schema_for!(Questionnaire)),
        ),
        (
            "answers.schema.json",
            pretty(schemars::schema_for!(AnswerSheet)),
        ),
        (
            "pack.schema.json",
            pretty(schemars::schema_for!(PackPayload)),
        ),
        (
            "pack-draft.schema.json",
            pretty(schemars::schema_for!(PackDraft)),
        ),
    ]
}
