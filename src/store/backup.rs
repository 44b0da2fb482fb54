//! Backups with SQLite's online backup API.
//!
//! Backups live in a directory beside the database, `<db file name>.backups`,
//! named `backup-<UTC timestamp>-<reason>.sqlite3` so that name order is time
//! order. One is taken before every migration, once a day when the database
//! is opened, before a restore and on request; only the newest
//! [`KEEP_BACKUPS`] are kept. Each backup is a self-contained database file
//! (rollback-journal mode, no `-wal` beside it), written under a temporary
//! name, flushed and then renamed, so a crash never leaves a half backup.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::file::{create_private_dir, create_private_file, sync_dir};
use super::StoreError;

/// How many backups are kept.
pub const KEEP_BACKUPS: usize = 7;

const PREFIX: &str = "backup-";
const SUFFIX: &str = ".sqlite3";
const STAMP: &str = "%Y%m%dT%H%M%S%3fZ";

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// Where it is.
    pub path: PathBuf,
    /// When it was taken.
    pub taken_at: DateTime<Utc>,
    /// Why: `daily`, `manual`, `pre-migration-v1`, `pre-restore`.
    pub reason: String,
}

/// The backup directory of a database file.
pub fn backup_dir(db: &Path) -> PathBuf {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sentinella".into());
    db.with_file_name(format!("{name}.backups"))
}

/// The backups of a database, oldest first.
pub fn list_backups(db: &Path) -> Result<Vec<BackupInfo>, StoreError> {
    let dir = backup_dir(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(StoreError::Io {
                path: dir,
                action: "cannot read the backup directory",
                source,
            })
        }
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(info) = parse_name(&name) {
            out.push(BackupInfo {
                path: entry.path(),
                ..info
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn parse_name(name: &str) -> Option<BackupInfo> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (stamp, reason) = rest.split_once('-')?;
    let taken_at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
    Some(BackupInfo {
        path: PathBuf::from(name),
        taken_at,
        reason: reason.to_string(),
    })
}

/// Whether no backup was taken today (UTC).
pub(crate) fn daily_due(db: &Path, now: DateTime<Utc>) -> Result<bool, StoreError> {
    Ok(list_backups(db)?
        .last()
        .is_none_or(|b| b.taken_at.date_naive() < now.date_naive()))
}

/// Copy the whole of `src` into `dst` with the online backup API.
pub(crate) fn copy_database(src: &Connection, dst: &mut Connection) -> rusqlite::Result<()> {
    let backup = Backup::new(src, dst)?;
    let mut busy = 0;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked => {
                busy += 1;
                if busy > 50 {
                    return Err(rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                        Some("the database stayed busy during the backup".into()),
                    ));
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            // StepResult is non-exhaustive.
            _ => {}
        }
    }
}

/// Write a backup of the database behind `conn` (whose file is `db`), then
/// prune old ones. Returns the new backup's path.
pub(crate) fn write_backup(
    conn: &Connection,
    db: &Path,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<PathBuf, StoreError> {
    let dir = backup_dir(db);
    create_private_dir(&dir)?;
    let mut stamp = now.format(STAMP).to_string();
    let mut path = dir.join(format!("{PREFIX}{stamp}-{reason}{SUFFIX}"));
    // Two backups in the same millisecond: bump the timestamp.
    let mut bump = now;
    while path.exists() {
        bump += chrono::Duration::milliseconds(1);
        stamp = bump.format(STAMP).to_string();
        path = dir.join(format!("{PREFIX}{stamp}-{reason}{SUFFIX}"));
    }
    let partial = dir.join(format!(".{PREFIX}{stamp}-{reason}{SUFFIX}.partial"));
    let _ = std::fs::remove_file(&partial);
    drop(create_private_file(&partial)?);
    let result = (|| -> Result<(), StoreError> {
        let mut dst = Connection::open_with_flags(
            &partial,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        copy_database(conn, &mut dst)?;
        // A backup is one self-contained file.
        let _mode: String = dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        dst.close().map_err(|(_, e)| e)?;
        // Opened for writing: on Windows, flushing (FlushFileBuffers) a
        // handle opened read-only fails with "Access denied".
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(&partial)
            .map_err(|source| StoreError::Io {
                path: partial.clone(),
                action: "cannot flush the backup",
                source,
            })?;
        f.sync_all().map_err(|source| StoreError::Io {
            path: partial.clone(),
            action: "cannot flush the backup",
            source,
        })?;
        std::fs::rename(&partial, &path).map_err(|source| StoreError::Io {
            path: path.clone(),
            action: "cannot name the backup",
            source,
        })?;
        sync_dir(&dir);
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    prune(db)?;
    Ok(path)
}

/// Delete all but the newest [`KEEP_BACKUPS`] backups, and any partial
/// backup left by a process killed while writing one.
fn prune(db: &Path) -> Result<(), StoreError> {
    if let Ok(entries) = std::fs::read_dir(backup_dir(db)) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // Old enough not to belong to a backup being written right now
            // by another process.
            let stale = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(600));
            if stale && name.starts_with(&format!(".{PREFIX}")) && name.ends_with(".partial") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let backups = list_backups(db)?;
    let excess = backups.len().saturating_sub(KEEP_BACKUPS);
    for old in &backups[..excess] {
        std::fs::remove_file(&old.path).map_err(|source| StoreError::Io {
            path: old.path.clone(),
            action: "cannot delete an old backup",
            source,
        })?;
    }
    Ok(())
}
