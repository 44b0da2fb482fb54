//! Looking at a database file before touching it, and creating files with
//! private permissions.
//!
//! [`inspect`] decides whether a file is a Sentinella database without ever
//! writing to it: first the raw 100-byte header (no SQLite involved), then a
//! read-only SQLite connection for the application id, the schema version
//! and a structural check. Only when it says yes does the store open the
//! file for writing, switch it to WAL or migrate it.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::schema::{APPLICATION_ID, LATEST_VERSION};
use super::StoreError;

/// The 16 bytes every SQLite 3 database file starts with.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What a path holds, as far as the store is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileState {
    /// Nothing there.
    Missing,
    /// An empty file, or an SQLite database with no schema and no
    /// application id (a creation interrupted before its first commit):
    /// safe to initialize, there is nothing to lose.
    Uninitialized,
    /// A Sentinella database with this schema version (≤ the latest).
    Sentinella {
        /// `PRAGMA user_version`.
        version: i64,
    },
}

/// How thoroughly [`inspect`] checks the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// Header, application id, version and `PRAGMA quick_check`.
    Quick,
    /// Like `Quick` but with the full `PRAGMA integrity_check`.
    Full,
}

/// The application id in the raw header (offset 68, big-endian), if the file
/// starts with the SQLite magic. Does not involve SQLite.
pub(crate) fn raw_application_id(path: &Path) -> Option<u32> {
    let mut header = [0_u8; 100];
    let mut f = File::open(path).ok()?;
    f.read_exact(&mut header).ok()?;
    if &header[..16] != SQLITE_MAGIC {
        return None;
    }
    Some(u32::from_be_bytes([
        header[68], header[69], header[70], header[71],
    ]))
}

/// Decide what `path` holds without modifying it. Errors for anything that
/// is not a usable Sentinella database of this or an older schema version.
pub(crate) fn inspect(path: &Path, check: Check) -> Result<FileState, StoreError> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileState::Missing),
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                action: "cannot read the database file",
                source,
            })
        }
    };
    if !meta.is_file() {
        return Err(StoreError::NotSqlite {
            path: path.to_path_buf(),
        });
    }
    if meta.len() == 0 {
        return Ok(FileState::Uninitialized);
    }
    let mut header = [0_u8; 100];
    let read = File::open(path).and_then(|mut f| f.read_exact(&mut header));
    match read {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            return Err(StoreError::NotSqlite {
                path: path.to_path_buf(),
            })
        }
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                action: "cannot read the database file",
                source,
            })
        }
    }
    if &header[..16] != SQLITE_MAGIC {
        return Err(StoreError::NotSqlite {
            path: path.to_path_buf(),
        });
    }

    let sq = |e| StoreError::sqlite_at(path, e);
    let conn = open_read_only(path).map_err(sq)?;
    let app_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(sq)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sq)?;
    let objects: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(sq)?;
    // The pragma returns a signed 32-bit value; keep its bit pattern.
    let app_id = app_id as i32 as u32;
    if app_id == 0 && version == 0 && objects == 0 {
        return Ok(FileState::Uninitialized);
    }
    if app_id != APPLICATION_ID {
        return Err(StoreError::NotSentinella {
            path: path.to_path_buf(),
            application_id: app_id,
        });
    }
    if version > LATEST_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: LATEST_VERSION,
        });
    }
    let problems = integrity(&conn, check).map_err(sq)?;
    if !problems.is_empty() {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: summarize(&problems),
        });
    }
    Ok(FileState::Sentinella { version })
}

/// Open a database file for reading without creating or changing anything
/// beside it.
///
/// A plain read-only SQLite connection to a WAL database creates `-wal` and
/// `-shm` files. When no `-wal` file exists, no connection has the database
/// open and every committed transaction is in the main file, so it is opened
/// with `immutable=1`: no companion files, no locks. When a `-wal` exists (a
/// writer is active, or one crashed with commits not yet checkpointed) the
/// normal read-only connection is used, which reads those commits.
pub(crate) fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = if Path::new(&wal).exists() {
        Connection::open_with_flags(path, flags)?
    } else {
        Connection::open_with_flags(
            format!("{}?immutable=1", file_uri(path)),
            flags | OpenFlags::SQLITE_OPEN_URI,
        )?
    };
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// `file:` URI of a path, percent-encoding everything but unreserved
/// characters and `/`.
fn file_uri(path: &Path) -> String {
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().replace('\\', "/").into_bytes();
    let mut uri = String::from("file:");
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"/._~-".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// The problems `PRAGMA quick_check` / `integrity_check` report (empty when
/// the database is sound).
pub(crate) fn integrity(conn: &Connection, check: Check) -> rusqlite::Result<Vec<String>> {
    let sql = match check {
        Check::Quick => "PRAGMA quick_check",
        Check::Full => "PRAGMA integrity_check",
    };
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut problems = Vec::new();
    for row in rows {
        let line = row?;
        if line != "ok" {
            problems.push(line);
        }
    }
    Ok(problems)
}

/// First few problems, one line.
pub(crate) fn summarize(problems: &[String]) -> String {
    let mut s = problems
        .iter()
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if problems.len() > 3 {
        s.push_str(&format!("; and {} more", problems.len() - 3));
    }
    s
}

/// Create a new, empty file readable and writable by its owner only (0600 on
/// Unix). Fails if it exists.
pub(crate) fn create_private_file(path: &Path) -> Result<File, StoreError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        action: "cannot create the file",
        source,
    })
}

/// Create a directory (and parents) accessible by its owner only (0700 on
/// Unix) if it does not exist.
pub(crate) fn create_private_dir(path: &Path) -> Result<(), StoreError> {
    if path.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        action: "cannot create the directory",
        source,
    })
}

/// Flush a directory entry to disk (after a rename); a no-op where the
/// platform cannot open directories.
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
