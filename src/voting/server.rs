//! The local voting server (axum on tokio): the phone page and its assets,
//! join, current question, vote, and an event stream. Nothing else: no file
//! is read from disk, no path from a URL reaches the filesystem.
//!
//! It listens on one address the caller chose among the machine's private
//! LAN addresses ([`super::lan`]; never the wildcard), on a free port when
//! the port is 0, and stops on [`ServerHandle::shutdown`] (or when the handle
//! is dropped), after an idle timeout, or on Ctrl-C when asked to.
//!
//! Every request passes the same guard: the Host header must name this
//! server (no DNS rebinding), a foreign Origin is refused, each address has
//! a rate cap, each device token a vote cap, repeated wrong session codes
//! from one address are slowed down (doubling waits), bodies are capped and
//! parsed strictly (JSON, known fields only). Addresses and tokens are kept
//! in memory only as salted hashes, for those caps, and never written.
//!
//! The trainer's controls are library calls on [`LiveRoom`]. For the command
//! line, an optional trainer page listens on a second socket on loopback
//! only, behind a random secret token.

// Handlers' helpers return the refusal itself as their error: a Response is
// large, but it is returned at once, never stored.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::IntoFuture;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener as StdListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::watch;

use super::lan;
use super::live::{LiveError, LiveRoom};
use super::qr;
use super::room::VotingError;

const PHONE_HTML: &str = include_str!("../../assets/vote/index.html");
const PHONE_JS: &str = include_str!("../../assets/vote/vote.js");
const STYLE_CSS: &str = include_str!("../../assets/vote/vote.css");
const TRAINER_HTML: &str = include_str!("../../assets/vote/trainer.html");
const TRAINER_JS: &str = include_str!("../../assets/vote/trainer.js");

/// The Content-Security-Policy of every response: only this server's own
/// scripts and styles, no inline code, no frames, no other host.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
frame-ancestors 'none'";

/// The caps of the guard.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Requests an address may make at once.
    pub address_burst: f64,
    /// Requests per second an address may make over time.
    pub address_per_sec: f64,
    /// Votes a device token may cast at once.
    pub token_burst: f64,
    /// Votes per second a device token may cast over time.
    pub token_per_sec: f64,
    /// Wrong session codes an address may send before waits begin.
    pub free_wrong_codes: u32,
    /// Longest wait after wrong codes.
    pub max_wait: Duration,
    /// Largest request body, in bytes.
    pub body_max: usize,
    /// Most event streams open at once.
    pub max_streams: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            address_burst: 60.0,
            address_per_sec: 20.0,
            token_burst: 20.0,
            token_per_sec: 5.0,
            free_wrong_codes: 3,
            max_wait: Duration::from_secs(60),
            body_max: 1024,
            max_streams: 1000,
        }
    }
}

/// How the server is started.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The address to listen on: private LAN, link-local or loopback.
    pub bind: IpAddr,
    /// The port (0: a free one).
    pub port: u16,
    /// Stop after this long without any request or trainer action.
    pub idle_timeout: Duration,
    /// Also serve the trainer page on loopback (the command line's face).
    pub trainer_page: bool,
    /// Stop on Ctrl-C (the command line).
    pub stop_on_ctrl_c: bool,
    /// The guard's caps.
    pub limits: Limits,
}

impl ServerConfig {
    /// Loopback, a free port, 2 hours idle, no trainer page.
    pub fn loopback() -> Self {
        ServerConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            idle_timeout: Duration::from_secs(2 * 3600),
            trainer_page: false,
            stop_on_ctrl_c: false,
            limits: Limits::default(),
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The address is public or the wildcard.
    #[error("{0} is not a private LAN, link-local or loopback address of this machine")]
    AddressNotAllowed(IpAddr),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The system's error.
        source: std::io::Error,
    },
    /// The runtime could not start.
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
    /// No randomness.
    #[error(transparent)]
    Live(#[from] LiveError),
}

/// Why the server stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// [`ServerHandle::shutdown`] or the handle was dropped.
    Shutdown,
    /// No activity for the idle timeout.
    IdleTimeout,
    /// Ctrl-C.
    Interrupted,
    /// The server failed.
    Failed(String),
}

/// A running server.
#[derive(Debug)]
pub struct ServerHandle {
    url: String,
    addr: SocketAddr,
    trainer_url: Option<String>,
    trainer_token: String,
    stop: Arc<watch::Sender<bool>>,
    thread: Option<JoinHandle<StopReason>>,
}

impl ServerHandle {
    /// The phones' URL (`http://ip:port`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address and port the phones' socket listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The trainer page's URL on loopback, with the secret token in the
    /// fragment, when the page is served.
    pub fn trainer_url(&self) -> Option<String> {
        self.trainer_url
            .as_ref()
            .map(|u| format!("{u}/trainer#{}", self.trainer_token))
    }

    /// The trainer page's base URL (no token), when served.
    pub fn trainer_base(&self) -> Option<&str> {
        self.trainer_url.as_deref()
    }

    /// The trainer API's secret token.
    pub fn trainer_token(&self) -> &str {
        &self.trainer_token
    }

    /// Asks the server to stop (returns at once).
    pub fn shutdown(&self) {
        self.stop.send_replace(true);
    }

    /// True until the server has stopped.
    pub fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Waits until the server stops, and says why.
    pub fn wait(mut self) -> StopReason {
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(reason)) => reason,
            Some(Err(_)) => StopReason::Failed("the server thread panicked".into()),
            None => StopReason::Shutdown,
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.shutdown();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Starts the server on its own thread and runtime; returns once it
/// listens.
pub fn spawn(room: Arc<LiveRoom>, config: ServerConfig) -> Result<ServerHandle, ServerError> {
    if !lan::is_allowed(config.bind) {
        return Err(ServerError::AddressNotAllowed(config.bind));
    }
    let bind = |addr: SocketAddr| -> Result<StdListener, ServerError> {
        let listener =
            StdListener::bind(addr).map_err(|source| ServerError::Bind { addr, source })?;
        listener
            .set_nonblocking(true)
            .map_err(|source| ServerError::Bind { addr, source })?;
        Ok(listener)
    };
    let phone = bind(SocketAddr::new(config.bind, config.port))?;
    let phone_addr = phone.local_addr().map_err(ServerError::Runtime)?;
    let trainer = if config.trainer_page {
        Some(bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0))?)
    } else {
        None
    };
    let trainer_addr = match &trainer {
        Some(t) => Some(t.local_addr().map_err(ServerError::Runtime)?),
        None => None,
    };
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| LiveError::Random(e.to_string()))?;
    let trainer_token = hex(&secret[..16]);
    let guard_key: [u8; 16] = secret[16..].try_into().unwrap_or([7u8; 16]);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("sentinella-voting")
        .build()
        .map_err(ServerError::Runtime)?;
    let (stop_tx, _) = watch::channel(false);
    let stop = Arc::new(stop_tx);
    let url = format!("http://{phone_addr}");
    let shared = Arc::new(Shared {
        room,
        phone_authority: phone_addr.to_string(),
        trainer_authority: trainer_addr.map(|a| a.to_string()),
        url: url.clone(),
        trainer_token: trainer_token.clone(),
        limits: config.limits.clone(),
        guard: Mutex::new(Guard::new(guard_key)),
        streams: AtomicUsize::new(0),
        stop: stop.clone(),
    });
    let thread = std::thread::Builder::new()
        .name("sentinella-voting".into())
        .spawn(move || runtime.block_on(run(shared, phone, trainer, config)))
        .map_err(ServerError::Runtime)?;
    Ok(ServerHandle {
        url,
        addr: phone_addr,
        trainer_url: trainer_addr.map(|a| format!("http://{a}")),
        trainer_token,
        stop,
        thread: Some(thread),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct Shared {
    room: Arc<LiveRoom>,
    phone_authority: String,
    trainer_authority: Option<String>,
    url: String,
    trainer_token: String,
    limits: Limits,
    guard: Mutex<Guard>,
    streams: AtomicUsize,
    stop: Arc<watch::Sender<bool>>,
}

async fn run(
    shared: Arc<Shared>,
    phone: StdListener,
    trainer: Option<StdListener>,
    config: ServerConfig,
) -> StopReason {
    let phone = match tokio::net::TcpListener::from_std(phone) {
        Ok(l) => l,
        Err(e) => return StopReason::Failed(e.to_string()),
    };
    let mut servers = Vec::new();
    let stopped = |stop: Arc<watch::Sender<bool>>| async move {
        let mut rx = stop.subscribe();
        let _ = rx.wait_for(|v| *v).await;
    };
    let app = phone_router(shared.clone()).into_make_service_with_connect_info::<SocketAddr>();
    servers.push(tokio::spawn(
        axum::serve(phone, app)
            .with_graceful_shutdown(stopped(shared.stop.clone()))
            .into_future(),
    ));
    if let Some(trainer) = trainer {
        let trainer = match tokio::net::TcpListener::from_std(trainer) {
            Ok(l) => l,
            Err(e) => return StopReason::Failed(e.to_string()),
        };
        let app =
            trainer_router(shared.clone()).into_make_service_with_connect_info::<SocketAddr>();
        servers.push(tokio::spawn(
            axum::serve(trainer, app)
                .with_graceful_shutdown(stopped(shared.stop.clone()))
                .into_future(),
        ));
    }
    let idle = config.idle_timeout;
    let room = shared.room.clone();
    let idle_watch = async move {
        loop {
            tokio::time::sleep(Duration::from_millis(250).min(idle)).await;
            if room.last_activity().elapsed() >= idle {
                return;
            }
        }
    };
    let ctrl_c = async move {
        if config.stop_on_ctrl_c && tokio::signal::ctrl_c().await.is_ok() {
            return;
        }
        std::future::pending::<()>().await;
    };
    let reason = tokio::select! {
        () = stopped(shared.stop.clone()) => StopReason::Shutdown,
        () = idle_watch => StopReason::IdleTimeout,
        () = ctrl_c => StopReason::Interrupted,
    };
    shared.stop.send_replace(true);
    // Graceful: let requests in flight finish (event streams end on the
    // stop signal), but not for ever.
    for server in servers {
        let abort = server.abort_handle();
        if tokio::time::timeout(Duration::from_secs(3), server)
            .await
            .is_err()
        {
            abort.abort();
        }
    }
    reason
}

// ---------------------------------------------------------------------------
// The guard: rate caps and the slowing of wrong codes, keyed by salted hashes.

#[derive(Debug, Clone, Copy)]
struct Bucket {
    level: f64,
    at: Instant,
}

impl Bucket {
    fn take(slot: &mut Option<Bucket>, now: Instant, burst: f64, per_sec: f64) -> bool {
        let b = slot.get_or_insert(Bucket {
            level: burst,
            at: now,
        });
        let refill = now.saturating_duration_since(b.at).as_secs_f64() * per_sec;
        b.level = (b.level + refill).min(burst);
        b.at = now;
        if b.level >= 1.0 {
            b.level -= 1.0;
            true
        } else {
            false
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    until: Instant,
    at: Instant,
}

type Key = [u8; 16];

struct Guard {
    key: [u8; 16],
    addresses: HashMap<Key, Bucket>,
    tokens: HashMap<Key, Bucket>,
    failures: HashMap<Key, Failures>,
}

const GUARD_MAX_ENTRIES: usize = 4096;

impl Guard {
    fn new(key: [u8; 16]) -> Self {
        Guard {
            key,
            addresses: HashMap::new(),
            tokens: HashMap::new(),
            failures: HashMap::new(),
        }
    }

    fn hash(&self, kind: &[u8], value: &[u8]) -> Key {
        let mut h = Sha256::new();
        h.update(self.key);
        h.update(kind);
        h.update(value);
        let full: [u8; 32] = h.finalize().into();
        let mut out = [0u8; 16];
        out.copy_from_slice(&full[..16]);
        out
    }

    fn ip_key(&self, ip: IpAddr) -> Key {
        let bytes = match ip.to_canonical() {
            IpAddr::V4(v4) => v4.octets().to_vec(),
            IpAddr::V6(v6) => v6.octets().to_vec(),
        };
        self.hash(b"ip", &bytes)
    }

    fn prune(&mut self, now: Instant) {
        let old = |at: Instant| now.saturating_duration_since(at) > Duration::from_secs(120);
        if self.addresses.len() > GUARD_MAX_ENTRIES {
            self.addresses.retain(|_, b| !old(b.at));
        }
        if self.tokens.len() > GUARD_MAX_ENTRIES {
            self.tokens.retain(|_, b| !old(b.at));
        }
        if self.failures.len() > GUARD_MAX_ENTRIES {
            self.failures.retain(|_, f| !old(f.at) || f.until > now);
        }
    }

    fn allow_address(&mut self, ip: IpAddr, limits: &Limits, now: Instant) -> bool {
        self.prune(now);
        let key = self.ip_key(ip);
        let mut slot = self.addresses.get(&key).copied();
        let ok = Bucket::take(&mut slot, now, limits.address_burst, limits.address_per_sec);
        if let Some(b) = slot {
            self.addresses.insert(key, b);
        }
        ok
    }

    fn allow_token(&mut self, token: &str, limits: &Limits, now: Instant) -> bool {
        let key = self.hash(b"token", token.as_bytes());
        let mut slot = self.tokens.get(&key).copied();
        let ok = Bucket::take(&mut slot, now, limits.token_burst, limits.token_per_sec);
        if let Some(b) = slot {
            self.tokens.insert(key, b);
        }
        ok
    }

    /// How long this address must still wait before trying a code.
    fn wait_left(&self, ip: IpAddr, now: Instant) -> Option<Duration> {
        let f = self.failures.get(&self.ip_key(ip))?;
        (f.until > now).then(|| f.until - now)
    }

    fn wrong_code(&mut self, ip: IpAddr, limits: &Limits, now: Instant) {
        let key = self.ip_key(ip);
        let f = self.failures.entry(key).or_insert(Failures {
            count: 0,
            until: now,
            at: now,
        });
        f.count = f.count.saturating_add(1);
        f.at = now;
        if f.count > limits.free_wrong_codes {
            let doublings = (f.count - limits.free_wrong_codes - 1).min(16);
            let wait = Duration::from_secs(1u64 << doublings).min(limits.max_wait);
            f.until = now + wait;
        }
    }

    fn right_code(&mut self, ip: IpAddr) {
        let key = self.ip_key(ip);
        self.failures.remove(&key);
    }
}

// ---------------------------------------------------------------------------
// Responses.

/// A refusal, as JSON: a machine-readable kind and an Italian message the
/// phone shows as is.
#[derive(Debug, Serialize)]
struct Refusal {
    error: &'static str,
    message: String,
}

fn refuse(status: StatusCode, error: &'static str, message: impl Into<String>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        serde_json::to_string(&Refusal {
            error,
            message: message.into(),
        })
        .unwrap_or_default(),
    )
        .into_response()
}

fn json<T: Serialize>(value: &T) -> Response {
    match serde_json::to_string(value) {
        Ok(body) => (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response(),
        Err(_) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Errore interno.",
        ),
    }
}

fn seconds(n: u64) -> String {
    if n == 1 {
        "1 secondo".into()
    } else {
        format!("{n} secondi")
    }
}

fn room_refusal(e: &VotingError) -> Response {
    use VotingError as E;
    let (status, kind, message) = match e {
        E::WrongCode => (
            StatusCode::FORBIDDEN,
            "wrong_code",
            "Il codice della sessione non è corretto.",
        ),
        E::BadToken => (
            StatusCode::BAD_REQUEST,
            "bad_token",
            "Identificativo del dispositivo non valido: ricarica la pagina.",
        ),
        E::NotJoined => (
            StatusCode::CONFLICT,
            "not_joined",
            "La sessione è stata azzerata: stai rientrando.",
        ),
        E::StaleEpoch { .. } => (
            StatusCode::CONFLICT,
            "stale_epoch",
            "La sessione è stata azzerata: stai rientrando.",
        ),
        E::UnknownQuestion(_) => (
            StatusCode::NOT_FOUND,
            "unknown_question",
            "Questa domanda non esiste.",
        ),
        E::NotCurrent(_) => (
            StatusCode::CONFLICT,
            "not_current",
            "Il formatore è passato a un'altra domanda.",
        ),
        E::Closed(_) => (
            StatusCode::CONFLICT,
            "closed",
            "La votazione su questa domanda è chiusa.",
        ),
        E::BadOption { .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_option",
            "Questa risposta non esiste.",
        ),
        E::Full => (
            StatusCode::SERVICE_UNAVAILABLE,
            "full",
            "La sessione ha raggiunto il numero massimo di partecipanti.",
        ),
        E::NoSuchMove(which) => (
            StatusCode::CONFLICT,
            "no_such_move",
            if *which == "next" {
                "Questa è l'ultima domanda."
            } else {
                "Questa è la prima domanda."
            },
        ),
        E::AlreadyRevealed(_) => (
            StatusCode::CONFLICT,
            "already_revealed",
            "I risultati di questa domanda sono già stati mostrati.",
        ),
        E::NoQuestions | E::BadQuestion { .. } | E::UnknownDomain(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Errore interno.",
        ),
    };
    refuse(status, kind, message)
}

fn too_many() -> Response {
    let mut r = refuse(
        StatusCode::TOO_MANY_REQUESTS,
        "rate",
        "Troppe richieste: attendi un momento e riprova.",
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

fn secure(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Reads a JSON body strictly: the right content type, at most `max` bytes,
/// known fields only, nothing after the value.
async fn read_json<T: for<'de> Deserialize<'de>>(
    headers: &HeaderMap,
    body: Body,
    max: usize,
) -> Result<T, Response> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "bad_type",
            "Richiesta non valida (formato).",
        ));
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = || {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "Richiesta troppo grande.",
        )
    };
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, max)
        .await
        .map_err(|_| too_large())?;
    serde_json::from_slice(&bytes)
        .map_err(|_| refuse(StatusCode::BAD_REQUEST, "bad_json", "Richiesta non valida."))
}

// ---------------------------------------------------------------------------
// The phones' side.

fn phone_router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(|| async { page(PHONE_HTML) }))
        .route("/vote.js", get(|| async { script(PHONE_JS) }))
        .route("/vote.css", get(|| async { style(STYLE_CSS) }))
        .route("/api/join", post(join))
        .route("/api/question", get(question))
        .route("/api/vote", post(vote))
        .route("/api/events", get(events))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), phone_guard))
        .with_state(shared)
}

fn page(html: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

fn script(js: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        js,
    )
        .into_response()
}

fn style(css: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], css).into_response()
}

async fn not_found() -> Response {
    refuse(StatusCode::NOT_FOUND, "not_found", "Pagina inesistente.")
}

/// Host and Origin must name this server.
fn same_site(headers: &HeaderMap, authority: &str) -> Result<(), Response> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if host != Some(authority) {
        return Err(refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "bad_host",
            "Indirizzo non riconosciuto.",
        ));
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        if origin.to_str().ok() != Some(&format!("http://{authority}")) {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "foreign_origin",
                "Richiesta da un'altra pagina rifiutata.",
            ));
        }
    }
    Ok(())
}

async fn phone_guard(
    State(s): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    s.room.touch();
    if let Err(r) = same_site(request.headers(), &s.phone_authority) {
        return secure(r);
    }
    let allowed = {
        let mut g = s.guard.lock().unwrap_or_else(|e| e.into_inner());
        g.allow_address(peer.ip(), &s.limits, Instant::now())
    };
    if !allowed {
        return secure(too_many());
    }
    secure(next.run(request).await)
}

/// Checks a session code for `peer`, slowing down repeated wrong ones.
fn code_gate(s: &Shared, peer: IpAddr, code: &str) -> Result<(), Response> {
    let now = Instant::now();
    let mut g = s.guard.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(wait) = g.wait_left(peer, now) {
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let mut r = refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "slowed",
            format!(
                "Troppi tentativi con un codice errato: riprova tra {}.",
                seconds(secs)
            ),
        );
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Err(r);
    }
    match s.room.check_code(code) {
        Ok(()) => {
            g.right_code(peer);
            Ok(())
        }
        Err(e) => {
            g.wrong_code(peer, &s.limits, now);
            Err(room_refusal(&e))
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JoinRequest {
    code: String,
    token: String,
}

#[derive(Debug, Serialize)]
struct Joined {
    epoch: u64,
    question: super::room::PhoneView,
}

async fn join(
    State(s): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let req: JoinRequest = match read_json(&headers, body, s.limits.body_max).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    if let Err(r) = code_gate(&s, peer.ip(), &req.code) {
        return r;
    }
    match s.room.join(&req.code, &req.token) {
        Ok(epoch) => json(&Joined {
            epoch,
            question: s.room.phone_view(),
        }),
        Err(e) => room_refusal(&e),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeQuery {
    code: String,
}

async fn question(
    State(s): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    query: Result<Query<CodeQuery>, QueryRejection>,
) -> Response {
    let code = query.map(|Query(q)| q.code).unwrap_or_default();
    if let Err(r) = code_gate(&s, peer.ip(), &code) {
        return r;
    }
    json(&s.room.phone_view())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VoteRequest {
    epoch: u64,
    token: String,
    question: String,
    option: usize,
}

async fn vote(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    let req: VoteRequest = match read_json(&headers, body, s.limits.body_max).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let allowed = {
        let mut g = s.guard.lock().unwrap_or_else(|e| e.into_inner());
        g.allow_token(&req.token, &s.limits, Instant::now())
    };
    if !allowed {
        return too_many();
    }
    match s
        .room
        .vote(req.epoch, &req.token, &req.question, req.option)
    {
        Ok(()) => json(&serde_json::json!({ "ok": true, "option": req.option })),
        Err(e) => room_refusal(&e),
    }
}

/// Counts the open event streams; the count drops with the stream.
struct StreamSlot(Arc<Shared>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0.streams.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn events(
    State(s): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    query: Result<Query<CodeQuery>, QueryRejection>,
) -> Response {
    let code = query.map(|Query(q)| q.code).unwrap_or_default();
    if let Err(r) = code_gate(&s, peer.ip(), &code) {
        return r;
    }
    if s.streams.fetch_add(1, Ordering::SeqCst) >= s.limits.max_streams {
        s.streams.fetch_sub(1, Ordering::SeqCst);
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "Troppi collegamenti aperti: la pagina si aggiornerà da sola.",
        );
    }
    let slot = StreamSlot(s.clone());
    let phase = s.room.subscribe_phase();
    let stop = s.stop.subscribe();
    let stream = futures_util::stream::unfold(
        (slot, phase, stop, true),
        |(slot, mut phase, mut stop, first)| async move {
            if !first {
                tokio::select! {
                    changed = phase.changed() => if changed.is_err() { return None; },
                    _ = stop.wait_for(|v| *v) => return None,
                }
            }
            phase.borrow_and_update();
            let view = slot.0.room.phone_view();
            let data = serde_json::to_string(&view).unwrap_or_default();
            let event = Event::default()
                .event("question")
                .retry(Duration::from_secs(3))
                .data(data);
            Some((Ok::<_, Infallible>(event), (slot, phase, stop, false)))
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

// ---------------------------------------------------------------------------
// The trainer's page and API (command line face), loopback only.

fn trainer_router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/trainer", get(|| async { page(TRAINER_HTML) }))
        .route("/trainer.js", get(|| async { script(TRAINER_JS) }))
        .route("/vote.css", get(|| async { style(STYLE_CSS) }))
        .route("/trainer/api/state", get(trainer_state))
        .route("/trainer/api/qr.svg", get(trainer_qr))
        .route("/trainer/api/{action}", post(trainer_action))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            trainer_guard,
        ))
        .with_state(shared)
}

async fn trainer_guard(
    State(s): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    s.room.touch();
    if !peer.ip().is_loopback() {
        return secure(refuse(
            StatusCode::FORBIDDEN,
            "not_local",
            "Solo da questo computer.",
        ));
    }
    let Some(authority) = s.trainer_authority.as_deref() else {
        return secure(not_found().await);
    };
    if let Err(r) = same_site(request.headers(), authority) {
        return secure(r);
    }
    if request.uri().path().starts_with("/trainer/api/") {
        let expected = format!("Bearer {}", s.trainer_token);
        let given = request
            .headers()
            .get(header::AUTHORIZATION)
            .map(HeaderValue::as_bytes)
            .unwrap_or_default();
        let same = given.len() == expected.len()
            && given
                .iter()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return secure(refuse(
                StatusCode::UNAUTHORIZED,
                "bad_trainer_token",
                "Chiave del formatore mancante o errata.",
            ));
        }
    }
    secure(next.run(request).await)
}

#[derive(Debug, Serialize)]
struct TrainerState {
    code: String,
    url: String,
    join_url: String,
    view: super::room::TrainerView,
}

async fn trainer_state(State(s): State<Arc<Shared>>) -> Response {
    let code = s.room.code();
    json(&TrainerState {
        join_url: qr::join_url(&s.url, &code),
        code,
        url: s.url.clone(),
        view: s.room.trainer_view(),
    })
}

async fn trainer_qr(State(s): State<Arc<Shared>>) -> Response {
    match qr::qr_svg(&qr::join_url(&s.url, &s.room.code()), 320) {
        Ok(svg) => ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response(),
        Err(_) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Errore interno.",
        ),
    }
}

async fn trainer_action(State(s): State<Arc<Shared>>, Path(action): Path<String>) -> Response {
    let room = &s.room;
    let done = match action.as_str() {
        "next" => room.next_question(),
        "previous" => room.previous_question(),
        "open" => room.open(),
        "close" => {
            room.close();
            Ok(())
        }
        "reveal" => {
            room.reveal();
            Ok(())
        }
        "reset" => match room.reset() {
            Ok(()) => Ok(()),
            Err(LiveError::Room(e)) => Err(e),
            Err(LiveError::Random(_)) => {
                return refuse(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Errore interno.",
                )
            }
        },
        _ => return not_found().await,
    };
    match done {
        Ok(()) => trainer_state(State(s)).await,
        Err(e) => room_refusal(&e),
    }
}
