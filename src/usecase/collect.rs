//! Collect result files into the coordinator database, and accept a new
//! key for files held back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::coordinator::{self, CoordinatorDb, CoordinatorError, FileReport, Outcome, Progress};
use crate::ids::Fingerprint;
use crate::load::Catalog;

use super::aggregate::VerifiedCache;
use super::verify::threads;
use crate::aggregate::Record;

/// A file held back because a key other than the one on record signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldFile {
    /// The file.
    pub path: PathBuf,
    /// The key that signed it.
    pub signer: Fingerprint,
}

/// The outcome of a collection.
#[derive(Debug, Clone)]
pub struct Collected {
    /// One report per file, in the order given.
    pub reports: Vec<FileReport>,
    /// How many files had each outcome.
    pub counts: BTreeMap<Outcome, usize>,
    /// The files held back, to accept later.
    pub held: Vec<HeldFile>,
    /// The database content afterwards.
    pub stored: coordinator::Counts,
}

impl Collected {
    /// Files with this outcome.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.counts.get(&outcome).copied().unwrap_or(0)
    }
}

/// Verify and import `files`, accepting files signed by the keys in
/// `accept` (confirmed by the coordinator) where another key is on record.
/// With `cache`, the records of the verified files are kept there, so
/// the figures need not verify them again.
pub fn collect(
    db: &mut CoordinatorDb,
    files: &[PathBuf],
    catalog: &Catalog,
    accept: &BTreeSet<Fingerprint>,
    mut cache: Option<&mut VerifiedCache>,
    progress: impl FnMut(Progress),
) -> Result<Collected, CoordinatorError> {
    let accept: BTreeSet<String> = accept.iter().map(|f| f.digits().to_string()).collect();
    let reports = coordinator::collect_files_observed(
        db,
        files,
        catalog,
        &accept,
        threads(),
        progress,
        |source, verified| {
            if let Some(c) = cache.as_deref_mut() {
                c.remember(Record::from_verified(verified, source));
            }
        },
    )?;
    let mut counts = BTreeMap::new();
    for r in &reports {
        *counts.entry(r.outcome).or_insert(0) += 1;
    }
    let held = files
        .iter()
        .zip(&reports)
        .filter(|(_, r)| r.outcome == Outcome::HeldBack)
        .filter_map(|(p, r)| {
            let signer = r.signer.as_deref()?.parse().ok()?;
            Some(HeldFile {
                path: p.clone(),
                signer,
            })
        })
        .collect();
    Ok(Collected {
        reports,
        counts,
        held,
        stored: db.counts()?,
    })
}

/// Why a key could not be accepted.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    /// No held-back file is signed by this key.
    #[error("no held-back file is signed by key {0}")]
    NoFile(Fingerprint),
    /// The database failed.
    #[error(transparent)]
    Coordinator(#[from] CoordinatorError),
}

/// Accept `key` for the files of `held` it signed (after the coordinator
/// confirmed its fingerprint with the comune) and import them again. The
/// files signed by other keys stay in `held`, with any newly held back.
pub fn accept_key(
    db: &mut CoordinatorDb,
    held: &mut Vec<HeldFile>,
    key: &Fingerprint,
    catalog: &Catalog,
    cache: Option<&mut VerifiedCache>,
) -> Result<(Vec<PathBuf>, Collected), AcceptError> {
    let (chosen, others): (Vec<HeldFile>, Vec<HeldFile>) =
        held.drain(..).partition(|h| &h.signer == key);
    if chosen.is_empty() {
        *held = others;
        return Err(AcceptError::NoFile(key.clone()));
    }
    let paths: Vec<PathBuf> = chosen.into_iter().map(|h| h.path).collect();
    let accept = BTreeSet::from([key.clone()]);
    let result = collect(db, &paths, catalog, &accept, cache, |_| {});
    match result {
        Ok(collected) => {
            *held = others;
            held.extend(collected.held.iter().cloned());
            Ok((paths, collected))
        }
        Err(e) => {
            *held = others;
            held.extend(paths.into_iter().map(|path| HeldFile {
                path,
                signer: key.clone(),
            }));
            Err(e.into())
        }
    }
}

/// The keys on record in a coordinator database that must exist.
pub fn keys(db: &Path) -> Result<Vec<coordinator::KeyRecord>, CoordinatorError> {
    open_existing(db)?.keys()
}

/// Open a coordinator database that must already exist.
pub fn open_existing(db: &Path) -> Result<CoordinatorDb, CoordinatorError> {
    if !db.exists() {
        return Err(CoordinatorError::Io {
            path: db.to_path_buf(),
            action: "no such coordinator database",
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        });
    }
    CoordinatorDb::open(db)
}
