//! The workshop sessions database: a file of its own (`workshop.sqlite`
//! beside the assessments database), so that training sessions are never
//! mixed with real assessments, listed with them, or exported as results.
//!
//! It shares the store's file plumbing ([`super::file`]): the file is
//! inspected read-only before anything is written (its own
//! [`WORKSHOP_APPLICATION_ID`], `SNTW`, and schema version), created with
//! private permissions, opened in WAL mode with `synchronous=FULL`, and
//! migrated with rusqlite_migration. Every change to a session is one
//! IMMEDIATE transaction that returns after its commit is durable: a crash
//! or a SIGKILL at any moment leaves the last saved state.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use rusqlite_migration::{Migrations, M};
use serde::Serialize;

use super::api::{parse_time, timestamp};
use super::file::{self, Check, FileState};
use super::StoreError;
use crate::model::QuestionnaireRef;
use crate::workshop::session::{minutes_from, room_from};
use crate::workshop::{Session, Tally, TallySource};

/// `PRAGMA application_id` of a workshop database: ASCII `SNTW`.
pub const WORKSHOP_APPLICATION_ID: u32 = 0x534E_5457;
/// Schema version this build writes.
pub const WORKSHOP_SCHEMA_VERSION: i64 = 1;
/// The usual file name, in the app's data directory.
pub const WORKSHOP_DB_FILE: &str = "workshop.sqlite";

const V1: &str = "
PRAGMA application_id = 1397642327;

CREATE TABLE sessions (
    id                    INTEGER PRIMARY KEY,
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version TEXT NOT NULL,
    domains               TEXT NOT NULL,          -- JSON array of domain ids
    minutes               INTEGER NOT NULL CHECK (minutes BETWEEN 10 AND 480),
    room_size             INTEGER NOT NULL CHECK (room_size BETWEEN 1 AND 500),
    current_index         INTEGER NOT NULL CHECK (current_index >= 0),
    created_at            TEXT NOT NULL,          -- RFC 3339, UTC
    updated_at            TEXT NOT NULL           -- RFC 3339, UTC
);

-- One row per question of a session: counts only, never a name.
CREATE TABLE tallies (
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    question_id TEXT NOT NULL,
    counts      TEXT NOT NULL,                    -- JSON array, by option index
    revealed    INTEGER NOT NULL CHECK (revealed IN (0, 1)),
    source      TEXT NOT NULL CHECK (source IN ('hands', 'phones')),
    PRIMARY KEY (session_id, position),
    UNIQUE (session_id, question_id)
) WITHOUT ROWID;
";

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(V1)])
}

/// Why the workshop database refused.
#[derive(Debug, thiserror::Error)]
pub enum WorkshopDbError {
    /// The file layer (not SQLite, damaged, too new, I/O).
    #[error(transparent)]
    File(#[from] StoreError),
    /// The assessments database was given instead.
    #[error("{}: this is the assessments database, not a workshop sessions database; it was left untouched", path.display())]
    AssessmentsDb {
        /// The file.
        path: PathBuf,
    },
    /// No such session.
    #[error("workshop session {0} does not exist")]
    NotFound(i64),
    /// A row that breaks the session rules (edited by hand).
    #[error("workshop session {id}: stored data is not valid ({detail})")]
    BadRow {
        /// Session id.
        id: i64,
        /// What is wrong.
        detail: String,
    },
    /// Another writer holds the database.
    #[error("the workshop database is busy (another Sentinella window or command is writing); try again")]
    Busy,
    /// SQLite.
    #[error("workshop database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for WorkshopDbError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                WorkshopDbError::Busy
            }
            _ => WorkshopDbError::Sqlite(e),
        }
    }
}

/// One row of [`WorkshopDb::list`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionSummary {
    /// Row id.
    pub id: i64,
    /// Questionnaire and version.
    pub questionnaire: QuestionnaireRef,
    /// Number of questions.
    pub questions: i64,
    /// Questions with at least one answer counted.
    pub answered: i64,
    /// Index of the question on screen.
    pub current: i64,
    /// Time plan, minutes.
    pub minutes: i64,
    /// Room size.
    pub room_size: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// An open workshop database.
#[derive(Debug)]
pub struct WorkshopDb {
    conn: Connection,
    path: PathBuf,
}

impl WorkshopDb {
    /// Open the database, creating the file when missing.
    pub fn open(path: &Path) -> Result<WorkshopDb, WorkshopDbError> {
        Self::open_inner(path, true)
    }

    /// Open an existing database ([`StoreError::NotFound`] when missing).
    pub fn open_existing(path: &Path) -> Result<WorkshopDb, WorkshopDbError> {
        Self::open_inner(path, false)
    }

    fn open_inner(path: &Path, create: bool) -> Result<WorkshopDb, WorkshopDbError> {
        if file::raw_application_id(path) == Some(super::APPLICATION_ID) {
            return Err(WorkshopDbError::AssessmentsDb {
                path: path.to_path_buf(),
            });
        }
        let state = file::inspect_as(
            path,
            Check::Quick,
            WORKSHOP_APPLICATION_ID,
            WORKSHOP_SCHEMA_VERSION,
        )?;
        if state == FileState::Missing {
            if !create {
                return Err(StoreError::NotFound {
                    path: path.to_path_buf(),
                }
                .into());
            }
            drop(file::create_private_file(path)?);
            if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                file::sync_dir(dir);
            }
        }
        let sq = |e| WorkshopDbError::File(StoreError::sqlite_at(path, e));
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sq)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(sq)?;
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")
            .map_err(sq)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(sq)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Migration(format!(
                "cannot switch the workshop database to WAL mode (journal mode is {mode})"
            ))
            .into());
        }
        migrations()
            .to_latest(&mut conn)
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(WorkshopDb {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Store a new session; its id.
    pub fn create(&mut self, s: &Session) -> Result<i64, WorkshopDbError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO sessions (questionnaire_id, questionnaire_version, domains, minutes,
                 room_size, current_index, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                s.questionnaire.id,
                s.questionnaire.version,
                json_list(&s.domains),
                s.minutes,
                s.room_size,
                i64::try_from(s.current).unwrap_or(0),
                timestamp(s.created_at),
                timestamp(s.updated_at),
            ],
        )?;
        let id = tx.last_insert_rowid();
        for (position, t) in s.tallies.iter().enumerate() {
            tx.execute(
                "INSERT INTO tallies (session_id, position, question_id, counts, revealed, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id,
                    i64::try_from(position).unwrap_or(i64::MAX),
                    t.question_id,
                    json_counts(&t.counts),
                    t.revealed,
                    t.source.id()
                ],
            )?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Save the whole state of session `id` (position, room, counts,
    /// reveal flags) in one transaction, with `updated_at` set to `now`.
    /// The questions of a session never change, so only their tallies are
    /// written.
    pub fn save(
        &mut self,
        id: i64,
        s: &Session,
        now: DateTime<Utc>,
    ) -> Result<(), WorkshopDbError> {
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE sessions SET room_size = ?2, current_index = ?3, updated_at = ?4
             WHERE id = ?1",
            params![
                id,
                s.room_size,
                i64::try_from(s.current).unwrap_or(0),
                timestamp(now)
            ],
        )?;
        if changed == 0 {
            return Err(WorkshopDbError::NotFound(id));
        }
        for (position, t) in s.tallies.iter().enumerate() {
            let changed = tx.execute(
                "UPDATE tallies SET counts = ?4, revealed = ?5, source = ?6
                 WHERE session_id = ?1 AND position = ?2 AND question_id = ?3",
                params![
                    id,
                    i64::try_from(position).unwrap_or(i64::MAX),
                    t.question_id,
                    json_counts(&t.counts),
                    t.revealed,
                    t.source.id()
                ],
            )?;
            if changed != 1 {
                return Err(WorkshopDbError::BadRow {
                    id,
                    detail: format!("question {} is not at position {position}", t.question_id),
                });
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Load session `id`.
    pub fn load(&self, id: i64) -> Result<Session, WorkshopDbError> {
        let bad = |detail: String| WorkshopDbError::BadRow { id, detail };
        type Row = (String, String, String, i64, i64, i64, String, String);
        let row: Option<Row> = self
            .conn
            .query_row(
                "SELECT questionnaire_id, questionnaire_version, domains, minutes, room_size,
                        current_index, created_at, updated_at
                 FROM sessions WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((qid, version, domains, minutes, room, current, created, updated)) = row else {
            return Err(WorkshopDbError::NotFound(id));
        };
        let domains: Vec<String> =
            serde_json::from_str(&domains).map_err(|e| bad(format!("domains: {e}")))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT question_id, counts, revealed, source FROM tallies
             WHERE session_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut tallies = Vec::new();
        for row in rows {
            let (question_id, counts, revealed, source) = row?;
            let counts: Vec<u32> = serde_json::from_str(&counts)
                .map_err(|e| bad(format!("counts of {question_id}: {e}")))?;
            let source = TallySource::from_id(&source)
                .ok_or_else(|| bad(format!("source {source:?} of {question_id}")))?;
            tallies.push(Tally {
                question_id,
                counts,
                revealed,
                source,
            });
        }
        let current = usize::try_from(current)
            .ok()
            .filter(|&c| c < tallies.len())
            .ok_or_else(|| bad(format!("position {current}")))?;
        let room_size = room_from(room).map_err(|e| bad(e.to_string()))?;
        if let Some(t) = tallies.iter().find(|t| t.total() > room_size) {
            return Err(bad(format!(
                "question {} counts more answers than the room holds",
                t.question_id
            )));
        }
        Ok(Session {
            questionnaire: QuestionnaireRef { id: qid, version },
            domains,
            minutes: minutes_from(minutes).map_err(|e| bad(e.to_string()))?,
            room_size,
            current,
            tallies,
            created_at: parse_time("created_at", &created).map_err(|e| bad(e.to_string()))?,
            updated_at: parse_time("updated_at", &updated).map_err(|e| bad(e.to_string()))?,
        })
    }

    /// Every session, most recently changed first.
    pub fn list(&self) -> Result<Vec<SessionSummary>, WorkshopDbError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, s.questionnaire_id, s.questionnaire_version, s.current_index,
                    s.minutes, s.room_size, s.created_at, s.updated_at,
                    (SELECT count(*) FROM tallies t WHERE t.session_id = s.id),
                    (SELECT count(*) FROM tallies t WHERE t.session_id = s.id
                        AND EXISTS (SELECT 1 FROM json_each(t.counts) WHERE value > 0))
             FROM sessions s ORDER BY s.updated_at DESC, s.id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, i64>(8)?,
                r.get::<_, i64>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, qid, version, current, minutes, room_size, created, updated, n, answered) =
                row?;
            let time = |s: &str| {
                parse_time("timestamp", s).map_err(|e| WorkshopDbError::BadRow {
                    id,
                    detail: e.to_string(),
                })
            };
            out.push(SessionSummary {
                id,
                questionnaire: QuestionnaireRef { id: qid, version },
                questions: n,
                answered,
                current,
                minutes,
                room_size,
                created_at: time(&created)?,
                updated_at: time(&updated)?,
            });
        }
        Ok(out)
    }

    /// Delete a session and its tallies.
    pub fn delete(&mut self, id: i64) -> Result<(), WorkshopDbError> {
        let tx = self.conn.transaction()?;
        let n = tx.execute("DELETE FROM sessions WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(WorkshopDbError::NotFound(id));
        }
        tx.commit()?;
        Ok(())
    }

    /// `PRAGMA integrity_check` and `foreign_key_check` problems (empty when
    /// sound).
    pub fn integrity_check(&self) -> Result<Vec<String>, WorkshopDbError> {
        let mut problems = file::integrity(&self.conn, Check::Full)?;
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            problems.push(format!("foreign key violation in {}", row?));
        }
        Ok(problems)
    }
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

fn json_counts(counts: &[u32]) -> String {
    serde_json::to_string(counts).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::load::Catalog;
    use crate::workshop::SessionSetup;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    #[test]
    fn save_load_list_delete() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(WORKSHOP_DB_FILE);
        let (catalog, _) = Catalog::builtin();
        let q = (*catalog.latest("sportello-polis").unwrap().questionnaire).clone();
        let setup = SessionSetup {
            domains: vec![],
            minutes: 90,
            room_size: 30,
        };
        let now = Utc::now();
        let mut s = Session::new(&q, &setup, now).unwrap();
        let mut db = WorkshopDb::open(&path).unwrap();
        let id = db.create(&s).unwrap();
        let qid = s.tallies[2].question_id.clone();
        let mut counts = vec![0_i64; s.tallies[2].counts.len()];
        counts[0] = 12;
        s.record_counts(&qid, &counts, TallySource::Hands).unwrap();
        s.set_revealed(&qid, true).unwrap();
        s.go_to(2).unwrap();
        db.save(id, &s, now).unwrap();
        drop(db);
        let db = WorkshopDb::open_existing(&path).unwrap();
        let back = db.load(id).unwrap();
        assert_eq!(back.tallies, s.tallies);
        assert_eq!(back.current, 2);
        let list = db.list().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].answered, 1);
        assert_eq!(list[0].questions, i64::try_from(s.len()).unwrap());
        assert!(db.integrity_check().unwrap().is_empty());
        let mut db = db;
        db.delete(id).unwrap();
        assert!(matches!(db.load(id), Err(WorkshopDbError::NotFound(_))));
    }

    #[test]
    fn other_databases_are_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let store_path = dir.path().join("sentinella.db");
        drop(crate::store::Store::open(&store_path).unwrap());
        let before = std::fs::read(&store_path).unwrap();
        assert!(matches!(
            WorkshopDb::open(&store_path),
            Err(WorkshopDbError::AssessmentsDb { .. })
        ));
        assert_eq!(std::fs::read(&store_path).unwrap(), before);
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "hello, this is not a database at all........").unwrap();
        assert!(WorkshopDb::open(&text).is_err());
        assert_eq!(
            std::fs::read_to_string(&text).unwrap(),
            "hello, this is not a database at all........"
        );
        assert!(WorkshopDb::open_existing(&dir.path().join("none.sqlite")).is_err());
    }
}
