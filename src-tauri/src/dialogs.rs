//! The native file dialogs, opened from Rust (the page has no dialog or file
//! permission of its own).
//!
//! Tests cannot drive a GTK dialog (neither through WebDriver nor in the
//! mock runtime): with the `e2e` cargo feature, which only test builds
//! enable, a [`stand_in::DialogStandIn`] managed by the app answers
//! instead. A build without the feature has no trace of it.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::error::{AppError, AppResult};

/// The dialogs' stand-in of the test builds.
#[cfg(feature = "e2e")]
pub mod stand_in {
    use std::path::PathBuf;
    use std::sync::Mutex;

    use tauri::{AppHandle, Manager, Runtime};

    /// Test builds only: save dialogs write into `save_dir` under the
    /// suggested name; the folder and file pickers return `pick_dir`.
    #[derive(Debug, Default)]
    pub struct DialogStandIn {
        save_dir: Mutex<Option<PathBuf>>,
        pick_dir: Mutex<Option<PathBuf>>,
    }

    fn get(m: &Mutex<Option<PathBuf>>) -> Option<PathBuf> {
        m.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn set(m: &Mutex<Option<PathBuf>>, dir: PathBuf) {
        *m.lock().unwrap_or_else(|p| p.into_inner()) = Some(dir);
    }

    impl DialogStandIn {
        /// From the environment the end-to-end tests give the app
        /// (`SENTINELLA_E2E_SAVE_DIR`, `SENTINELLA_E2E_PICK_DIR`).
        pub fn from_env() -> DialogStandIn {
            let dir = |name: &str| std::env::var_os(name).map(PathBuf::from);
            DialogStandIn {
                save_dir: Mutex::new(dir("SENTINELLA_E2E_SAVE_DIR")),
                pick_dir: Mutex::new(dir("SENTINELLA_E2E_PICK_DIR")),
            }
        }

        /// Save dialogs write into `dir`.
        pub fn save_into(&self, dir: PathBuf) {
            set(&self.save_dir, dir);
        }

        /// Pickers return `dir`.
        pub fn pick(&self, dir: PathBuf) {
            set(&self.pick_dir, dir);
        }
    }

    /// The save folder, when a stand-in is managed and has one.
    pub fn save_dir<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
        get(&app.try_state::<DialogStandIn>()?.save_dir)
    }

    /// The picked folder, when a stand-in is managed and has one.
    pub fn pick_dir<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
        get(&app.try_state::<DialogStandIn>()?.pick_dir)
    }
}

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
    #[cfg(feature = "e2e")]
    if let Some(dir) = stand_in::save_dir(app) {
        return Some(dir.join(suggested));
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
    crate::opener::remember(app, &path);
    Ok(Some(path))
}

/// Ask for a folder. `None` when the user closed the dialog.
pub fn pick_folder<R: Runtime>(app: &AppHandle<R>, title: &str) -> Option<PathBuf> {
    #[cfg(feature = "e2e")]
    if let Some(dir) = stand_in::pick_dir(app) {
        return Some(dir);
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
    #[cfg(feature = "e2e")]
    if let Some(dir) = stand_in::pick_dir(app) {
        return sentinella::usecase::verify::result_files_in(&dir).ok();
    }
    let files = app
        .dialog()
        .file()
        .set_title(title)
        .add_filter(JSON.label, &[JSON.extension, "p7m", "eml"])
        .blocking_pick_files()?;
    Some(
        files
            .into_iter()
            .filter_map(|f| f.into_path().ok())
            .collect(),
    )
}

/// A coordinator's pack file.
pub const PACK: FileKind = FileKind {
    label: "Pacchetto del coordinamento",
    extension: "json",
};

/// Ask for one pack file. `None` when the user closed the dialog. The test
/// builds' stand-in returns the first `*.json` file of its folder.
pub fn pick_pack_file<R: Runtime>(app: &AppHandle<R>, title: &str) -> Option<PathBuf> {
    #[cfg(feature = "e2e")]
    if let Some(dir) = stand_in::pick_dir(app) {
        return sentinella::load::json_files(&dir)
            .ok()
            .and_then(|f| f.into_iter().next());
    }
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(PACK.label, &[PACK.extension])
        .blocking_pick_file()?
        .into_path()
        .ok()
}

/// Ask where to save a file that a library call then writes itself
/// (atomically); never one of the app's own databases. `None` when the
/// user closed the dialog.
pub fn save_target<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    suggested: &str,
    kind: FileKind,
) -> AppResult<Option<PathBuf>> {
    let Some(path) = save_path(app, title, suggested, kind) else {
        return Ok(None);
    };
    refuse_own_databases(app, &path)?;
    Ok(Some(path))
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
        dir.join(sentinella::store::workshop::WORKSHOP_DB_FILE),
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
