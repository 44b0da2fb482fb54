//! The coordinator's desk: the coordinator database of this installation
//! (`coordinamento.db` in the data directory, opened on first use so a
//! comune that never coordinates never gets one) and the files held back by
//! the last import, waiting for the coordinator to accept their new key.

use std::path::Path;

use sentinella::coordinator::CoordinatorDb;
use sentinella::usecase::aggregate::VerifiedCache;
use sentinella::usecase::collect::HeldFile;

use crate::error::AppError;

/// File name of the coordinator database inside the data directory.
pub const COORDINATOR_DB_FILE: &str = "coordinamento.db";

/// The open coordinator database and what the last import held back.
#[derive(Debug)]
pub struct Desk {
    /// The database.
    pub db: CoordinatorDb,
    /// Held-back files of the last import (kept here, in Rust: the page asks
    /// to accept a fingerprint, never names files to read).
    pub held: Vec<HeldFile>,
    /// The current results verified so far (at import or at a first view):
    /// the dashboard does not verify them again at every click.
    pub verified: VerifiedCache,
}

impl Desk {
    /// Open (or create) the coordinator database in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Desk, AppError> {
        let path = data_dir.join(COORDINATOR_DB_FILE);
        Ok(Desk {
            db: CoordinatorDb::open(&path)?,
            held: Vec::new(),
            verified: VerifiedCache::default(),
        })
    }
}
