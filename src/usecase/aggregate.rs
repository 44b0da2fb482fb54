//! A coordinator's figures: gather the current results (from files or
//! the coordinator database), aggregate them by territory, and write the
//! CSV tables and the territorial PDF summary.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::aggregate::{self, table, AggregateOptions, KeyBook, Record, Report, Scope};
use crate::coordinator::{CoordinatorDb, CoordinatorError};
use crate::exchange::{self, RejectionKind};
use crate::istat::IstatList;
use crate::load::Catalog;
use crate::report::{self, RegionInfo, RenderedPdf, ReportError};

use super::verify::{threads, verify_files};

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
    /// The current result of each comune (or office) and questionnaire.
    pub current: Vec<Record>,
    /// Accepted results replaced by a newer assessment.
    pub superseded: usize,
    /// Accepted re-sends of an assessment already counted.
    pub duplicates: usize,
    /// Files signed by another key than the first one seen for their
    /// comune.
    pub held_back: Vec<Rejection>,
    /// Files that failed a check.
    pub rejected: Vec<Rejection>,
    /// Warnings about accepted files: (file, warning).
    pub warnings: Vec<(String, String)>,
}

impl Gathered {
    /// Files accepted (current, superseded or duplicates).
    pub fn accepted(&self) -> usize {
        self.current.len() + self.superseded + self.duplicates
    }
}

/// Gather result files: verify each, keep the first key seen for each
/// organization (trust on first use within the batch; files signed by
/// another key are held back), then the current result of each.
pub fn gather_files(files: &[PathBuf], catalog: &Catalog) -> Gathered {
    let outcomes = verify_files(files, catalog, None, |path, outcome| {
        let name = path.display().to_string();
        match outcome {
            Ok(v) => Ok((Record::from_verified(&v, &name), v.warnings)),
            Err(e) => Err(Rejection {
                file: name,
                kind: e.rejection_kind(),
                reason: e.to_string(),
            }),
        }
    });
    let mut gathered = Gathered {
        files: files.len(),
        ..Gathered::default()
    };
    let mut records = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok((record, warnings)) => {
                for w in warnings {
                    gathered.warnings.push((record.source.clone(), w));
                }
                records.push(record);
            }
            Err(r) => gathered.rejected.push(r),
        }
    }
    let (trusted, held) = aggregate::check_keys(records, &mut KeyBook::default());
    gathered.held_back = held
        .iter()
        .map(|h| {
            let e = h.error();
            Rejection {
                file: h.record.source.clone(),
                kind: e.rejection_kind(),
                reason: e.to_string(),
            }
        })
        .collect();
    let selection = aggregate::select_current(trusted);
    gathered.superseded = selection.superseded.len();
    gathered.duplicates = selection.duplicates.len();
    gathered.current = selection.current;
    gathered
}

/// Gather the current results of a coordinator database (trust and
/// "current" were decided at import). Each is verified again and its
/// scores recomputed: nothing is taken from storage on trust; a stored
/// result that no longer verifies is reported as rejected.
pub fn gather_db(db: &CoordinatorDb, catalog: &Catalog) -> Result<Gathered, CoordinatorError> {
    let (records, bad) = db.current_records(catalog, threads())?;
    Ok(Gathered {
        files: records.len() + bad.len(),
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
#[derive(Debug, Default)]
pub struct VerifiedCache {
    records: HashMap<String, Record>,
}

impl VerifiedCache {
    /// Keep the record of a result verified elsewhere (at import).
    pub fn remember(&mut self, record: Record) {
        self.records.insert(record.payload_sha256.clone(), record);
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
        let missing: Vec<String> = index
            .iter()
            .filter(|sha| !self.records.contains_key(*sha))
            .cloned()
            .collect();
        let stored = db.current_results_by_sha(&missing)?;
        let outcomes = exchange::parallel_map(&stored, threads(), |r| {
            exchange::verify_bytes(&r.file, catalog, None)
                .map(|v| Record::from_verified(&v, &r.source))
                .map_err(|e| Rejection {
                    file: r.source.clone(),
                    kind: e.rejection_kind(),
                    reason: e.to_string(),
                })
        });
        let mut rejected = Vec::new();
        for outcome in outcomes {
            match outcome {
                Ok(record) => self.remember(record),
                Err(r) => rejected.push(r),
            }
        }
        let current: HashSet<&String> = index.iter().collect();
        self.records.retain(|sha, _| current.contains(sha));
        Ok(Gathered {
            files: index.len(),
            current: index
                .iter()
                .filter_map(|sha| self.records.get(sha).cloned())
                .collect(),
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
