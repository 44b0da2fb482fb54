//! "Esporta risultati": the signed result file a comune sends to its
//! coordinator, built by the core ([`sentinella::exchange::export_result`]);
//! this module adds the installation's key, the dialog and the file.

use std::path::{Path, PathBuf};

use chrono::Utc;
use serde::Serialize;

use sentinella::exchange::{self, ExportOptions};
use sentinella::keys::KeyPair;
use sentinella::load::{Catalog, LoadedAnswers};
use sentinella::store::{Status, Store};

use crate::dialogs::file_name_part;
use crate::error::{AppError, AppResult};

/// Folder of the signing key inside the data directory.
pub const KEYS_DIR: &str = "chiavi";

/// The installation's signing key, as shown to the user.
#[derive(Debug, Clone, Serialize)]
pub struct KeyInfo {
    /// Short fingerprint of the public key (`3F2A-9C01-77DE-B410`).
    pub fingerprint: String,
    /// Whether the key was created just now.
    pub created: bool,
}

/// Load the installation's key pair, creating it on first use (0600).
pub fn key(data_dir: &Path) -> AppResult<KeyPair> {
    let dir = data_dir.join(KEYS_DIR);
    KeyPair::load_or_create(&dir).map_err(|e| {
        eprintln!("sentinella-app: signing key in {}: {e}", dir.display());
        AppError::new(format!(
            "Non riesco a leggere o a creare la chiave di firma di questa installazione (cartella {}). Controlla i permessi della cartella dei dati.",
            dir.display()
        ))
    })
}

/// What the page needs to describe the key.
pub fn key_info(key: &KeyPair) -> KeyInfo {
    KeyInfo {
        fingerprint: key.fingerprint(),
        created: key.created,
    }
}

/// A result file ready to be written.
#[derive(Debug)]
pub struct Export {
    /// The signed file.
    pub bytes: Vec<u8>,
    /// Suggested file name.
    pub file_name: String,
    /// Notes in the assessment.
    pub notes: usize,
}

/// Build and sign the result file of a completed assessment.
pub fn build(
    store: &Store,
    catalog: &Catalog,
    key: &KeyPair,
    id: i64,
    with_notes: bool,
) -> AppResult<Export> {
    let info = store.assessment_info(id)?;
    if info.status != Status::Completed {
        return Err(AppError::invalid(
            "Concludi l'autovalutazione prima di esportare i risultati: il coordinamento riceve solo autovalutazioni concluse.",
        ));
    }
    let stored = store.load_assessment(id)?;
    let q = &stored.info.questionnaire;
    let Some(entry) = catalog.get(&q.id, &q.version) else {
        return Err(AppError::new(
            "La versione del questionario usata da questa autovalutazione non è disponibile in questa installazione.",
        ));
    };
    let notes = stored
        .sheet
        .answers
        .values()
        .filter(|a| a.note.as_deref().is_some_and(|n| !n.trim().is_empty()))
        .count();
    let loaded = LoadedAnswers {
        sheet: stored.sheet,
        questionnaire: entry.clone(),
    };
    let opts = ExportOptions {
        with_notes,
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        exported_at: Utc::now(),
        // Unique to this installation and stable across re-exports, so the
        // coordinator stores a re-sent assessment once.
        assessment_id: Some(exchange::store_assessment_id(
            &info.organization.istat_code,
            &info.created_at,
            id,
        )),
    };
    let (_, bytes) = exchange::export_result(&loaded, key, &opts).map_err(|e| {
        eprintln!("sentinella-app: export of assessment {id} failed: {e}");
        AppError::new("Non è stato possibile preparare il file dei risultati. Le risposte non sono state toccate.")
    })?;
    Ok(Export {
        bytes,
        file_name: format!(
            "Risultati - {} - {}.json",
            file_name_part(&info.organization.name),
            info.assessed_on
        ),
        notes,
    })
}

/// Where the file went.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSaved {
    /// `None` when the user closed the dialog.
    pub path: Option<String>,
    /// The key that signed it.
    pub fingerprint: String,
    /// Whether the notes are in the file.
    pub notes_included: bool,
    /// Notes in the assessment.
    pub notes: usize,
}

impl ExportSaved {
    /// The answer for a saved (or cancelled) export.
    pub fn new(path: Option<PathBuf>, key: &KeyPair, with_notes: bool, notes: usize) -> Self {
        ExportSaved {
            path: path.map(|p| p.display().to_string()),
            fingerprint: key.fingerprint(),
            notes_included: with_notes && notes > 0,
            notes,
        }
    }
}
