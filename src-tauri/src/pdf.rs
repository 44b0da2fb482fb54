//! "Genera piano PDF": render the plan of an assessment.
//!
//! The document itself is built by the core library
//! ([`sentinella::report::plan_pdf`]); this module adds the previous
//! assessment for "what changed" and a file name. The dialog and the write
//! are in [`crate::dialogs`].

use sentinella::load::Catalog;
use sentinella::plan;
use sentinella::report::{plan_pdf, PlanReport, PreviousAssessment};
use sentinella::store::Store;

use crate::dialogs;
use crate::error::{AppError, AppResult};
use crate::views;

/// Whether this build can produce the plan PDF.
pub const AVAILABLE: bool = true;

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
    format!(
        "Piano di sicurezza - {} - {day}.pdf",
        dialogs::file_name_part(organization)
    )
}
