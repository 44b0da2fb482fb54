//! "Genera piano PDF": render the plan, ask where to save it with the
//! native dialog, write the file from Rust.
//!
//! The document itself is built by the core library
//! ([`sentinella::report::plan_pdf`]); this module adds the previous
//! assessment for "what changed", the dialog and the file.

use std::io::Write;
use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use sentinella::load::Catalog;
use sentinella::plan;
use sentinella::report::{plan_pdf, PlanReport, PreviousAssessment};
use sentinella::store::Store;

use crate::error::{AppError, AppResult};
use crate::views;

/// Whether this build can produce the plan PDF.
pub const AVAILABLE: bool = true;

/// For the end-to-end tests only: when set, the save dialog is skipped and
/// the PDF is written to this path (a native GTK dialog cannot be driven
/// through WebDriver).
pub const SAVE_PATH_ENV: &str = "SENTINELLA_E2E_PDF_PATH";

/// The PDF bytes and a suggested file name.
pub fn render(store: &Store, catalog: &Catalog, id: i64) -> AppResult<(Vec<u8>, String)> {
    let stored = store.load_assessment(id)?;
    let q = views::questionnaire_of(catalog, &stored.info)?;
    let (score, plan) = views::score_and_plan(q, &stored.sheet);
    // The latest earlier completed assessment of the same organization.
    let previous = match store.previous_completed(id)? {
        Some(p) => {
            let ps = store.load_assessment(p.id)?;
            match views::questionnaire_of(catalog, &ps.info) {
                Ok(pq) => {
                    let (pscore, pplan) = views::score_and_plan(pq, &ps.sheet);
                    Some((
                        ps.info.assessed_on,
                        plan::compare((&pscore, &pplan), (&score, &plan)),
                    ))
                }
                Err(_) => None,
            }
        }
        None => None,
    };
    let report = PlanReport {
        questionnaire: q,
        sheet: &stored.sheet,
        score: &score,
        plan: &plan,
        previous: previous.as_ref().map(|(day, c)| PreviousAssessment {
            assessed_on: *day,
            comparison: c,
        }),
    };
    let pdf = plan_pdf(&report).map_err(|e| {
        eprintln!("sentinella-app: plan PDF failed: {e}");
        AppError::new(
            "Non è stato possibile preparare il piano PDF. Le risposte non sono state toccate.",
        )
    })?;
    Ok((
        pdf.bytes,
        file_name(&stored.info.organization.name, stored.info.assessed_on),
    ))
}

/// "Piano di sicurezza - Comune di Proceno - 2026-11-24.pdf", with any
/// character that is awkward in a file name replaced.
pub fn file_name(organization: &str, day: chrono::NaiveDate) -> String {
    let clean: String = organization
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '.' | ',') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    format!("Piano di sicurezza - {} - {day}.pdf", clean.trim())
}

/// Ask the user where to save (native dialog). `None` when cancelled.
pub fn choose_path<R: Runtime>(app: &AppHandle<R>, suggested: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(SAVE_PATH_ENV) {
        return Some(PathBuf::from(p));
    }
    let chosen = app
        .dialog()
        .file()
        .set_title("Salva il piano PDF")
        .set_file_name(suggested)
        .add_filter("Documento PDF", &["pdf"])
        .blocking_save_file()?;
    let mut path = chosen.into_path().ok()?;
    if path.extension().is_none() {
        path.set_extension("pdf");
    }
    Some(path)
}

/// Write the file: to a temporary file beside it, then renamed, so a crash
/// never leaves half a PDF under the chosen name.
pub fn write(path: &Path, bytes: &[u8]) -> AppResult<()> {
    let fail = |e: std::io::Error| {
        eprintln!("sentinella-app: cannot write {}: {e}", path.display());
        AppError::new(format!(
            "Non riesco a salvare il file {}. Scegli un'altra cartella.",
            path.display()
        ))
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("piano.pdf")
    ));
    let mut f = std::fs::File::create(&tmp).map_err(fail)?;
    f.write_all(bytes).map_err(fail)?;
    f.sync_all().map_err(fail)?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}
