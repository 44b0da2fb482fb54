//! What the app holds while it runs: the database and the questionnaires.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use sentinella::load::Catalog;
use sentinella::store::Store;

use crate::coordination::Desk;
use crate::error::{AppError, AppResult};

/// Environment variable that overrides where the database lives (tests,
/// portable installs).
pub const DATA_DIR_ENV: &str = "SENTINELLA_DATA_DIR";

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "sentinella.db";

/// The app's state, shared by the commands.
#[derive(Debug)]
pub struct AppState {
    inner: Mutex<Inner>,
    /// The coordinator's desk, opened on first use of "Coordinamento".
    desk: Mutex<Option<Desk>>,
    catalog: Catalog,
    data_dir: PathBuf,
}

#[derive(Debug)]
struct Inner {
    /// The open store, or why it could not be opened (shown on screen).
    store: Result<Store, AppError>,
}

impl AppState {
    /// Open (or create) the database in `data_dir`. A failure is kept and
    /// reported by every command instead of stopping the app.
    pub fn open(data_dir: &Path) -> AppState {
        let store = std::fs::create_dir_all(data_dir)
            .map_err(|e| {
                eprintln!("sentinella-app: cannot create {}: {e}", data_dir.display());
                AppError::new(format!(
                    "Non riesco a creare la cartella dei dati ({}).",
                    data_dir.display()
                ))
            })
            .and_then(|()| Store::open(&data_dir.join(DB_FILE)).map_err(AppError::from));
        let (catalog, errors) = Catalog::builtin();
        for e in errors {
            eprintln!("sentinella-app: built-in questionnaire not usable: {e}");
        }
        AppState {
            inner: Mutex::new(Inner { store }),
            desk: Mutex::new(None),
            catalog,
            data_dir: data_dir.to_path_buf(),
        }
    }

    /// The questionnaires.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Where the database lives.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Run `f` with the store (one command at a time).
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store, &Catalog) -> AppResult<T>,
    ) -> AppResult<T> {
        let mut guard: MutexGuard<'_, Inner> = match self.inner.lock() {
            Ok(g) => g,
            // A panic while holding the lock cannot leave SQLite half-written
            // (every write is one transaction): keep going.
            Err(poisoned) => poisoned.into_inner(),
        };
        match &mut guard.store {
            Ok(store) => f(store, &self.catalog),
            Err(e) => Err(e.clone()),
        }
    }

    /// Run `f` with the coordinator's desk, opening its database on first
    /// use (one command at a time; a failed open is retried next time).
    pub fn with_desk<T>(&self, f: impl FnOnce(&mut Desk) -> AppResult<T>) -> AppResult<T> {
        let mut guard = match self.desk.lock() {
            Ok(g) => g,
            // Every write is one transaction: a panic cannot leave it half done.
            Err(poisoned) => poisoned.into_inner(),
        };
        if guard.is_none() {
            std::fs::create_dir_all(&self.data_dir).map_err(|e| {
                eprintln!(
                    "sentinella-app: cannot create {}: {e}",
                    self.data_dir.display()
                );
                AppError::new(format!(
                    "Non riesco a creare la cartella dei dati ({}).",
                    self.data_dir.display()
                ))
            })?;
            *guard = Some(Desk::open(&self.data_dir)?);
        }
        match guard.as_mut() {
            Some(desk) => f(desk),
            None => Err(AppError::new("Archivio del coordinamento non disponibile.")),
        }
    }
}
