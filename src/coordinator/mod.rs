//! The coordinator's database: the result files collected from many comuni.
//!
//! A separate SQLite file (`PRAGMA application_id` = `SNTC`), not the
//! comune's assessment database: it keeps every accepted result file
//! verbatim (so it can be verified again at any time), the key on record for
//! each organization (trust on first use), and which assessment is current.
//!
//! Rules:
//! - Each file is verified completely ([`crate::exchange::verify_bytes`])
//!   *before* any write; a rejected file changes nothing.
//! - Each accepted file is imported in its own `IMMEDIATE` transaction: one
//!   bad file never stops or spoils the others, and a crash leaves every file
//!   either fully imported or absent.
//! - Trust on first use: the first key seen for an organization (ISTAT code +
//!   kind: comune or Polis office) is recorded; a file signed by another key
//!   is held back (nothing written) until the coordinator accepts that key
//!   *for that organization* ([`Acceptance`]: ISTAT code, kind, key), after
//!   confirming its fingerprint with the comune. When one import brings files
//!   of an organization with no key on record signed by two or more keys, no
//!   key is recorded and all of them are held back: nothing in the files
//!   (dates, names, order) tells the genuine one.
//! - Only results signed by the key on record count: accepting a new key
//!   moves the old key's results to history (kept, never current again).
//! - The same assessment (same ISTAT code, kind, questionnaire and
//!   assessment id) imported twice is stored once; a later export of it
//!   replaces the earlier one. The newest assessment (date, export time,
//!   assessment id) of the same organization, kind and questionnaire signed
//!   by the key on record is its current one; the others stay in history.
//! - Importing the same files again changes nothing.
//! - Same pragmas as the assessment store: WAL, `synchronous=FULL`, foreign
//!   keys; the file is created with mode 0600 on Unix; a backup is taken
//!   before a migration and once a day on open (the store's backups:
//!   `<file>.backups/`, the newest seven kept).
//! - `aggregate <files>` runs on an in-memory database
//!   ([`CoordinatorDb::in_memory`]) through the same code, so it decides
//!   exactly as `collect` + `aggregate --db` would on a fresh database.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use rusqlite_migration::{Migrations, M};
use serde::Serialize;
use thiserror::Error;

mod collect;
mod packs;

pub use collect::{collect_files, collect_files_observed, Progress};
pub use packs::IssuedPack;

use crate::aggregate::Record;
use crate::exchange::{self, ResultError, VerifiedResult};
use crate::keys::fingerprint_bytes;
use crate::load::Catalog;
use crate::model::Audience;

/// `PRAGMA application_id` of a coordinator database: ASCII `SNTC`.
pub const APPLICATION_ID: u32 = 0x534E_5443;
/// The assessment store's application id (`SNTL`), to name it in errors.
const STORE_APPLICATION_ID: u32 = 0x534E_544C;
/// Schema version this build writes.
pub const SCHEMA_VERSION: i64 = 3;

const V1: &str = "
PRAGMA application_id = 1397642307;

CREATE TABLE keys (
    istat_code   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    public_key   BLOB NOT NULL CHECK (length(public_key) = 32),
    fingerprint  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (istat_code, kind)
) WITHOUT ROWID;

CREATE TABLE results (
    id                    INTEGER PRIMARY KEY,
    istat_code            TEXT NOT NULL,
    kind                  TEXT NOT NULL,
    organization          TEXT NOT NULL,
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version TEXT NOT NULL,
    assessment_id         TEXT NOT NULL,
    assessed_on           TEXT NOT NULL,
    exported_at_ms        INTEGER NOT NULL,
    fingerprint           TEXT NOT NULL,
    payload_sha256        TEXT NOT NULL,
    file                  BLOB NOT NULL,
    source                TEXT NOT NULL,
    imported_at           TEXT NOT NULL,
    current               INTEGER NOT NULL CHECK (current IN (0, 1)),
    UNIQUE (istat_code, kind, assessment_id),
    FOREIGN KEY (istat_code, kind) REFERENCES keys (istat_code, kind)
);
CREATE UNIQUE INDEX results_one_current
    ON results (istat_code, questionnaire_id) WHERE current = 1;
";

/// Version 2: the identity of a result includes its questionnaire
/// (`UNIQUE (istat_code, kind, questionnaire_id, assessment_id)`), "current"
/// is per kind, and only results signed by the key on record stay current.
const V2: &str = "
CREATE TABLE results_v2 (
    id                    INTEGER PRIMARY KEY,
    istat_code            TEXT NOT NULL,
    kind                  TEXT NOT NULL,
    organization          TEXT NOT NULL,
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version TEXT NOT NULL,
    assessment_id         TEXT NOT NULL,
    assessed_on           TEXT NOT NULL,
    exported_at_ms        INTEGER NOT NULL,
    fingerprint           TEXT NOT NULL,
    payload_sha256        TEXT NOT NULL,
    file                  BLOB NOT NULL,
    source                TEXT NOT NULL,
    imported_at           TEXT NOT NULL,
    current               INTEGER NOT NULL CHECK (current IN (0, 1)),
    UNIQUE (istat_code, kind, questionnaire_id, assessment_id),
    FOREIGN KEY (istat_code, kind) REFERENCES keys (istat_code, kind)
);
INSERT INTO results_v2 (id, istat_code, kind, organization, questionnaire_id,
        questionnaire_version, assessment_id, assessed_on, exported_at_ms, fingerprint,
        payload_sha256, file, source, imported_at, current)
    SELECT id, istat_code, kind, organization, questionnaire_id, questionnaire_version,
        assessment_id, assessed_on, exported_at_ms, fingerprint, payload_sha256, file, source,
        imported_at, 0
    FROM results;
DROP INDEX results_one_current;
DROP TABLE results;
ALTER TABLE results_v2 RENAME TO results;
CREATE UNIQUE INDEX results_one_current
    ON results (istat_code, kind, questionnaire_id) WHERE current = 1;
";

/// Version 3: the history of the packs this coordinator issued
/// ([`crate::pack`]), each with its sequence number and its exact bytes.
const V3: &str = "
CREATE TABLE packs_issued (
    sequence       INTEGER PRIMARY KEY CHECK (sequence >= 1),
    issued_on      TEXT NOT NULL,                 -- YYYY-MM-DD
    issued_at      TEXT NOT NULL,                 -- RFC 3339, UTC
    fingerprint    TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    alerts         INTEGER NOT NULL,
    contacts       INTEGER NOT NULL,
    questionnaires INTEGER NOT NULL,
    written_to     TEXT NOT NULL,
    file           BLOB NOT NULL
);
";

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(V1), M::up(V2), M::up(V3)])
}

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the coordinator database could not be used.
#[derive(Debug, Error)]
pub enum CoordinatorError {
    /// File-system error.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What we were doing.
        action: &'static str,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// Not a coordinator database; left untouched.
    #[error("{}: {what}; it was left untouched", path.display())]
    NotCoordinator {
        /// The file.
        path: PathBuf,
        /// What it is instead.
        what: String,
    },
    /// Written by a newer Sentinella.
    #[error("{}: this coordinator database has schema version {found}, written by a newer version of Sentinella (this one reads up to {SCHEMA_VERSION}); update Sentinella", path.display())]
    Newer {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: i64,
    },
    /// SQLite error.
    #[error("{}: database error: {source}", path.display())]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// The error.
        source: rusqlite::Error,
    },
    /// A backup could not be written; nothing was changed.
    #[error("{}: cannot back up the database: {message}", path.display())]
    Backup {
        /// The file.
        path: PathBuf,
        /// The problem.
        message: String,
    },
    /// Schema migration failed.
    #[error("{}: cannot create or update the schema: {message}", path.display())]
    Migration {
        /// The file.
        path: PathBuf,
        /// The error.
        message: String,
    },
}

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The first assessment of this comune (and questionnaire): current.
    New,
    /// A newer assessment: now current, the previous one kept in history.
    Replaced,
    /// A later export of an assessment already imported: replaces it.
    Updated,
    /// An older assessment than the current one: kept in history.
    History,
    /// Already imported (the same export, or an older export of it).
    Unchanged,
    /// Signed by another key than the one on record: nothing written.
    HeldBack,
    /// Failed a check: nothing written.
    Rejected,
}

impl Outcome {
    /// Stable id (as serialized), for reports and the app's styles.
    pub fn id(self) -> &'static str {
        match self {
            Outcome::New => "new",
            Outcome::Replaced => "replaced",
            Outcome::Updated => "updated",
            Outcome::History => "history",
            Outcome::Unchanged => "unchanged",
            Outcome::HeldBack => "held_back",
            Outcome::Rejected => "rejected",
        }
    }

    /// Whether the file was accepted (stored or already present).
    pub fn accepted(self) -> bool {
        !matches!(self, Outcome::HeldBack | Outcome::Rejected)
    }
}

/// A key the coordinator confirmed for one organization: accepting names
/// what it accepts, so confirming comune A's new computer never hands
/// comune B over to that key. Written `056044:comune:3F2A-9C01-77DE-B410`
/// (kind `comune` or `polis_office`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Acceptance {
    /// The organization's ISTAT code.
    pub istat_code: String,
    /// Comune or Polis office.
    pub kind: Audience,
    /// The key's fingerprint, normalized ([`normalize`]: 16 hex digits).
    pub fingerprint: String,
}

/// Why an [`Acceptance`] could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{given:?}: {problem}; write ISTAT code, kind and fingerprint as 056044:comune:3F2A-9C01-77DE-B410 (kind comune or polis_office)")]
pub struct AcceptanceError {
    /// What was given.
    pub given: String,
    /// What is wrong.
    pub problem: &'static str,
}

impl Acceptance {
    /// An acceptance from its parts (the fingerprint however typed).
    pub fn new(
        istat_code: &str,
        kind: Audience,
        fingerprint: &str,
    ) -> Result<Acceptance, AcceptanceError> {
        let given = format!("{istat_code}:{}:{fingerprint}", kind_id(kind));
        if istat_code.len() != 6 || !istat_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AcceptanceError {
                given,
                problem: "an ISTAT code has six digits",
            });
        }
        let fingerprint = normalize(fingerprint);
        if fingerprint.len() != 16 {
            return Err(AcceptanceError {
                given,
                problem: "a fingerprint has 16 hex digits",
            });
        }
        Ok(Acceptance {
            istat_code: istat_code.to_string(),
            kind,
            fingerprint,
        })
    }

    /// Whether this acceptance covers a file of `istat_code`/`kind` signed by
    /// the key with `fingerprint`.
    pub fn covers(&self, istat_code: &str, kind: Audience, fingerprint: &str) -> bool {
        self.istat_code == istat_code
            && self.kind == kind
            && self.fingerprint == normalize(fingerprint)
    }
}

impl std::str::FromStr for Acceptance {
    type Err = AcceptanceError;

    fn from_str(s: &str) -> Result<Acceptance, AcceptanceError> {
        let err = |problem| AcceptanceError {
            given: s.to_string(),
            problem,
        };
        let mut parts = s.trim().splitn(3, ':');
        let (Some(code), Some(kind), Some(fingerprint)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(err("three parts are needed"));
        };
        let kind = match kind.trim() {
            "comune" => Audience::Comune,
            "polis_office" | "polis" => Audience::PolisOffice,
            _ => return Err(err("the kind is comune or polis_office")),
        };
        Acceptance::new(code.trim(), kind, fingerprint).map_err(|e| err(e.problem))
    }
}

impl std::fmt::Display for Acceptance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.istat_code,
            kind_id(self.kind),
            crate::keys::format_fingerprint(&self.fingerprint)
        )
    }
}

/// The report line of one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The file (as named by the caller).
    pub source: String,
    /// What happened.
    pub outcome: Outcome,
    /// The organization, when the file could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// Its ISTAT code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub istat_code: Option<String>,
    /// Comune or Polis office, when the file could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_kind: Option<Audience>,
    /// The reason (held back, rejected) or warnings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Stable id of the rejection kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    /// Fingerprint of the key that signed the file, when it was verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    /// For a held-back file: the fingerprint of the key on record (none
    /// when no key is on record and several keys claimed the organization).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_signer: Option<String>,
}

impl FileReport {
    /// For a held-back file: the acceptance that would let it in.
    pub fn acceptance(&self) -> Option<Acceptance> {
        if self.outcome != Outcome::HeldBack {
            return None;
        }
        Acceptance::new(
            self.istat_code.as_deref()?,
            self.organization_kind?,
            self.signer.as_deref()?,
        )
        .ok()
    }
}

/// What identifies a stored current result: the SHA-256 of its signed
/// payload, the fingerprint of its signer and its source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CurrentKey {
    /// SHA-256 of the signed payload.
    pub payload_sha256: String,
    /// Fingerprint of the key that signed it.
    pub fingerprint: String,
    /// Where it came from (file name).
    pub source: String,
}

/// A stored result file, as read back.
#[derive(Debug, Clone)]
pub struct StoredResult {
    /// Where it came from when imported.
    pub source: String,
    /// The file bytes, verbatim.
    pub file: Vec<u8>,
}

/// A stored result that no longer verifies (for example its questionnaire
/// version is not available in this installation).
#[derive(Debug, Clone, Serialize)]
pub struct Unverifiable {
    /// Where it came from when imported.
    pub source: String,
    /// Stable id of the problem.
    pub kind: crate::exchange::RejectionKind,
    /// The problem.
    pub reason: String,
}

/// The key on record for one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyRecord {
    /// ISTAT code.
    pub istat_code: String,
    /// `comune` or `polis_office`.
    pub kind: &'static str,
    /// The organization's name in its latest stored result.
    pub organization: String,
    /// The key's fingerprint.
    pub fingerprint: String,
    /// When it was recorded (RFC 3339).
    pub recorded_at: String,
}

/// Counts of the database content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Organizations with a key on record.
    pub keys: i64,
    /// Stored results (current and history).
    pub results: i64,
    /// Current results.
    pub current: i64,
}

/// An open coordinator database.
#[derive(Debug)]
pub struct CoordinatorDb {
    conn: Connection,
    path: PathBuf,
}

fn kind_id(kind: Audience) -> &'static str {
    match kind {
        Audience::Comune => "comune",
        Audience::PolisOffice => "polis_office",
    }
}

/// What the raw header of a file says, read without SQLite (so nothing is
/// ever written to a file that is not ours).
fn inspect(path: &Path) -> Result<Option<(u32, i64)>, CoordinatorError> {
    use std::io::Read as _;
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(CoordinatorError::Io {
                path: path.into(),
                action: "cannot open the database file",
                source,
            })
        }
    };
    let mut header = Vec::with_capacity(100);
    f.by_ref()
        .take(100)
        .read_to_end(&mut header)
        .map_err(|source| CoordinatorError::Io {
            path: path.into(),
            action: "cannot read the database file",
            source,
        })?;
    if header.is_empty() {
        return Ok(Some((0, 0)));
    }
    if header.len() < 100 || !header.starts_with(b"SQLite format 3\0") {
        return Err(CoordinatorError::NotCoordinator {
            path: path.into(),
            what: "this is not a Sentinella coordinator database (not an SQLite file)".into(),
        });
    }
    let be32 = |at: usize| {
        header
            .get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, u32::from_be_bytes)
    };
    Ok(Some((be32(68), i64::from(be32(60)))))
}

impl CoordinatorDb {
    /// Open a coordinator database, creating it when missing.
    pub fn open(path: &Path) -> Result<CoordinatorDb, CoordinatorError> {
        let state = inspect(path)?;
        match state {
            // The store's private creation: 0600 on Unix, never over a file.
            None => drop(crate::store::file::create_private_file(path).map_err(|e| {
                CoordinatorError::Io {
                    path: path.into(),
                    action: "cannot create the database file",
                    source: std::io::Error::other(e.to_string()),
                }
            })?),
            Some((0, 0)) | Some((APPLICATION_ID, _)) => {}
            Some((STORE_APPLICATION_ID, _)) => {
                return Err(CoordinatorError::NotCoordinator {
                    path: path.into(),
                    what: "this is a comune's assessment database, not a coordinator database (use another file for --db)".into(),
                })
            }
            Some((other, _)) => {
                return Err(CoordinatorError::NotCoordinator {
                    path: path.into(),
                    what: format!(
                        "this is an SQLite database of another program (application id {other:#010x})"
                    ),
                })
            }
        }
        if let Some((_, version)) = state {
            if version > SCHEMA_VERSION {
                return Err(CoordinatorError::Newer {
                    path: path.into(),
                    found: version,
                });
            }
        }
        let sq = |source| CoordinatorError::Sqlite {
            path: path.into(),
            source,
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sq)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sq)?;
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")
            .map_err(sq)?;
        let _mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(sq)?;
        let now = Utc::now();
        let backup = |conn: &Connection, reason: &str| {
            crate::store::backup::write_backup(conn, path, reason, now).map_err(|e| {
                CoordinatorError::Backup {
                    path: path.into(),
                    message: e.to_string(),
                }
            })
        };
        let version = state.map_or(0, |(_, v)| v);
        if (1..SCHEMA_VERSION).contains(&version) {
            backup(&conn, &format!("pre-migration-v{}", version + 1))?;
        } else if version == SCHEMA_VERSION
            && crate::store::backup::daily_due(path, now).map_err(|e| CoordinatorError::Backup {
                path: path.into(),
                message: e.to_string(),
            })?
        {
            backup(&conn, "daily")?;
        }
        let mut db = CoordinatorDb::migrate(conn, path)?;
        if version == 1 {
            // Version 1 kept results of replaced keys current.
            db.refresh_all_current()?;
        }
        Ok(db)
    }

    /// A coordinator database in memory, gone when dropped: `aggregate
    /// <files>` imports into one, so it follows exactly the rules of
    /// `collect` on a fresh database.
    pub fn in_memory() -> Result<CoordinatorDb, CoordinatorError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|source| CoordinatorError::Sqlite {
            path: path.clone(),
            source,
        })?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(|source| CoordinatorError::Sqlite {
                path: path.clone(),
                source,
            })?;
        CoordinatorDb::migrate(conn, &path)
    }

    fn migrate(mut conn: Connection, path: &Path) -> Result<CoordinatorDb, CoordinatorError> {
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        migrations()
            .to_latest(&mut conn)
            .map_err(|e| CoordinatorError::Migration {
                path: path.into(),
                message: e.to_string(),
            })?;
        Ok(CoordinatorDb {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Take a backup now (online, while the database is open); returns its
    /// path.
    pub fn backup_now(&self) -> Result<PathBuf, CoordinatorError> {
        crate::store::backup::write_backup(&self.conn, &self.path, "manual", Utc::now()).map_err(
            |e| CoordinatorError::Backup {
                path: self.path.clone(),
                message: e.to_string(),
            },
        )
    }

    /// Recompute the current flag of every organization and questionnaire.
    fn refresh_all_current(&mut self) -> Result<(), CoordinatorError> {
        let path = self.path.clone();
        let sq = move |source| CoordinatorError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(&sq)?;
        let groups: Vec<(String, String, String)> = {
            let mut stmt = tx
                .prepare("SELECT DISTINCT istat_code, kind, questionnaire_id FROM results")
                .map_err(&sq)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .map_err(&sq)?;
            rows.collect::<Result<_, _>>().map_err(&sq)?
        };
        for (code, kind, questionnaire) in groups {
            refresh_current(&tx, &code, &kind, &questionnaire).map_err(&sq)?;
        }
        tx.commit().map_err(&sq)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sq(&self) -> impl Fn(rusqlite::Error) -> CoordinatorError + '_ {
        move |source| CoordinatorError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Verify and import one result file (see the module rules). `accept`
    /// lists the keys the coordinator has confirmed, each for one
    /// organization: a file of that organization signed by that key
    /// replaces the key on record instead of being held back.
    pub fn import(
        &mut self,
        source: &str,
        bytes: &[u8],
        catalog: &Catalog,
        accept: &BTreeSet<Acceptance>,
        now: DateTime<Utc>,
    ) -> Result<FileReport, CoordinatorError> {
        let verified = exchange::verify_bytes_at(bytes, catalog, None, now);
        self.import_verified(source, bytes, verified, accept, now)
    }

    /// [`Self::import`] for a file already verified (so verification can run
    /// in parallel, outside the write lock).
    pub fn import_verified(
        &mut self,
        source: &str,
        bytes: &[u8],
        verified: Result<VerifiedResult, ResultError>,
        accept: &BTreeSet<Acceptance>,
        now: DateTime<Utc>,
    ) -> Result<FileReport, CoordinatorError> {
        let mut reports = self.import_batch(
            vec![Incoming {
                source: source.to_string(),
                bytes: bytes.to_vec(),
                verified,
            }],
            &Rules {
                accept,
                contested: &BTreeSet::new(),
            },
            now,
        )?;
        reports.pop().ok_or_else(|| CoordinatorError::Migration {
            path: self.path.clone(),
            message: "internal error: no report for the file".into(),
        })
    }

    /// Import many verified files in one transaction, each file in its own
    /// savepoint: a file is imported entirely or not at all, and one commit
    /// (one disk sync) covers the batch. A crash before the commit leaves
    /// every file of the batch absent, to be collected again.
    pub fn import_batch(
        &mut self,
        items: Vec<Incoming>,
        rules: &Rules<'_>,
        now: DateTime<Utc>,
    ) -> Result<Vec<FileReport>, CoordinatorError> {
        let path = self.path.clone();
        let sq = move |source| CoordinatorError::Sqlite {
            path: path.clone(),
            source,
        };
        let mut tx = self.conn.transaction().map_err(&sq)?;
        let mut reports = Vec::with_capacity(items.len());
        let mut any_change = false;
        for item in items {
            let sp = tx.savepoint().map_err(&sq)?;
            let (report, changed) =
                import_one(&sp, &item.source, &item.bytes, item.verified, rules, now)
                    .map_err(&sq)?;
            if changed {
                sp.commit().map_err(&sq)?;
                any_change = true;
            }
            // Otherwise the savepoint is dropped: rolled back.
            reports.push(report);
        }
        if any_change {
            tx.commit().map_err(&sq)?;
        }
        Ok(reports)
    }

    /// Whether a key is on record for an organization.
    pub fn has_key(&self, istat_code: &str, kind: Audience) -> Result<bool, CoordinatorError> {
        self.conn
            .query_row(
                "SELECT 1 FROM keys WHERE istat_code = ?1 AND kind = ?2",
                params![istat_code, kind_id(kind)],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .map_err(self.sq())
    }

    /// The current result of every comune and questionnaire, by ISTAT code.
    pub fn current_results(&self) -> Result<Vec<StoredResult>, CoordinatorError> {
        let sq = self.sq();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT source, file FROM results WHERE current = 1 ORDER BY istat_code, kind, questionnaire_id",
            )
            .map_err(&sq)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(StoredResult {
                    source: r.get(0)?,
                    file: r.get(1)?,
                })
            })
            .map_err(&sq)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(&sq)
    }

    /// Which results are current: for each one the SHA-256 of its signed
    /// payload, the fingerprint of the key that signed it and its source
    /// (together they identify the exact stored file), by ISTAT code. Cheap:
    /// no file is read, so a caller can reuse what it verified before.
    pub fn current_index(&self) -> Result<Vec<CurrentKey>, CoordinatorError> {
        let sq = self.sq();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT payload_sha256, fingerprint, source FROM results WHERE current = 1
                 ORDER BY istat_code, kind, questionnaire_id",
            )
            .map_err(&sq)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(CurrentKey {
                    payload_sha256: r.get(0)?,
                    fingerprint: r.get(1)?,
                    source: r.get(2)?,
                })
            })
            .map_err(&sq)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(&sq)
    }

    /// The current results with these keys (see [`Self::current_index`]),
    /// each with the key it was found by; a key no longer current is left
    /// out.
    pub fn current_results_by_key(
        &self,
        keys: &[CurrentKey],
    ) -> Result<Vec<(CurrentKey, StoredResult)>, CoordinatorError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let sq = self.sq();
        // The keys are not indexed: one query per key scanned the whole
        // table each time (26 s for the first dashboard of 8,000 files).
        // One pass over the current rows finds their ids, then each file is
        // read by id.
        let wanted: std::collections::HashSet<&CurrentKey> = keys.iter().collect();
        let mut ids = std::collections::HashMap::with_capacity(keys.len());
        {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT id, payload_sha256, fingerprint, source FROM results WHERE current = 1",
                )
                .map_err(&sq)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        CurrentKey {
                            payload_sha256: r.get(1)?,
                            fingerprint: r.get(2)?,
                            source: r.get(3)?,
                        },
                    ))
                })
                .map_err(&sq)?;
            for row in rows {
                let (id, key) = row.map_err(&sq)?;
                if wanted.contains(&key) {
                    ids.insert(key, id);
                }
            }
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT source, file FROM results WHERE id = ?1")
            .map_err(&sq)?;
        let mut out = Vec::with_capacity(ids.len());
        for key in keys {
            let Some(id) = ids.get(key) else { continue };
            let found = stmt
                .query_row(params![id], |r| {
                    Ok(StoredResult {
                        source: r.get(0)?,
                        file: r.get(1)?,
                    })
                })
                .map_err(&sq)?;
            out.push((key.clone(), found));
        }
        Ok(out)
    }

    /// The current results as aggregation records, each verified again and
    /// its scores recomputed (nothing is taken from storage on trust).
    /// Results that no longer verify are returned apart, with the reason.
    pub fn current_records(
        &self,
        catalog: &Catalog,
        threads: usize,
    ) -> Result<(Vec<Record>, Vec<Unverifiable>), CoordinatorError> {
        let stored = self.current_results()?;
        let outcomes = exchange::parallel_map(&stored, threads, |r| {
            exchange::verify_bytes(&r.file, catalog, None)
                .map(|v| Record::from_verified(&v, &r.source))
                .map_err(|e| Unverifiable {
                    source: r.source.clone(),
                    kind: e.rejection_kind(),
                    reason: e.to_string(),
                })
        });
        let mut records = Vec::with_capacity(outcomes.len());
        let mut bad = Vec::new();
        for outcome in outcomes {
            match outcome {
                Ok(r) => records.push(r),
                Err(e) => bad.push(e),
            }
        }
        Ok((records, bad))
    }

    /// The keys on record, by ISTAT code.
    pub fn keys(&self) -> Result<Vec<KeyRecord>, CoordinatorError> {
        let sq = self.sq();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT k.istat_code, k.kind, k.fingerprint, k.recorded_at,
                        (SELECT r.organization FROM results r
                          WHERE r.istat_code = k.istat_code AND r.kind = k.kind
                            AND r.fingerprint = k.fingerprint
                          ORDER BY r.assessed_on DESC, r.exported_at_ms DESC LIMIT 1)
                   FROM keys k ORDER BY k.istat_code, k.kind",
            )
            .map_err(&sq)?;
        let rows = stmt
            .query_map([], |r| {
                let kind: String = r.get(1)?;
                Ok(KeyRecord {
                    istat_code: r.get(0)?,
                    kind: if kind == "polis_office" {
                        "polis_office"
                    } else {
                        "comune"
                    },
                    fingerprint: r.get(2)?,
                    recorded_at: r.get(3)?,
                    organization: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                })
            })
            .map_err(&sq)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(&sq)
    }

    /// Counts of keys, results and current results.
    pub fn counts(&self) -> Result<Counts, CoordinatorError> {
        let sq = self.sq();
        self.conn
            .query_row(
                "SELECT (SELECT count(*) FROM keys), (SELECT count(*) FROM results),
                        (SELECT count(*) FROM results WHERE current = 1)",
                [],
                |r| {
                    Ok(Counts {
                        keys: r.get(0)?,
                        results: r.get(1)?,
                        current: r.get(2)?,
                    })
                },
            )
            .map_err(sq)
    }

    /// A canonical text dump of the content (tests: "importing twice gives
    /// the same database").
    #[doc(hidden)]
    pub fn dump(&self) -> Result<String, CoordinatorError> {
        let sq = self.sq();
        let mut out = String::new();
        for sql in [
            "SELECT istat_code || '|' || kind || '|' || hex(public_key) || '|' || fingerprint || '|' || recorded_at FROM keys ORDER BY 1",
            "SELECT id || '|' || istat_code || '|' || kind || '|' || organization || '|' || questionnaire_id || '|' || questionnaire_version || '|' || assessment_id || '|' || assessed_on || '|' || exported_at_ms || '|' || fingerprint || '|' || payload_sha256 || '|' || hex(file) || '|' || source || '|' || imported_at || '|' || current FROM results ORDER BY id",
        ] {
            let mut stmt = self.conn.prepare(sql).map_err(&sq)?;
            let rows = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(&sq)?;
            for row in rows {
                out.push_str(&row.map_err(&sq)?);
                out.push('\n');
            }
        }
        Ok(out)
    }
}

/// A file to import, with the outcome of its verification.
#[derive(Debug)]
pub struct Incoming {
    /// Where it came from.
    pub source: String,
    /// Its bytes (stored verbatim when accepted).
    pub bytes: Vec<u8>,
    /// [`exchange::verify_bytes`] of those bytes.
    pub verified: Result<VerifiedResult, ResultError>,
}

/// The trust decisions of one import run.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// Keys the coordinator confirmed, each for one organization.
    pub accept: &'a BTreeSet<Acceptance>,
    /// Organizations (ISTAT code, kind) with no key on record that files of
    /// this run claim with two or more keys: none of their files is trusted
    /// unless its key is accepted.
    pub contested: &'a BTreeSet<(String, Audience)>,
}

fn held_back(mut report: FileReport, message: String, kind: &'static str) -> (FileReport, bool) {
    report.outcome = Outcome::HeldBack;
    report.message = Some(message);
    report.kind = Some(kind);
    (report, false)
}

/// Import one file on `tx` (inside a savepoint); returns the report and
/// whether anything was written.
fn import_one(
    tx: &Connection,
    source: &str,
    bytes: &[u8],
    verified: Result<VerifiedResult, ResultError>,
    rules: &Rules<'_>,
    now: DateTime<Utc>,
) -> rusqlite::Result<(FileReport, bool)> {
    let v = match verified {
        Ok(v) => v,
        Err(e) => {
            let report = FileReport {
                source: source.into(),
                outcome: Outcome::Rejected,
                organization: None,
                istat_code: None,
                organization_kind: None,
                message: Some(e.to_string()),
                kind: Some(e.kind()),
                signer: None,
                expected_signer: None,
            };
            return Ok((report, false));
        }
    };
    let org = &v.payload.organization;
    let p = &v.payload;
    let audience = v.questionnaire.questionnaire.audience;
    let kind = kind_id(audience);
    let mut report = FileReport {
        source: source.into(),
        outcome: Outcome::Unchanged,
        organization: Some(org.name.clone()),
        istat_code: Some(org.istat_code.clone()),
        organization_kind: Some(audience),
        message: (!v.warnings.is_empty()).then(|| v.warnings.join("; ")),
        kind: None,
        signer: Some(v.fingerprint.clone()),
        expected_signer: None,
    };
    let now_text = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let accepted = rules
        .accept
        .iter()
        .any(|a| a.covers(&org.istat_code, audience, &v.fingerprint));

    // The current result before this file, for the report.
    let previous_current: Option<i64> = tx
        .query_row(
            "SELECT id FROM results
              WHERE istat_code = ?1 AND kind = ?2 AND questionnaire_id = ?3 AND current = 1",
            params![org.istat_code, kind, p.questionnaire.id],
            |r| r.get(0),
        )
        .optional()?;

    // Trust on first use, per organization.
    let known: Option<Vec<u8>> = tx
        .query_row(
            "SELECT public_key FROM keys WHERE istat_code = ?1 AND kind = ?2",
            params![org.istat_code, kind],
            |r| r.get(0),
        )
        .optional()?;
    let mut changed = false;
    match known {
        Some(k) if k == v.public_key => {}
        None if accepted
            || !rules
                .contested
                .contains(&(org.istat_code.clone(), audience)) =>
        {
            tx.execute(
                "INSERT INTO keys (istat_code, kind, public_key, fingerprint, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    org.istat_code,
                    kind,
                    &v.public_key[..],
                    v.fingerprint,
                    now_text
                ],
            )?;
            changed = true;
        }
        None => {
            let message = format!(
                "no key is on record for {} ({}, {kind}) and the files of this import are signed by more than one key, so none is trusted; confirm the right fingerprint with the comune, then accept it with --accept-key {}",
                org.name,
                org.istat_code,
                Acceptance::new(&org.istat_code, audience, &v.fingerprint)
                    .map(|a| a.to_string())
                    .unwrap_or_default()
            );
            return Ok(held_back(
                report,
                message,
                crate::exchange::RejectionKind::ContestedKey.id(),
            ));
        }
        Some(_) if accepted => {
            tx.execute(
                "UPDATE keys SET public_key = ?3, fingerprint = ?4, recorded_at = ?5
                  WHERE istat_code = ?1 AND kind = ?2",
                params![
                    org.istat_code,
                    kind,
                    &v.public_key[..],
                    v.fingerprint,
                    now_text
                ],
            )?;
            // The replaced key's results leave the figures (kept in history).
            let questionnaires: Vec<String> = {
                let mut stmt = tx.prepare(
                    "SELECT DISTINCT questionnaire_id FROM results WHERE istat_code = ?1 AND kind = ?2",
                )?;
                let rows = stmt.query_map(params![org.istat_code, kind], |r| r.get(0))?;
                rows.collect::<Result<_, _>>()?
            };
            for q in questionnaires {
                refresh_current(tx, &org.istat_code, kind, &q)?;
            }
            changed = true;
        }
        Some(k) => {
            let expected = fingerprint_bytes(&k);
            let e = ResultError::OtherKey {
                found: v.fingerprint.clone(),
                expected: expected.clone(),
            };
            report.expected_signer = Some(expected);
            // Nothing written: the savepoint is rolled back.
            return Ok(held_back(report, e.to_string(), e.kind()));
        }
    }

    let exported_ms = p.exported_at.timestamp_millis();
    let existing: Option<(i64, String, i64, String)> = tx
        .query_row(
            "SELECT id, payload_sha256, exported_at_ms, fingerprint FROM results
              WHERE istat_code = ?1 AND kind = ?2 AND questionnaire_id = ?3 AND assessment_id = ?4",
            params![org.istat_code, kind, p.questionnaire.id, p.assessment_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let row_id = match existing {
        Some((_, sha, _, fpr)) if sha == v.payload_sha256 && fpr == v.fingerprint => None,
        // An older export of it, unless the stored one was signed by a
        // replaced key: the key on record's copy wins.
        Some((_, _, ms, fpr)) if ms >= exported_ms && fpr == v.fingerprint => None,
        Some((id, ..)) => {
            tx.execute(
                "UPDATE results SET organization = ?2, questionnaire_version = ?3,
                    assessed_on = ?4, exported_at_ms = ?5, fingerprint = ?6, payload_sha256 = ?7,
                    file = ?8, source = ?9, imported_at = ?10, current = 0
                  WHERE id = ?1",
                params![
                    id,
                    org.name,
                    p.questionnaire.version,
                    p.assessed_on.to_string(),
                    exported_ms,
                    v.fingerprint,
                    v.payload_sha256,
                    bytes,
                    source,
                    now_text
                ],
            )?;
            report.outcome = Outcome::Updated;
            Some(id)
        }
        None => {
            tx.execute(
                "INSERT INTO results (istat_code, kind, organization, questionnaire_id,
                    questionnaire_version, assessment_id, assessed_on, exported_at_ms,
                    fingerprint, payload_sha256, file, source, imported_at, current)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0)",
                params![
                    org.istat_code,
                    kind,
                    org.name,
                    p.questionnaire.id,
                    p.questionnaire.version,
                    p.assessment_id,
                    p.assessed_on.to_string(),
                    exported_ms,
                    v.fingerprint,
                    v.payload_sha256,
                    bytes,
                    source,
                    now_text
                ],
            )?;
            Some(tx.last_insert_rowid())
        }
    };
    if let Some(id) = row_id {
        let current = refresh_current(tx, &org.istat_code, kind, &p.questionnaire.id)?;
        if report.outcome != Outcome::Updated {
            report.outcome = match previous_current {
                None => Outcome::New,
                Some(_) if current == Some(id) => Outcome::Replaced,
                Some(_) => Outcome::History,
            };
        }
        changed = true;
    }
    Ok((report, changed))
}

/// Mark the current result of one organization, kind and questionnaire:
/// the newest (assessment date, export time, assessment id) among those
/// signed by the key on record. Returns its row id (none when no result of
/// that key is stored).
fn refresh_current(
    tx: &Connection,
    istat_code: &str,
    kind: &str,
    questionnaire_id: &str,
) -> rusqlite::Result<Option<i64>> {
    tx.execute(
        "UPDATE results SET current = 0
          WHERE istat_code = ?1 AND kind = ?2 AND questionnaire_id = ?3 AND current = 1",
        params![istat_code, kind, questionnaire_id],
    )?;
    let current: Option<i64> = tx
        .query_row(
            "SELECT r.id FROM results r
               JOIN keys k ON k.istat_code = r.istat_code AND k.kind = r.kind
                          AND k.fingerprint = r.fingerprint
              WHERE r.istat_code = ?1 AND r.kind = ?2 AND r.questionnaire_id = ?3
              ORDER BY r.assessed_on DESC, r.exported_at_ms DESC, r.assessment_id DESC
              LIMIT 1",
            params![istat_code, kind, questionnaire_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = current {
        tx.execute("UPDATE results SET current = 1 WHERE id = ?1", [id])?;
    }
    Ok(current)
}

/// Upper-case hex digits only, for comparing fingerprints however typed.
pub fn normalize(fingerprint: &str) -> String {
    fingerprint
        .chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}
