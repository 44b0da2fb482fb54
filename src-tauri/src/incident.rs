//! "Incidente in corso" and "Contatti per le emergenze": thin commands over
//! [`sentinella::usecase::incident`]. Each parses its input, calls one use case and
//! returns what the screen shows; errors become Italian messages.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};

use sentinella::incident::contacts::{Contact, ContactRole};
use sentinella::incident::drafts::Draft;
use sentinella::incident::model::{
    parse_italian_datetime, Case, LogEntry, LogKind, PersonalData, Triage,
};
use sentinella::model::{Audience, Organization};
use sentinella::store::{italian_time, IncidentSummary, Store, StoreError};
use sentinella::usecase::incident::{
    self as respond, ContactInput, IncidentView, RespondError, TriageDetails,
};
use sentinella::usecase::names;

use crate::dialogs::{self, FileKind};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const TEXT: FileKind = FileKind {
    label: "Testo",
    extension: "txt",
};

fn app_error(e: RespondError) -> AppError {
    if let Some(i) = e.as_incident() {
        return AppError::invalid(i.italian());
    }
    match e {
        RespondError::Store(StoreError::IncidentNotFound(_)) => {
            AppError::new("Questo incidente non esiste.")
        }
        RespondError::Store(StoreError::IncidentClosed(_)) => {
            AppError::new("Questo incidente è chiuso: il registro non si può più modificare.")
        }
        RespondError::Store(s) => AppError::from(s),
        other => {
            eprintln!("sentinella-app: incident: {other}");
            AppError::new(
                "Errore interno della sezione incidenti. Nulla di già salvato è andato perso.",
            )
        }
    }
}

fn check_id(id: i64) -> AppResult<i64> {
    if id > 0 {
        Ok(id)
    } else {
        Err(AppError::invalid("Identificativo non valido."))
    }
}

fn organization(store: &Store, id: i64) -> AppResult<Organization> {
    store
        .organizations()?
        .into_iter()
        .find(|(i, _)| *i == id)
        .map(|(_, o)| o)
        .ok_or_else(|| AppError::new("Ente non trovato."))
}

/// An organisation the user can pick.
#[derive(Debug, Serialize)]
pub struct OrgChoice {
    id: i64,
    name: String,
    kind: Audience,
    contacts: usize,
}

/// A labelled choice.
#[derive(Debug, Serialize)]
pub struct Choice {
    id: &'static str,
    label: &'static str,
}

/// The incident home: organisations, incidents and exercises (apart), the
/// triage choices.
#[derive(Debug, Serialize)]
pub struct IncidentHome {
    organizations: Vec<OrgChoice>,
    incidents: Vec<IncidentSummary>,
    exercises: Vec<IncidentSummary>,
    cases: Vec<Choice>,
}

#[tauri::command(rename_all = "snake_case")]
pub fn incident_home(state: State<'_, AppState>) -> AppResult<IncidentHome> {
    state.with_store(|store, _| {
        let mut organizations = Vec::new();
        for (id, o) in store.organizations()? {
            organizations.push(OrgChoice {
                id,
                contacts: store.contacts(id)?.len(),
                name: o.name,
                kind: o.kind,
            });
        }
        Ok(IncidentHome {
            organizations,
            incidents: store.list_incidents(false)?,
            exercises: store.list_incidents(true)?,
            cases: Case::ALL
                .iter()
                .map(|c| Choice {
                    id: c.id(),
                    label: c.label(),
                })
                .collect(),
        })
    })
}

/// A contact role with its label for the organisation.
#[derive(Debug, Serialize)]
pub struct RoleRow {
    role: ContactRole,
    label: &'static str,
    contact: Option<Contact>,
}

/// The contacts form of an organisation.
#[derive(Debug, Serialize)]
pub struct ContactsView {
    organization_id: i64,
    name: String,
    kind: Audience,
    rows: Vec<RoleRow>,
}

fn contacts_view(store: &Store, organization_id: i64) -> AppResult<ContactsView> {
    let org = organization(store, organization_id)?;
    let saved = store.contacts(organization_id)?;
    Ok(ContactsView {
        organization_id,
        rows: ContactRole::for_audience(org.kind)
            .iter()
            .map(|&role| RoleRow {
                role,
                label: role.label(org.kind),
                contact: saved.iter().find(|c| c.role == role).cloned(),
            })
            .collect(),
        name: org.name,
        kind: org.kind,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn get_contacts(state: State<'_, AppState>, organization_id: i64) -> AppResult<ContactsView> {
    let id = check_id(organization_id)?;
    state.with_store(|store, _| contacts_view(store, id))
}

#[tauri::command(rename_all = "snake_case")]
pub fn save_contacts(
    state: State<'_, AppState>,
    organization_id: i64,
    contacts: Vec<ContactInput>,
) -> AppResult<ContactsView> {
    let id = check_id(organization_id)?;
    if contacts.len() > ContactRole::ALL.len() {
        return Err(AppError::invalid("Troppi contatti."));
    }
    state.with_store(|store, _| {
        let org = organization(store, id)?;
        respond::save_contacts(store, &org, &contacts).map_err(app_error)?;
        contacts_view(store, id)
    })
}

/// The triage form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageInput {
    organization_id: i64,
    exercise: bool,
    case: Case,
    personal_data: PersonalData,
    /// `dd/mm/yyyy`, Italian local time.
    discovered_date: String,
    /// `hh:mm`, Italian local time.
    discovered_time: String,
    #[serde(default)]
    summary: String,
}

#[tauri::command(rename_all = "snake_case")]
pub fn open_incident(state: State<'_, AppState>, input: TriageInput) -> AppResult<i64> {
    let org_id = check_id(input.organization_id)?;
    let discovered_at = parse_italian_datetime(&input.discovered_date, &input.discovered_time)
        .map_err(|e| AppError::invalid(e.italian()))?;
    let triage = Triage {
        case: input.case,
        personal_data: input.personal_data,
        discovered_at,
        summary: input.summary,
        data_categories: String::new(),
        people_estimate: None,
        records_estimate: None,
    };
    state.with_store(|store, _| {
        let org = organization(store, org_id)?;
        respond::open_incident(store, &org, input.exercise, triage, Utc::now()).map_err(app_error)
    })
}

/// The incident screen: the view, the labels the page needs, the server's
/// clock (the countdowns run from it).
#[derive(Debug, Serialize)]
pub struct IncidentScreen {
    #[serde(flatten)]
    view: IncidentView,
    case_label: &'static str,
    roles: Vec<(ContactRole, &'static str)>,
    now: DateTime<Utc>,
}

fn screen(store: &Store, id: i64) -> AppResult<IncidentScreen> {
    let now = Utc::now();
    let view = respond::view(store, id, now).map_err(app_error)?;
    let audience = view.incident.audience();
    Ok(IncidentScreen {
        case_label: view.incident.triage.case.short(),
        roles: ContactRole::for_audience(audience)
            .iter()
            .map(|r| (*r, r.label(audience)))
            .collect(),
        view,
        now,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn get_incident(state: State<'_, AppState>, id: i64) -> AppResult<IncidentScreen> {
    let id = check_id(id)?;
    state.with_store(|store, _| screen(store, id))
}

#[tauri::command(rename_all = "snake_case")]
pub fn add_log_entry(
    state: State<'_, AppState>,
    id: i64,
    kind: LogKind,
    text: String,
    contact: Option<ContactRole>,
) -> AppResult<LogEntry> {
    let id = check_id(id)?;
    state.with_store(|store, _| {
        respond::add_entry(store, id, kind, &text, contact).map_err(app_error)
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn save_log_typing(state: State<'_, AppState>, id: i64, text: String) -> AppResult<()> {
    let id = check_id(id)?;
    state.with_store(|store, _| respond::save_typing(store, id, &text).map_err(app_error))
}

#[tauri::command(rename_all = "snake_case")]
pub fn mark_incident_item(
    state: State<'_, AppState>,
    id: i64,
    item: String,
    done: bool,
) -> AppResult<DateTime<Utc>> {
    let id = check_id(id)?;
    state.with_store(|store, _| respond::mark(store, id, &item, done).map_err(app_error))
}

#[tauri::command(rename_all = "snake_case")]
pub fn save_incident_details(
    state: State<'_, AppState>,
    id: i64,
    details: TriageDetails,
) -> AppResult<Triage> {
    let id = check_id(id)?;
    state.with_store(|store, _| {
        respond::update_details(store, id, details, Utc::now()).map_err(app_error)
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn close_incident(state: State<'_, AppState>, id: i64) -> AppResult<()> {
    let id = check_id(id)?;
    state.with_store(|store, _| respond::close(store, id).map_err(app_error))
}

#[tauri::command(rename_all = "snake_case")]
pub fn get_drafts(state: State<'_, AppState>, id: i64) -> AppResult<Vec<Draft>> {
    let id = check_id(id)?;
    state.with_store(|store, _| respond::drafts(store, id, Utc::now()).map_err(app_error))
}

/// Where a file was saved (`None`: dialog closed).
#[derive(Debug, Serialize)]
pub struct Saved {
    path: Option<String>,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn export_drafts<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> AppResult<Saved> {
    let id = check_id(id)?;
    let (text, name) = state.with_store(|store, _| {
        let inc = store.load_incident(id)?;
        let drafts = respond::drafts(store, id, Utc::now()).map_err(app_error)?;
        let mut text = String::new();
        for d in drafts {
            text.push_str(&format!(
                "===== {}\n{}\n\n{}\n\n",
                d.title, d.destination, d.text
            ));
        }
        let name = names::incident_file(
            inc.exercise,
            &inc.organization.name,
            italian_time(inc.triage.discovered_at).date_naive(),
            "txt",
        );
        Ok((text, name))
    })?;
    let path = dialogs::save_file(&app, "Salva le bozze", &name, TEXT, text.as_bytes())?;
    Ok(Saved {
        path: path.map(|p| p.display().to_string()),
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn export_incident_pdf<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> AppResult<Saved> {
    let id = check_id(id)?;
    let (bytes, name) = state.with_store(|store, _| {
        let inc = store.load_incident(id)?;
        let pdf = respond::report_pdf(store, id, Utc::now()).map_err(app_error)?;
        let name = names::incident_file(
            inc.exercise,
            &inc.organization.name,
            italian_time(inc.triage.discovered_at).date_naive(),
            "pdf",
        );
        Ok((pdf.bytes, name))
    })?;
    let path = dialogs::save_file(
        &app,
        "Salva il rapporto d'incidente",
        &name,
        dialogs::PDF,
        &bytes,
    )?;
    Ok(Saved {
        path: path.map(|p| p.display().to_string()),
    })
}
