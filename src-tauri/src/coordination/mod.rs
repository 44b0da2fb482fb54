//! The "Coordinamento" section: import result files from many comuni into
//! the coordinator database, see what the territory needs, export tables.
//! Adapters over [`sentinella::usecase`] (collect, territory, aggregate);
//! the long work runs off the async runtime.

pub mod desk;
pub mod texts;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};

use sentinella::aggregate::{AggregateOptions, Report, Scope};
use sentinella::coordinator::{FileReport, KeyRecord, Outcome, Progress};
use sentinella::exchange::RejectionKind;
use sentinella::istat::IstatList;
use sentinella::model::Audience;
use sentinella::usecase::aggregate::{self as agg, Gathered};
use sentinella::usecase::{collect, names, territory};

use crate::dialogs;
use crate::error::{AppError, AppResult};
use crate::inputs::{acceptance, ImportSource, ScopeInput, TableInput};
use crate::state::AppState;

pub use desk::{Desk, COORDINATOR_DB_FILE};

/// The ISTAT list compiled into the program.
pub fn istat() -> AppResult<&'static IstatList> {
    IstatList::builtin().map_err(|e| {
        eprintln!("sentinella-app: ISTAT list not usable: {e}");
        AppError::new("L'elenco ISTAT dei comuni non è utilizzabile in questa installazione.")
    })
}

/// Run `f` off the async runtime (verifying thousands of files takes
/// seconds), with the app's state.
async fn blocking<R: Runtime, T: Send + 'static>(
    app: &AppHandle<R>,
    f: impl FnOnce(&AppState) -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(|e| {
            eprintln!("sentinella-app: background task failed: {e}");
            AppError::new("Operazione interrotta da un errore interno. Riprova.")
        })?
}

/// A province for the territory menu.
#[derive(Debug, Clone, Serialize)]
pub struct ProvinceItem {
    pub abbreviation: String,
    pub name: String,
    pub region: String,
}

/// A held-back file, as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct HeldView {
    pub file: String,
    pub istat_code: String,
    pub organization_kind: Audience,
    pub signer: String,
}

/// The section's first screen.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub database: String,
    pub keys: Vec<KeyRecord>,
    pub results: i64,
    pub current: i64,
    pub regions: Vec<String>,
    pub provinces: Vec<ProvinceItem>,
    pub held: Vec<HeldView>,
}

fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn overview(state: &AppState) -> AppResult<Overview> {
    let list = istat()?;
    state.with_desk(|desk| {
        let counts = desk.db.counts()?;
        Ok(Overview {
            database: desk.db.path().display().to_string(),
            keys: desk.db.keys()?,
            results: counts.results,
            current: counts.current,
            regions: list.regions().into_iter().map(String::from).collect(),
            provinces: list
                .provinces()
                .into_iter()
                .map(|p| ProvinceItem {
                    abbreviation: p.abbreviation,
                    name: p.name,
                    region: p.region,
                })
                .collect(),
            held: desk
                .held
                .iter()
                .map(|h| HeldView {
                    file: file_label(&h.path),
                    istat_code: h.acceptance.istat_code.clone(),
                    organization_kind: h.acceptance.kind,
                    signer: sentinella::keys::format_fingerprint(&h.acceptance.fingerprint),
                })
                .collect(),
        })
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn coord_overview<R: Runtime>(app: AppHandle<R>) -> AppResult<Overview> {
    blocking(&app, overview).await
}

/// One line of the import report.
#[derive(Debug, Clone, Serialize)]
pub struct ImportRow {
    pub file: String,
    pub outcome: &'static str,
    pub label: &'static str,
    pub accepted: bool,
    pub organization: Option<String>,
    pub istat_code: Option<String>,
    /// `comune` or `polis_office`.
    pub organization_kind: Option<Audience>,
    pub reason: Option<&'static str>,
    pub signer: Option<String>,
    pub expected_signer: Option<String>,
}

/// The report at the end of an import.
#[derive(Debug, Clone, Serialize)]
pub struct ImportView {
    /// `false` when the user closed the dialog.
    pub done: bool,
    pub folder: Option<String>,
    pub files: usize,
    pub accepted: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub held_back: usize,
    pub rejected: usize,
    pub rows: Vec<ImportRow>,
}

fn import_view(folder: Option<String>, paths: &[PathBuf], reports: &[FileReport]) -> ImportView {
    let count = |f: &dyn Fn(Outcome) -> bool| reports.iter().filter(|r| f(r.outcome)).count();
    let mut rows: Vec<ImportRow> = paths
        .iter()
        .zip(reports)
        .map(|(path, r)| ImportRow {
            file: file_label(path),
            outcome: r.outcome.id(),
            label: texts::outcome_label(r.outcome),
            accepted: r.outcome.accepted(),
            organization: r.organization.clone(),
            istat_code: r.istat_code.clone(),
            organization_kind: r.organization_kind,
            reason: r.kind.and_then(RejectionKind::from_id).map(texts::reason),
            signer: r.signer.clone(),
            expected_signer: r.expected_signer.clone(),
        })
        .collect();
    // Problems first: they are what the coordinator must act on.
    rows.sort_by_key(|r| match r.outcome {
        "held_back" => 0,
        "rejected" => 1,
        _ => 2,
    });
    ImportView {
        done: true,
        folder,
        files: reports.len(),
        accepted: count(&|o| matches!(o, Outcome::New | Outcome::History)),
        replaced: count(&|o| matches!(o, Outcome::Replaced | Outcome::Updated)),
        unchanged: count(&|o| o == Outcome::Unchanged),
        held_back: count(&|o| o == Outcome::HeldBack),
        rejected: count(&|o| o == Outcome::Rejected),
        rows,
    }
}

fn cancelled() -> ImportView {
    ImportView {
        done: false,
        folder: None,
        files: 0,
        accepted: 0,
        replaced: 0,
        unchanged: 0,
        held_back: 0,
        rejected: 0,
        rows: Vec::new(),
    }
}

/// Import `paths`; remember what was held back.
fn import_paths(
    state: &AppState,
    paths: &[PathBuf],
    progress: impl FnMut(Progress),
) -> AppResult<Vec<FileReport>> {
    state.with_desk(|desk| {
        let collected = collect::collect(
            &mut desk.db,
            paths,
            state.catalog(),
            &BTreeSet::new(),
            Some(&mut desk.verified),
            progress,
        )?;
        desk.held = collected.held;
        Ok(collected.reports)
    })
}

/// Most files one import takes (a region has at most about 1,500 comuni;
/// all of Italy about 8,000).
pub const MAX_IMPORT_FILES: usize = 20_000;

/// Import a folder or chosen files.
#[tauri::command(rename_all = "snake_case")]
pub async fn coord_import<R: Runtime>(
    app: AppHandle<R>,
    source: ImportSource,
    on_progress: Channel<Progress>,
) -> AppResult<ImportView> {
    let (folder, paths) = match source {
        ImportSource::Folder => {
            let Some(dir) =
                dialogs::pick_folder(&app, "Scegli la cartella con i file dei risultati")
            else {
                return Ok(cancelled());
            };
            let files = sentinella::usecase::verify::result_files_in(&dir).map_err(|e| {
                eprintln!("sentinella-app: cannot list {}: {e}", dir.display());
                AppError::new(format!(
                    "Non riesco a leggere la cartella {}.",
                    dir.display()
                ))
            })?;
            (Some(dir.display().to_string()), files)
        }
        ImportSource::Files => {
            match dialogs::pick_result_files(&app, "Scegli i file dei risultati") {
                Some(files) => (None, files),
                None => return Ok(cancelled()),
            }
        }
    };
    if paths.is_empty() {
        return Err(AppError::invalid(
            "In questa cartella non ci sono file di risultati (file .json, oppure .p7m o .eml ricevuti per PEC).",
        ));
    }
    if paths.len() > MAX_IMPORT_FILES {
        return Err(AppError::invalid(format!(
            "La cartella contiene {} file: al massimo {MAX_IMPORT_FILES} per volta.",
            paths.len()
        )));
    }
    blocking(&app, move |state| {
        let reports = import_paths(state, &paths, |p| {
            // A closed page cannot take the message: the import goes on.
            let _ = on_progress.send(p);
        })?;
        Ok(import_view(folder, &paths, &reports))
    })
    .await
}

/// Accept a new key for one comune or Polis office (after the coordinator
/// confirmed its fingerprint with them) and import that organization's
/// files held back by the last import; the others stay held back.
#[tauri::command(rename_all = "snake_case")]
pub async fn coord_accept_key<R: Runtime>(
    app: AppHandle<R>,
    istat_code: String,
    kind: Audience,
    fingerprint: String,
) -> AppResult<ImportView> {
    let wanted = acceptance(&istat_code, kind, &fingerprint)?;
    blocking(&app, move |state| {
        state.with_desk(|desk| {
            let (paths, collected) = collect::accept_key(
                &mut desk.db,
                &mut desk.held,
                &wanted,
                state.catalog(),
                Some(&mut desk.verified),
            )?;
            Ok(import_view(None, &paths, &collected.reports))
        })
    })
    .await
}

/// The territory of a request, from the ISTAT list.
fn scope_of(input: &ScopeInput) -> AppResult<(Scope, &'static IstatList)> {
    let list = istat()?;
    Ok((territory::resolve(&input.0, list)?, list))
}

/// The dashboard of a territory.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    /// One report per questionnaire (comuni, Polis offices).
    pub reports: Vec<Report>,
    /// The tiers, lowest first, with their thresholds (the chart uses them).
    pub tiers: Vec<crate::views::TierView>,
    /// Stored results that no longer verify (left out).
    pub unverifiable: usize,
}

/// The current results of the coordinator database (each verified once).
fn gathered(state: &AppState) -> AppResult<Gathered> {
    state.with_desk(|desk| {
        let g = desk.verified.gather(&desk.db, state.catalog())?;
        for b in &g.rejected {
            eprintln!(
                "sentinella-app: stored result {} no longer verifies: {}",
                b.file, b.reason
            );
        }
        Ok(g)
    })
}

fn dashboard(state: &AppState, scope: &Scope, list: &IstatList) -> AppResult<Dashboard> {
    let g = gathered(state)?;
    Ok(Dashboard {
        reports: agg::reports(&g, list, scope, AggregateOptions::default()),
        tiers: crate::views::tiers(),
        unverifiable: g.rejected.len(),
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn coord_dashboard<R: Runtime>(
    app: AppHandle<R>,
    scope: ScopeInput,
) -> AppResult<Dashboard> {
    let (scope, list) = scope_of(&scope)?;
    blocking(&app, move |state| dashboard(state, &scope, list)).await
}

/// The outcome of "Verifica l'archivio".
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveCheck {
    /// Current results checked.
    pub checked: usize,
    /// Of those, still intact.
    pub verified: usize,
    /// The others: the stored file and what is wrong with it (Italian).
    pub failed: Vec<ArchiveFailure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArchiveFailure {
    pub file: String,
    pub reason: &'static str,
}

/// Verify again every current result of the archive from its stored bytes
/// (the dashboard verifies each once per session; this is the explicit
/// check, the same as `sentinella verify --db`). The session's cache is
/// refreshed with what was found.
#[tauri::command(rename_all = "snake_case")]
pub async fn coord_verify_archive<R: Runtime>(app: AppHandle<R>) -> AppResult<ArchiveCheck> {
    blocking(&app, |state| {
        state.with_desk(|desk| {
            let g = agg::gather_db(&desk.db, state.catalog())?;
            desk.verified = agg::VerifiedCache::default();
            for r in &g.current {
                desk.verified.remember(r.clone());
            }
            for b in &g.rejected {
                eprintln!(
                    "sentinella-app: stored result {} no longer verifies: {}",
                    b.file, b.reason
                );
            }
            Ok(ArchiveCheck {
                checked: g.accepted + g.rejected.len(),
                verified: g.accepted,
                failed: g
                    .rejected
                    .iter()
                    .map(|r| ArchiveFailure {
                        file: r.file.clone(),
                        reason: texts::reason(r.kind),
                    })
                    .collect(),
            })
        })
    })
    .await
}

/// Where an exported file went (`None`: the user closed the dialog).
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    pub path: Option<String>,
}

/// Export the comuni of a territory as a CSV table.
#[tauri::command(rename_all = "snake_case")]
pub async fn coord_export_csv<R: Runtime>(
    app: AppHandle<R>,
    scope: ScopeInput,
    table: TableInput,
) -> AppResult<Saved> {
    let (scope, list) = scope_of(&scope)?;
    let name = names::csv(table.0, &scope);
    let bytes = blocking(&app, move |state| {
        let mut out = Vec::new();
        agg::write_csv(&mut out, &gathered(state)?, list, &scope, table.0).map_err(|e| {
            eprintln!("sentinella-app: CSV failed: {e}");
            AppError::new("Non è stato possibile preparare la tabella.")
        })?;
        Ok(out)
    })
    .await?;
    let path = dialogs::save_file(&app, "Salva la tabella", &name, dialogs::CSV, &bytes)?;
    Ok(Saved {
        path: path.map(|p| p.display().to_string()),
    })
}

/// The regional summary PDF of a territory (the same document as
/// `sentinella aggregate --pdf`), saved where the user chooses.
#[tauri::command(rename_all = "snake_case")]
pub async fn coord_export_pdf<R: Runtime>(
    app: AppHandle<R>,
    scope: ScopeInput,
) -> AppResult<Saved> {
    let (scope, list) = scope_of(&scope)?;
    let name = names::region_pdf(&scope);
    // Render first, so a failure never leaves the user with an empty file.
    let bytes = blocking(&app, move |state| {
        let reports = agg::reports(&gathered(state)?, list, &scope, AggregateOptions::default());
        agg::region_pdf(&reports, &scope, chrono::Local::now().date_naive())
            .map(|pdf| pdf.bytes)
            .map_err(|e| {
                eprintln!("sentinella-app: summary PDF failed: {e}");
                AppError::new("Non è stato possibile preparare la sintesi PDF.")
            })
    })
    .await?;
    let path = dialogs::save_file(&app, "Salva la sintesi PDF", &name, dialogs::PDF, &bytes)?;
    Ok(Saved {
        path: path.map(|p| p.display().to_string()),
    })
}
