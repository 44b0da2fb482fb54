//! Workshop mode: the operations of the trainer, for both faces.
//!
//! Every change goes through [`apply`]: load the session, apply one pure
//! operation ([`crate::workshop::Session`]), save it in one durable
//! transaction, return the new state. A refused step changes nothing.
//! Sessions live in their own database ([`WorkshopDb`]), never with the
//! assessments.
//!
//! Policies decided here once:
//! - a session is always used with exactly its questionnaire version; a
//!   session whose questionnaire is no longer installed cannot be opened;
//! - the debrief is computed from the group's typical answers
//!   ([`crate::workshop::group`]);
//! - a session file read from disk is checked with the same rules as the
//!   counts typed in the presenter window, and nothing is written when it
//!   is refused.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::load::Catalog;
use crate::model::Questionnaire;
use crate::report::{debrief_pdf, DebriefReport, RenderedPdf, ReportError};
use crate::store::file::{clashing_input, read_regular_capped, write_atomic, ReadError};
use crate::store::workshop::{SessionSummary, WorkshopDb, WorkshopDbError};
use crate::workshop::file::MAX_SESSION_BYTES;
use crate::workshop::{
    group_outcome, FileError, Session, SessionFile, SessionSetup, TallySource, WorkshopError,
};

/// Why a workshop operation failed.
#[derive(Debug, Error)]
pub enum WorkshopUseError {
    /// The sessions database.
    #[error(transparent)]
    Db(#[from] WorkshopDbError),
    /// A refused operation (bad counts, position, setup).
    #[error(transparent)]
    Session(#[from] WorkshopError),
    /// A refused session file.
    #[error("{}: {source}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        source: FileError,
    },
    /// A session file that could not be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: ReadError,
    },
    /// The questionnaire is not installed.
    #[error("questionnaire {id} {version} is not available in this installation")]
    UnknownQuestionnaire {
        /// Id.
        id: String,
        /// Version (empty: any).
        version: String,
    },
    /// The output would overwrite the input.
    #[error("{}: this is the session file being read; choose another output file", .0.display())]
    OutputIsInput(PathBuf),
    /// The PDF could not be made.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// Writing the output failed.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The output.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What the trainer asks for when starting a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    /// Questionnaire id (`comune`, `sportello-polis`); the latest version
    /// installed is used.
    pub questionnaire: String,
    /// Domains, time plan, room size.
    #[serde(flatten)]
    pub setup: SessionSetup,
}

/// One change to a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// Next question (nothing on the last).
    Next,
    /// Previous question (nothing on the first).
    Previous,
    /// Question number `index` (from 0).
    GoTo {
        /// Index.
        index: i64,
    },
    /// Record the counts of a question.
    Counts {
        /// Question id.
        question: String,
        /// One count per option, by option index.
        counts: Vec<i64>,
        /// Hands or phones.
        source: TallySource,
    },
    /// Show or hide a question's result.
    Reveal {
        /// Question id.
        question: String,
        /// Shown.
        revealed: bool,
    },
    /// Change the declared room size.
    RoomSize {
        /// People in the room.
        size: i64,
    },
    /// Clear every count (a new group).
    Reset,
}

/// The questionnaire a session runs on.
pub fn questionnaire_of(
    catalog: &Catalog,
    s: &Session,
) -> Result<Arc<Questionnaire>, WorkshopUseError> {
    catalog
        .get(&s.questionnaire.id, &s.questionnaire.version)
        .map(|l| Arc::clone(&l.questionnaire))
        .ok_or_else(|| WorkshopUseError::UnknownQuestionnaire {
            id: s.questionnaire.id.clone(),
            version: s.questionnaire.version.clone(),
        })
}

/// Start a session with the latest version of the questionnaire; saved at
/// once. Its id and state.
pub fn create(
    db: &mut WorkshopDb,
    catalog: &Catalog,
    new: &NewSession,
    now: DateTime<Utc>,
) -> Result<(i64, Session), WorkshopUseError> {
    let q = catalog.latest(&new.questionnaire).ok_or_else(|| {
        WorkshopUseError::UnknownQuestionnaire {
            id: new.questionnaire.clone(),
            version: String::new(),
        }
    })?;
    let session = Session::new(&q.questionnaire, &new.setup, now)?;
    let id = db.create(&session)?;
    Ok((id, session))
}

/// The sessions, most recently used first.
pub fn list(db: &WorkshopDb) -> Result<Vec<SessionSummary>, WorkshopUseError> {
    Ok(db.list()?)
}

/// Open a session with its questionnaire (checked to fit it).
pub fn open(
    db: &WorkshopDb,
    catalog: &Catalog,
    id: i64,
) -> Result<(Session, Arc<Questionnaire>), WorkshopUseError> {
    let s = db.load(id)?;
    let q = questionnaire_of(catalog, &s)?;
    s.check_against(&q)?;
    Ok((s, q))
}

/// Apply one step to session `id` and save it (one durable transaction);
/// the new state. A refused step changes nothing.
pub fn apply(
    db: &mut WorkshopDb,
    catalog: &Catalog,
    id: i64,
    step: &Step,
    now: DateTime<Utc>,
) -> Result<Session, WorkshopUseError> {
    let (mut s, _) = open(db, catalog, id)?;
    let before = s.clone();
    match step {
        Step::Next => {
            s.next_question();
        }
        Step::Previous => {
            s.previous_question();
        }
        Step::GoTo { index } => s.go_to(*index)?,
        Step::Counts {
            question,
            counts,
            source,
        } => s.record_counts(question, counts, *source)?,
        Step::Reveal { question, revealed } => s.set_revealed(question, *revealed)?,
        Step::RoomSize { size } => s.set_room_size(*size)?,
        Step::Reset => s.reset_counts(),
    }
    if s != before {
        db.save(id, &s, now)?;
        s.updated_at = now;
    }
    Ok(s)
}

/// Delete a session.
pub fn delete(db: &mut WorkshopDb, id: i64) -> Result<(), WorkshopUseError> {
    Ok(db.delete(id)?)
}

/// The `sentinella-workshop/1` JSON of session `id`.
pub fn export_json(
    db: &WorkshopDb,
    catalog: &Catalog,
    id: i64,
) -> Result<String, WorkshopUseError> {
    let (s, _) = open(db, catalog, id)?;
    Ok(SessionFile::from_session(&s).to_json())
}

/// Read and check a session file (size cap, format, shape, content against
/// its questionnaire).
pub fn read_session_file(
    path: &Path,
    catalog: &Catalog,
) -> Result<(Session, Arc<Questionnaire>), WorkshopUseError> {
    let file_err = |source| WorkshopUseError::File {
        path: path.to_path_buf(),
        source,
    };
    let bytes = read_regular_capped(path, MAX_SESSION_BYTES).map_err(|source| match source {
        ReadError::TooLarge { size, limit } => file_err(FileError::TooLarge { size, limit }),
        source => WorkshopUseError::Read {
            path: path.to_path_buf(),
            source,
        },
    })?;
    let file = SessionFile::parse(&bytes).map_err(file_err)?;
    let q = catalog
        .get(&file.questionnaire.id, &file.questionnaire.version)
        .map(|l| Arc::clone(&l.questionnaire))
        .ok_or_else(|| {
            file_err(FileError::UnknownQuestionnaire {
                id: file.questionnaire.id.clone(),
                version: file.questionnaire.version.clone(),
            })
        })?;
    let session = file.into_session(&q).map_err(file_err)?;
    Ok((session, q))
}

/// Import a session file into the database (as a new session); its id.
pub fn import(
    db: &mut WorkshopDb,
    catalog: &Catalog,
    path: &Path,
) -> Result<i64, WorkshopUseError> {
    let (s, _) = read_session_file(path, catalog)?;
    Ok(db.create(&s)?)
}

/// The debrief PDF of a session.
pub fn debrief(
    q: &Questionnaire,
    s: &Session,
    on: NaiveDate,
) -> Result<RenderedPdf, WorkshopUseError> {
    s.check_against(q)?;
    let outcome = group_outcome(q, s, on);
    Ok(debrief_pdf(&DebriefReport {
        questionnaire: q,
        session: s,
        outcome: &outcome,
        on,
    })?)
}

/// Read a session file and write its debrief PDF to `out` (atomically;
/// nothing is written when the file is refused).
pub fn debrief_file(
    path: &Path,
    catalog: &Catalog,
    out: &Path,
    on: NaiveDate,
) -> Result<RenderedPdf, WorkshopUseError> {
    if clashing_input(out, [path]).is_some() {
        return Err(WorkshopUseError::OutputIsInput(out.to_path_buf()));
    }
    let (s, q) = read_session_file(path, catalog)?;
    let pdf = debrief(&q, &s, on)?;
    write_atomic(out, &pdf.bytes).map_err(|source| WorkshopUseError::Write {
        path: out.to_path_buf(),
        source,
    })?;
    Ok(pdf)
}
