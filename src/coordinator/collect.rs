//! Collecting many files at once: verify a batch in parallel (no lock held,
//! no database touched), then import it in one transaction with a savepoint
//! per file. Shared by `sentinella collect` and the app's "Coordinamento".

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use chrono::Utc;

use super::{Acceptance, CoordinatorDb, CoordinatorError, FileReport, Incoming, Rules};
use crate::exchange::{self, VerifiedResult, MAX_RESULT_BYTES};
use crate::load::Catalog;
use crate::model::Audience;

/// Files per batch: one commit (one disk sync) per batch.
const BATCH_FILES: usize = 256;
/// Bytes per batch (by file size), so a folder of 4 MB files cannot exhaust
/// memory.
const BATCH_BYTES: u64 = 32 * 1024 * 1024;

/// Where a long import stands, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// Files handled so far.
    pub done: usize,
    /// Files in all.
    pub total: usize,
}

/// Verify and import `files` (see the rules of [`super`]); `accept` lists
/// the keys the coordinator has confirmed, each for one organization.
/// `progress` is called after every batch. One report per file, in the
/// order given. Only a database failure stops the run; the batches
/// committed before it stay.
///
/// Before importing, the signature of every file is checked to find the
/// organizations with no key on record that the files claim with two or
/// more keys: those are contested, and none of their files is trusted
/// unless its key is accepted. So the decision never depends on the order
/// of the files, nor on anything their signer chose.
pub fn collect_files(
    db: &mut CoordinatorDb,
    files: &[PathBuf],
    catalog: &Catalog,
    accept: &BTreeSet<Acceptance>,
    threads: usize,
    progress: impl FnMut(Progress),
) -> Result<Vec<FileReport>, CoordinatorError> {
    collect_files_observed(db, files, catalog, accept, threads, progress, |_, _| {})
}

/// [`collect_files`], showing `observe` every file that passed
/// verification (with its source) before it is imported, so a caller can
/// keep what it needs of it without verifying it again.
pub fn collect_files_observed(
    db: &mut CoordinatorDb,
    files: &[PathBuf],
    catalog: &Catalog,
    accept: &BTreeSet<Acceptance>,
    threads: usize,
    mut progress: impl FnMut(Progress),
    mut observe: impl FnMut(&str, &VerifiedResult),
) -> Result<Vec<FileReport>, CoordinatorError> {
    let now = Utc::now();
    let contested = contested(db, files, catalog, threads)?;
    let rules = Rules {
        accept,
        contested: &contested,
    };
    let total = files.len();
    let mut reports = Vec::with_capacity(total);
    for batch in batches(files, BATCH_FILES, BATCH_BYTES) {
        let verified = exchange::parallel_map(batch, threads, |p| {
            exchange::read_capped(p).map(|bytes| {
                let outcome = exchange::verify_bytes_at(&bytes, catalog, None, now);
                // A rejected file's bytes are never stored: drop them now.
                let bytes = if outcome.is_ok() { bytes } else { Vec::new() };
                (bytes, outcome)
            })
        });
        let incoming = batch
            .iter()
            .zip(verified)
            .map(|(path, read)| {
                let (bytes, verified) = match read {
                    Ok((bytes, outcome)) => (bytes, outcome),
                    Err(e) => (Vec::new(), Err(e)),
                };
                let source = path.display().to_string();
                if let Ok(v) = &verified {
                    observe(&source, v);
                }
                Incoming {
                    source,
                    bytes,
                    verified,
                }
            })
            .collect();
        reports.extend(db.import_batch(incoming, &rules, now)?);
        progress(Progress {
            done: reports.len(),
            total,
        });
    }
    Ok(reports)
}

/// The organizations with no key on record that `files` claim with two or
/// more keys. A file claims its organization when its signature verifies
/// and it names a known questionnaire ([`exchange::signed_claim`]): the rest
/// of a full verification would not make a claim more genuine, since any key
/// can sign a valid file for any organization.
fn contested(
    db: &CoordinatorDb,
    files: &[PathBuf],
    catalog: &Catalog,
    threads: usize,
) -> Result<BTreeSet<(String, Audience)>, CoordinatorError> {
    let claims = exchange::parallel_map(files, threads, |p| {
        let bytes = exchange::read_capped(p).ok()?;
        exchange::signed_claim(&bytes, catalog).ok()
    });
    let mut keys: BTreeMap<(String, Audience), BTreeSet<[u8; 32]>> = BTreeMap::new();
    for claim in claims.into_iter().flatten() {
        keys.entry((claim.istat_code, claim.audience))
            .or_default()
            .insert(claim.public_key);
    }
    let mut out = BTreeSet::new();
    for (org, keys) in keys {
        if keys.len() > 1 && !db.has_key(&org.0, org.1)? {
            out.insert(org);
        }
    }
    Ok(out)
}

/// Consecutive slices of `files` of at most `max_files` files and (by file
/// size) about `max_bytes` bytes; every slice has at least one file.
fn batches(files: &[PathBuf], max_files: usize, max_bytes: u64) -> Vec<&[PathBuf]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, f) in files.iter().enumerate() {
        let size = std::fs::metadata(f)
            .map_or(0, |m| m.len())
            .min(MAX_RESULT_BYTES);
        if i > start && (i - start >= max_files || bytes + size > max_bytes) {
            out.push(&files[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < files.len() {
        out.push(&files[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn batches_are_capped_in_count_and_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<PathBuf> = (0..10)
            .map(|i| {
                let p = dir.path().join(format!("{i}.json"));
                std::fs::write(&p, vec![b' '; if i == 4 { 5000 } else { 100 }]).unwrap();
                p
            })
            .collect();
        let sizes = |b: Vec<&[PathBuf]>| b.iter().map(|s| s.len()).collect::<Vec<_>>();
        assert_eq!(sizes(batches(&files, 3, 1 << 20)), [3, 3, 3, 1]);
        // The 5,000-byte file goes alone into a batch.
        assert_eq!(sizes(batches(&files, 100, 1000)), [4, 1, 5]);
        assert!(batches(&[], 3, 10).is_empty());
        // A file bigger than the byte cap still gets a batch.
        assert_eq!(sizes(batches(&files[4..5], 3, 10)), [1]);
    }
}
