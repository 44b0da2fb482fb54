//! The SQLite store: assessments answered over several sittings, kept safe.
//!
//! One database file holds organizations, their assessments, the answers and
//! the context answers (schema in [`schema`]). The store is a layer around the
//! pure domain: it hands out [`AnswerSheet`](crate::model::AnswerSheet)s and
//! scores them with [`crate::scoring`].
//!
//! Durability and safety rules:
//! - Connection pragmas: `journal_mode=WAL`, `synchronous=FULL`,
//!   `foreign_keys=ON`; `PRAGMA application_id` is
//!   [`APPLICATION_ID`] (`SNTL`); `PRAGMA user_version` is the schema version,
//!   managed by the migrations.
//! - Every write runs in an `IMMEDIATE` transaction; a save function returns
//!   only after its commit reached the disk (WAL + synchronous=FULL fsyncs the
//!   WAL on every commit), so "Salvato" is true when the app says it.
//! - Opening never modifies a file that is not a Sentinella database, is
//!   damaged, or was written by a newer version: the file is first inspected
//!   through its raw header and a read-only connection, before WAL is set or
//!   any migration runs.
//! - An older database is backed up, then migrated. A backup is also taken
//!   once a day on open (see [`backup`]); the newest seven are kept. Every
//!   open first runs `PRAGMA quick_check`, so a damaged database is never
//!   written to nor backed up over good backups (`sentinella db check` runs
//!   the full `integrity_check`). Damage that appears while the database is
//!   open is reported as [`StoreError::Damaged`].
//! - On Unix the database, its `-wal`/`-shm` companions and the backups are
//!   created with mode 0600 (SQLite gives the companions the mode of the
//!   database file).
//!
//! API at a glance (the desktop app keeps one [`Store`] behind a mutex):
//! - [`Store::open`] / [`Store::open_existing`] / [`Store::open_with_report`];
//!   [`check`] (read-only), [`restore`], [`Store::backup_now`],
//!   [`list_backups`], [`Store::checkpoint`] (call when idle).
//! - [`Store::create_assessment`], [`Store::save_answer`],
//!   [`Store::save_context_answer`], [`Store::clear_answer`],
//!   [`Store::set_last_position`] (resume where the user left off),
//!   [`Store::complete`], [`Store::reopen`], [`Store::delete_assessment`].
//! - [`Store::load_assessment`] (an [`AnswerSheet`](crate::model::AnswerSheet)
//!   plus metadata), [`Store::list_assessments`] (with scores),
//!   [`Store::history`] and [`Store::previous_completed`] (for comparisons),
//!   [`Store::organizations`].
//! - [`Store::import_answers`] / [`Store::export_answers`]: the
//!   `sentinella-answers/1` JSON.
//! - [`format_italian`] shows a stored UTC timestamp in Italian local time.

mod api;
pub mod backup;
mod error;
pub mod file;
mod incident;
mod pack;
pub mod schema;
pub mod time;
pub mod workshop;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use api::{
    AssessmentInfo, ListedAssessment, NewAssessment, SavedAnswer, ScoreSummary, Status,
    StoredAssessment,
};
pub use backup::{backup_dir, list_backups, BackupInfo, KEEP_BACKUPS};
pub use error::StoreError;
pub use incident::IncidentSummary;
pub use pack::{PackApply, PackState};
pub use schema::{APPLICATION_ID, LATEST_VERSION};
pub use time::{format_italian, italian_time};

use file::{Check, FileState};

/// Row id of an assessment.
pub type AssessmentId = i64;

/// How long a write waits for another process holding the write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// WAL pages after which a commit also checkpoints (SQLite's default is
/// 1,000, about every 300 saves). A checkpoint costs two more fsyncs on the
/// save that triggers it; with 4,000 pages (16 MB of WAL at most) it
/// happens about every 1,300 saves, and the app can move it off the typing
/// path altogether by calling [`Store::checkpoint`] when idle. Closing the
/// last connection checkpoints too.
const WAL_AUTOCHECKPOINT_PAGES: u32 = 4000;

/// An open Sentinella database.
///
/// Not `Sync`: the desktop app keeps it behind a mutex. Several processes may
/// open the same file; SQLite serializes their writes.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// What [`Store::open`] did besides opening.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenReport {
    /// The database file was created.
    pub created: bool,
    /// Schema version before migrating (`None` when nothing was migrated).
    pub migrated_from: Option<i64>,
    /// Backup taken while opening (before a migration, or the daily one).
    pub backup: Option<PathBuf>,
}

/// The result of [`check`]: a read-only examination of a database file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// Schema version of the file.
    pub schema_version: i64,
    /// Schema version this build writes.
    pub latest_version: i64,
    /// Problems reported by `PRAGMA integrity_check` and
    /// `PRAGMA foreign_key_check` (empty when sound).
    pub problems: Vec<String>,
    /// Number of organizations.
    pub organizations: i64,
    /// Number of assessments.
    pub assessments: i64,
    /// Number of answers.
    pub answers: i64,
    /// The backups beside it, oldest first.
    pub backups: Vec<BackupInfo>,
}

impl Store {
    /// Open a database, creating it if the file does not exist.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Self::open_with_report(path, true).map(|(s, _)| s)
    }

    /// Open an existing database; [`StoreError::NotFound`] if there is none.
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        Self::open_with_report(path, false).map(|(s, _)| s)
    }

    /// Open (creating the file when `create` is true) and tell what was done.
    pub fn open_with_report(path: &Path, create: bool) -> Result<(Store, OpenReport), StoreError> {
        Self::open_at(path, create, Utc::now())
    }

    /// [`Store::open_with_report`] with an explicit clock, for tests of the
    /// daily backup.
    #[doc(hidden)]
    pub fn open_at(
        path: &Path,
        create: bool,
        now: DateTime<Utc>,
    ) -> Result<(Store, OpenReport), StoreError> {
        let mut report = OpenReport::default();
        // 1. Decide what the file is without writing to it, including
        //    `PRAGMA quick_check` (10-20 ms for 1,000 assessments): a
        //    damaged database is never written to, nor backed up over good
        //    backups.
        let daily_due = backup::daily_due(path, now)?;
        let mut state = file::inspect(path, Check::Quick)?;
        if state == FileState::Missing {
            if !create {
                return Err(StoreError::NotFound {
                    path: path.to_path_buf(),
                });
            }
            drop(file::create_private_file(path)?);
            file::sync_dir(parent_dir(path));
            report.created = true;
            state = FileState::Uninitialized;
        }
        // 2. Only now open for writing and set the pragmas.
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::sqlite_at(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure()?;
        // 3. Migrate (after a backup) or take the daily backup.
        match state {
            FileState::Uninitialized => store.migrate()?,
            FileState::Sentinella { version } if version < LATEST_VERSION => {
                report.backup = Some(backup::write_backup(
                    &store.conn,
                    path,
                    &format!("pre-migration-v{version}"),
                    now,
                )?);
                store.migrate()?;
                report.migrated_from = Some(version);
            }
            FileState::Sentinella { .. } | FileState::Missing => {
                if daily_due && store.has_assessments()? {
                    report.backup = Some(backup::write_backup(&store.conn, path, "daily", now)?);
                }
            }
        }
        Ok((store, report))
    }

    fn configure(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sq = |e| StoreError::sqlite_at(&path, e);
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(sq)?;
        self.conn
            .set_transaction_behavior(TransactionBehavior::Immediate);
        self.conn
            .execute_batch(&format!(
                "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;
                 PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES};"
            ))
            .map_err(sq)?;
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(sq)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Migration(format!(
                "cannot switch the database to WAL mode (journal mode is {mode})"
            )));
        }
        Ok(())
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        schema::migrations()
            .to_latest(&mut self.conn)
            .map_err(|e| StoreError::Migration(e.to_string()))
    }

    fn has_assessments(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM assessments)", [], |r| {
                r.get(0)
            })?)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// `PRAGMA integrity_check` and `foreign_key_check`: the problems found
    /// (empty when the database is sound).
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = file::integrity(&self.conn, Check::Full)?;
        problems.extend(foreign_key_problems(&self.conn)?);
        Ok(problems)
    }

    /// Copy committed pages from the WAL into the database file without
    /// blocking anyone (`PRAGMA wal_checkpoint(PASSIVE)`). For the app to
    /// call when idle, so saves rarely pay for a checkpoint. Durability does
    /// not depend on it: a commit is durable once in the WAL.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Take a backup now; returns its path.
    pub fn backup_now(&self) -> Result<PathBuf, StoreError> {
        backup::write_backup(&self.conn, &self.path, "manual", Utc::now())
    }

    /// The backups of this database, oldest first.
    pub fn backups(&self) -> Result<Vec<BackupInfo>, StoreError> {
        list_backups(&self.path)
    }

    /// Direct access to the connection for tests and benchmarks (pragmas,
    /// integrity checks). Not for writing.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

fn foreign_key_problems(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "foreign key violation in {} row {}",
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?.unwrap_or_default()
        ))
    })?;
    rows.collect()
}

/// Examine a database file without modifying it: schema version, full
/// integrity check, counts and backups. Used by `sentinella db check`.
pub fn check(path: &Path) -> Result<CheckReport, StoreError> {
    let version = match file::inspect(path, Check::Quick) {
        Ok(FileState::Sentinella { version }) => version,
        Ok(FileState::Missing) => {
            return Err(StoreError::NotFound {
                path: path.to_path_buf(),
            })
        }
        Ok(FileState::Uninitialized) => {
            return Err(StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: "the file is empty: it was never initialized".into(),
            })
        }
        Err(StoreError::Corrupt { .. }) => {
            // Report every problem rather than the summary.
            return check_damaged(path);
        }
        Err(e) => return Err(e),
    };
    let sq = |e| StoreError::sqlite_at(path, e);
    let conn = file::open_read_only(path).map_err(sq)?;
    let mut problems = file::integrity(&conn, Check::Full).map_err(sq)?;
    problems.extend(foreign_key_problems(&conn).map_err(sq)?);
    let count = |table: &str| -> Result<i64, StoreError> {
        // A version-1 database has every table counted here.
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .map_err(sq)
    };
    Ok(CheckReport {
        schema_version: version,
        latest_version: LATEST_VERSION,
        problems,
        organizations: count("organizations")?,
        assessments: count("assessments")?,
        answers: count("answers")?,
        backups: list_backups(path)?,
    })
}

fn check_damaged(path: &Path) -> Result<CheckReport, StoreError> {
    let sq = |e| StoreError::sqlite_at(path, e);
    let conn = file::open_read_only(path).map_err(sq)?;
    let problems = file::integrity(&conn, Check::Full).map_err(sq)?;
    Err(StoreError::Corrupt {
        path: path.to_path_buf(),
        detail: file::summarize(&problems),
    })
}

/// What [`restore`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RestoreReport {
    /// Backup of the database as it was before the restore, if it was sound.
    pub previous_backup: Option<PathBuf>,
    /// Where a damaged database was moved aside (never deleted).
    pub damaged_moved_to: Option<PathBuf>,
}

/// Replace the content of the database at `db` with the backup `from`.
///
/// The backup is checked first (a Sentinella database, not newer than this
/// build, passing `integrity_check`); otherwise nothing changes. A sound
/// current database is backed up (`pre-restore`) and then overwritten in one
/// transaction with the online backup API. A damaged one (Sentinella header,
/// failing checks) is renamed aside, never deleted. A file that is not a
/// Sentinella database is refused. An older backup is migrated afterwards.
pub fn restore(db: &Path, from: &Path) -> Result<RestoreReport, StoreError> {
    let invalid = |reason: StoreError| StoreError::InvalidBackup {
        path: from.to_path_buf(),
        reason: Box::new(reason),
    };
    match file::inspect(from, Check::Full) {
        Ok(FileState::Sentinella { .. }) => {}
        Ok(FileState::Missing) => {
            return Err(invalid(StoreError::NotFound {
                path: from.to_path_buf(),
            }))
        }
        Ok(FileState::Uninitialized) => {
            return Err(invalid(StoreError::Corrupt {
                path: from.to_path_buf(),
                detail: "the file is empty".into(),
            }))
        }
        Err(e) => return Err(invalid(e)),
    }
    if let (Ok(a), Ok(b)) = (from.canonicalize(), db.canonicalize()) {
        if a == b {
            return Err(invalid(StoreError::Invalid(vec![
                "the backup is the database itself".into(),
            ])));
        }
    }
    let src = file::open_read_only(from).map_err(|e| invalid(StoreError::sqlite_at(from, e)))?;

    let mut report = RestoreReport::default();
    match file::inspect(db, Check::Quick) {
        Ok(FileState::Sentinella { .. }) => {
            let (store, _) = Store::open_with_report(db, false)?;
            report.previous_backup = Some(backup::write_backup(
                &store.conn,
                db,
                "pre-restore",
                Utc::now(),
            )?);
            let Store { mut conn, .. } = store;
            backup::copy_database(&src, &mut conn).map_err(|e| StoreError::sqlite_at(db, e))?;
            conn.close().map_err(|(_, e)| StoreError::from(e))?;
        }
        Ok(FileState::Missing | FileState::Uninitialized) => restore_fresh(db, &src)?,
        Err(StoreError::Corrupt { .. }) if file::raw_application_id(db) == Some(APPLICATION_ID) => {
            report.damaged_moved_to = Some(move_aside(db)?);
            restore_fresh(db, &src)?;
        }
        Err(e) => return Err(e),
    }
    drop(src);
    // Migrate an older backup (with its own pre-migration backup) and verify.
    let _ = Store::open_with_report(db, false)?;
    Ok(report)
}

fn restore_fresh(db: &Path, src: &Connection) -> Result<(), StoreError> {
    if !db.exists() {
        drop(file::create_private_file(db)?);
    }
    let mut conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::sqlite_at(db, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
    conn.execute_batch("PRAGMA synchronous = FULL")?;
    backup::copy_database(src, &mut conn).map_err(|e| StoreError::sqlite_at(db, e))?;
    conn.close().map_err(|(_, e)| StoreError::from(e))?;
    Ok(())
}

/// Rename a damaged database and its `-wal`/`-shm` files aside.
fn move_aside(db: &Path) -> Result<PathBuf, StoreError> {
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let target = db.with_file_name(format!("{name}.damaged-{stamp}"));
    for suffix in ["-wal", "-shm"] {
        let side = db.with_file_name(format!("{name}{suffix}"));
        if side.exists() {
            let to = db.with_file_name(format!("{name}.damaged-{stamp}{suffix}"));
            std::fs::rename(&side, &to).map_err(|source| StoreError::Io {
                path: side.clone(),
                action: "cannot move the damaged database aside",
                source,
            })?;
        }
    }
    std::fs::rename(db, &target).map_err(|source| StoreError::Io {
        path: db.to_path_buf(),
        action: "cannot move the damaged database aside",
        source,
    })?;
    file::sync_dir(parent_dir(db));
    Ok(target)
}

/// The directory holding a file ("." for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Create a database at an older schema version (for migration tests).
#[doc(hidden)]
pub fn create_at_version(path: &Path, version: usize) -> Result<(), StoreError> {
    drop(file::create_private_file(path)?);
    let mut conn = Connection::open(path)?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
    schema::migrations()
        .to_version(&mut conn, version)
        .map_err(|e| StoreError::Migration(e.to_string()))?;
    Ok(())
}
