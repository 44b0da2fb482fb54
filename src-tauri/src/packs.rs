//! The coordinator's packs in the app: on the comune's side "Importa
//! aggiornamenti dal coordinamento" (with the fingerprint confirmation) and
//! the active alerts; on the coordinator's side the form's preview, sign and
//! save, and the history. Thin adapters over [`sentinella::usecase::pack`];
//! every refusal is worded here in Italian.

use std::sync::Mutex;

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};

use sentinella::coordinator::IssuedPack;
use sentinella::ids::Fingerprint;
use sentinella::model::Audience;
use sentinella::pack::{
    self, Alert, AlertAudience, Issuer, PackDraft, PackError, Severity, TerritoryContact,
    TerritoryRole,
};
use sentinella::usecase::pack::{
    self as packs, ImportOutcome, IssueError, PackImportError, PackSummary,
};

use crate::commands::KEYS_DIR;
use crate::dialogs;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The pack waiting for the user to confirm its fingerprint (kept in
/// Rust: the page confirms a fingerprint, it never names a file to read).
#[derive(Debug, Default)]
pub struct PendingPack(Mutex<Option<Vec<u8>>>);

impl PendingPack {
    fn set(&self, bytes: Option<Vec<u8>>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = bytes;
    }
    fn take(&self) -> Option<Vec<u8>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// An alert as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct AlertView {
    pub title: String,
    pub text: String,
    pub date: NaiveDate,
    pub expires_on: NaiveDate,
    pub severity: Severity,
    pub severity_label: &'static str,
    pub audience_label: &'static str,
}

impl From<&Alert> for AlertView {
    fn from(a: &Alert) -> AlertView {
        AlertView {
            title: a.title.clone(),
            text: a.text.clone(),
            date: a.date,
            expires_on: a.expires_on,
            severity: a.severity,
            severity_label: a.severity.label(),
            audience_label: a.audience.label(),
        }
    }
}

/// A territory contact as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub role_label: &'static str,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl From<&TerritoryContact> for ContactView {
    fn from(c: &TerritoryContact) -> ContactView {
        ContactView {
            role_label: c.role.label(),
            name: c.name.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
        }
    }
}

/// A pack as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryView {
    pub fingerprint: String,
    pub issuer: String,
    pub territory: String,
    pub sequence: u64,
    pub issued_on: NaiveDate,
    pub alerts: Vec<AlertView>,
    pub contacts: Vec<ContactView>,
    pub questionnaires: Vec<String>,
    pub replaces_key: Option<String>,
}

impl From<&PackSummary> for SummaryView {
    fn from(s: &PackSummary) -> SummaryView {
        SummaryView {
            fingerprint: s.fingerprint.clone(),
            issuer: s.issuer.name.clone(),
            territory: s.issuer.territory.clone(),
            sequence: s.sequence,
            issued_on: s.issued_on,
            alerts: s.alerts.iter().map(AlertView::from).collect(),
            contacts: s.contacts.iter().map(ContactView::from).collect(),
            questionnaires: s.questionnaires.clone(),
            replaces_key: s.replaces_key.clone(),
        }
    }
}

/// The comune's side: the coordinator on record and the active alerts.
#[derive(Debug, Clone, Serialize)]
pub struct PackHome {
    /// Who the coordinator is (none before the first pack).
    pub coordinator: Option<String>,
    pub fingerprint: Option<String>,
    pub last_sequence: Option<u64>,
    pub alerts: Vec<AlertView>,
    pub contacts: Vec<ContactView>,
}

/// The active alerts (for the organisation's kind when given, else for the
/// kind of this installation's organisations) and the coordinator.
#[tauri::command(rename_all = "snake_case")]
pub async fn pack_home(state: State<'_, AppState>, kind: Option<Audience>) -> AppResult<PackHome> {
    state.with_store(|store, _| {
        let kind = match kind {
            Some(k) => Some(k),
            None => sentinella::usecase::pack::installation_kind(store)?,
        };
        let today = chrono::Local::now().date_naive();
        let alerts = packs::active_alerts(store, kind, today)?;
        let status = packs::status(store)?;
        Ok(PackHome {
            coordinator: status
                .state
                .as_ref()
                .map(|s| format!("{} ({})", s.issuer.name, s.issuer.territory)),
            fingerprint: status.state.as_ref().map(|s| s.fingerprint.clone()),
            last_sequence: status.state.as_ref().map(|s| s.last_sequence),
            alerts: alerts.iter().map(AlertView::from).collect(),
            contacts: status.contacts.iter().map(ContactView::from).collect(),
        })
    })
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct PackImportView {
    /// `false` when the user closed the dialog.
    pub done: bool,
    /// `applied` or `needs_confirmation`.
    pub outcome: &'static str,
    pub summary: Option<SummaryView>,
}

fn import_view(outcome: ImportOutcome) -> PackImportView {
    match outcome {
        ImportOutcome::Applied(s) => PackImportView {
            done: true,
            outcome: "applied",
            summary: Some(SummaryView::from(&s)),
        },
        ImportOutcome::NeedsConfirmation(s) => PackImportView {
            done: true,
            outcome: "needs_confirmation",
            summary: Some(SummaryView::from(&s)),
        },
    }
}

fn run_import<R: Runtime>(
    app: &AppHandle<R>,
    bytes: Vec<u8>,
    confirm: Option<&Fingerprint>,
) -> AppResult<PackImportView> {
    let state = app.state::<AppState>();
    let pending = app.state::<PendingPack>();
    let outcome = state.with_store(|store, catalog| {
        packs::import(store, catalog, &bytes, confirm, Utc::now()).map_err(import_error)
    });
    match &outcome {
        Ok(ImportOutcome::NeedsConfirmation(_)) => pending.set(Some(bytes)),
        Ok(ImportOutcome::Applied(_)) => {
            pending.set(None);
            state.refresh_catalog();
        }
        Err(_) => pending.set(None),
    }
    outcome.map(import_view)
}

/// "Importa aggiornamenti dal coordinamento": pick a pack file and import
/// it; the first pack of a coordinator waits for the confirmation.
#[tauri::command(rename_all = "snake_case")]
pub async fn pack_import<R: Runtime>(app: AppHandle<R>) -> AppResult<PackImportView> {
    let Some(path) =
        dialogs::pick_pack_file(&app, "Scegli il pacchetto ricevuto dal coordinamento")
    else {
        return Ok(PackImportView {
            done: false,
            outcome: "cancelled",
            summary: None,
        });
    };
    let bytes = pack::read_pack_file(&path).map_err(|e| {
        eprintln!("sentinella-app: pack {}: {e}", path.display());
        AppError::invalid(pack_error(&e))
    })?;
    run_import(&app, bytes, None)
}

/// The user confirmed the coordinator's fingerprint (read out by phone):
/// import the pack waiting for it.
#[tauri::command(rename_all = "snake_case")]
pub async fn pack_confirm<R: Runtime>(
    app: AppHandle<R>,
    fingerprint: String,
) -> AppResult<PackImportView> {
    let confirm: Fingerprint = fingerprint.parse().map_err(|_| {
        AppError::invalid("L'impronta si scrive con 16 caratteri, per esempio 3F2A-9C01-77DE-B410.")
    })?;
    let Some(bytes) = app.state::<PendingPack>().take() else {
        return Err(AppError::invalid(
            "Nessun pacchetto in attesa di conferma: scegli di nuovo il file.",
        ));
    };
    run_import(&app, bytes, Some(&confirm))
}

/// The Italian words for a refused pack.
pub fn pack_error(e: &PackError) -> String {
    let what = match e {
        PackError::Io(_) | PackError::NotRegular(_) => {
            return "Non riesco a leggere il file scelto.".into()
        }
        PackError::Empty => "il file è vuoto".to_string(),
        PackError::TooLarge { .. } => "il file è troppo grande per essere un pacchetto".into(),
        PackError::InvalidUtf8 { .. } | PackError::NotJson { .. } | PackError::TooDeep { .. } => {
            "il file è danneggiato o non è un pacchetto di Sentinella".into()
        }
        PackError::Truncated { .. } => {
            "il file è incompleto (forse la copia si è interrotta)".into()
        }
        PackError::DuplicateKey { .. }
        | PackError::UnknownField { .. }
        | PackError::Shape { .. } => {
            "il file è stato modificato o non è stato scritto da Sentinella".into()
        }
        PackError::NotAPack(_)
        | PackError::WrongFormat { .. }
        | PackError::PayloadFormat { .. } => {
            "questo file non è un pacchetto del coordinamento".into()
        }
        PackError::FutureVersion { .. } => {
            "il pacchetto viene da una versione più recente di Sentinella: aggiorna il programma"
                .into()
        }
        PackError::Encoding { .. } | PackError::Tampered => {
            "la firma non corrisponde al contenuto: il pacchetto è stato alterato dopo la firma o si è danneggiato. Chiedi al coordinamento di inviarlo di nuovo".into()
        }
        PackError::ControlCharacter { .. } => {
            "un testo contiene caratteri di controllo non ammessi".into()
        }
        PackError::TooLong { chars, limit, .. } => format!(
            "un testo è troppo lungo ({chars} caratteri, al massimo {limit})"
        ),
        PackError::TooMany { count, limit, .. } => {
            format!("contiene troppi elementi ({count}, al massimo {limit})")
        }
        PackError::Invalid { message, .. } => format!("un dato non è valido ({message})"),
        PackError::ExpiresBeforeIssue {
            expires_on,
            issued_on,
            ..
        } => format!(
            "un avviso scade il {} ma è datato {}",
            expires_on.format("%d/%m/%Y"),
            issued_on.format("%d/%m/%Y")
        ),
        PackError::ImplausibleDate(_) => "contiene una data impossibile".into(),
        PackError::InvalidQuestionnaire { id, .. } => {
            format!("il questionario {id} che contiene non è valido")
        }
    };
    format!("Pacchetto rifiutato: {what}. Non è stato cambiato nulla.")
}

fn import_error(e: PackImportError) -> AppError {
    eprintln!("sentinella-app: pack refused: {e}");
    AppError::invalid(match e {
        PackImportError::Rejected(e) => pack_error(&e),
        PackImportError::OtherKey { found, on_record } => format!(
            "Pacchetto trattenuto: è firmato con la chiave {found}, ma quella del coordinamento registrata qui è {on_record}. Non è stato cambiato nulla. Se il coordinamento ha davvero cambiato computer, verifica con una telefonata la nuova impronta prima di accettarla."
        ),
        PackImportError::ConfirmationMismatch { given, found } => format!(
            "L'impronta scritta ({given}) non è quella della chiave che ha firmato il pacchetto ({found}). Non è stato cambiato nulla."
        ),
        PackImportError::NotNewer { sequence, last } => format!(
            "Pacchetto rifiutato: è il numero {sequence}, ma il pacchetto numero {last} è già stato applicato. Un pacchetto vecchio o già importato non si applica di nuovo. Non è stato cambiato nulla."
        ),
        PackImportError::QuestionnaireConflict(_) => "Pacchetto rifiutato: contiene una versione di questionario che esiste già con un contenuto diverso. Non è stato cambiato nulla.".into(),
        PackImportError::Store(s) => return AppError::from(s),
    })
}

/// An alert written in the coordinator's form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertInput {
    pub title: String,
    pub text: String,
    pub severity: Severity,
    pub audience: AlertAudience,
    pub expires_on: NaiveDate,
}

/// A contact written in the coordinator's form (empty fields: none).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    pub role: TerritoryRole,
    pub name: String,
    pub phone: String,
    pub email: String,
}

/// The coordinator's form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftInput {
    pub issuer: String,
    pub territory: String,
    pub alerts: Vec<AlertInput>,
    pub contacts: Vec<ContactInput>,
}

impl DraftInput {
    fn draft(self, today: NaiveDate) -> PackDraft {
        let opt = |s: String| {
            let t = s.trim().to_string();
            (!t.is_empty()).then_some(t)
        };
        let mut d = PackDraft::new(Issuer {
            name: self.issuer.trim().into(),
            territory: self.territory.trim().into(),
        });
        d.alerts = self
            .alerts
            .into_iter()
            .map(|a| Alert {
                title: a.title.trim().into(),
                text: a.text.trim().replace("\r\n", "\n"),
                date: today,
                severity: a.severity,
                audience: a.audience,
                expires_on: a.expires_on,
                related_questions: Vec::new(),
            })
            .collect();
        d.contacts = self
            .contacts
            .into_iter()
            .filter(|c| {
                !(c.name.trim().is_empty()
                    && c.phone.trim().is_empty()
                    && c.email.trim().is_empty())
            })
            .map(|c| TerritoryContact {
                role: c.role,
                name: c.name.trim().into(),
                phone: opt(c.phone),
                email: opt(c.email),
            })
            .collect();
        d
    }
}

fn draft_error(e: &PackError) -> AppError {
    let field = |path: &str| -> String {
        if let Some(rest) = path.strip_prefix("$.payload.alerts[") {
            let n: usize = rest
                .split(']')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            format!("Avviso {}: ", n + 1)
        } else if let Some(rest) = path.strip_prefix("$.payload.contacts[") {
            let n: usize = rest
                .split(']')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            format!("Contatto {}: ", n + 1)
        } else if path.starts_with("$.payload.issuer") {
            "Coordinamento: ".into()
        } else {
            String::new()
        }
    };
    AppError::invalid(match e {
        PackError::TooLong { path, limit, .. } => {
            format!(
                "{}testo troppo lungo (al massimo {limit} caratteri).",
                field(path)
            )
        }
        PackError::ControlCharacter { path, .. } => {
            format!("{}il testo contiene caratteri non ammessi.", field(path))
        }
        PackError::Invalid { path, message } => {
            let what = if message.contains("must not be empty") {
                "va compilato.".to_string()
            } else if message.contains("phone") {
                "il numero di telefono non è valido.".into()
            } else if message.contains("e-mail") {
                "l'indirizzo e-mail non è valido.".into()
            } else if message.contains("needs a phone") {
                "serve un numero di telefono o un indirizzo e-mail.".into()
            } else if message.contains("given twice") {
                "questo ruolo è già indicato.".into()
            } else {
                "dato non valido.".into()
            };
            format!("{}{what}", field(path))
        }
        PackError::ExpiresBeforeIssue { path, .. } => {
            format!("{}la scadenza è prima della data di oggi.", field(path))
        }
        PackError::TooMany { limit, .. } => format!("Troppi elementi: al massimo {limit}."),
        other => pack_error(other),
    })
}

/// The pack as it would be signed now.
#[derive(Debug, Clone, Serialize)]
pub struct PackPreview {
    pub sequence: u64,
    pub issued_on: NaiveDate,
    pub alerts: Vec<AlertView>,
    pub contacts: Vec<ContactView>,
}

/// "Anteprima": check the form as the comuni will, without signing.
#[tauri::command(rename_all = "snake_case")]
pub async fn pack_preview(state: State<'_, AppState>, draft: DraftInput) -> AppResult<PackPreview> {
    let today = chrono::Local::now().date_naive();
    let sequence = state.with_desk(|desk| Ok(desk.db.next_pack_sequence()?))?;
    let payload = draft.draft(today).into_payload(sequence, today);
    pack::check_payload(&payload, today).map_err(|e| draft_error(&e))?;
    Ok(PackPreview {
        sequence,
        issued_on: today,
        alerts: payload.alerts.iter().map(AlertView::from).collect(),
        contacts: payload.contacts.iter().map(ContactView::from).collect(),
    })
}

/// Where the signed pack went.
#[derive(Debug, Clone, Serialize)]
pub struct PackSaved {
    /// `None` when the user closed the dialog (nothing signed).
    pub path: Option<String>,
    pub sequence: u64,
    pub fingerprint: String,
}

/// "Firma e salva": sign with the installation's key, the next sequence
/// number, saved where the user chooses and recorded in the history.
#[tauri::command(rename_all = "snake_case")]
pub async fn pack_sign<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    draft: DraftInput,
) -> AppResult<PackSaved> {
    let today = chrono::Local::now().date_naive();
    let draft = draft.draft(today);
    // Check before asking where to save.
    let sequence = state.with_desk(|desk| Ok(desk.db.next_pack_sequence()?))?;
    pack::check_payload(&draft.clone().into_payload(sequence, today), today)
        .map_err(|e| draft_error(&e))?;
    let name = format!("Pacchetto coordinamento {sequence} - {today}.json");
    let Some(path) =
        dialogs::save_target(&app, "Salva il pacchetto firmato", &name, dialogs::PACK)?
    else {
        return Ok(PackSaved {
            path: None,
            sequence,
            fingerprint: String::new(),
        });
    };
    let keys = state.data_dir().join(KEYS_DIR);
    let issued = state.with_desk(|desk| {
        packs::issue(draft, &keys, &mut desk.db, &path, Utc::now()).map_err(|e| {
            eprintln!("sentinella-app: pack not issued: {e}");
            match &e {
                IssueError::Pack(p) => draft_error(p),
                IssueError::Write { .. } => AppError::new(format!(
                    "Non riesco a salvare il file {}. Scegli un'altra cartella.",
                    path.display()
                )),
                IssueError::Key(_) => {
                    AppError::new("La chiave di firma di questa installazione non è utilizzabile.")
                }
                IssueError::Coordinator(_) => AppError::new(
                    "Errore dell'archivio del coordinamento: il pacchetto non è stato firmato.",
                ),
            }
        })
    })?;
    crate::opener::remember(&app, &path);
    Ok(PackSaved {
        path: Some(path.display().to_string()),
        sequence: issued.summary.sequence,
        fingerprint: issued.summary.fingerprint,
    })
}

/// The packs issued, newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn pack_history(state: State<'_, AppState>) -> AppResult<Vec<IssuedPack>> {
    state.with_desk(|desk| Ok(packs::history(&desk.db)?))
}
