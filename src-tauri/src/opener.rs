//! "Apri il file" and "Mostra nella cartella" after a save: the file in the
//! system's default program, or its folder in the file manager.
//!
//! The page never names a path of its own choosing: only files that this
//! app saved during this session (through [`crate::dialogs::save_file`]) can
//! be opened or shown, so a compromised page could not open anything else.
//! Opening goes through the system's own opener (the `open` crate:
//! xdg-open on Linux, ShellExecute on Windows); "show in folder" opens the
//! file's folder.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Deserialize;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::error::{AppError, AppResult};

/// The files saved in this session, the only ones the page may open.
#[derive(Debug, Default)]
pub struct SavedFiles(Mutex<Vec<PathBuf>>);

impl SavedFiles {
    /// Remember a file the app has just written.
    pub fn remember(&self, path: &Path) {
        let mut list = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if !list.iter().any(|p| p == path) {
            list.push(path.to_path_buf());
        }
    }

    /// The saved file whose path is `shown` (as the page received it).
    fn find(&self, shown: &str) -> Option<PathBuf> {
        let list = self.0.lock().unwrap_or_else(|p| p.into_inner());
        list.iter()
            .find(|p| p.display().to_string() == shown)
            .cloned()
    }
}

/// Remember a saved file, when the app manages the list (it always does;
/// the command tests' mock app may not).
pub fn remember<R: Runtime>(app: &AppHandle<R>, path: &Path) {
    if let Some(saved) = app.try_state::<SavedFiles>() {
        saved.remember(path);
    }
}

/// What to do with a saved file.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OpenAction {
    /// Open it in the system's default program.
    Open,
    /// Show it selected in its folder.
    Reveal,
}

/// Test builds only: record what would be opened instead of starting a
/// program (an e2e test cannot look at another application's window).
#[cfg(feature = "e2e")]
pub mod stand_in {
    use std::io::Write;
    use std::path::PathBuf;

    /// Appends "open <path>" or "reveal <path>" lines to a log file.
    #[derive(Debug)]
    pub struct OpenerStandIn(pub PathBuf);

    impl OpenerStandIn {
        /// From `SENTINELLA_E2E_OPEN_LOG`, when the tests set it.
        pub fn from_env() -> Option<OpenerStandIn> {
            std::env::var_os("SENTINELLA_E2E_OPEN_LOG").map(|p| OpenerStandIn(PathBuf::from(p)))
        }

        pub fn record(&self, line: &str) -> std::io::Result<()> {
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.0)?;
            writeln!(f, "{line}")
        }
    }
}

/// Open a file saved in this session, or show it in its folder.
#[tauri::command(rename_all = "snake_case")]
pub async fn open_saved<R: Runtime>(
    app: AppHandle<R>,
    saved: State<'_, SavedFiles>,
    path: String,
    action: OpenAction,
) -> AppResult<()> {
    let Some(file) = saved.find(&path) else {
        eprintln!("sentinella-app: refused to open {path:?}: not saved by this session");
        return Err(AppError::new(
            "Questo file non è stato salvato da Sentinella in questa sessione: aprilo dalla sua cartella.",
        ));
    };
    if !file.is_file() {
        return Err(AppError::new(format!(
            "Il file {} non c'è più: forse è stato spostato o cancellato.",
            file.display()
        )));
    }
    #[cfg(feature = "e2e")]
    if let Some(stand_in) = app.try_state::<stand_in::OpenerStandIn>() {
        let verb = match action {
            OpenAction::Open => "open",
            OpenAction::Reveal => "reveal",
        };
        return stand_in
            .record(&format!("{verb} {}", file.display()))
            .map_err(|e| AppError::new(format!("stand-in: {e}")));
    }
    #[cfg(not(feature = "e2e"))]
    let _ = &app;
    let target = match action {
        OpenAction::Open => file.clone(),
        OpenAction::Reveal => file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| file.clone()),
    };
    // Detached: the viewer or file manager lives on after the call.
    let result = open::that_detached(&target);
    result.map_err(|e| {
        eprintln!("sentinella-app: cannot open {}: {e}", file.display());
        AppError::new(match action {
            OpenAction::Open => format!(
                "Non riesco ad aprire il file: su questo computer manca forse un programma per leggerlo. Il file è in {}.",
                file.display()
            ),
            OpenAction::Reveal => format!(
                "Non riesco ad aprire la cartella. Il file è in {}.",
                file.display()
            ),
        })
    })
}
