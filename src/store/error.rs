//! The one error type of the store.

use std::path::PathBuf;

use thiserror::Error;

use super::AssessmentId;

/// Why a store operation failed. Every message is plain English; the desktop
/// app maps the variants to Italian text.
#[derive(Debug, Error)]
pub enum StoreError {
    /// A file or directory could not be read, created or written.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What we were doing ("cannot create the database file").
        action: &'static str,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// The database file does not exist (and the operation does not create it).
    #[error("{}: no such database file", path.display())]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// The file is not an SQLite database at all.
    #[error("{}: this is not a Sentinella database (not an SQLite file); it was left untouched", path.display())]
    NotSqlite {
        /// The file.
        path: PathBuf,
    },
    /// An SQLite database of some other program.
    #[error("{}: this is an SQLite database of another program (application id {application_id:#010x}), not a Sentinella database; it was left untouched", path.display())]
    NotSentinella {
        /// The file.
        path: PathBuf,
        /// The application id found in its header.
        application_id: u32,
    },
    /// The database is damaged.
    #[error("{}: the database is damaged ({detail}); it was left untouched: restore a backup", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What SQLite reported.
        detail: String,
    },
    /// Written by a newer version of Sentinella.
    #[error("{}: the database was written by a newer version of Sentinella (schema version {found}, this version reads up to {supported}); it was left untouched: update Sentinella", path.display())]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },
    /// A query met a damaged page (found after opening).
    #[error("the database is damaged ({0}): restore a backup with `sentinella db restore`")]
    Damaged(String),
    /// Another program holds the database locked for longer than we wait.
    #[error("the database is busy (another Sentinella window or command is writing); try again")]
    Busy,
    /// An SQLite error not covered by the variants above.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// A schema migration failed; the database is unchanged (each migration
    /// runs in a transaction) and a backup was taken before.
    #[error("cannot upgrade the database schema: {0}")]
    Migration(String),
    /// No assessment with this id.
    #[error("assessment {0} does not exist")]
    AssessmentNotFound(AssessmentId),
    /// No organization with this id.
    #[error("organization {0} does not exist")]
    OrganizationNotFound(i64),
    /// The assessment is completed: reopen it before changing answers.
    #[error("assessment {0} is completed: reopen it before changing its answers")]
    AssessmentCompleted(AssessmentId),
    /// The questionnaire version the assessment uses is not in the catalog.
    #[error("questionnaire {id} version {version} is not available in this installation")]
    QuestionnaireUnavailable {
        /// Questionnaire id.
        id: String,
        /// Questionnaire version.
        version: String,
    },
    /// The content hash given does not match the questionnaire in the catalog.
    #[error("questionnaire {id} version {version}: content hash {given} does not match the available content ({expected})")]
    ContentHashMismatch {
        /// Questionnaire id.
        id: String,
        /// Questionnaire version.
        version: String,
        /// The hash given.
        given: String,
        /// The hash of the catalog entry.
        expected: String,
    },
    /// Not a scored question of the assessment's questionnaire.
    #[error("{question:?} is not a question of questionnaire {questionnaire}")]
    UnknownQuestion {
        /// `id version` of the questionnaire.
        questionnaire: String,
        /// The id given.
        question: String,
    },
    /// Not an option of that question.
    #[error("{option:?} is not an option of question {question:?}")]
    UnknownOption {
        /// The question.
        question: String,
        /// The option given.
        option: String,
    },
    /// Not a context question of the assessment's questionnaire.
    #[error("{question:?} is not a context question of questionnaire {questionnaire}")]
    UnknownContextQuestion {
        /// `id version` of the questionnaire.
        questionnaire: String,
        /// The id given.
        question: String,
    },
    /// Not an option of that context question.
    #[error("{option:?} is not an option of context question {question:?}")]
    UnknownContextOption {
        /// The context question.
        question: String,
        /// The option given.
        option: String,
    },
    /// The note is too long.
    #[error("the note of question {question:?} is longer than {limit} characters")]
    NoteTooLong {
        /// The question.
        question: String,
        /// The limit.
        limit: usize,
    },
    /// The organization or assessment data is invalid (one line per problem).
    #[error("invalid assessment data:\n{}", .0.join("\n"))]
    Invalid(Vec<String>),
    /// An answers file to import could not be used.
    #[error(transparent)]
    Load(#[from] crate::load::LoadError),
    /// A backup file chosen for restore is not usable.
    #[error("{}: not a usable backup: {reason}", path.display())]
    InvalidBackup {
        /// The backup file.
        path: PathBuf,
        /// Why.
        reason: Box<StoreError>,
    },
    /// The export could not be serialized.
    #[error("cannot write the answers JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Incident data (contacts, triage, log entry) refused by the domain.
    #[error(transparent)]
    Incident(#[from] crate::incident::IncidentError),
    /// No incident with this id.
    #[error("incident {0} does not exist")]
    IncidentNotFound(i64),
    /// The incident is closed: nothing more can be added.
    #[error("incident {0} is closed")]
    IncidentClosed(i64),
    /// A value stored in the database cannot be read back (edited by hand?).
    #[error("the database holds an unreadable value in {what}: {value:?}")]
    BadValue {
        /// Which column.
        what: &'static str,
        /// The value found.
        value: String,
    },
}

impl StoreError {
    /// Attach a path to an SQLite error when it means corruption or a
    /// non-database file.
    pub(crate) fn sqlite_at(path: &std::path::Path, e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: e.to_string(),
            },
            Some(ErrorCode::NotADatabase) => StoreError::NotSqlite {
                path: path.to_path_buf(),
            },
            _ => StoreError::from(e),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                StoreError::Damaged(e.to_string())
            }
            _ => StoreError::Sqlite(e),
        }
    }
}
