//! Verify result files: signature, format, questionnaire, answers; the
//! scores are recomputed.

use std::path::{Path, PathBuf};

use crate::exchange::{self, ResultError, VerifiedResult};
use crate::ids::Fingerprint;
use crate::load::{Catalog, LoadError};

/// The threads to verify with: one per core.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The files named by the user: files as given, directories expanded to
/// their `*.json` files (not recursive, sorted).
#[derive(Debug, Clone, Default)]
pub struct ResultFiles {
    /// The files.
    pub files: Vec<PathBuf>,
    /// Directories without any `*.json` file (worth a warning).
    pub empty_dirs: Vec<PathBuf>,
}

/// The result files of a directory: `*.json`, and `*.p7m` and `*.eml`
/// (result files received by PEC, see [`crate::exchange::wrapped`]),
/// sorted by name.
pub fn result_files_in(dir: &std::path::Path) -> Result<Vec<PathBuf>, LoadError> {
    let io = |source| LoadError::Io {
        file: dir.display().to_string(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let wanted = path.extension().is_some_and(|e| {
            ["json", "p7m", "eml"]
                .iter()
                .any(|w| e.eq_ignore_ascii_case(w))
        });
        if wanted && !path.is_dir() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Expand `paths` into result files.
pub fn result_files(paths: &[PathBuf]) -> Result<ResultFiles, LoadError> {
    let mut out = ResultFiles::default();
    for path in paths {
        if path.is_dir() {
            let found = result_files_in(path)?;
            if found.is_empty() {
                out.empty_dirs.push(path.clone());
            }
            out.files.extend(found);
        } else {
            out.files.push(path.clone());
        }
    }
    Ok(out)
}

/// Verify one file's outcome against the signer the user requires.
fn require_signer(
    outcome: Result<VerifiedResult, ResultError>,
    wanted: Option<&Fingerprint>,
) -> Result<VerifiedResult, ResultError> {
    let v = outcome?;
    match wanted {
        Some(k) if !k.matches(&v.fingerprint) => Err(ResultError::OtherKey {
            found: v.fingerprint.clone(),
            expected: k.to_string(),
        }),
        _ => Ok(v),
    }
}

/// Verify `files` in parallel, each mapped through `map` as soon as it is
/// known (only the mapped values stay in memory); with `signer`, a file
/// signed by another key is refused. In the order of `files`.
pub fn verify_files<T, F>(
    files: &[PathBuf],
    catalog: &Catalog,
    signer: Option<&Fingerprint>,
    map: F,
) -> Vec<T>
where
    T: Send,
    F: Fn(&Path, Result<VerifiedResult, ResultError>) -> T + Sync,
{
    exchange::verify_each(files, catalog, threads(), |path, outcome| {
        map(path, require_signer(outcome, signer))
    })
}
