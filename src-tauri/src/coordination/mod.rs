//! The "Coordinamento" section: import result files from many comuni into
//! the coordinator database, see what the territory needs, export tables.
//! Thin commands over [`sentinella::coordinator`] and
//! [`sentinella::aggregate`]; the long work runs off the async runtime.

pub mod desk;
pub mod texts;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};

use sentinella::aggregate::{self, table, AggregateOptions, Report, Scope};
use sentinella::coordinator::{self, Acceptance, FileReport, KeyRecord, Outcome, Progress};
use sentinella::istat::IstatList;
use sentinella::model::Audience;
use sentinella::report::{region_pdf, RegionInfo};
use sentinella::scoring::Tier;

use crate::dialogs;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub use desk::{Desk, HeldFile, COORDINATOR_DB_FILE};

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn istat() -> AppResult<&'static IstatList> {
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
        let counts = desk.db.counts().map_err(desk::coordinator_error)?;
        Ok(Overview {
            database: desk.db.path().display().to_string(),
            keys: desk.db.keys().map_err(desk::coordinator_error)?,
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
            reason: r.kind.map(texts::reason),
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

/// Import `paths`, accepting `accept` (each a key for one organization);
/// remember what was held back.
fn import_paths(
    state: &AppState,
    paths: &[PathBuf],
    accept: &BTreeSet<Acceptance>,
    progress: impl FnMut(Progress),
) -> AppResult<Vec<FileReport>> {
    state.with_desk(|desk| {
        let reports = coordinator::collect_files(
            &mut desk.db,
            paths,
            state.catalog(),
            accept,
            threads(),
            progress,
        )
        .map_err(desk::coordinator_error)?;
        desk.held = paths
            .iter()
            .zip(&reports)
            .filter_map(|(p, r)| {
                r.acceptance().map(|acceptance| HeldFile {
                    path: p.clone(),
                    acceptance,
                })
            })
            .collect();
        Ok(reports)
    })
}

/// Most files one import takes (a region has at most about 1,500 comuni;
/// all of Italy about 8,000).
pub const MAX_IMPORT_FILES: usize = 20_000;

/// Import a folder (`source` = "folder") or chosen files ("files").
#[tauri::command(rename_all = "snake_case")]
pub async fn coord_import<R: Runtime>(
    app: AppHandle<R>,
    source: String,
    on_progress: Channel<Progress>,
) -> AppResult<ImportView> {
    let (folder, paths) = match source.as_str() {
        "folder" => {
            let Some(dir) =
                dialogs::pick_folder(&app, "Scegli la cartella con i file dei risultati")
            else {
                return Ok(cancelled());
            };
            let files = sentinella::load::json_files(&dir).map_err(|e| {
                eprintln!("sentinella-app: cannot list {}: {e}", dir.display());
                AppError::new(format!(
                    "Non riesco a leggere la cartella {}.",
                    dir.display()
                ))
            })?;
            (Some(dir.display().to_string()), files)
        }
        "files" => match dialogs::pick_result_files(&app, "Scegli i file dei risultati") {
            Some(files) => (None, files),
            None => return Ok(cancelled()),
        },
        _ => return Err(AppError::invalid("Origine dei file non valida.")),
    };
    if paths.is_empty() {
        return Err(AppError::invalid(
            "In questa cartella non ci sono file di risultati (file .json).",
        ));
    }
    if paths.len() > MAX_IMPORT_FILES {
        return Err(AppError::invalid(format!(
            "La cartella contiene {} file: al massimo {MAX_IMPORT_FILES} per volta.",
            paths.len()
        )));
    }
    blocking(&app, move |state| {
        let reports = import_paths(state, &paths, &BTreeSet::new(), |p| {
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
    if fingerprint.len() > 32 {
        return Err(AppError::invalid("Codice della chiave non valido."));
    }
    let wanted = Acceptance::new(&istat_code, kind, &fingerprint)
        .map_err(|_| AppError::invalid("Codice della chiave non valido."))?;
    blocking(&app, move |state| {
        // Split the held-back files: that organization's files signed by
        // the accepted key are imported again; the others stay held back.
        let (chosen, others): (Vec<HeldFile>, Vec<HeldFile>) = state.with_desk(|desk| {
            Ok(desk
                .held
                .iter()
                .cloned()
                .partition(|h| h.acceptance == wanted))
        })?;
        if chosen.is_empty() {
            return Err(AppError::invalid(
                "Nessun file trattenuto di questo ente è firmato con questa chiave.",
            ));
        }
        let paths: Vec<PathBuf> = chosen.into_iter().map(|h| h.path).collect();
        let accept = BTreeSet::from([wanted]);
        let reports = import_paths(state, &paths, &accept, |_| {})?;
        state.with_desk(|desk| {
            desk.held.extend(others);
            Ok(())
        })?;
        Ok(import_view(None, &paths, &reports))
    })
    .await
}

/// The territory the page asks about.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeInput {
    /// "italy", "region" or "province".
    pub kind: String,
    /// The region's name or the province's abbreviation.
    #[serde(default)]
    pub value: Option<String>,
}

fn scope_of(input: &ScopeInput, list: &IstatList) -> AppResult<Scope> {
    let value = input.value.as_deref().unwrap_or("");
    if value.len() > 100 {
        return Err(AppError::invalid("Territorio non valido."));
    }
    match input.kind.as_str() {
        "italy" => Ok(Scope::Italy),
        "region" => list
            .regions()
            .into_iter()
            .find(|r| *r == value)
            .map(|r| Scope::Region(r.to_string()))
            .ok_or_else(|| AppError::invalid("Regione non trovata nell'elenco ISTAT.")),
        "province" => list
            .provinces()
            .into_iter()
            .find(|p| p.abbreviation == value)
            .map(Scope::Province)
            .ok_or_else(|| AppError::invalid("Provincia non trovata nell'elenco ISTAT.")),
        _ => Err(AppError::invalid("Territorio non valido.")),
    }
}

/// A tier as the page names it.
#[derive(Debug, Clone, Serialize)]
pub struct TierLabel {
    pub id: &'static str,
    pub label: &'static str,
}

/// The dashboard of a territory.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    /// One report per questionnaire (comuni, Polis offices).
    pub reports: Vec<Report>,
    /// The tiers, lowest first: id and Italian label.
    pub tiers: Vec<TierLabel>,
    /// Stored results that no longer verify (left out).
    pub unverifiable: usize,
}

/// The current results, verified again; how many no longer verify.
fn current_records(state: &AppState) -> AppResult<(Vec<aggregate::Record>, usize)> {
    state.with_desk(|desk| {
        let (records, bad) = desk
            .db
            .current_records(state.catalog(), threads())
            .map_err(desk::coordinator_error)?;
        for b in &bad {
            eprintln!(
                "sentinella-app: stored result {} no longer verifies: {}",
                b.source, b.reason
            );
        }
        Ok((records, bad.len()))
    })
}

fn dashboard(state: &AppState, scope: &Scope, list: &IstatList) -> AppResult<Dashboard> {
    let (records, unverifiable) = current_records(state)?;
    Ok(Dashboard {
        reports: aggregate::reports(&records, list, scope, AggregateOptions::default()),
        tiers: [
            Tier::Initial,
            Tier::Developing,
            Tier::Established,
            Tier::Advanced,
        ]
        .into_iter()
        .map(|t| TierLabel {
            id: t.id(),
            label: t.label_it(),
        })
        .collect(),
        unverifiable,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn coord_dashboard<R: Runtime>(
    app: AppHandle<R>,
    scope: ScopeInput,
) -> AppResult<Dashboard> {
    let list = istat()?;
    let scope = scope_of(&scope, list)?;
    blocking(&app, move |state| dashboard(state, &scope, list)).await
}

/// Where an exported file went (`None`: the user closed the dialog).
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    pub path: Option<String>,
}

fn scope_file_part(scope: &Scope) -> String {
    dialogs::file_name_part(&match scope {
        Scope::Italy => "Italia".to_string(),
        Scope::Region(r) => r.replace('/', "-"),
        Scope::Province(p) => format!("Provincia di {}", p.name),
    })
}

/// Export the comuni of a territory as CSV: `table` = "comuni" (one row per
/// comune) or "answers" (one row per comune and question).
#[tauri::command(rename_all = "snake_case")]
pub async fn coord_export_csv<R: Runtime>(
    app: AppHandle<R>,
    scope: ScopeInput,
    table: String,
) -> AppResult<Saved> {
    let list = istat()?;
    let scope = scope_of(&scope, list)?;
    let per_answer = match table.as_str() {
        "comuni" => false,
        "answers" => true,
        _ => return Err(AppError::invalid("Tabella non valida.")),
    };
    let bytes = blocking(&app, move |state| {
        let (records, _) = current_records(state)?;
        let rows = aggregate::in_scope(&records, list, &scope);
        let mut out = Vec::new();
        let written = if per_answer {
            table::write_answers(&mut out, &rows)
        } else {
            table::write_comuni(&mut out, &rows, list)
        };
        written.map_err(|e| {
            eprintln!("sentinella-app: CSV failed: {e}");
            AppError::new("Non è stato possibile preparare la tabella.")
        })?;
        Ok((out, scope))
    })
    .await?;
    let (bytes, scope) = bytes;
    let name = format!(
        "Sentinella - {} - {}.csv",
        if per_answer { "risposte" } else { "comuni" },
        scope_file_part(&scope)
    );
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
    let list = istat()?;
    let scope = scope_of(&scope, list)?;
    let name = format!("Sintesi territoriale - {}.pdf", scope_file_part(&scope));
    // Render first, so a failure never leaves the user with an empty file.
    let bytes = blocking(&app, move |state| {
        let (records, _) = current_records(state)?;
        let reports = aggregate::reports(&records, list, &scope, AggregateOptions::default());
        let info = RegionInfo {
            scope: &scope.describe(),
            generated_on: chrono::Local::now().date_naive(),
        };
        region_pdf(&reports, &info)
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
