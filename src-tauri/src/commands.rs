//! The commands the window may call: thin wrappers over the core library and
//! the store. Each one checks its input here, in Rust, before anything else,
//! and answers with an Italian message when something is wrong.

use chrono::Local;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};

use sentinella::model::{Audience, Organization, QuestionnaireRef};
use sentinella::store::NewAssessment;
use sentinella::validate::MAX_NOTE_CHARS;

use crate::comuni::{self, Comune};
use crate::dialogs;
use crate::error::{AppError, AppResult};
use crate::pdf;
use crate::result_file::{self, ExportSaved, KeyInfo};
use crate::state::{AppState, DB_FILE};
use crate::views::{
    self, AssessmentRow, AssessmentView, HistoryView, QuestionnaireSummary, ResultsView,
};

/// Longest free text accepted for a name or a role.
pub const MAX_NAME_CHARS: usize = 120;
/// Longest type-ahead query.
pub const MAX_QUERY_CHARS: usize = 80;
/// Most comuni returned by one type-ahead query.
pub const SEARCH_LIMIT: usize = 12;

fn check_id(id: i64) -> AppResult<i64> {
    if id > 0 {
        Ok(id)
    } else {
        Err(AppError::invalid("Identificativo non valido."))
    }
}

/// An id from the questionnaire files: short, letters, digits, `-_.`.
fn check_token<'a>(s: &'a str, what: &str) -> AppResult<&'a str> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(s)
    } else {
        Err(AppError::invalid(format!("{what} non valido.")))
    }
}

/// Free text on one line: trimmed, not empty, no control characters.
fn check_line(s: &str, what: &str, max: usize) -> AppResult<String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(AppError::invalid(format!("Scrivi {what}.")));
    }
    if t.chars().count() > max {
        return Err(AppError::invalid(format!(
            "Il testo di {what} è troppo lungo: al massimo {max} caratteri."
        )));
    }
    if t.chars().any(char::is_control) {
        return Err(AppError::invalid(format!(
            "Il testo di {what} contiene caratteri non ammessi."
        )));
    }
    Ok(t.to_string())
}

/// A note: may span lines; no other control characters; limited length.
fn check_note(note: Option<String>) -> AppResult<Option<String>> {
    let Some(n) = note else { return Ok(None) };
    if n.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::invalid(format!(
            "La nota è troppo lunga: al massimo {MAX_NOTE_CHARS} caratteri."
        )));
    }
    if n.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(AppError::invalid("La nota contiene caratteri non ammessi."));
    }
    Ok(Some(n))
}

/// What the home screen needs besides the list.
#[derive(Debug, Clone, Serialize)]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: String,
    pub database: String,
    pub questionnaires: Vec<QuestionnaireSummary>,
    pub comuni_count: usize,
    pub comuni_attribution: &'static str,
    pub pdf_available: bool,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn app_info(state: State<'_, AppState>) -> AppResult<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir().display().to_string(),
        database: state.data_dir().join(DB_FILE).display().to_string(),
        questionnaires: views::questionnaires(state.catalog()),
        comuni_count: comuni::count(),
        comuni_attribution: comuni::ATTRIBUTION,
        pdf_available: pdf::AVAILABLE,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_assessments(state: State<'_, AppState>) -> AppResult<Vec<AssessmentRow>> {
    state.with_store(|store, catalog| views::assessment_rows(store, catalog))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn search_comuni(query: String) -> AppResult<Vec<Comune>> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid("Ricerca troppo lunga."));
    }
    Ok(comuni::search(&query, SEARCH_LIMIT)
        .into_iter()
        .cloned()
        .collect())
}

/// The "new assessment" form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAssessmentInput {
    pub questionnaire_id: String,
    pub istat_code: String,
    /// For a Polis office: the office's name.
    #[serde(default)]
    pub office_name: Option<String>,
    pub assessor_role: String,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_assessment(
    state: State<'_, AppState>,
    input: NewAssessmentInput,
) -> AppResult<i64> {
    let qid = check_token(&input.questionnaire_id, "Questionario")?;
    let code = input.istat_code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid(
            "Scegli il comune dall'elenco (codice ISTAT di sei cifre).",
        ));
    }
    let Some(comune) = comuni::get(code) else {
        return Err(AppError::invalid(
            "Il codice ISTAT non corrisponde a nessun comune dell'elenco.",
        ));
    };
    let role = check_line(&input.assessor_role, "il tuo ruolo", MAX_NAME_CHARS)?;
    state.with_store(|store, catalog| {
        let Some(entry) = catalog.latest(qid) else {
            return Err(AppError::invalid("Questionario non disponibile."));
        };
        let q = &entry.questionnaire;
        let name = match q.audience {
            Audience::Comune => format!("Comune di {}", comune.name),
            Audience::PolisOffice => {
                let given = input.office_name.as_deref().unwrap_or("");
                check_line(given, "il nome dell'ufficio postale", MAX_NAME_CHARS)?
            }
        };
        let new = NewAssessment {
            organization: Organization {
                name,
                istat_code: comune.istat_code.clone(),
                province: comune.province.clone(),
                region: comune.region.clone(),
                population: comune.population,
                kind: q.audience,
            },
            questionnaire: QuestionnaireRef {
                id: q.id.clone(),
                version: q.version.clone(),
            },
            content_hash: entry.content_hash.clone(),
            assessor_role: Some(role),
            assessed_on: Local::now().date_naive(),
        };
        Ok(store.create_assessment(catalog, &new)?)
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_assessment(state: State<'_, AppState>, id: i64) -> AppResult<AssessmentView> {
    let id = check_id(id)?;
    state.with_store(|store, catalog| {
        let stored = store.load_assessment(id)?;
        let q = views::questionnaire_of(catalog, &stored.info)?;
        Ok(views::assessment_view(&stored, q))
    })
}

/// Confirmation of a committed save, with the progress after it.
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    pub saved_at: String,
    pub answered: usize,
    pub total: usize,
}

fn saved(at: chrono::DateTime<chrono::Utc>, view: &AssessmentView) -> Saved {
    Saved {
        saved_at: at.with_timezone(&Local).format("%H:%M:%S").to_string(),
        answered: view.progress.answered,
        total: view.progress.total,
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_context_answer(
    state: State<'_, AppState>,
    id: i64,
    question: String,
    option: String,
) -> AppResult<Saved> {
    let id = check_id(id)?;
    let question = check_token(&question, "Domanda")?;
    let option = check_token(&option, "Risposta")?;
    state.with_store(|store, catalog| {
        let s = store.save_context_answer(catalog, id, question, option)?;
        let stored = store.load_assessment(id)?;
        let q = views::questionnaire_of(catalog, &stored.info)?;
        Ok(saved(s.answered_at, &views::assessment_view(&stored, q)))
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_answer(
    state: State<'_, AppState>,
    id: i64,
    question: String,
    option: String,
    note: Option<String>,
) -> AppResult<Saved> {
    let id = check_id(id)?;
    let question = check_token(&question, "Domanda")?;
    let option = check_token(&option, "Risposta")?;
    let note = check_note(note)?;
    state.with_store(|store, catalog| {
        let s = store.save_answer(catalog, id, question, option, note.as_deref())?;
        let stored = store.load_assessment(id)?;
        let q = views::questionnaire_of(catalog, &stored.info)?;
        Ok(saved(s.answered_at, &views::assessment_view(&stored, q)))
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_position(state: State<'_, AppState>, id: i64, position: String) -> AppResult<()> {
    let id = check_id(id)?;
    let position = check_token(&position, "Posizione")?;
    state.with_store(|store, catalog| Ok(store.set_last_position(catalog, id, position)?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn complete_assessment(state: State<'_, AppState>, id: i64) -> AppResult<()> {
    let id = check_id(id)?;
    state.with_store(|store, _| Ok(store.complete(id)?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn reopen_assessment(state: State<'_, AppState>, id: i64) -> AppResult<()> {
    let id = check_id(id)?;
    state.with_store(|store, _| Ok(store.reopen(id)?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_assessment(state: State<'_, AppState>, id: i64) -> AppResult<()> {
    let id = check_id(id)?;
    state.with_store(|store, _| Ok(store.delete_assessment(id)?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_results(state: State<'_, AppState>, id: i64) -> AppResult<ResultsView> {
    let id = check_id(id)?;
    state.with_store(|store, catalog| {
        let stored = store.load_assessment(id)?;
        let q = views::questionnaire_of(catalog, &stored.info)?;
        let prev = match store.previous_completed(id)? {
            Some(p) => {
                let ps = store.load_assessment(p.id)?;
                views::questionnaire_of(catalog, &ps.info)
                    .ok()
                    .map(|pq| (ps, pq))
            }
            None => None,
        };
        Ok(views::results_view(
            &stored,
            q,
            prev.as_ref().map(|(ps, pq)| (ps, *pq)),
        ))
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_history(
    state: State<'_, AppState>,
    organization_id: i64,
) -> AppResult<HistoryView> {
    let org = check_id(organization_id)?;
    state.with_store(|store, catalog| views::history_view(store, catalog, org))
}

/// Where the PDF went: `None` when the user closed the dialog.
#[derive(Debug, Clone, Serialize)]
pub struct PdfSaved {
    pub path: Option<String>,
    pub bytes: usize,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn generate_pdf<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> AppResult<PdfSaved> {
    let id = check_id(id)?;
    // Render first, so a failure never leaves the user with an empty file.
    let (bytes, suggested) = state.with_store(|store, catalog| pdf::render(store, catalog, id))?;
    let path = dialogs::save_file(&app, "Salva il piano PDF", &suggested, dialogs::PDF, &bytes)?;
    Ok(PdfSaved {
        bytes: if path.is_some() { bytes.len() } else { 0 },
        path: path.map(|p| p.display().to_string()),
    })
}

/// The installation's signing key (created on first use), whose short
/// fingerprint the comune tells its coordinator.
#[tauri::command(rename_all = "snake_case")]
pub async fn signing_key(state: State<'_, AppState>) -> AppResult<KeyInfo> {
    Ok(result_file::key_info(&result_file::key(state.data_dir())?))
}

/// "Esporta risultati": sign the result file of a completed assessment and
/// save it where the user chooses. Notes only when asked (`with_notes`).
#[tauri::command(rename_all = "snake_case")]
pub async fn export_result<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
    with_notes: bool,
) -> AppResult<ExportSaved> {
    let id = check_id(id)?;
    let key = result_file::key(state.data_dir())?;
    // Build and check first, so a failure never leaves a file behind.
    let export = state
        .with_store(|store, catalog| result_file::build(store, catalog, &key, id, with_notes))?;
    let path = dialogs::save_file(
        &app,
        "Salva il file dei risultati",
        &export.file_name,
        dialogs::JSON,
        &export.bytes,
    )?;
    Ok(ExportSaved::new(path, &key, with_notes, export.notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_lines_are_checked() {
        assert!(check_token("q-01_a.b", "x").is_ok());
        assert!(check_token("", "x").is_err());
        assert!(check_token("a b", "x").is_err());
        assert!(check_token("<script>", "x").is_err());
        assert!(check_token(&"a".repeat(65), "x").is_err());
        assert_eq!(check_line("  RTD ", "r", 10).as_deref(), Ok("RTD"));
        assert!(check_line("   ", "r", 10).is_err());
        assert!(check_line("a\u{0}b", "r", 10).is_err());
        assert!(check_line(&"à".repeat(11), "r", 10).is_err());
        assert!(check_note(Some("riga 1\nriga 2".into())).is_ok());
        assert!(check_note(Some("\u{7}".into())).is_err());
        assert!(check_note(Some("x".repeat(MAX_NOTE_CHARS + 1))).is_err());
        assert!(check_id(0).is_err());
        assert!(check_id(-3).is_err());
    }
}
