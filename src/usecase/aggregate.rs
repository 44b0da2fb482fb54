//! A coordinator's figures: gather the current results (from files or
//! the coordinator database), aggregate them by territory, and write the
//! CSV tables and the territorial PDF summary.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::aggregate::{self, table, AggregateOptions, Record, Report, Scope};
use crate::coordinator::{self, Acceptance, CoordinatorDb, CoordinatorError, CurrentKey, Outcome};
use crate::exchange::{self, RejectionKind};
use crate::istat::IstatList;
use crate::load::Catalog;
use crate::report::{self, RegionInfo, RenderedPdf, ReportError};

use super::verify::threads;

/// A file left out of the figures, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Rejection {
    /// The file (or the stored result's source).
    pub file: String,
    /// The kind of problem.
    pub kind: RejectionKind,
    /// The problem, in English.
    pub reason: String,
}

/// The results the figures are made of.
#[derive(Debug, Clone, Default)]
pub struct Gathered {
    /// Files read (or stored results verified).
    pub files: usize,
    /// Files accepted (current, superseded or duplicates).
    pub accepted: usize,
    /// The current result of each comune (or office) and questionnaire.
    pub current: Vec<Record>,
    /// Accepted results replaced by a newer assessment.
    pub superseded: usize,
    /// Accepted re-sends of an assessment already counted.
    pub duplicates: usize,
    /// Files signed by another key than the one on record for their
    /// organization (or claimed by two keys at once), not accepted.
    pub held_back: Vec<Rejection>,
    /// Files that failed a check.
    pub rejected: Vec<Rejection>,
    /// Warnings about accepted files: (file, warning).
    pub warnings: Vec<(String, String)>,
}

impl Gathered {
    /// Files accepted (current, superseded or duplicates).
    pub fn accepted(&self) -> usize {
        self.accepted
    }
}

/// Gather result files by the rules of `collect` on a fresh coordinator
/// database: they are imported into an in-memory one (keys on first use,
/// contested organizations held back, keys accepted per organization in
/// `accept`, current result per organization, kind and questionnaire), and
/// the database says which results are current. So the figures of a folder
/// are exactly those of `collect` + `aggregate --db`. Each file is verified
/// once, at import: its record is kept in a [`VerifiedCache`], which serves
/// only the exact files the database holds as current.
pub fn gather_files(
    files: &[PathBuf],
    catalog: &Catalog,
    accept: &BTreeSet<Acceptance>,
) -> Result<Gathered, CoordinatorError> {
    let mut db = CoordinatorDb::in_memory()?;
    let mut cache = VerifiedCache::default();
    let reports = coordinator::collect_files_observed(
        &mut db,
        files,
        catalog,
        accept,
        threads(),
        |_| {},
        |source, verified| cache.remember(Record::from_verified(verified, source)),
    )?;
    let mut gathered = cache.gather(&db, catalog)?;
    gathered.files = files.len();
    let count = |f: &dyn Fn(Outcome) -> bool| reports.iter().filter(|r| f(r.outcome)).count();
    gathered.accepted = count(&|o| o.accepted());
    gathered.superseded = count(&|o| matches!(o, Outcome::History | Outcome::Replaced));
    gathered.duplicates = count(&|o| matches!(o, Outcome::Updated | Outcome::Unchanged));
    for r in reports {
        let kind = r.kind.and_then(RejectionKind::from_id);
        match r.outcome {
            Outcome::HeldBack => gathered.held_back.push(Rejection {
                file: r.source,
                kind: kind.unwrap_or(RejectionKind::OtherKey),
                reason: r.message.unwrap_or_default(),
            }),
            Outcome::Rejected => gathered.rejected.push(Rejection {
                file: r.source,
                kind: kind.unwrap_or(RejectionKind::Io),
                reason: r.message.unwrap_or_default(),
            }),
            _ => {
                if let Some(w) = r.message {
                    gathered.warnings.push((r.source, w));
                }
            }
        }
    }
    Ok(gathered)
}

/// Gather the current results of a coordinator database (trust and
/// "current" were decided at import). Each is verified again and its
/// scores recomputed: nothing is taken from storage on trust; a stored
/// result that no longer verifies is reported as rejected.
pub fn gather_db(db: &CoordinatorDb, catalog: &Catalog) -> Result<Gathered, CoordinatorError> {
    let (records, bad) = db.current_records(catalog, threads())?;
    Ok(Gathered {
        files: records.len() + bad.len(),
        accepted: records.len(),
        current: records,
        rejected: bad
            .into_iter()
            .map(|u| Rejection {
                file: u.source,
                kind: u.kind,
                reason: u.reason,
            })
            .collect(),
        ..Gathered::default()
    })
}

/// The current results of a coordinator database, each verified once in
/// this process (when it was imported, or at its first view) and kept. A
/// later view asks the database which results are current (no file is
/// read) and verifies only those it has not seen, so the dashboard of
/// 8,000 comuni does not verify 8,000 files at every click. The explicit
/// check verifies everything again: [`gather_db`], `sentinella aggregate
/// --db`.
///
/// A record is served only for the exact stored file it was made from: the
/// database's current result with the same payload hash, signer and source
/// (so a file of the same payload signed by another key, held back or moved
/// to history, never stands in for the current one). Which results are
/// current is always the database's answer, never the cache's.
#[derive(Debug, Default)]
pub struct VerifiedCache {
    records: HashMap<CurrentKey, Record>,
}

impl VerifiedCache {
    /// Keep the record of a result verified elsewhere (at import). It is
    /// used only while the database holds that exact file as current.
    pub fn remember(&mut self, record: Record) {
        let key = CurrentKey {
            payload_sha256: record.payload_sha256.clone(),
            fingerprint: record.fingerprint.clone(),
            source: record.source.clone(),
        };
        self.records.insert(key, record);
    }

    /// Records kept.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no record is kept.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// [`gather_db`], verifying only the current results not seen before.
    pub fn gather(
        &mut self,
        db: &CoordinatorDb,
        catalog: &Catalog,
    ) -> Result<Gathered, CoordinatorError> {
        let index = db.current_index()?;
        let missing: Vec<CurrentKey> = index
            .iter()
            .filter(|key| !self.records.contains_key(*key))
            .cloned()
            .collect();
        let stored = db.current_results_by_key(&missing)?;
        let outcomes = exchange::parallel_map(&stored, threads(), |(key, r)| {
            exchange::verify_bytes(&r.file, catalog, None)
                .map(|v| (key.clone(), Record::from_verified(&v, &r.source)))
                .map_err(|e| Rejection {
                    file: r.source.clone(),
                    kind: e.rejection_kind(),
                    reason: e.to_string(),
                })
        });
        let mut rejected = Vec::new();
        for outcome in outcomes {
            match outcome {
                // Kept under the key it was found by in the database.
                Ok((key, record)) => {
                    self.records.insert(key, record);
                }
                Err(r) => rejected.push(r),
            }
        }
        let current: HashSet<&CurrentKey> = index.iter().collect();
        self.records.retain(|key, _| current.contains(key));
        let records: Vec<Record> = index
            .iter()
            .filter_map(|key| self.records.get(key).cloned())
            .collect();
        Ok(Gathered {
            files: records.len() + rejected.len(),
            accepted: records.len(),
            current: records,
            rejected,
            ..Gathered::default()
        })
    }
}

/// The figures of `scope`, one report per questionnaire.
pub fn reports(
    gathered: &Gathered,
    list: &IstatList,
    scope: &Scope,
    opts: AggregateOptions,
) -> Vec<Report> {
    aggregate::reports(&gathered.current, list, scope, opts)
}

/// The two CSV tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvTable {
    /// One row per comune.
    Comuni,
    /// One row per comune and question.
    Answers,
}

/// Write a CSV table of the comuni of `scope` (safe against formula
/// injection).
pub fn write_csv<W: Write>(
    out: W,
    gathered: &Gathered,
    list: &IstatList,
    scope: &Scope,
    table: CsvTable,
) -> csv::Result<()> {
    let rows = aggregate::in_scope(&gathered.current, list, scope);
    match table {
        CsvTable::Comuni => table::write_comuni(out, &rows, list),
        CsvTable::Answers => table::write_answers(out, &rows),
    }
}

/// Write a CSV table to a file, atomically. Returns the rows written.
pub fn save_csv(
    path: &Path,
    gathered: &Gathered,
    list: &IstatList,
    scope: &Scope,
    table: CsvTable,
) -> std::io::Result<usize> {
    let csv_error = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    };
    exchange::write_atomic_with(path, |w| {
        write_csv(w, gathered, list, scope, table).map_err(csv_error)
    })?;
    Ok(aggregate::in_scope(&gathered.current, list, scope).len())
}

/// The territorial summary PDF (in Italian) of `reports`.
pub fn region_pdf(
    reports: &[Report],
    scope: &Scope,
    generated_on: NaiveDate,
) -> Result<RenderedPdf, ReportError> {
    let info = RegionInfo {
        scope: &scope.describe(),
        generated_on,
    };
    report::region_pdf(reports, &info)
}
