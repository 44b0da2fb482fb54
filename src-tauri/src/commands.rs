//! The commands the window may call: adapters over the library's use
//! cases ([`sentinella::usecase`]). Each one parses its input here, in
//! Rust (ids, tokens, free text; see also [`crate::inputs`]), calls one
//! operation, and presents the result with Italian words ([`crate::views`]).

use chrono::Local;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};

use sentinella::ids::IstatCode;
use sentinella::usecase::assessment::{self as assessments, AnswerInput, NewAssessmentRequest};
use sentinella::usecase::export::{self as export, KeyInfo};
use sentinella::usecase::planning;
use sentinella::validate::MAX_NOTE_CHARS;

use crate::comuni::{self, Comune};
use crate::dialogs;
use crate::error::{key_error, AppError, AppResult};
use crate::inputs::{Id, OrganizationId};
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
/// Folder of the signing key inside the data directory.
pub const KEYS_DIR: &str = "chiavi";

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
        // With the versions received by pack: offered for new assessments.
        questionnaires: state
            .with_store(|_, catalog| Ok(views::questionnaires(catalog)))
            .unwrap_or_else(|_| views::questionnaires(state.catalog())),
        comuni_count: comuni::count(),
        comuni_attribution: comuni::ATTRIBUTION,
        pdf_available: true,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_assessments(state: State<'_, AppState>) -> AppResult<Vec<AssessmentRow>> {
    state.with_store(|store, catalog| {
        let listed = assessments::list(store, catalog)?;
        Ok(views::assessment_rows(listed, catalog))
    })
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

impl NewAssessmentInput {
    /// Check the form and turn it into the library's request.
    fn parse(self) -> AppResult<NewAssessmentRequest> {
        let questionnaire_id = check_token(&self.questionnaire_id, "Questionario")?.to_string();
        let istat_code: IstatCode = self.istat_code.parse().map_err(|_| {
            AppError::invalid("Scegli il comune dall'elenco (codice ISTAT di sei cifre).")
        })?;
        let role = check_line(&self.assessor_role, "il tuo ruolo", MAX_NAME_CHARS)?;
        let office_name = self
            .office_name
            .filter(|n| !n.trim().is_empty())
            .map(|n| check_line(&n, "il nome dell'ufficio postale", MAX_NAME_CHARS))
            .transpose()?;
        Ok(NewAssessmentRequest {
            questionnaire_id,
            istat_code,
            office_name,
            assessor_role: Some(role),
            assessed_on: Local::now().date_naive(),
        })
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_assessment(
    state: State<'_, AppState>,
    input: NewAssessmentInput,
) -> AppResult<i64> {
    let request = input.parse()?;
    let list = crate::coordination::istat()?;
    state
        .with_store(|store, catalog| Ok(assessments::create(store, catalog, list, &request)?.get()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_assessment(state: State<'_, AppState>, id: Id) -> AppResult<AssessmentView> {
    state.with_store(|store, catalog| {
        Ok(views::assessment_view(&assessments::snapshot(
            store, catalog, id.0,
        )?))
    })
}

/// Confirmation of a committed save, with the progress after it.
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    pub saved_at: String,
    pub answered: usize,
    pub total: usize,
}

impl From<assessments::Saved> for Saved {
    fn from(s: assessments::Saved) -> Saved {
        Saved {
            saved_at: s.at.with_timezone(&Local).format("%H:%M:%S").to_string(),
            answered: s.progress.answered,
            total: s.progress.total,
        }
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_context_answer(
    state: State<'_, AppState>,
    id: Id,
    question: String,
    option: String,
) -> AppResult<Saved> {
    let question = check_token(&question, "Domanda")?;
    let option = check_token(&option, "Risposta")?;
    let input = AnswerInput::Context { question, option };
    state.with_store(|store, catalog| Ok(assessments::answer(store, catalog, id.0, input)?.into()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_answer(
    state: State<'_, AppState>,
    id: Id,
    question: String,
    option: String,
    note: Option<String>,
) -> AppResult<Saved> {
    let question = check_token(&question, "Domanda")?;
    let option = check_token(&option, "Risposta")?;
    let note = check_note(note)?;
    let input = AnswerInput::Scored {
        question,
        option,
        note: note.as_deref(),
    };
    state.with_store(|store, catalog| Ok(assessments::answer(store, catalog, id.0, input)?.into()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_position(state: State<'_, AppState>, id: Id, position: String) -> AppResult<()> {
    let position = check_token(&position, "Posizione")?;
    state
        .with_store(|store, catalog| Ok(assessments::set_position(store, catalog, id.0, position)?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn complete_assessment(state: State<'_, AppState>, id: Id) -> AppResult<()> {
    state.with_store(|store, _| Ok(assessments::complete(store, id.0)?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn reopen_assessment(state: State<'_, AppState>, id: Id) -> AppResult<()> {
    state.with_store(|store, _| Ok(assessments::reopen(store, id.0)?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_assessment(state: State<'_, AppState>, id: Id) -> AppResult<()> {
    state.with_store(|store, _| Ok(assessments::delete(store, id.0)?))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_results(state: State<'_, AppState>, id: Id) -> AppResult<ResultsView> {
    state.with_store(|store, catalog| {
        let plan = planning::plan_stored(store, catalog, id.0, None)?;
        Ok(views::results_view(&plan.info, &plan.planned))
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_history(
    state: State<'_, AppState>,
    organization_id: OrganizationId,
) -> AppResult<HistoryView> {
    state.with_store(|store, catalog| {
        let entries = assessments::history(store, catalog, organization_id.0)?;
        Ok(views::history_view(organization_id.0, &entries))
    })
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
    id: Id,
) -> AppResult<PdfSaved> {
    // Render first, so a failure never leaves the user with an empty file.
    let pdf = state.with_store(|store, catalog| {
        let plan = planning::plan_stored(store, catalog, id.0, None)?;
        Ok(planning::plan_pdf(&plan.planned)?)
    })?;
    let bytes = pdf.pdf.bytes;
    let path = dialogs::save_file(
        &app,
        "Salva il piano PDF",
        &pdf.file_name,
        dialogs::PDF,
        &bytes,
    )?;
    Ok(PdfSaved {
        bytes: if path.is_some() { bytes.len() } else { 0 },
        path: path.map(|p| p.display().to_string()),
    })
}

/// The questionnaire on paper with the supplier letter, for gathering the
/// answers before starting (newest version of `questionnaire_id`).
#[tauri::command(rename_all = "snake_case")]
pub async fn blank_form<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    questionnaire_id: String,
) -> AppResult<PdfSaved> {
    let today = chrono::Local::now().date_naive();
    let pdf = planning::blank_form(state.catalog(), &questionnaire_id, today)?;
    let bytes = pdf.pdf.bytes;
    let path = dialogs::save_file(
        &app,
        "Salva il questionario da stampare",
        &pdf.file_name,
        dialogs::PDF,
        &bytes,
    )?;
    Ok(PdfSaved {
        bytes: if path.is_some() { bytes.len() } else { 0 },
        path: path.map(|p| p.display().to_string()),
    })
}

/// The installation's signing key (created on first use), whose short
/// fingerprint the comune tells its coordinator.
#[tauri::command(rename_all = "snake_case")]
pub async fn signing_key(state: State<'_, AppState>) -> AppResult<KeyInfo> {
    let dir = state.data_dir().join(KEYS_DIR);
    export::signing_key(&dir).map_err(|e| key_error(&e, &dir))
}

/// Where the result file went.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSaved {
    /// `None` when the user closed the dialog.
    pub path: Option<String>,
    /// The key that signed it.
    pub fingerprint: String,
    /// Whether the notes are in the file.
    pub notes_included: bool,
    /// Notes in the assessment.
    pub notes: usize,
}

/// "Esporta risultati": sign the result file of a completed assessment and
/// save it where the user chooses. Notes only when asked (`with_notes`).
#[tauri::command(rename_all = "snake_case")]
pub async fn export_result<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Id,
    with_notes: bool,
) -> AppResult<ExportSaved> {
    let dir = state.data_dir().join(KEYS_DIR);
    let key = sentinella::keys::KeyPair::load_or_create(&dir).map_err(|e| key_error(&e, &dir))?;
    // Build and check first, so a failure never leaves a file behind.
    let now = chrono::Utc::now();
    let e = state.with_store(|store, catalog| {
        Ok(export::export_stored(
            store, catalog, &key, id.0, with_notes, now,
        )?)
    })?;
    let path = dialogs::save_file(
        &app,
        "Salva il file dei risultati",
        &e.file_name,
        dialogs::JSON,
        &e.bytes,
    )?;
    Ok(ExportSaved {
        path: path.map(|p| p.display().to_string()),
        fingerprint: e.fingerprint.to_string(),
        notes_included: e.notes_included,
        notes: e.notes,
    })
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
    }
}
