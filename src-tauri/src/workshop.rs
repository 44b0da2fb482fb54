//! "Modalità formazione": thin commands over [`sentinella::usecase::workshop`],
//! the projector window and the events that keep it in step.
//!
//! Two windows: the main window becomes the trainer's presenter; the
//! projector window (label `projector`, page `projector.html`) is created
//! here, with its own capability (`capabilities/projector.json`) that grants
//! it one command, [`projector_state`], listening to events and sending
//! the presentation keys it receives (Page Down / Page Up, B, R: a clicker
//! aimed at the wrong window) to the presenter as `workshop-key`. What it
//! receives is a [`ProjectorView`], built here from the session: the
//! question and its options, and the counts only once revealed. The
//! facilitator note and the unrevealed counts never leave Rust for that
//! window.

use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::Utc;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, State, WebviewUrl, WebviewWindowBuilder};

use sentinella::demo;
use sentinella::model::{Questionnaire, SpecialAnswer};
use sentinella::store::format_italian;
use sentinella::store::workshop::{WorkshopDb, WorkshopDbError, WORKSHOP_DB_FILE};
use sentinella::usecase::names;
use sentinella::usecase::phone_vote::{self as pv, PhoneVote, PhoneVoteError, PhoneVoteStatus};
use sentinella::usecase::workshop::{self as ws, NewSession, Step, WorkshopUseError};
use sentinella::voting::server::{ServerError, StopReason};
use sentinella::workshop::{typical_option, Session, TallySource};

use crate::coordination::Saved;
use crate::dialogs;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Label of the projector window.
pub const PROJECTOR: &str = "projector";
/// Label of the main (presenter) window.
const MAIN: &str = "main";
/// The event the projector listens to.
pub const PROJECTOR_EVENT: &str = "workshop-projector";

/// The workshop side of the app: the sessions database (opened on first
/// use), the session on screen, whether the projector is blanked, and the
/// phone voting (at most one, on one session).
#[derive(Debug, Default)]
pub struct WorkshopState {
    db: Mutex<Option<WorkshopDb>>,
    screen: Mutex<Screen>,
    phones: Mutex<Phones>,
    /// How phone voting starts (loopback and a short idle timeout: the
    /// end-to-end tests only).
    phone_options: pv::StartOptions,
}

/// "Voto dai telefoni": the running vote, a counter that tells the watcher
/// of an older vote to end, and why the last one stopped by itself.
#[derive(Debug, Default)]
struct Phones {
    vote: Option<PhoneVote>,
    generation: u64,
    note: Option<(i64, String)>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Screen {
    session: Option<i64>,
    blank: bool,
}

fn app_error(e: WorkshopUseError) -> AppError {
    match e {
        WorkshopUseError::Session(s) => AppError::invalid(s.italian()),
        WorkshopUseError::Db(WorkshopDbError::NotFound(_)) => {
            AppError::new("Questa sessione di formazione non esiste più.")
        }
        WorkshopUseError::Db(WorkshopDbError::Busy) => AppError::new(
            "Le sessioni sono in uso da un'altra finestra di Sentinella. Riprova tra qualche secondo.",
        ),
        WorkshopUseError::Db(WorkshopDbError::File(s)) => AppError::from(s),
        WorkshopUseError::UnknownQuestionnaire { .. } => AppError::new(
            "Il questionario di questa sessione non è disponibile in questa installazione.",
        ),
        other => {
            eprintln!("sentinella-app: workshop: {other}");
            AppError::new(
                "Errore interno della modalità formazione. Nulla di già salvato è andato perso.",
            )
        }
    }
}

fn phone_error(e: PhoneVoteError) -> AppError {
    match e {
        PhoneVoteError::Workshop(w) => app_error(w),
        PhoneVoteError::AddressNotOffered(_)
        | PhoneVoteError::Server(ServerError::AddressNotAllowed(_)) => AppError::invalid(
            "Questo indirizzo non appartiene a una rete locale di questo computer: scegline uno dall'elenco.",
        ),
        PhoneVoteError::Server(ServerError::Bind { addr, source }) => {
            eprintln!("sentinella-app: phone voting cannot listen on {addr}: {source}");
            AppError::new(
                "Non riesco a ricevere i voti su questo indirizzo: forse il computer ha cambiato rete. Aggiorna l'elenco degli indirizzi e riprova.",
            )
        }
        other => {
            eprintln!("sentinella-app: phone voting: {other}");
            AppError::new(
                "Errore interno del voto dai telefoni. I conteggi già salvati non sono andati persi.",
            )
        }
    }
}

impl WorkshopState {
    fn with_db<T>(
        &self,
        state: &AppState,
        f: impl FnOnce(&mut WorkshopDb) -> Result<T, WorkshopUseError>,
    ) -> AppResult<T> {
        self.with_db_app(state, |db| f(db).map_err(app_error))
    }

    fn with_db_app<T>(
        &self,
        state: &AppState,
        f: impl FnOnce(&mut WorkshopDb) -> AppResult<T>,
    ) -> AppResult<T> {
        let mut guard = match self.db.lock() {
            Ok(g) => g,
            // Every write is one transaction: a panic cannot leave it half done.
            Err(poisoned) => poisoned.into_inner(),
        };
        if guard.is_none() {
            std::fs::create_dir_all(state.data_dir()).map_err(|e| {
                eprintln!(
                    "sentinella-app: cannot create {}: {e}",
                    state.data_dir().display()
                );
                AppError::new("Non riesco a creare la cartella dei dati.")
            })?;
            let path = state.data_dir().join(WORKSHOP_DB_FILE);
            *guard = Some(WorkshopDb::open(&path).map_err(|e| app_error(WorkshopUseError::Db(e)))?);
        }
        match guard.as_mut() {
            Some(db) => f(db),
            None => Err(AppError::new("Archivio delle sessioni non disponibile.")),
        }
    }

    /// The state; `phone_options` for phone voting (the default, except
    /// in the end-to-end tests).
    pub fn new(phone_options: pv::StartOptions) -> WorkshopState {
        WorkshopState {
            phone_options,
            ..WorkshopState::default()
        }
    }

    fn phones(&self) -> MutexGuard<'_, Phones> {
        // A panic while holding it leaves at worst a vote to stop: go on.
        self.phones.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stop phone voting if it runs on a session `which` picks, waiting
    /// until its port is closed. True when one was stopped.
    fn stop_phones(&self, which: impl FnOnce(i64) -> bool) -> bool {
        let vote = {
            let mut p = self.phones();
            if !p.vote.as_ref().is_some_and(|v| which(v.session())) {
                return false;
            }
            p.generation += 1;
            p.vote.take()
        };
        match vote {
            Some(v) => {
                if let StopReason::Failed(why) = v.stop() {
                    eprintln!("sentinella-app: phone voting failed: {why}");
                }
                true
            }
            None => false,
        }
    }

    fn screen(&self) -> Screen {
        self.screen.lock().map_or_else(|p| *p.into_inner(), |g| *g)
    }

    fn set_screen(&self, f: impl FnOnce(&mut Screen)) -> Screen {
        let mut g = match self.screen.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        f(&mut g);
        *g
    }
}

/// A questionnaire the trainer can pick.
#[derive(Debug, Serialize)]
pub struct QuestionnaireChoice {
    id: String,
    title: String,
    domains: Vec<DomainChoice>,
}

/// A domain the trainer can pick.
#[derive(Debug, Serialize)]
pub struct DomainChoice {
    id: String,
    title: String,
    questions: usize,
}

/// A saved session in the list.
#[derive(Debug, Serialize)]
pub struct SessionRow {
    id: i64,
    title: String,
    questions: i64,
    answered: i64,
    current: i64,
    updated: String,
}

/// The workshop home: questionnaires and saved sessions.
#[derive(Debug, Serialize)]
pub struct WorkshopHome {
    questionnaires: Vec<QuestionnaireChoice>,
    sessions: Vec<SessionRow>,
}

/// One option on the presenter's screen.
#[derive(Debug, Serialize)]
pub struct PresenterOption {
    label: String,
    count: u32,
    special: bool,
}

/// How a demo comune (or office) answered the question on screen: "what a
/// comune like yours looks like", beside the group's answers.
#[derive(Debug, Serialize)]
pub struct ExampleAnswer {
    name: String,
    profile: &'static str,
    answer: String,
}

/// The presenter's screen.
#[derive(Debug, Serialize)]
pub struct PresenterView {
    id: i64,
    title: String,
    number: usize,
    total: usize,
    domain: String,
    text: String,
    help: String,
    note: Option<String>,
    question: String,
    options: Vec<PresenterOption>,
    answers: u32,
    typical: Option<String>,
    revealed: bool,
    phones: bool,
    room_size: u32,
    minutes: u32,
    seconds_per_question: u32,
    answered: usize,
    next: Option<String>,
    examples: Vec<ExampleAnswer>,
    blank: bool,
    projector_open: bool,
    phone_vote: PhonePanel,
}

/// The "Voto dai telefoni" panel of the presenter.
#[derive(Debug, Serialize)]
pub struct PhonePanel {
    /// Running on this session: address, code, how many voted.
    status: Option<PhoneVoteStatus>,
    /// When not running: the addresses the trainer may choose (empty: no
    /// local network).
    addresses: Vec<String>,
    /// Why the last vote on this session stopped by itself.
    note: Option<String>,
}

/// What the projector shows to let phones join.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProjectorJoin {
    /// The QR code (SVG) of the address with the code.
    qr: String,
    /// The address, readable.
    url: String,
    /// The session code.
    code: String,
}

/// What the projector shows: never the facilitator note, never counts
/// before they are revealed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProjectorView {
    /// Nothing to show (no session on screen, or blanked).
    blank: bool,
    number: usize,
    total: usize,
    domain: String,
    text: String,
    options: Vec<String>,
    /// Counts by option, only when revealed.
    counts: Option<Vec<u32>>,
    /// Number of answers, only when revealed.
    answers: Option<u32>,
    /// How phones join, while phone voting runs.
    join: Option<ProjectorJoin>,
}

impl ProjectorView {
    fn empty() -> ProjectorView {
        ProjectorView {
            blank: true,
            number: 0,
            total: 0,
            domain: String::new(),
            text: String::new(),
            options: Vec::new(),
            counts: None,
            answers: None,
            join: None,
        }
    }
}

fn domain_title(q: &Questionnaire, question_id: &str) -> String {
    q.questions()
        .find(|(_, x)| x.id == question_id)
        .map(|(d, _)| d.title.clone())
        .unwrap_or_default()
}

fn projector_view(
    q: &Questionnaire,
    s: &Session,
    blank: bool,
    join: Option<ProjectorJoin>,
) -> ProjectorView {
    // A blank screen carries nothing at all.
    if blank {
        return ProjectorView::empty();
    }
    let t = s.current_tally();
    let Some(question) = q.question(&t.question_id) else {
        return ProjectorView::empty();
    };
    ProjectorView {
        blank: false,
        number: s.current + 1,
        total: s.len(),
        domain: domain_title(q, &question.id),
        text: question.text.clone(),
        options: question.options.iter().map(|o| o.label.clone()).collect(),
        counts: t.revealed.then(|| t.counts.clone()),
        answers: t.revealed.then(|| t.total()),
        join,
    }
}

fn presenter_view<R: Runtime>(
    app: &AppHandle<R>,
    id: i64,
    q: &Questionnaire,
    s: &Session,
    blank: bool,
    phone_vote: PhonePanel,
) -> PresenterView {
    let t = s.current_tally();
    let question = q.question(&t.question_id);
    let next = s
        .tallies
        .get(s.current + 1)
        .and_then(|n| q.question(&n.question_id))
        .map(|n| n.text.clone());
    PresenterView {
        id,
        title: q.title.clone(),
        number: s.current + 1,
        total: s.len(),
        domain: domain_title(q, &t.question_id),
        text: question.map(|x| x.text.clone()).unwrap_or_default(),
        help: question.map(|x| x.help.clone()).unwrap_or_default(),
        note: question.and_then(|x| x.facilitator_note.clone()),
        question: t.question_id.clone(),
        options: question
            .map(|x| {
                x.options
                    .iter()
                    .zip(&t.counts)
                    .map(|(o, &count)| PresenterOption {
                        label: o.label.clone(),
                        count,
                        special: o.kind.is_some_and(|k| {
                            matches!(k, SpecialAnswer::Unknown | SpecialAnswer::NotApplicable)
                        }),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        answers: t.total(),
        typical: question
            .and_then(|x| typical_option(x, &t.counts).and_then(|i| x.options.get(i)))
            .map(|o| o.label.clone()),
        revealed: t.revealed,
        phones: t.source == TallySource::Phones,
        room_size: s.room_size,
        minutes: s.minutes,
        seconds_per_question: s.seconds_per_question(),
        answered: s.answered(),
        next,
        examples: examples(q, &t.question_id),
        blank,
        projector_open: app.get_webview_window(PROJECTOR).is_some(),
        phone_vote,
    }
}

/// Side of the QR code on the projector, in pixels (it is scaled to fit).
const QR_PX: u32 = 480;

/// The phone panel of session `id`.
fn phone_panel(phones: &Phones, loopback: bool, id: i64) -> PhonePanel {
    let running = phones
        .vote
        .as_ref()
        .filter(|v| v.session() == id && v.is_running());
    PhonePanel {
        status: running.map(PhoneVote::status),
        addresses: if running.is_some() {
            Vec::new()
        } else {
            pv::addresses(loopback)
                .iter()
                .map(IpAddr::to_string)
                .collect()
        },
        note: phones
            .note
            .as_ref()
            .filter(|(sid, _)| *sid == id && running.is_none())
            .map(|(_, note)| note.clone()),
    }
}

/// How phones join session `id`, while voting runs on it.
fn projector_join(phones: &Phones, id: i64) -> Option<ProjectorJoin> {
    let vote = phones
        .vote
        .as_ref()
        .filter(|v| v.session() == id && v.is_running())?;
    let status = vote.status();
    match vote.qr_svg(QR_PX) {
        Ok(qr) => Some(ProjectorJoin {
            qr,
            url: status.url,
            code: status.code,
        }),
        Err(e) => {
            eprintln!("sentinella-app: no QR code: {e}");
            None
        }
    }
}

/// The answers of the three demo examples to a question.
fn examples(q: &Questionnaire, question_id: &str) -> Vec<ExampleAnswer> {
    let Some(question) = q.question(question_id) else {
        return Vec::new();
    };
    // The examples are deterministic; the date only dates their sheets.
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    demo::examples(q, day)
        .into_iter()
        .map(|e| ExampleAnswer {
            name: e.sheet.organization.name.clone(),
            profile: e.profile.label_it(),
            answer: e
                .sheet
                .answers
                .get(question_id)
                .and_then(|a| question.option(&a.option))
                .map_or_else(|| "non risponde".to_string(), |o| o.label.clone()),
        })
        .collect()
}

/// The event the presenter listens to: its view changed outside the
/// presenter (counts arriving from phones).
pub const PRESENTER_EVENT: &str = "workshop-presenter";

/// Bring both windows in step with session `id` after a change made
/// outside the presenter (the phone-voting server records counts with
/// [`TallySource::Phones`] through `usecase::workshop::apply`, then calls
/// this): the projector gets its view, the presenter its own (it re-renders
/// unless counts are being typed).
pub fn refresh<R: Runtime>(app: &AppHandle<R>, id: i64) -> AppResult<()> {
    let state = app.state::<AppState>();
    let wstate = app.state::<WorkshopState>();
    let view = show_if_on_screen(app, &state, &wstate, id)?;
    if let Err(e) = app.emit_to(MAIN, PRESENTER_EVENT, &view) {
        eprintln!("sentinella-app: cannot update the presenter: {e}");
    }
    Ok(())
}

/// Send the projector its view (if the window is open).
fn update_projector<R: Runtime>(app: &AppHandle<R>, view: &ProjectorView) {
    if app.get_webview_window(PROJECTOR).is_some() {
        if let Err(e) = app.emit_to(PROJECTOR, PROJECTOR_EVENT, view) {
            eprintln!("sentinella-app: cannot update the projector: {e}");
        }
    }
}

/// Show session `id` (after `step`, if any): the presenter's view, with the
/// projector brought in step.
fn show<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    wstate: &WorkshopState,
    id: i64,
    step: Option<&Step>,
) -> AppResult<PresenterView> {
    // Another session on screen: the phones of the previous one stop.
    wstate.stop_phones(|running| running != id);
    view(app, state, wstate, id, step, true)
}

/// The presenter's view of session `id`, with the projector brought in
/// step only if `id` is still the session on screen (a change arriving
/// from phones, or phones stopped as the presenter was left, must not take
/// the screen from a session opened meanwhile).
fn show_if_on_screen<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    wstate: &WorkshopState,
    id: i64,
) -> AppResult<PresenterView> {
    let on_screen = wstate.screen().session.is_none_or(|s| s == id);
    view(app, state, wstate, id, None, on_screen)
}

fn view<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    wstate: &WorkshopState,
    id: i64,
    step: Option<&Step>,
    take_screen: bool,
) -> AppResult<PresenterView> {
    let catalog = state.catalog();
    let phones = wstate.phones();
    let (s, q) = wstate.with_db_app(state, |db| {
        let s = match step {
            Some(step) => pv::apply(db, catalog, id, step, phones.vote.as_ref(), Utc::now())
                .map_err(phone_error)?,
            None => ws::open(db, catalog, id).map_err(app_error)?.0,
        };
        let q = ws::questionnaire_of(catalog, &s).map_err(app_error)?;
        Ok((s, q))
    })?;
    let panel = phone_panel(&phones, wstate.phone_options.loopback, id);
    let join = projector_join(&phones, id);
    drop(phones);
    if !take_screen {
        return Ok(presenter_view(app, id, &q, &s, false, panel));
    }
    let screen = wstate.set_screen(|sc| {
        if sc.session != Some(id) {
            sc.blank = false;
        }
        sc.session = Some(id);
    });
    update_projector(app, &projector_view(&q, &s, screen.blank, join));
    Ok(presenter_view(app, id, &q, &s, screen.blank, panel))
}

/// Watch the phone vote of `generation` on session `id` until it ends:
/// the presenter (and projector) are refreshed when phones join or vote,
/// and when the server stops by itself (idle timeout) it is cleared with a
/// note for the presenter.
fn watch_phones<R: Runtime>(app: AppHandle<R>, id: i64, generation: u64) {
    let spawned = std::thread::Builder::new()
        .name("sentinella-phones".into())
        .spawn(move || {
            let mut last = None;
            loop {
                std::thread::sleep(Duration::from_millis(200));
                let wstate = app.state::<WorkshopState>();
                let now = {
                    let mut p = wstate.phones();
                    if p.generation != generation {
                        return;
                    }
                    match p.vote.as_ref().map(PhoneVote::status) {
                        Some(status) if status.running => {
                            Some((status.voted, status.joined, status.question))
                        }
                        Some(_) => {
                            // Stopped by itself: taken out, stopped below.
                            p.generation += 1;
                            let ended = p.vote.take();
                            drop(p);
                            let why = ended.map(PhoneVote::stop);
                            let note = match why {
                                Some(StopReason::IdleTimeout) => format!(
                                    "Il voto dai telefoni si è fermato da solo dopo {} senza attività. Puoi riavviarlo.",
                                    idle_words(wstate.phone_options.idle_timeout)
                                ),
                                other => {
                                    eprintln!("sentinella-app: phone voting stopped: {other:?}");
                                    "Il voto dai telefoni si è fermato per un errore: riavvialo.".into()
                                }
                            };
                            wstate.phones().note = Some((id, note));
                            None
                        }
                        None => return,
                    }
                };
                let changed = last.as_ref() != Some(&now);
                let ended = now.is_none();
                if changed && (last.is_some() || ended) {
                    if let Err(e) = refresh(&app, id) {
                        eprintln!("sentinella-app: phone voting: {e}");
                    }
                }
                if ended {
                    return;
                }
                last = Some(now);
            }
        });
    if let Err(e) = spawned {
        eprintln!("sentinella-app: cannot watch phone voting: {e}");
    }
}

/// The phone-voting options of the test builds.
#[cfg(feature = "e2e")]
pub mod stand_in {
    use std::time::Duration;

    use sentinella::usecase::phone_vote::StartOptions;

    /// Test builds only: loopback offered when `SENTINELLA_E2E_LOOPBACK_VOTING`
    /// is set; the idle timeout from `SENTINELLA_E2E_VOTING_IDLE_SECS`.
    pub fn phone_options_from_env() -> StartOptions {
        let mut options = StartOptions {
            loopback: std::env::var_os("SENTINELLA_E2E_LOOPBACK_VOTING").is_some(),
            ..StartOptions::default()
        };
        if let Some(secs) = std::env::var("SENTINELLA_E2E_VOTING_IDLE_SECS")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
        {
            options.idle_timeout = Duration::from_secs(secs);
        }
        options
    }
}

/// "120 minuti", "1 minuto", "5 secondi".
fn idle_words(d: Duration) -> String {
    let secs = d.as_secs();
    match (secs / 60, secs) {
        (1, _) => "1 minuto".into(),
        (0, 1) => "1 secondo".into(),
        (0, s) => format!("{s} secondi"),
        (m, _) => format!("{m} minuti"),
    }
}

/// The main window closed: phone voting stops and the projector closes
/// (nothing can drive it any more).
pub fn main_closed<R: Runtime>(app: &AppHandle<R>) {
    if let Some(wstate) = app.try_state::<WorkshopState>() {
        wstate.stop_phones(|_| true);
    }
    if let Some(w) = app.get_webview_window(PROJECTOR) {
        let _ = w.close();
    }
}

fn check_id(id: i64) -> AppResult<i64> {
    if id > 0 {
        Ok(id)
    } else {
        Err(AppError::invalid("Identificativo non valido."))
    }
}

#[tauri::command(rename_all = "snake_case")]
pub fn workshop_home(
    state: State<'_, AppState>,
    wstate: State<'_, WorkshopState>,
) -> AppResult<WorkshopHome> {
    // Back to the list of sessions: the session on screen is closed.
    wstate.stop_phones(|_| true);
    let catalog = state.catalog();
    let mut seen = Vec::new();
    let mut questionnaires = Vec::new();
    for e in catalog.entries() {
        let id = &e.questionnaire.id;
        if seen.contains(id) {
            continue;
        }
        seen.push(id.clone());
        if let Some(latest) = catalog.latest(id) {
            let q = &latest.questionnaire;
            questionnaires.push(QuestionnaireChoice {
                id: q.id.clone(),
                title: q.title.clone(),
                domains: q
                    .domains
                    .iter()
                    .map(|d| DomainChoice {
                        id: d.id.clone(),
                        title: d.title.clone(),
                        questions: d.questions.len(),
                    })
                    .collect(),
            });
        }
    }
    let sessions = wstate.with_db(&state, |db| ws::list(db))?;
    Ok(WorkshopHome {
        questionnaires,
        sessions: sessions
            .into_iter()
            .map(|s| SessionRow {
                id: s.id,
                title: catalog
                    .get(&s.questionnaire.id, &s.questionnaire.version)
                    .map_or_else(
                        || s.questionnaire.id.clone(),
                        |l| l.questionnaire.title.clone(),
                    ),
                questions: s.questions,
                answered: s.answered,
                current: s.current,
                updated: format_italian(s.updated_at),
            })
            .collect(),
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn workshop_create(
    state: State<'_, AppState>,
    wstate: State<'_, WorkshopState>,
    input: NewSession,
) -> AppResult<i64> {
    wstate.with_db(&state, |db| {
        ws::create(db, state.catalog(), &input, Utc::now()).map(|(id, _)| id)
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn workshop_get<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    wstate: State<'_, WorkshopState>,
    id: i64,
) -> AppResult<PresenterView> {
    show(&app, &state, &wstate, check_id(id)?, None)
}

#[tauri::command(rename_all = "snake_case")]
pub fn workshop_step<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    wstate: State<'_, WorkshopState>,
    id: i64,
    step: Step,
) -> AppResult<PresenterView> {
    // Counts typed in this window are a show of hands.
    let step = match step {
        Step::Counts {
            question, counts, ..
        } => Step::Counts {
            question,
            counts,
            source: TallySource::Hands,
        },
        other => other,
    };
    show(&app, &state, &wstate, check_id(id)?, Some(&step))
}

#[tauri::command(rename_all = "snake_case")]
pub fn workshop_blank<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    wstate: State<'_, WorkshopState>,
    id: i64,
    blank: bool,
) -> AppResult<PresenterView> {
    let id = check_id(id)?;
    wstate.set_screen(|sc| {
        sc.session = Some(id);
        sc.blank = blank;
    });
    show(&app, &state, &wstate, id, None)
}

#[tauri::command(rename_all = "snake_case")]
pub fn workshop_delete(
    state: State<'_, AppState>,
    wstate: State<'_, WorkshopState>,
    id: i64,
) -> AppResult<()> {
    let id = check_id(id)?;
    wstate.stop_phones(|running| running == id);
    wstate.with_db(&state, |db| ws::delete(db, id))?;
    wstate.set_screen(|sc| {
        if sc.session == Some(id) {
            sc.session = None;
        }
    });
    Ok(())
}

/// Open the projector window (or bring it forward): full screen on a
/// second display when there is one, else a normal window the trainer can
/// swap with the presenter.
#[tauri::command(rename_all = "snake_case")]
pub fn workshop_projector<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    wstate: State<'_, WorkshopState>,
    id: i64,
) -> AppResult<PresenterView> {
    let id = check_id(id)?;
    if let Some(w) = app.get_webview_window(PROJECTOR) {
        let _ = w.set_focus();
    } else {
        let cannot = |e: tauri::Error| {
            eprintln!("sentinella-app: cannot open the projector window: {e}");
            AppError::new("Non riesco ad aprire la finestra per il proiettore.")
        };
        let window =
            WebviewWindowBuilder::new(&app, PROJECTOR, WebviewUrl::App("projector.html".into()))
                .title("Sentinella – proiezione")
                .inner_size(1024.0, 640.0)
                .build()
                .map_err(cannot)?;
        // A second display: move there and fill it.
        let primary = window.primary_monitor().ok().flatten();
        let other = window.available_monitors().ok().and_then(|all| {
            all.into_iter().find(|m| {
                primary
                    .as_ref()
                    .is_none_or(|p| p.position() != m.position())
            })
        });
        if let Some(m) = other {
            let _ = window.set_position(*m.position());
            let _ = window.set_fullscreen(true);
        }
        // The keyboard (and the clicker) stays with the presenter.
        if let Some(main) = app.get_webview_window(MAIN) {
            let _ = main.set_focus();
        }
    }
    show(&app, &state, &wstate, id, None)
}

/// Save the debrief PDF of a session (save dialog).
#[tauri::command(rename_all = "snake_case")]
pub async fn workshop_debrief_pdf<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    wstate: State<'_, WorkshopState>,
    id: i64,
) -> AppResult<Saved> {
    let id = check_id(id)?;
    let today = chrono::Local::now().date_naive();
    let catalog = state.catalog();
    let bytes = wstate.with_db(&state, |db| {
        let (s, q) = ws::open(db, catalog, id)?;
        Ok(ws::debrief(&q, &s, today)?.bytes)
    })?;
    let path = dialogs::save_file(
        &app,
        "Salva il resoconto dell'incontro",
        &names::workshop_debrief(today),
        dialogs::PDF,
        &bytes,
    )?;
    Ok(Saved {
        path: path.map(|p| p.display().to_string()),
    })
}

/// Save a session as a `sentinella-workshop/1` file (save dialog).
#[tauri::command(rename_all = "snake_case")]
pub async fn workshop_export<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    wstate: State<'_, WorkshopState>,
    id: i64,
) -> AppResult<Saved> {
    let id = check_id(id)?;
    let today = chrono::Local::now().date_naive();
    let catalog = state.catalog();
    let json = wstate.with_db(&state, |db| ws::export_json(db, catalog, id))?;
    let path = dialogs::save_file(
        &app,
        "Salva la sessione di formazione",
        &names::workshop_session(today),
        dialogs::JSON,
        json.as_bytes(),
    )?;
    Ok(Saved {
        path: path.map(|p| p.display().to_string()),
    })
}

/// With one display: bring the other window to the front.
#[tauri::command(rename_all = "snake_case")]
pub fn workshop_swap<R: Runtime>(app: AppHandle<R>) -> AppResult<bool> {
    let (Some(main), Some(projector)) = (
        app.get_webview_window(MAIN),
        app.get_webview_window(PROJECTOR),
    ) else {
        return Ok(false);
    };
    let main_front = main.is_focused().unwrap_or(true);
    let front = if main_front { &projector } else { &main };
    let _ = front.set_focus();
    Ok(main_front)
}

/// "Voto dai telefoni": start phone voting on session `id`, on `address`
/// (one of those the panel offers), on a free port.
#[tauri::command(rename_all = "snake_case")]
pub fn workshop_phones_start<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    wstate: State<'_, WorkshopState>,
    id: i64,
    address: String,
) -> AppResult<PresenterView> {
    let id = check_id(id)?;
    let ip: IpAddr = address
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("Indirizzo non valido: scegline uno dall'elenco."))?;
    // One vote at a time: a running one (of any session) stops first.
    wstate.stop_phones(|_| true);
    let vote = wstate.with_db_app(&state, |db| {
        pv::start(db, state.catalog(), id, ip, wstate.phone_options).map_err(phone_error)
    })?;
    let generation = {
        let mut p = wstate.phones();
        p.generation += 1;
        p.note = None;
        p.vote = Some(vote);
        p.generation
    };
    watch_phones(app.clone(), id, generation);
    show(&app, &state, &wstate, id, None)
}

/// "Voto dai telefoni": stop phone voting on session `id` (the port is
/// closed when this returns).
#[tauri::command(rename_all = "snake_case")]
pub fn workshop_phones_stop<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    wstate: State<'_, WorkshopState>,
    id: i64,
) -> AppResult<PresenterView> {
    let id = check_id(id)?;
    wstate.stop_phones(|running| running == id);
    show_if_on_screen(&app, &state, &wstate, id)
}

/// The projector's current view (when its page loads).
#[tauri::command(rename_all = "snake_case")]
pub fn projector_state(
    state: State<'_, AppState>,
    wstate: State<'_, WorkshopState>,
) -> AppResult<ProjectorView> {
    let screen = wstate.screen();
    let Some(id) = screen.session else {
        return Ok(ProjectorView::empty());
    };
    let catalog = state.catalog();
    let join = if screen.blank {
        None
    } else {
        projector_join(&wstate.phones(), id)
    };
    let view = wstate.with_db(&state, |db| {
        let (s, q) = ws::open(db, catalog, id)?;
        Ok(projector_view(&q, &s, screen.blank, join))
    });
    // A session deleted meanwhile: nothing on the wall.
    Ok(view.unwrap_or_else(|_| ProjectorView::empty()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use sentinella::load::Catalog;
    use sentinella::workshop::SessionSetup;

    /// Whatever the state, the projector's view never carries a
    /// facilitator note, a "why it matters" text, or counts not revealed.
    #[test]
    fn the_projector_view_never_carries_notes_or_hidden_counts() {
        let (catalog, _) = Catalog::builtin();
        for id in ["comune", "sportello-polis"] {
            let q = catalog.latest(id).unwrap().questionnaire.clone();
            let setup = SessionSetup {
                domains: vec![],
                minutes: 90,
                room_size: 40,
            };
            let mut s = Session::new(&q, &setup, Utc::now()).unwrap();
            for i in 0..s.len() {
                let t = s.tallies[i].clone();
                let n = t.counts.len();
                let mut counts = vec![0_i64; n];
                counts[i % n] = 37;
                s.record_counts(&t.question_id, &counts, TallySource::Hands)
                    .unwrap();
                s.set_revealed(&t.question_id, i % 2 == 0).unwrap();
            }
            for i in 0..s.len() {
                s.go_to(i64::try_from(i).unwrap()).unwrap();
                let question = q.question(&s.tallies[i].question_id).unwrap();
                for blank in [false, true] {
                    let join = ProjectorJoin {
                        qr: "<svg/>".into(),
                        url: "http://192.168.1.20:40123".into(),
                        code: "ACD347".into(),
                    };
                    let view = projector_view(&q, &s, blank, Some(join));
                    // How to join: shown unless the screen is blank.
                    assert_eq!(view.join.is_some(), !blank);
                    let json = serde_json::to_string(&view).unwrap();
                    if let Some(note) = &question.facilitator_note {
                        assert!(
                            !json.contains(note.as_str()),
                            "{}: note leaked",
                            question.id
                        );
                    }
                    assert!(
                        !json.contains(question.help.as_str()),
                        "{}: help leaked",
                        question.id
                    );
                    let shown = i % 2 == 0 && !blank;
                    assert_eq!(view.counts.is_some(), shown, "{}", question.id);
                    assert_eq!(view.answers.is_some(), shown, "{}", question.id);
                    assert_eq!(view.blank, blank);
                    if blank {
                        assert!(view.text.is_empty() && view.options.is_empty());
                    } else {
                        assert_eq!(view.text, question.text);
                    }
                }
            }
        }
    }
}
