//! The file layer shared by the store, the coordinator database and every
//! output: looking at a database file before touching it, creating files
//! with private permissions, reading untrusted files with a hard cap
//! ([`read_regular_capped`]), writing outputs atomically ([`write_atomic`])
//! and telling whether two paths are the same file ([`same_file`]).
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
    inspect_as(path, check, APPLICATION_ID, LATEST_VERSION)
}

/// [`inspect`] for a database of another kind that shares this plumbing
/// (the workshop sessions file): its own application id and schema version.
pub(crate) fn inspect_as(
    path: &Path,
    check: Check,
    application_id: u32,
    latest_version: i64,
) -> Result<FileState, StoreError> {
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
    if app_id != application_id {
        return Err(StoreError::NotSentinella {
            path: path.to_path_buf(),
            application_id: app_id,
        });
    }
    if version > latest_version {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: latest_version,
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

/// Why [`read_regular_capped`] refused a file.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The operating system refused.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A directory, FIFO, device or socket.
    #[error("not a regular file ({0})")]
    NotRegular(&'static str),
    /// More than the cap.
    #[error("the file is too large ({size} bytes; at most {limit} bytes are read)")]
    TooLarge {
        /// Its size, or the bytes read before giving up.
        size: u64,
        /// The cap.
        limit: u64,
    },
}

fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// Read a whole regular file of at most `cap` bytes. A directory, FIFO,
/// device or socket is refused without reading (a FIFO is opened without
/// blocking, then refused); at most `cap + 1` bytes are ever read, whatever
/// the file's metadata claims.
pub fn read_regular_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(file_kind(&meta)));
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Swapped for a FIFO since the check above: opening must not block.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(file_kind(&meta)));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit: cap,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: cap,
        });
    }
    Ok(bytes)
}

/// Whether two paths name the same existing file (after resolving links:
/// same device and inode on Unix, same canonical path elsewhere).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// The first of `inputs` that is the same file as `output` (an output must
/// never overwrite what the command reads).
pub fn clashing_input<'a>(
    output: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Option<&'a Path> {
    inputs.into_iter().find(|input| same_file(output, input))
}

/// Write a file atomically: a new temporary file beside it (created
/// exclusively under an unpredictable name, so a planted link cannot
/// redirect the write), synced, then renamed over the target. A crash or a
/// failure (full disk) never leaves half a file, and the previous file stays
/// whole until the rename. A target that exists and is not a regular file
/// (directory, FIFO, device) is refused.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// [`write_atomic`] for content produced by a writer function (large CSV
/// files are streamed, never held in memory).
pub fn write_atomic_with<F>(path: &Path, write: F) -> std::io::Result<()>
where
    F: FnOnce(&mut std::io::BufWriter<File>) -> std::io::Result<()>,
{
    use std::io::Write as _;
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "{}: {}, not a regular file: refused as an output",
                    path.display(),
                    file_kind(&m)
                ),
            ))
        }
        _ => {}
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let (tmp, file) = create_temp(dir, &name)?;
    let result = (|| {
        let mut w = std::io::BufWriter::new(file);
        write(&mut w)?;
        w.flush()?;
        w.get_ref().sync_all()?;
        drop(w);
        std::fs::rename(&tmp, path)?;
        sync_dir(dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A new file `.<name>.<16 random hex digits>.tmp` in `dir`, created
/// exclusively (`O_EXCL`: never through an existing name or link).
fn create_temp(dir: &Path, name: &str) -> std::io::Result<(std::path::PathBuf, File)> {
    let mut last = None;
    for _ in 0..8 {
        let mut random = [0_u8; 8];
        getrandom::fill(&mut random).map_err(|e| std::io::Error::other(e.to_string()))?;
        let suffix: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let tmp = dir.join(format!(".{name}.{suffix}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("cannot create a temporary file")))
}
