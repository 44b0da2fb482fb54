//! Load bench of the phone voting server (issue 18), loopback only, bounded
//! (it stops by itself in well under a minute):
//!
//! - the server runs in a child process (this example with `--server`):
//!   the room of the first 40 questions of the Comune questionnaire, the
//!   real server, and a "presenter" that watches the room's tally the way
//!   the presenter window does (a change notification, then the count);
//! - this process plays 40 phones (each from its own loopback address,
//!   127.0.0.100-139), each joining, listening on the event stream, and
//!   voting 0-300 ms after each question opens, plus 300 idle clients on the
//!   event stream; it also drives the trainer's next/close/reveal.
//!
//! Reported: p50/p99/max from a phone starting its vote request to the
//! presenter seeing the updated count (the i-th vote sent on a question is
//! paired with the count reaching i), and the server process's memory
//! (VmRSS, VmHWM from /proc) before and under load.
//!
//! Run: `cargo run --example voting_load` (debug build; a release build is
//! faster still).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

use sentinella::load::Catalog;
use sentinella::voting::server::{self, ServerConfig};
use sentinella::voting::{questions_from, LiveRoom};

const PHONES: usize = 40;
const QUESTIONS: usize = 40;
const IDLE_STREAMS: usize = 300;

fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn main() {
    if std::env::args().any(|a| a == "--server") {
        server_main();
    } else {
        clients_main();
    }
}

// ---------------------------------------------------------------------------
// The child: the server and the presenter's view of the counts.

fn server_main() {
    let (catalog, _) = Catalog::builtin();
    let q = &catalog.latest("comune").unwrap().questionnaire;
    let mut questions = questions_from(q, &[]).unwrap();
    questions.truncate(QUESTIONS);
    let room = Arc::new(LiveRoom::new(questions).unwrap());
    let handle = server::spawn(room.clone(), ServerConfig::loopback()).unwrap();
    // The presenter: on every tally change, the current question's count.
    let seen: Arc<Mutex<Vec<(u128, usize, u64)>>> = Arc::default();
    {
        let room = room.clone();
        let seen = seen.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let mut rx = room.subscribe_tally();
                while rx.changed().await.is_ok() {
                    let view = room.trainer_view();
                    seen.lock()
                        .unwrap()
                        .push((now_ns(), view.question.index, view.voted));
                }
            });
        });
    }
    println!("{} {}", handle.url(), room.code());
    std::io::stdout().flush().unwrap();
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let out = match line.trim() {
            "next" => format!("{:?}", room.next_question()),
            "close" => {
                room.close();
                "ok".into()
            }
            "reveal" => {
                room.reveal();
                "ok".into()
            }
            "voted" => room.trainer_view().voted.to_string(),
            "rss" => {
                let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
                status
                    .lines()
                    .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
                    .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
            "dump" => serde_json::to_string(&*seen.lock().unwrap()).unwrap(),
            "quit" => break,
            other => format!("unknown command {other}"),
        };
        println!("{out}");
        std::io::stdout().flush().unwrap();
    }
    handle.shutdown();
    handle.wait();
}

struct Child2 {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Child2 {
    fn ask(&mut self, command: &str) -> String {
        writeln!(self.stdin, "{command}").unwrap();
        self.stdin.flush().unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        line.trim().to_string()
    }
}

// ---------------------------------------------------------------------------
// This process: phones, idle listeners, the trainer's moves.

async fn connect(server: SocketAddr, source: Ipv4Addr) -> SendRequest<Full<Bytes>> {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(IpAddr::V4(source), 0)).unwrap();
    let stream = socket.connect(server).await.unwrap();
    let (send, conn) = http1::handshake(TokioIo::new(stream)).await.unwrap();
    tokio::spawn(conn);
    send
}

fn get(host: &str, path: &str) -> Request<Full<Bytes>> {
    Request::get(path)
        .header("host", host)
        .body(Full::new(Bytes::new()))
        .unwrap()
}

fn post(host: &str, path: &str, body: &Value) -> Request<Full<Bytes>> {
    Request::post(path)
        .header("host", host)
        .header("origin", format!("http://{host}"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap()
}

/// Opens an event stream; returns its body.
async fn stream(server: SocketAddr, source: Ipv4Addr, code: &str) -> hyper::body::Incoming {
    let mut send = connect(server, source).await;
    let host = server.to_string();
    let response = send
        .send_request(get(&host, &format!("/api/events?code={code}")))
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "event stream refused");
    response.into_body()
}

/// Small deterministic pseudo-random numbers (think times).
fn think_ms(phone: usize, question: usize) -> u64 {
    let mut x = ((phone as u64) << 32 | question as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 29;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 32;
    x % 300
}

async fn phone(
    i: usize,
    server: SocketAddr,
    code: String,
    sent: Arc<Mutex<Vec<Vec<u128>>>>,
    accepted: Arc<Mutex<Vec<usize>>>,
) {
    let source = Ipv4Addr::new(127, 0, 0, 100 + i as u8);
    let host = server.to_string();
    let token = format!("load-phone-token-{i:04}");
    let mut send = connect(server, source).await;
    let r = send
        .send_request(post(
            &host,
            "/api/join",
            &json!({"code": code, "token": token}),
        ))
        .await
        .unwrap();
    let joined: Value =
        serde_json::from_slice(&r.into_body().collect().await.unwrap().to_bytes()).unwrap();
    let epoch = joined["epoch"].as_u64().unwrap();
    let mut events = stream(server, source, &code).await;
    let mut buffer = String::new();
    let mut voted_on = None;
    while let Some(Ok(frame)) = events.frame().await {
        let Some(data) = frame.data_ref() else {
            continue;
        };
        buffer.push_str(&String::from_utf8_lossy(data));
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            let Some(json_line) = event.lines().find_map(|l| l.strip_prefix("data: ")) else {
                continue;
            };
            let view: Value = serde_json::from_str(json_line).unwrap();
            let index = view["index"].as_u64().unwrap() as usize;
            if view["state"] != "open" || voted_on == Some(index) {
                continue;
            }
            voted_on = Some(index);
            tokio::time::sleep(Duration::from_millis(think_ms(i, index))).await;
            let option = (i + index) % view["options"].as_array().unwrap().len();
            let body =
                json!({"epoch": epoch, "token": token, "question": view["id"], "option": option});
            let t0 = now_ns();
            send.ready().await.unwrap();
            let r = send
                .send_request(post(&host, "/api/vote", &body))
                .await
                .unwrap();
            let ok = r.status() == 200;
            let reply = r.into_body().collect().await;
            if ok {
                sent.lock().unwrap()[index].push(t0);
                accepted.lock().unwrap()[index] += 1;
            } else {
                eprintln!(
                    "phone {i}: vote on question {index} refused: {:?}",
                    reply.map(|b| b.to_bytes())
                );
            }
            if index + 1 == QUESTIONS {
                return;
            }
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn clients_main() {
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .arg("--server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = Child2 {
        stdin: child.stdin.take().unwrap(),
        stdout: BufReader::new(child.stdout.take().unwrap()),
        child,
    };
    let mut first = String::new();
    child.stdout.read_line(&mut first).unwrap();
    let mut parts = first.split_whitespace();
    let url = parts.next().unwrap().to_string();
    let code = parts.next().unwrap().to_string();
    let server: SocketAddr = url.trim_start_matches("http://").parse().unwrap();
    let rss_idle = child.ask("rss");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let child = Arc::new(Mutex::new(child));
    let (latencies, rss_load, elapsed) = rt.block_on(async {
        let started = std::time::Instant::now();
        // 300 idle listeners, from 127.0.1.x / 127.0.2.x.
        let mut idle = Vec::new();
        for n in 0..IDLE_STREAMS {
            let source = Ipv4Addr::new(127, 0, 1 + (n / 200) as u8, 1 + (n % 200) as u8);
            let code = code.clone();
            idle.push(tokio::spawn(async move {
                let mut body = stream(server, source, &code).await;
                while let Some(Ok(_)) = body.frame().await {}
            }));
        }
        let sent: Arc<Mutex<Vec<Vec<u128>>>> = Arc::new(Mutex::new(vec![Vec::new(); QUESTIONS]));
        let accepted: Arc<Mutex<Vec<usize>>> = Arc::new(Mutex::new(vec![0; QUESTIONS]));
        let mut phones = Vec::new();
        for i in 0..PHONES {
            phones.push(tokio::spawn(phone(
                i,
                server,
                code.clone(),
                sent.clone(),
                accepted.clone(),
            )));
        }
        let mut rss_load = String::new();
        for q in 0..QUESTIONS {
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            while accepted.lock().unwrap()[q] < PHONES && std::time::Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            if accepted.lock().unwrap()[q] < PHONES {
                eprintln!("question {q}: not every phone voted within 10 s; stopping early");
                break;
            }
            let c = child.clone();
            let rss = tokio::task::spawn_blocking(move || {
                let mut c = c.lock().unwrap();
                c.ask("close");
                c.ask("reveal");
                let rss = c.ask("rss");
                if q + 1 < QUESTIONS {
                    c.ask("next");
                }
                rss
            })
            .await
            .unwrap();
            if std::env::var_os("VOTING_LOAD_DEBUG").is_some() {
                eprintln!(
                    "question {q} done at {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
            if q == QUESTIONS / 2 {
                rss_load = rss;
            }
        }
        for p in phones {
            let _ = tokio::time::timeout(Duration::from_secs(10), p).await;
        }
        let c = child.clone();
        let dump = tokio::task::spawn_blocking(move || c.lock().unwrap().ask("dump"))
            .await
            .unwrap();
        let seen: Vec<(u128, usize, u64)> = serde_json::from_str(&dump).unwrap();
        let sent = sent.lock().unwrap().clone();
        let mut latencies = Vec::new();
        for (q, times) in sent.iter().enumerate() {
            let mut times = times.clone();
            times.sort_unstable();
            for (i, t0) in times.iter().enumerate() {
                let count = i as u64 + 1;
                if let Some((seen_at, _, _)) = seen
                    .iter()
                    .find(|(_, index, voted)| *index == q && *voted >= count)
                {
                    latencies.push((*seen_at as f64 - *t0 as f64) / 1e6);
                }
            }
        }
        for task in idle {
            task.abort();
        }
        (latencies, rss_load, started.elapsed())
    });
    let mut child = Arc::try_unwrap(child).ok().unwrap().into_inner().unwrap();
    let rss_end = child.ask("rss");
    writeln!(child.stdin, "quit").unwrap();
    let _ = child.child.wait();

    let mut sorted = latencies.clone();
    sorted.sort_by(f64::total_cmp);
    println!("voting_load: {PHONES} phones x {QUESTIONS} questions, {IDLE_STREAMS} idle event streams, loopback, {:.1} s", elapsed.as_secs_f64());
    println!("votes counted: {} of {}", sorted.len(), PHONES * QUESTIONS);
    println!(
        "vote -> presenter's count: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (goal p99 <= 200 ms)",
        percentile(&sorted, 50.0),
        percentile(&sorted, 99.0),
        sorted.last().copied().unwrap_or(f64::NAN)
    );
    println!("server memory: idle {rss_idle}; under load {rss_load}; at the end {rss_end}");
}
