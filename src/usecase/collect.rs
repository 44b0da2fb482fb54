//! Collect result files into the coordinator database, and accept a new
//! key for one organization's files held back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::coordinator::{
    self, Acceptance, CoordinatorDb, CoordinatorError, FileReport, Outcome, Progress,
};
use crate::load::Catalog;

use super::aggregate::VerifiedCache;
use super::verify::threads;
use crate::aggregate::Record;

/// A file held back because a key other than the one on record signed it
/// (or two keys claimed its organization at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldFile {
    /// The file.
    pub path: PathBuf,
    /// What accepting it means: its organization and the key that signed
    /// it.
    pub acceptance: Acceptance,
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

/// Verify and import `files`, accepting the keys in `accept` (each
/// confirmed by the coordinator for one organization). With `cache`, the
/// records of the verified files are kept there, so the figures need not
/// verify them again (the cache only ever serves results the database
/// holds as current).
pub fn collect(
    db: &mut CoordinatorDb,
    files: &[PathBuf],
    catalog: &Catalog,
    accept: &BTreeSet<Acceptance>,
    mut cache: Option<&mut VerifiedCache>,
    progress: impl FnMut(Progress),
) -> Result<Collected, CoordinatorError> {
    let reports = coordinator::collect_files_observed(
        db,
        files,
        catalog,
        accept,
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
        .filter_map(|(p, r)| {
            r.acceptance().map(|acceptance| HeldFile {
                path: p.clone(),
                acceptance,
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
    /// No held-back file of this organization is signed by this key.
    #[error("no held-back file matches {0}")]
    NoFile(Acceptance),
    /// The database failed.
    #[error(transparent)]
    Coordinator(#[from] CoordinatorError),
}

/// Accept a key for one organization (after the coordinator confirmed its
/// fingerprint with it) and import again the files of `held` it covers.
/// The other files stay in `held`, with any newly held back.
pub fn accept_key(
    db: &mut CoordinatorDb,
    held: &mut Vec<HeldFile>,
    key: &Acceptance,
    catalog: &Catalog,
    cache: Option<&mut VerifiedCache>,
) -> Result<(Vec<PathBuf>, Collected), AcceptError> {
    let (chosen, others): (Vec<HeldFile>, Vec<HeldFile>) =
        held.drain(..).partition(|h| &h.acceptance == key);
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
                acceptance: key.clone(),
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
