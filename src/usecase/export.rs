//! The signed result file a comune sends to its coordinator.
//!
//! Policy (one for both faces):
//! - only a *completed* assessment of the store is exported; a draft is
//!   refused (the coordinator's figures are about finished assessments).
//!   An answers file has no status and is exported as it is;
//! - a note counts as a note only when it has text: blank notes are never
//!   counted, and the file says notes are included only when it has some.

use std::path::Path;

use chrono::{DateTime, Utc};
use thiserror::Error;

use super::assessment::{self, AssessmentError};
use super::names;
use crate::exchange::{self, ExportOptions, ResultPayload};
use crate::ids::{AssessmentId, Fingerprint};
use crate::keys::{KeyError, KeyPair};
use crate::load::{Catalog, LoadedAnswers};
use crate::scoring::Score;
use crate::store::{Status, Store, StoreError};

use super::planning::AnswersSource;

/// Why a result file could not be made.
#[derive(Debug, Error)]
pub enum ExportError {
    /// The assessment could not be read.
    #[error(transparent)]
    Assessment(#[from] AssessmentError),
    /// The assessment is still a draft.
    #[error("assessment {0} is still a draft: complete it before exporting (the coordinator receives completed assessments only)")]
    Draft(AssessmentId),
    /// The answers file could not be read.
    #[error(transparent)]
    Load(#[from] crate::load::LoadError),
    /// The database could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The signing key could not be loaded or created.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// Building or self-checking the file failed (a defect).
    #[error(transparent)]
    Exchange(#[from] exchange::ExportError),
}

/// A signed result file, ready to be written.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// What was signed.
    pub payload: ResultPayload,
    /// The score, recomputed.
    pub score: Score,
    /// Notes with text in the assessment.
    pub notes: usize,
    /// Whether the file carries them.
    pub notes_included: bool,
    /// The key that signed.
    pub fingerprint: Fingerprint,
    /// Whether the signing key was created by this export.
    pub key_created: bool,
    /// "Risultati - <organization> - <day>.json".
    pub file_name: String,
}

/// Notes with text (blank ones are not notes).
pub fn count_notes(loaded: &LoadedAnswers) -> usize {
    loaded
        .sheet
        .answers
        .values()
        .filter(|a| a.note.as_deref().is_some_and(|n| !n.trim().is_empty()))
        .count()
}

/// The fingerprint of a key pair, typed.
pub fn fingerprint(key: &KeyPair) -> Fingerprint {
    Fingerprint::of_public_key(key.public_key().as_bytes())
}

fn export(
    loaded: &LoadedAnswers,
    key: &KeyPair,
    with_notes: bool,
    exported_at: DateTime<Utc>,
    assessment_id: Option<String>,
) -> Result<Exported, ExportError> {
    let opts = ExportOptions {
        with_notes,
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        exported_at,
        assessment_id,
    };
    let (payload, bytes) = exchange::export_result(loaded, key, &opts)?;
    let notes = count_notes(loaded);
    let score = crate::scoring::score(&loaded.questionnaire.questionnaire, &loaded.sheet);
    Ok(Exported {
        bytes,
        score,
        notes,
        notes_included: with_notes && notes > 0,
        fingerprint: fingerprint(key),
        key_created: key.created,
        file_name: names::result_file(&loaded.sheet.organization.name, loaded.sheet.assessed_on),
        payload,
    })
}

/// Export answers from a file (the assessment id is derived from the
/// comune, questionnaire and date).
pub fn export_answers(
    loaded: &LoadedAnswers,
    key: &KeyPair,
    with_notes: bool,
    exported_at: DateTime<Utc>,
) -> Result<Exported, ExportError> {
    export(loaded, key, with_notes, exported_at, None)
}

/// Export a completed assessment of the store. Its id in the file is
/// unique to this installation and stable across re-exports, so the
/// coordinator stores a re-sent assessment once.
pub fn export_stored(
    store: &Store,
    catalog: &Catalog,
    key: &KeyPair,
    id: AssessmentId,
    with_notes: bool,
    exported_at: DateTime<Utc>,
) -> Result<Exported, ExportError> {
    let opened = assessment::open(store, catalog, id)?;
    let info = &opened.stored.info;
    if info.status != Status::Completed {
        return Err(ExportError::Draft(id));
    }
    let assessment_id =
        exchange::store_assessment_id(&info.organization.istat_code, &info.created_at, info.id);
    export(
        &opened.to_loaded(),
        key,
        with_notes,
        exported_at,
        Some(assessment_id),
    )
}

/// The installation's signing key, as shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KeyInfo {
    /// Its fingerprint, which the comune tells its coordinator.
    pub fingerprint: Fingerprint,
    /// Whether it was created just now.
    pub created: bool,
}

/// Load the signing key kept in `keys_dir`, creating it (0600) on first use.
pub fn signing_key(keys_dir: &Path) -> Result<KeyInfo, KeyError> {
    let key = KeyPair::load_or_create(keys_dir)?;
    Ok(KeyInfo {
        fingerprint: fingerprint(&key),
        created: key.created,
    })
}

/// Export answers from `source`, signed with the key in `keys_dir`
/// (created on first use).
pub fn export_from(
    source: &AnswersSource,
    catalog: &Catalog,
    keys_dir: &Path,
    with_notes: bool,
    exported_at: DateTime<Utc>,
) -> Result<Exported, ExportError> {
    // The input first: a bad input never creates a key.
    match source {
        AnswersSource::File(path) => {
            let loaded = crate::load::answers_file(path, catalog)?;
            let key = KeyPair::load_or_create(keys_dir)?;
            export_answers(&loaded, &key, with_notes, exported_at)
        }
        AnswersSource::Stored { db, id } => {
            let store = Store::open_existing(db)?;
            let key = KeyPair::load_or_create(keys_dir)?;
            export_stored(&store, catalog, &key, *id, with_notes, exported_at)
        }
    }
}
