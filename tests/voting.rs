//! The voting server (issue 18) against a real HTTP client on loopback: the
//! phones' path, and every hostile request of the issue, each refused with
//! the counts unchanged. The client is hyper's low-level one, so that the
//! tests control every byte of the request line and headers (a path
//! traversal must reach the server as written).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

use sentinella::load::Catalog;
use sentinella::voting::server::{self, ServerConfig, ServerHandle, StopReason, CSP};
use sentinella::voting::{questions_from, LiveRoom, QuestionState, VotingQuestion};

fn questions() -> Vec<VotingQuestion> {
    (0..3)
        .map(|i| VotingQuestion {
            id: format!("q{i}"),
            title: format!("Domanda di prova {i}"),
            options: vec!["Sì".into(), "In parte".into(), "No".into(), "Non so".into()],
        })
        .collect()
}

fn start(config: ServerConfig) -> (Arc<LiveRoom>, ServerHandle) {
    let room = Arc::new(LiveRoom::new(questions()).unwrap());
    let handle = server::spawn(room.clone(), config).unwrap();
    (room, handle)
}

fn addr_of(url: &str) -> SocketAddr {
    url.trim_start_matches("http://").parse().unwrap()
}

struct Reply {
    status: StatusCode,
    headers: hyper::HeaderMap,
    body: Bytes,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    fn error(&self) -> String {
        self.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// One keep-alive connection from a chosen loopback source address.
struct Conn {
    send: SendRequest<Full<Bytes>>,
    host: String,
}

impl Conn {
    async fn open(server: SocketAddr, source: Ipv4Addr) -> Conn {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(SocketAddr::new(IpAddr::V4(source), 0)).unwrap();
        let stream = socket.connect(server).await.unwrap();
        let (send, conn) = http1::handshake(TokioIo::new(stream)).await.unwrap();
        tokio::spawn(conn);
        Conn {
            send,
            host: server.to_string(),
        }
    }

    async fn raw(&mut self, request: Request<Full<Bytes>>) -> Reply {
        self.send.ready().await.unwrap();
        let response = self.send.send_request(request).await.unwrap();
        let (parts, body) = response.into_parts();
        Reply {
            status: parts.status,
            headers: parts.headers,
            body: body.collect().await.unwrap().to_bytes(),
        }
    }

    fn builder(&self, method: &str, path: &str) -> hyper::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.host)
    }

    async fn get(&mut self, path: &str) -> Reply {
        let r = self
            .builder("GET", path)
            .body(Full::new(Bytes::new()))
            .unwrap();
        self.raw(r).await
    }

    async fn post(&mut self, path: &str, body: &Value) -> Reply {
        let origin = format!("http://{}", self.host);
        let r = self
            .builder("POST", path)
            .header("content-type", "application/json")
            .header("origin", origin)
            .body(Full::new(Bytes::from(body.to_string())))
            .unwrap();
        self.raw(r).await
    }
}

const PHONE: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);

fn token(n: u32) -> String {
    format!("test-device-token-{n:06}")
}

async fn joined(conn: &mut Conn, code: &str, n: u32) -> u64 {
    let r = conn
        .post("/api/join", &json!({"code": code, "token": token(n)}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.json());
    r.json()["epoch"].as_u64().unwrap()
}

fn vote_body(epoch: u64, n: u32, question: &str, option: usize) -> Value {
    json!({"epoch": epoch, "token": token(n), "question": question, "option": option})
}

#[tokio::test]
async fn phones_join_vote_change_and_the_trainer_reveals() {
    let (room, handle) = start(ServerConfig::loopback());
    let server = addr_of(handle.url());
    let code = room.code();
    let mut c = Conn::open(server, PHONE).await;

    let page = c.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&page.body).contains("lang=\"it\""));
    assert_eq!(page.headers["content-security-policy"], CSP);
    assert_eq!(page.headers["x-content-type-options"], "nosniff");
    for asset in ["/vote.js", "/vote.css"] {
        assert_eq!(c.get(asset).await.status, StatusCode::OK, "{asset}");
    }

    let epoch = joined(&mut c, &code, 1).await;
    joined(&mut c, &code.to_lowercase(), 2).await;
    let q = c.get(&format!("/api/question?code={code}")).await;
    assert_eq!(q.json()["id"], "q0");
    assert_eq!(q.json()["counts"], Value::Null);

    for (n, option) in [(1, 0), (2, 2), (1, 1)] {
        let r = c
            .post("/api/vote", &vote_body(epoch, n, "q0", option))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.json());
    }
    // The presenter: how many voted, not what.
    let view = room.trainer_view();
    assert_eq!((view.voted, view.joined), (2, 2));
    assert_eq!(view.question.counts, None);
    assert_eq!(room.counts("q0").unwrap(), vec![0, 1, 1, 0]);
    // Hidden from phones until revealed.
    let q = c.get(&format!("/api/question?code={code}")).await;
    assert_eq!(q.json()["counts"], Value::Null);
    room.close();
    room.reveal();
    let q = c.get(&format!("/api/question?code={code}")).await;
    assert_eq!(q.json()["state"], "revealed");
    assert_eq!(q.json()["counts"], json!([0, 1, 1, 0]));

    room.next_question().unwrap();
    let q = c.get(&format!("/api/question?code={code}")).await;
    assert_eq!(q.json()["id"], "q1");
    assert_eq!(q.json()["state"], "open");
    drop(c);
    handle.shutdown();
    assert_eq!(handle.wait(), StopReason::Shutdown);
}

#[tokio::test]
async fn the_event_stream_announces_moves_and_ends_on_shutdown() {
    let (room, handle) = start(ServerConfig::loopback());
    let server = addr_of(handle.url());
    let code = room.code();
    let mut c = Conn::open(server, PHONE).await;
    let wrong = c.get("/api/events?code=AAAAAA").await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);

    let r = c
        .builder("GET", &format!("/api/events?code={code}"))
        .body(Full::new(Bytes::new()))
        .unwrap();
    c.send.ready().await.unwrap();
    let response = c.send.send_request(r).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.into_body();
    let mut text = String::new();
    let first = next_event(&mut body, &mut text).await;
    assert!(first.contains("event: question"), "{first}");
    assert!(first.contains("\"id\":\"q0\""), "{first}");
    room.next_question().unwrap();
    let second = next_event(&mut body, &mut text).await;
    assert!(second.contains("\"id\":\"q1\""), "{second}");
    room.close();
    assert!(next_event(&mut body, &mut text)
        .await
        .contains("\"state\":\"closed\""));
    room.reveal();
    assert!(next_event(&mut body, &mut text)
        .await
        .contains("\"state\":\"revealed\""));
    // The stream ends when the server stops (no hanging shutdown).
    handle.shutdown();
    let started = Instant::now();
    assert_eq!(handle.wait(), StopReason::Shutdown);
    assert!(started.elapsed() < Duration::from_secs(5));
}

async fn next_event(body: &mut hyper::body::Incoming, text: &mut String) -> String {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
            .await
            .expect("an event within 5 s")
            .expect("stream open")
            .unwrap();
        if let Some(data) = frame.data_ref() {
            text.push_str(&String::from_utf8_lossy(data));
            if let Some(end) = text.find("\n\n") {
                let event = text[..end].to_string();
                text.drain(..end + 2);
                return event;
            }
        }
    }
}

#[tokio::test]
async fn wrong_codes_are_refused_and_slowed() {
    let (room, handle) = start(ServerConfig::loopback());
    let server = addr_of(handle.url());
    let code = room.code();
    let attacker = Ipv4Addr::new(127, 0, 0, 21);
    let mut c = Conn::open(server, attacker).await;
    // Three free wrong tries, then a fourth that starts the waits.
    for guess in ["AAAAAA", "CCCCCC", "DDDDDD", "EEEEEE"] {
        let r = c
            .post("/api/join", &json!({"code": guess, "token": token(1)}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(r.error(), "wrong_code");
    }
    // Now even the right code must wait.
    let r = c
        .post("/api/join", &json!({"code": code, "token": token(1)}))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.error(), "slowed");
    assert_eq!(r.headers["retry-after"], "1");
    // A brute force during the wait gets nowhere.
    let mut slowed = 0;
    for i in 0..40 {
        let r = c
            .post(
                "/api/join",
                &json!({"code": format!("{i:06}"), "token": token(1)}),
            )
            .await;
        if r.error() == "slowed" {
            slowed += 1;
        }
    }
    assert_eq!(slowed, 40);
    // Another address is not affected.
    let mut other = Conn::open(server, Ipv4Addr::new(127, 0, 0, 22)).await;
    joined(&mut other, &code, 2).await;
    // The waits double: after the first (1 s) one more wrong code costs 2 s.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = c
        .post("/api/join", &json!({"code": "FFFFFF", "token": token(1)}))
        .await;
    assert_eq!(r.error(), "wrong_code");
    let r = c
        .post("/api/join", &json!({"code": code, "token": token(1)}))
        .await;
    assert_eq!(r.error(), "slowed");
    assert_eq!(r.headers["retry-after"], "2");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    joined(&mut c, &code, 1).await;
    assert_eq!(room.trainer_view().joined, 2);
    assert_eq!(room.counts("q0").unwrap(), vec![0, 0, 0, 0]);
}

#[tokio::test]
async fn bad_bodies_and_bad_votes_change_nothing() {
    let (room, handle) = start(ServerConfig::loopback());
    let server = addr_of(handle.url());
    let code = room.code();
    let mut c = Conn::open(server, PHONE).await;
    let epoch = joined(&mut c, &code, 1).await;
    c.post("/api/vote", &vote_body(epoch, 1, "q0", 1)).await;
    let before = room.counts("q0").unwrap();
    assert_eq!(before, vec![0, 1, 0, 0]);
    let origin = format!("http://{}", c.host);

    // Oversized body (declared and streamed).
    let big = format!(
        "{{\"epoch\":{epoch},\"token\":\"{}\",\"question\":\"q0\",\"option\":2,\"pad\":\"{}\"}}",
        token(1),
        "x".repeat(64 * 1024)
    );
    let r = c
        .builder("POST", "/api/vote")
        .header("content-type", "application/json")
        .header("origin", &origin)
        .body(Full::new(Bytes::from(big)))
        .unwrap();
    let r = c.raw(r).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let mut c = Conn::open(server, PHONE).await;

    // Malformed JSON, unknown fields, wrong types, trailing bytes, wrong
    // content type.
    let vote_ok = vote_body(epoch, 1, "q0", 2).to_string();
    for (body, content_type, status) in [
        ("{\"epoch\":1,", "application/json", StatusCode::BAD_REQUEST),
        ("not json", "application/json", StatusCode::BAD_REQUEST),
        (
            &*format!("{}x", vote_ok),
            "application/json",
            StatusCode::BAD_REQUEST,
        ),
        (
            &*vote_ok.replace("\"option\":2", "\"option\":2,\"admin\":true"),
            "application/json",
            StatusCode::BAD_REQUEST,
        ),
        (
            &*vote_ok.replace("\"option\":2", "\"option\":\"2\""),
            "application/json",
            StatusCode::BAD_REQUEST,
        ),
        (
            &*vote_ok.replace("\"option\":2", "\"option\":-1"),
            "application/json",
            StatusCode::BAD_REQUEST,
        ),
        (&*vote_ok, "text/plain", StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ] {
        let r = c
            .builder("POST", "/api/vote")
            .header("content-type", content_type)
            .header("origin", &origin)
            .body(Full::new(Bytes::from(body.to_string())))
            .unwrap();
        let r = c.raw(r).await;
        assert_eq!(r.status, status, "{body}");
        assert_eq!(r.headers["content-security-policy"], CSP);
    }

    // Unknown question, another question than the current one, an option out
    // of range, a device that never joined, a malformed token.
    for (body, status, error) in [
        (
            vote_body(epoch, 1, "../../etc/passwd", 0),
            StatusCode::NOT_FOUND,
            "unknown_question",
        ),
        (
            vote_body(epoch, 1, "q1", 0),
            StatusCode::CONFLICT,
            "not_current",
        ),
        (
            vote_body(epoch, 1, "q0", 4),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_option",
        ),
        (
            vote_body(epoch, 99, "q0", 0),
            StatusCode::CONFLICT,
            "not_joined",
        ),
        (
            json!({"epoch": epoch, "token": "x", "question": "q0", "option": 0}),
            StatusCode::BAD_REQUEST,
            "bad_token",
        ),
    ] {
        let r = c.post("/api/vote", &body).await;
        assert_eq!((r.status, r.error().as_str()), (status, error), "{body}");
    }
    // A closed question.
    room.close();
    let r = c.post("/api/vote", &vote_body(epoch, 1, "q0", 3)).await;
    assert_eq!(
        (r.status, r.error().as_str()),
        (StatusCode::CONFLICT, "closed")
    );
    room.reveal();
    let r = c.post("/api/vote", &vote_body(epoch, 1, "q0", 3)).await;
    assert_eq!(r.error(), "closed");
    assert_eq!(room.counts("q0").unwrap(), before);
    assert_eq!(room.state("q0"), Ok(QuestionState::Revealed));
}

#[tokio::test]
async fn a_vote_replayed_after_a_reset_is_refused() {
    let (room, handle) = start(ServerConfig::loopback());
    let server = addr_of(handle.url());
    let code = room.code();
    let mut c = Conn::open(server, PHONE).await;
    let epoch = joined(&mut c, &code, 1).await;
    let captured = vote_body(epoch, 1, "q0", 2);
    assert_eq!(c.post("/api/vote", &captured).await.status, StatusCode::OK);
    room.reset().unwrap();
    assert_eq!(room.counts("q0").unwrap(), vec![0, 0, 0, 0]);
    let r = c.post("/api/vote", &captured).await;
    assert_eq!(
        (r.status, r.error().as_str()),
        (StatusCode::CONFLICT, "stale_epoch")
    );
    // With the new epoch forged in, the old registration is gone too.
    let r = c.post("/api/vote", &vote_body(epoch + 1, 1, "q0", 2)).await;
    assert_eq!(r.error(), "not_joined");
    assert_eq!(room.counts("q0").unwrap(), vec![0, 0, 0, 0]);
    assert_eq!(room.trainer_view().voted, 0);
    // The phone joins again (as the page does by itself) and votes.
    let epoch2 = joined(&mut c, &code, 1).await;
    assert_eq!(epoch2, epoch + 1);
    assert_eq!(
        c.post("/api/vote", &vote_body(epoch2, 1, "q0", 0))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(room.counts("q0").unwrap(), vec![1, 0, 0, 0]);
}

#[tokio::test]
async fn only_the_voting_routes_exist() {
    let (room, handle) = start(ServerConfig::loopback());
    let server = addr_of(handle.url());
    let mut c = Conn::open(server, PHONE).await;
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/vote.js/../../Cargo.toml",
        "/..%2f..%2f..%2fCargo.toml",
        "/assets/vote/index.html",
        "/src/lib.rs",
        "//etc/passwd",
        "/vote.css%00.html",
        "/trainer",
        "/trainer/api/state",
        "/.git/config",
    ] {
        let r = c.get(path).await;
        assert!(
            r.status == StatusCode::NOT_FOUND || r.status == StatusCode::BAD_REQUEST,
            "{path}: {}",
            r.status
        );
        let body = String::from_utf8_lossy(&r.body);
        assert!(
            !body.contains("root:") && !body.contains("[package]"),
            "{path}"
        );
        // A fresh connection: hyper may close one after a 400.
        c = Conn::open(server, PHONE).await;
    }
    // Wrong method.
    let r = c.get("/api/vote").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(room.trainer_view().joined, 0);
}

#[tokio::test]
async fn foreign_origins_and_hosts_are_refused() {
    let (room, handle) = start(ServerConfig::loopback());
    let server = addr_of(handle.url());
    let code = room.code();
    let mut c = Conn::open(server, PHONE).await;
    let epoch = joined(&mut c, &code, 1).await;
    for origin in [
        "http://evil.example",
        "null",
        "https://127.0.0.1",
        &format!("http://{}.evil.example", c.host),
    ] {
        let r = c
            .builder("POST", "/api/vote")
            .header("content-type", "application/json")
            .header("origin", origin)
            .body(Full::new(Bytes::from(
                vote_body(epoch, 1, "q0", 0).to_string(),
            )))
            .unwrap();
        let r = c.raw(r).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{origin}");
        assert_eq!(r.error(), "foreign_origin");
    }
    // DNS rebinding: a Host that is not this server.
    let r = Request::builder()
        .method("GET")
        .uri(format!("/api/question?code={code}"))
        .header("host", "sentinella.evil.example")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let r = c.raw(r).await;
    assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST);
    assert_eq!(room.counts("q0").unwrap(), vec![0, 0, 0, 0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_ten_thousand_requests_from_one_address_is_capped() {
    let (room, handle) = start(ServerConfig::loopback());
    let server = addr_of(handle.url());
    let code = room.code();
    let flooder = Ipv4Addr::new(127, 0, 0, 31);
    // The flooder first votes once, as an ordinary phone.
    let mut c = Conn::open(server, flooder).await;
    let epoch = joined(&mut c, &code, 1).await;
    assert_eq!(
        c.post("/api/vote", &vote_body(epoch, 1, "q0", 0))
            .await
            .status,
        StatusCode::OK
    );
    tokio::time::sleep(Duration::from_secs(3)).await; // buckets full again
    let started = Instant::now();
    // 8 connections x 1,250 requests: half replays of the same vote, half
    // attempts to stuff the ballot with fresh device tokens.
    let mut tasks = Vec::new();
    for conn in 0..8u32 {
        let code = code.clone();
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::open(server, flooder).await;
            let mut accepted_stuffing = 0u32;
            let mut refused = 0u32;
            for i in 0..1250u32 {
                let r = if i % 2 == 0 {
                    c.post("/api/vote", &vote_body(epoch, 1, "q0", 0)).await
                } else {
                    let n = 1000 + conn * 10_000 + i;
                    let j = c
                        .post("/api/join", &json!({"code": code, "token": token(n)}))
                        .await;
                    if j.status != StatusCode::OK {
                        j
                    } else {
                        let v = c.post("/api/vote", &vote_body(epoch, n, "q0", 3)).await;
                        if v.status == StatusCode::OK {
                            accepted_stuffing += 1;
                        }
                        v
                    }
                };
                if r.status == StatusCode::TOO_MANY_REQUESTS {
                    refused += 1;
                }
            }
            (accepted_stuffing, refused)
        }));
    }
    // Meanwhile an ordinary phone at another address votes.
    let mut phone = Conn::open(server, Ipv4Addr::new(127, 0, 0, 32)).await;
    let e = joined(&mut phone, &code, 2).await;
    assert_eq!(
        phone
            .post("/api/vote", &vote_body(e, 2, "q0", 1))
            .await
            .status,
        StatusCode::OK
    );
    let mut stuffed = 0;
    let mut refused = 0;
    for t in tasks {
        let (s, r) = t.await.unwrap();
        stuffed += s;
        refused += r;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let limits = server::Limits::default();
    // What the cap lets through: the bucket plus its refill while the burst
    // lasted; everything else was refused.
    let allowed = limits.address_burst + limits.address_per_sec * elapsed;
    eprintln!(
        "burst: 10000 requests in {elapsed:.2} s, {refused} refused (429), {stuffed} stuffed votes"
    );
    assert!(f64::from(10_000 - refused) <= allowed + 1.0, "{refused}");
    let counts = room.counts("q0").unwrap();
    // The replays changed nothing; the stuffing is bounded by the cap.
    assert_eq!(counts[0], 1);
    assert_eq!(counts[1], 1);
    assert_eq!(u64::from(stuffed), counts[3]);
    assert!(f64::from(stuffed) <= allowed / 2.0 + 1.0);
}

#[tokio::test]
async fn the_trainer_page_is_on_loopback_behind_a_secret() {
    let mut config = ServerConfig::loopback();
    config.trainer_page = true;
    let (room, handle) = start(config);
    let trainer = addr_of(handle.trainer_base().unwrap());
    assert_ne!(trainer, addr_of(handle.url()));
    assert!(handle
        .trainer_url()
        .unwrap()
        .ends_with(&format!("/trainer#{}", handle.trainer_token())));
    let mut c = Conn::open(trainer, PHONE).await;
    assert_eq!(c.get("/trainer").await.status, StatusCode::OK);
    // No key, a wrong key: refused.
    assert_eq!(
        c.get("/trainer/api/state").await.status,
        StatusCode::UNAUTHORIZED
    );
    let with_key = |c: &Conn, method: &str, path: &str, key: &str| {
        c.builder(method, path)
            .header("authorization", format!("Bearer {key}"))
            .body(Full::new(Bytes::new()))
            .unwrap()
    };
    let wrong = "0".repeat(32);
    let r = c
        .raw(with_key(&c, "POST", "/trainer/api/next", &wrong))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(room.phone_view().index, 0);
    let key = handle.trainer_token().to_string();
    // A foreign Origin with the right key: refused.
    let r = c
        .builder("POST", "/trainer/api/reset")
        .header("authorization", format!("Bearer {key}"))
        .header("origin", "http://evil.example")
        .body(Full::new(Bytes::new()))
        .unwrap();
    assert_eq!(c.raw(r).await.status, StatusCode::FORBIDDEN);
    let r = c.raw(with_key(&c, "GET", "/trainer/api/state", &key)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["code"], room.code());
    let r = c.raw(with_key(&c, "POST", "/trainer/api/next", &key)).await;
    assert_eq!(r.json()["view"]["question"]["id"], "q1");
    let r = c
        .raw(with_key(&c, "POST", "/trainer/api/reveal", &key))
        .await;
    assert_eq!(r.json()["view"]["question"]["state"], "revealed");
    let r = c.raw(with_key(&c, "POST", "/trainer/api/open", &key)).await;
    assert_eq!(r.error(), "already_revealed");
    let r = c
        .raw(with_key(&c, "GET", "/trainer/api/qr.svg", &key))
        .await;
    assert!(String::from_utf8_lossy(&r.body).contains("<svg"));
    let r = c
        .raw(with_key(&c, "POST", "/trainer/api/format", &key))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[test]
fn the_server_stops_when_idle_and_refuses_public_addresses() {
    let mut config = ServerConfig::loopback();
    config.idle_timeout = Duration::from_millis(300);
    let (_room, handle) = start(config);
    let started = Instant::now();
    assert_eq!(handle.wait(), StopReason::IdleTimeout);
    assert!(started.elapsed() < Duration::from_secs(5));

    for bad in ["0.0.0.0", "8.8.8.8", "::"] {
        let mut config = ServerConfig::loopback();
        config.bind = bad.parse().unwrap();
        let room = Arc::new(LiveRoom::new(questions()).unwrap());
        let err = server::spawn(room, config).unwrap_err();
        assert!(err.to_string().contains("not a private"), "{err}");
    }
}

#[test]
fn a_room_from_a_questionnaire_and_a_domain_subset() {
    let (catalog, errors) = Catalog::builtin();
    assert!(errors.is_empty());
    let q = &catalog.latest("comune").unwrap().questionnaire;
    let all = questions_from(q, &[]).unwrap();
    let total: usize = q.domains.iter().map(|d| d.questions.len()).sum();
    assert_eq!(all.len(), total);
    let first = q.domains[0].id.clone();
    let some = questions_from(q, std::slice::from_ref(&first)).unwrap();
    assert_eq!(some.len(), q.domains[0].questions.len());
    assert_eq!(
        some[0].options.len(),
        q.domains[0].questions[0].options.len()
    );
    assert!(questions_from(q, &["nessuno".into()]).is_err());
    let room = LiveRoom::new(some).unwrap();
    assert_eq!(room.phone_view().total, q.domains[0].questions.len());
}
