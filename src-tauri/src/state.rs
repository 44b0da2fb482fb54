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
    /// The built-in questionnaires plus the versions received in the
    /// coordinator's packs (offered for new assessments).
    catalog: Catalog,
}

/// The built-in catalog with the store's pack questionnaires added.
fn with_packs(store: &Result<Store, AppError>, builtin: &Catalog) -> Catalog {
    match store {
        Ok(s) => sentinella::usecase::pack::catalog_with_packs(s, builtin).unwrap_or_else(|e| {
            eprintln!("sentinella-app: questionnaires of the packs not read: {e}");
            builtin.clone()
        }),
        Err(_) => builtin.clone(),
    }
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
        let full = with_packs(&store, &catalog);
        AppState {
            inner: Mutex::new(Inner {
                store,
                catalog: full,
            }),
            desk: Mutex::new(None),
            catalog,
            data_dir: data_dir.to_path_buf(),
        }
    }

    /// The built-in questionnaires (the coordinator's verification).
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Read again the questionnaire versions received by pack (after an
    /// import applied one).
    pub fn refresh_catalog(&self) {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let inner = &mut *guard;
        inner.catalog = with_packs(&inner.store, &self.catalog);
    }

    /// Where the database lives.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Run `f` with the store and the questionnaires (built-in and received
    /// by pack), one command at a time.
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
        let inner = &mut *guard;
        match &mut inner.store {
            Ok(store) => f(store, &inner.catalog),
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
