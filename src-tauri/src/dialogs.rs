//! The native file dialogs, opened from Rust (the page has no dialog or file
//! permission of its own), with a bypass for the end-to-end tests: a GTK
//! dialog cannot be driven through WebDriver.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::error::{AppError, AppResult};

/// For the end-to-end tests only: save dialogs are skipped and files are
/// written into this directory under their suggested names.
pub const E2E_SAVE_DIR_ENV: &str = "SENTINELLA_E2E_SAVE_DIR";
/// For the end-to-end tests only: the folder picker is skipped and returns
/// this folder.
pub const E2E_PICK_DIR_ENV: &str = "SENTINELLA_E2E_PICK_DIR";

/// What kind of file a save dialog offers.
#[derive(Debug, Clone, Copy)]
pub struct FileKind {
    /// Filter name shown in the dialog ("Documento PDF").
    pub label: &'static str,
    /// Extension without the dot ("pdf").
    pub extension: &'static str,
}

pub const PDF: FileKind = FileKind {
    label: "Documento PDF",
    extension: "pdf",
};
pub const JSON: FileKind = FileKind {
    label: "File di risultati di Sentinella",
    extension: "json",
};
pub const CSV: FileKind = FileKind {
    label: "Tabella CSV",
    extension: "csv",
};

/// Ask where to save. `None` when the user closed the dialog.
fn save_path<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    suggested: &str,
    kind: FileKind,
) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(E2E_SAVE_DIR_ENV) {
        return Some(PathBuf::from(dir).join(suggested));
    }
    let chosen = app
        .dialog()
        .file()
        .set_title(title)
        .set_file_name(suggested)
        .add_filter(kind.label, &[kind.extension])
        .blocking_save_file()?;
    let mut path = chosen.into_path().ok()?;
    if path.extension().is_none() {
        path.set_extension(kind.extension);
    }
    Some(path)
}

/// Ask where to save `bytes` and write them there (atomically). `None`
/// when the user closed the dialog: nothing is written.
pub fn save_file<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    suggested: &str,
    kind: FileKind,
    bytes: &[u8],
) -> AppResult<Option<PathBuf>> {
    let Some(path) = save_path(app, title, suggested, kind) else {
        return Ok(None);
    };
    refuse_own_databases(app, &path)?;
    write_file(&path, bytes)?;
    Ok(Some(path))
}

/// Ask for a folder. `None` when the user closed the dialog.
pub fn pick_folder<R: Runtime>(app: &AppHandle<R>, title: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(E2E_PICK_DIR_ENV) {
        return Some(PathBuf::from(dir));
    }
    app.dialog()
        .file()
        .set_title(title)
        .blocking_pick_folder()?
        .into_path()
        .ok()
}

/// Ask for one or more result files. `None` when the user closed the dialog.
pub fn pick_result_files<R: Runtime>(app: &AppHandle<R>, title: &str) -> Option<Vec<PathBuf>> {
    if let Some(dir) = std::env::var_os(E2E_PICK_DIR_ENV) {
        return sentinella::load::json_files(&PathBuf::from(dir)).ok();
    }
    let files = app
        .dialog()
        .file()
        .set_title(title)
        .add_filter(JSON.label, &[JSON.extension])
        .blocking_pick_files()?;
    Some(
        files
            .into_iter()
            .filter_map(|f| f.into_path().ok())
            .collect(),
    )
}

/// Make a name safe as a file name: letters, digits, spaces and `-'.,`;
/// anything else becomes `_`; at most 80 characters.
pub fn file_name_part(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '.' | ',') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    clean.trim().to_string()
}

/// An output never goes over one of the app's own databases (the comune's
/// assessments, the coordinator's archive), whatever name leads to them.
fn refuse_own_databases<R: Runtime>(app: &AppHandle<R>, path: &Path) -> AppResult<()> {
    use tauri::Manager as _;
    let Some(state) = app.try_state::<crate::state::AppState>() else {
        return Ok(());
    };
    let dir = state.data_dir();
    let own = [
        dir.join(crate::state::DB_FILE),
        dir.join(crate::coordination::desk::COORDINATOR_DB_FILE),
    ];
    if own
        .iter()
        .any(|db| sentinella::store::file::same_file(path, db))
    {
        return Err(AppError::invalid(
            "Questo file è un archivio di Sentinella e non può essere sovrascritto: scegli un altro nome.",
        ));
    }
    Ok(())
}

/// Write the file atomically with the library's writer (exclusive,
/// unpredictable temporary name; the previous file stays whole on failure).
fn write_file(path: &Path, bytes: &[u8]) -> AppResult<()> {
    sentinella::store::file::write_atomic(path, bytes).map_err(|e| {
        eprintln!("sentinella-app: cannot write {}: {e}", path.display());
        AppError::new(format!(
            "Non riesco a salvare il file {}. Scegli un'altra cartella.",
            path.display()
        ))
    })
}
