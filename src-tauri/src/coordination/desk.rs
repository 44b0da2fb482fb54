//! The coordinator's desk: the coordinator database of this installation
//! (`coordinamento.db` in the data directory, opened on first use so a
//! comune that never coordinates never gets one) and the files held back by
//! the last import, waiting for the coordinator to accept their new key.

use std::path::{Path, PathBuf};

use sentinella::coordinator::{Acceptance, CoordinatorDb, CoordinatorError};

use crate::error::AppError;

/// File name of the coordinator database inside the data directory.
pub const COORDINATOR_DB_FILE: &str = "coordinamento.db";

/// A file held back because another key signed it.
#[derive(Debug, Clone)]
pub struct HeldFile {
    /// The file.
    pub path: PathBuf,
    /// What accepting it means: its organization and the key that signed it.
    pub acceptance: Acceptance,
}

/// The open coordinator database and what the last import held back.
#[derive(Debug)]
pub struct Desk {
    /// The database.
    pub db: CoordinatorDb,
    /// Held-back files of the last import (kept here, in Rust: the page asks
    /// to accept a fingerprint, never names files to read).
    pub held: Vec<HeldFile>,
}

impl Desk {
    /// Open (or create) the coordinator database in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Desk, AppError> {
        let path = data_dir.join(COORDINATOR_DB_FILE);
        let db = CoordinatorDb::open(&path).map_err(coordinator_error)?;
        Ok(Desk {
            db,
            held: Vec::new(),
        })
    }
}

/// The Italian message of a coordinator-database failure (detail to the log).
pub fn coordinator_error(e: CoordinatorError) -> AppError {
    eprintln!("sentinella-app: coordinator database: {e}");
    AppError::new(match e {
        CoordinatorError::Io { path, .. } => format!(
            "Non riesco a leggere o scrivere l'archivio del coordinamento ({}). Controlla lo spazio libero e i permessi della cartella dei dati.",
            path.display()
        ),
        CoordinatorError::NotCoordinator { path, .. } => format!(
            "Il file {} non è un archivio del coordinamento di Sentinella. Non è stato modificato.",
            path.display()
        ),
        CoordinatorError::Newer { .. } => {
            "L'archivio del coordinamento è stato scritto da una versione più recente di Sentinella. Aggiorna il programma per aprirlo.".to_string()
        }
        CoordinatorError::Backup { .. } => {
            "Non riesco a fare la copia di sicurezza dell'archivio del coordinamento: controlla lo spazio libero. L'archivio non è stato modificato.".to_string()
        }
        CoordinatorError::Sqlite { .. } | CoordinatorError::Migration { .. } => {
            "Errore interno dell'archivio del coordinamento. I file già importati non sono andati persi; riprova.".to_string()
        }
    })
}
