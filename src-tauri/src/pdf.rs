//! "Genera piano PDF": render the plan, ask where to save it with the
//! native dialog, write the file from Rust.
//!
//! The PDF renderer lives in the core library (branch `pdf`); until it is
//! merged, [`render`] returns a clear "not available yet" error and no file
//! is ever written.

use std::io::Write;
use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use sentinella::load::Catalog;
use sentinella::store::Store;

use crate::error::{AppError, AppResult};

/// Whether this build can produce the plan PDF.
pub const AVAILABLE: bool = false;

/// For the end-to-end tests only: when set, the save dialog is skipped and
/// the PDF is written to this path (a native GTK dialog cannot be driven
/// through WebDriver).
pub const SAVE_PATH_ENV: &str = "SENTINELLA_E2E_PDF_PATH";

/// The PDF bytes and a suggested file name.
pub fn render(_store: &Store, _catalog: &Catalog, _id: i64) -> AppResult<(Vec<u8>, String)> {
    Err(AppError::new(
        "La generazione del piano PDF non è ancora disponibile in questa versione di Sentinella.",
    ))
}

/// Ask the user where to save (native dialog). `None` when cancelled.
pub fn choose_path<R: Runtime>(app: &AppHandle<R>, suggested: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(SAVE_PATH_ENV) {
        return Some(PathBuf::from(p));
    }
    let chosen = app
        .dialog()
        .file()
        .set_title("Salva il piano PDF")
        .set_file_name(suggested)
        .add_filter("Documento PDF", &["pdf"])
        .blocking_save_file()?;
    let mut path = chosen.into_path().ok()?;
    if path.extension().is_none() {
        path.set_extension("pdf");
    }
    Some(path)
}

/// Write the file: to a temporary file beside it, then renamed, so a crash
/// never leaves half a PDF under the chosen name.
pub fn write(path: &Path, bytes: &[u8]) -> AppResult<()> {
    let fail = |e: std::io::Error| {
        eprintln!("sentinella-app: cannot write {}: {e}", path.display());
        AppError::new(format!(
            "Non riesco a salvare il file {}. Scegli un'altra cartella.",
            path.display()
        ))
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("piano.pdf")
    ));
    let mut f = std::fs::File::create(&tmp).map_err(fail)?;
    f.write_all(bytes).map_err(fail)?;
    f.sync_all().map_err(fail)?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}
