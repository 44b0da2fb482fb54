//! The use cases of "Incidente in corso": one function per user operation,
//! shared by the CLI (`sentinella incident …`) and the app. Each takes typed
//! input, checks it with the pure domain ([`crate::incident`]), writes
//! through the store and returns typed output.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::incident::checklist::{Checklist, ChecklistError, Checklists};
use crate::incident::contacts::{Contact, ContactRole};
use crate::incident::deadlines::{self, Countdown, Deadline, DeadlineKind, L90Scope};
use crate::incident::drafts::{self, Draft};
use crate::incident::model::{Incident, IncidentInput, LogEntry, LogKind, Triage};
use crate::incident::IncidentError;
use crate::model::Organization;
use crate::store::{Store, StoreError};

/// Why an incident operation failed.
#[derive(Debug, Error)]
pub enum RespondError {
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The input was refused by the domain.
    #[error(transparent)]
    Incident(#[from] IncidentError),
    /// The compiled-in checklists are unusable (a packaging defect).
    #[error(transparent)]
    Checklist(#[from] ChecklistError),
    /// The PDF report could not be made.
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
}

impl RespondError {
    /// The domain's refusal, if that is what this is (the faces show its
    /// own message).
    pub fn as_incident(&self) -> Option<&IncidentError> {
        match self {
            RespondError::Incident(e) | RespondError::Store(StoreError::Incident(e)) => Some(e),
            _ => None,
        }
    }
}

/// A contact as typed in a form: raw strings, checked by [`save_contacts`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// Which role.
    pub role: ContactRole,
    /// Name of the person or office.
    #[serde(default)]
    pub name: String,
    /// Phone number.
    #[serde(default)]
    pub phone: String,
    /// E-mail address.
    #[serde(default)]
    pub email: String,
}

/// Check every contact typed for an organisation and replace the stored
/// ones. Empty rows are dropped (the contact stays missing). Nothing is
/// written when any row is wrong.
pub fn save_contacts(
    store: &mut Store,
    org: &Organization,
    input: &[ContactInput],
) -> Result<Vec<Contact>, RespondError> {
    let mut contacts = Vec::new();
    for c in input {
        if let Some(contact) = Contact::parse(c.role, &c.name, &c.phone, &c.email)? {
            contacts.push(contact);
        }
    }
    store.save_contacts(org, &contacts)?;
    Ok(store.contacts_of(org)?)
}

/// The checklists shipped with this build.
pub fn checklists() -> Result<Checklists, RespondError> {
    Ok(Checklists::builtin()?)
}

/// Open an incident (or, with `exercise`, an exercise) from a triage.
pub fn open_incident(
    store: &mut Store,
    org: &Organization,
    exercise: bool,
    triage: Triage,
    now: DateTime<Utc>,
) -> Result<i64, RespondError> {
    let triage = triage.validated(now)?;
    let lists = checklists()?;
    Ok(store.open_incident(org, exercise, &triage, &lists.version)?)
}

/// Open an incident from a `sentinella-incident/1` description.
pub fn open_from_json(
    store: &mut Store,
    json: &str,
    now: DateTime<Utc>,
) -> Result<i64, RespondError> {
    let (input, triage) = IncidentInput::parse(json, now)?;
    open_incident(store, &input.organization, input.exercise, triage, now)
}

/// Append a log entry (committed when this returns).
pub fn add_entry(
    store: &mut Store,
    incident: i64,
    kind: LogKind,
    text: &str,
    contact: Option<ContactRole>,
) -> Result<LogEntry, RespondError> {
    Ok(store.add_log_entry(incident, kind, text, contact)?)
}

/// Keep the text being typed in the log box (committed when this returns).
pub fn save_typing(store: &mut Store, incident: i64, text: &str) -> Result<(), RespondError> {
    Ok(store.save_log_typing(incident, text)?)
}

/// Mark a checklist step, or a deadline (`deadline:<id>`), done or not.
pub fn mark(
    store: &mut Store,
    incident: i64,
    item: &str,
    done: bool,
) -> Result<DateTime<Utc>, RespondError> {
    let inc = store.load_incident(incident)?;
    let lists = checklists()?;
    let is_step = lists.has_step(inc.triage.case, inc.audience(), item);
    let is_deadline = deadlines::deadlines(&inc.organization, &inc.triage)
        .iter()
        .any(|d| d.kind.item() == item);
    if !is_step && !is_deadline {
        return Err(IncidentError::UnknownItem(item.chars().take(60).collect()).into());
    }
    Ok(store.mark_incident_item(incident, item, done)?)
}

/// The details of the triage the drafts use, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TriageDetails {
    /// What was seen.
    #[serde(default)]
    pub summary: String,
    /// Which kinds of personal data.
    #[serde(default)]
    pub data_categories: String,
    /// About how many people.
    #[serde(default)]
    pub people_estimate: Option<u64>,
    /// About how many records.
    #[serde(default)]
    pub records_estimate: Option<u64>,
}

/// Update the details of the triage (checked like at opening).
pub fn update_details(
    store: &mut Store,
    incident: i64,
    details: TriageDetails,
    now: DateTime<Utc>,
) -> Result<Triage, RespondError> {
    let inc = store.load_incident(incident)?;
    let triage = Triage {
        summary: details.summary,
        data_categories: details.data_categories,
        people_estimate: details.people_estimate,
        records_estimate: details.records_estimate,
        ..inc.triage
    }
    .validated(now.max(inc.triage.discovered_at))?;
    store.update_triage_details(incident, &triage)?;
    Ok(triage)
}

/// Close an incident.
pub fn close(store: &mut Store, incident: i64) -> Result<(), RespondError> {
    Ok(store.close_incident(incident)?)
}

/// A deadline with where it stands now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineView {
    /// The deadline.
    #[serde(flatten)]
    pub deadline: Deadline,
    /// The item id to mark it done.
    pub item: String,
    /// Where it stands.
    pub countdown: Countdown,
    /// When it was marked done.
    pub done_at: Option<DateTime<Utc>>,
}

/// Everything the incident screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentView {
    /// The incident with its log and marks.
    pub incident: Incident,
    /// Its first-hour checklist.
    pub checklist: Checklist,
    /// Its deadlines at `now`.
    pub deadlines: Vec<DeadlineView>,
    /// Legge 90/2024 scope of the organisation.
    pub l90: L90Scope,
    /// The organisation's emergency contacts.
    pub contacts: Vec<Contact>,
    /// Text typed in the log box and not yet added.
    pub unsent: String,
}

/// Deadlines of an incident at `now`.
pub fn deadline_views(incident: &Incident, now: DateTime<Utc>) -> Vec<DeadlineView> {
    deadlines::deadlines(&incident.organization, &incident.triage)
        .into_iter()
        .map(|d| {
            let item = d.kind.item();
            let done_at = incident.done.get(&item).copied();
            DeadlineView {
                countdown: d.countdown(now, done_at.is_some()),
                deadline: d,
                item,
                done_at,
            }
        })
        .collect()
}

/// The organisation's emergency contacts, with the COSC of the
/// coordinator's last pack where the organisation has none of its own.
fn territory_filled(
    store: &Store,
    organization_id: i64,
) -> Result<Vec<crate::incident::contacts::Contact>, RespondError> {
    Ok(super::pack::with_territory_contacts(
        store.contacts(organization_id)?,
        &store.pack_contacts()?,
    ))
}

/// Load an incident for the screen.
pub fn view(
    store: &Store,
    incident: i64,
    now: DateTime<Utc>,
) -> Result<IncidentView, RespondError> {
    let inc = store.load_incident(incident)?;
    let lists = checklists()?;
    Ok(IncidentView {
        checklist: lists.for_case(inc.triage.case, inc.audience()),
        deadlines: deadline_views(&inc, now),
        l90: deadlines::l90_scope(&inc.organization),
        contacts: territory_filled(store, inc.organization_id)?,
        unsent: store.log_typing(incident)?,
        incident: inc,
    })
}

/// The ready drafts of an incident.
pub fn drafts(
    store: &Store,
    incident: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Draft>, RespondError> {
    let inc = store.load_incident(incident)?;
    let contacts = territory_filled(store, inc.organization_id)?;
    Ok(drafts::drafts(&inc, &contacts, &checklists()?, now))
}

/// The PDF incident report (timeline, decisions, contacts, drafts).
pub fn report_pdf(
    store: &Store,
    incident: i64,
    now: DateTime<Utc>,
) -> Result<crate::report::RenderedPdf, RespondError> {
    let v = view(store, incident, now)?;
    let drafts = drafts::drafts(&v.incident, &v.contacts, &checklists()?, now);
    Ok(crate::report::incident_pdf(
        &crate::report::IncidentReport {
            incident: &v.incident,
            checklist: &v.checklist,
            deadlines: &v.deadlines,
            contacts: &v.contacts,
            drafts: &drafts,
            now,
        },
    )?)
}

/// Whether a deadline kind is one of those of the incident (for faces that
/// take a kind from the user).
pub fn has_deadline(incident: &Incident, kind: DeadlineKind) -> bool {
    deadlines::deadlines(&incident.organization, &incident.triage)
        .iter()
        .any(|d| d.kind == kind)
}
