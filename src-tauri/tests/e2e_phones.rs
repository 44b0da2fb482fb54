//! End-to-end: "Voto dai telefoni" in the real app under Xvfb. A workshop
//! session, the projector window, phone voting started from the presenter
//! on loopback (offered only because this test build asks for it), three
//! "phones" (a real HTTP client) joining with the code shown and voting, one
//! changing its vote. The presenter shows how many voted and never what;
//! the reveal puts the distribution on the projector and the phones' counts
//! in the real workshop.sqlite (and the debrief PDF); moving on moves the
//! phones; stopping closes the port. Screenshots of both windows in
//! target/screenshots/phones-*.png.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::net::SocketAddr;
use std::path::Path;

use common::{can_run, rt, saved_file, Driver, R};
use fantoccini::wd::WindowHandle;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

use sentinella::workshop::TallySource;

/// One app at a time: the two tests of this file share the display.
static ONE_APP: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn phones_vote_in_a_workshop_session_of_the_app() {
    common::retry_if_hung(phones_vote_in_a_workshop_session_of_the_app_once);
}

fn phones_vote_in_a_workshop_session_of_the_app_once() {
    if !can_run() {
        return;
    }
    let _one = ONE_APP.lock().unwrap_or_else(|p| p.into_inner());
    let data = tempfile::tempdir().unwrap();
    let saved = data.path().join("saved");
    std::fs::create_dir(&saved).unwrap();
    let first_question = rt().block_on(async {
        let driver = Driver::start(
            data.path(),
            &[
                ("SENTINELLA_E2E_SAVE_DIR", &saved),
                ("SENTINELLA_E2E_LOOPBACK_VOTING", Path::new("1")),
            ],
        );
        let app = driver.launch().await.unwrap();
        let result = run(&app).await;
        app.close().await.unwrap();
        result.unwrap()
    });
    // The phones' counts are in the saved session, as phone counts.
    let db = data.path().join("workshop.sqlite");
    let wdb = sentinella::store::workshop::WorkshopDb::open_existing(&db).unwrap();
    let s = wdb.load(1).unwrap();
    let t = &s.tallies[0];
    assert_eq!(t.question_id, first_question);
    assert_eq!(t.counts[..3], [1, 2, 0]);
    assert_eq!(t.counts.iter().sum::<u32>(), 3);
    assert_eq!(t.source, TallySource::Phones);
    assert!(t.revealed);
    assert_eq!(s.current, 1, "the session moved on with the presenter");
    // And in the debrief PDF saved from the presenter.
    let pdf = saved_file(&saved, ".pdf");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for c in ["1 (33%)", "2 (67%)", "3 risposte"] {
        assert!(text.contains(c), "{c} missing in the debrief:\n{text}");
    }
}

/// Phone voting stops by itself after the idle timeout (2 seconds in
/// this run; 120 minutes for people): the panel says so, the QR code
/// leaves the projector, the port is closed.
#[test]
fn phone_voting_stops_by_itself_when_idle() {
    common::retry_if_hung(phone_voting_stops_by_itself_when_idle_once);
}

fn phone_voting_stops_by_itself_when_idle_once() {
    if !can_run() {
        return;
    }
    let _one = ONE_APP.lock().unwrap_or_else(|p| p.into_inner());
    let data = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let driver = Driver::start(
            data.path(),
            &[
                ("SENTINELLA_E2E_LOOPBACK_VOTING", Path::new("1")),
                ("SENTINELLA_E2E_VOTING_IDLE_SECS", Path::new("2")),
            ],
        );
        let app = driver.launch().await.unwrap();
        let result = idle(&app).await;
        app.close().await.unwrap();
        result.unwrap();
    });
}

async fn idle(app: &common::App) -> R {
    app.wait_screen("home").await?;
    app.click("#nav-workshop").await?;
    app.wait_screen("workshop").await?;
    app.click("#ws-start").await?;
    app.wait_screen("presenter").await?;
    let main = app.c.window().await?;
    app.click("#ws-projector").await?;
    app.wait_js(
        "return document.getElementById('ws-swap').disabled === false",
        15,
    )
    .await?;
    let projector = projector_window(app, &main).await?;
    let server: SocketAddr = start_on_loopback(app)
        .await?
        .trim_start_matches("http://")
        .parse()?;
    app.wait_js(
        "return !!document.getElementById('ws-ph-note') && !!document.getElementById('ws-ph-start')",
        20,
    )
    .await?;
    let note = js_str(
        app,
        "return document.getElementById('ws-ph-note').textContent",
    )
    .await?;
    assert_eq!(
        note,
        "Il voto dai telefoni si è fermato da solo dopo 2 secondi senza attività. Puoi riavviarlo."
    );
    assert!(
        std::net::TcpStream::connect(server).is_err(),
        "the voting port still accepts connections after the idle stop"
    );
    app.c.switch_to_window(projector).await?;
    app.wait_js(
        "return document.body.dataset.ready === 'true' && !!document.querySelector('.wall-question') && !document.getElementById('wall-join')",
        10,
    )
    .await?;
    app.c.switch_to_window(main).await?;
    Ok(())
}

/// The projector window's handle, once WebDriver sees it.
async fn projector_window(app: &common::App, main: &WindowHandle) -> R<WindowHandle> {
    for _ in 0..100 {
        let handles = app.c.windows().await?;
        if let Some(h) = handles.into_iter().find(|h| h != main) {
            return Ok(h);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err("the projector window did not appear to WebDriver".into())
}

/// A phone: one HTTP/1.1 connection to the voting server.
struct Phone {
    send: hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    host: String,
    token: String,
    epoch: u64,
}

impl Phone {
    async fn connect(server: SocketAddr, n: u32) -> R<Phone> {
        let stream = tokio::net::TcpStream::connect(server).await?;
        let (send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(conn);
        Ok(Phone {
            send,
            host: server.to_string(),
            token: format!("e2e-phone-device-{n:06}"),
            epoch: 0,
        })
    }

    async fn request(
        &mut self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> R<(StatusCode, Value)> {
        let mut r = Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.host);
        let bytes = match body {
            Some(b) => {
                r = r
                    .header("content-type", "application/json")
                    .header("origin", format!("http://{}", self.host));
                Bytes::from(b.to_string())
            }
            None => Bytes::new(),
        };
        self.send.ready().await?;
        let response = self.send.send_request(r.body(Full::new(bytes))?).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        Ok((status, serde_json::from_slice(&body).unwrap_or(Value::Null)))
    }

    async fn join(&mut self, code: &str) -> R {
        let token = self.token.clone();
        let (status, r) = self
            .request(
                "POST",
                "/api/join",
                Some(json!({"code": code, "token": token})),
            )
            .await?;
        assert_eq!(status, StatusCode::OK, "join: {r}");
        self.epoch = r["epoch"].as_u64().ok_or("no epoch")?;
        Ok(())
    }

    async fn question(&mut self, code: &str) -> R<Value> {
        let (status, r) = self
            .request("GET", &format!("/api/question?code={code}"), None)
            .await?;
        assert_eq!(status, StatusCode::OK, "question: {r}");
        Ok(r)
    }

    async fn vote(&mut self, question: &str, option: usize) -> R<StatusCode> {
        let body = json!({"epoch": self.epoch, "token": self.token.clone(), "question": question, "option": option});
        Ok(self.request("POST", "/api/vote", Some(body)).await?.0)
    }
}

/// Start phone voting on 127.0.0.1 from the presenter panel; the address
/// the panel then shows ("http://127.0.0.1:port").
async fn start_on_loopback(app: &common::App) -> R<String> {
    app.js("document.getElementById('ws-ph-address').value = '127.0.0.1'")
        .await?;
    app.click("#ws-ph-start").await?;
    app.wait_js("return !!document.getElementById('ws-ph-url')", 15)
        .await?;
    js_str(
        app,
        "return document.getElementById('ws-ph-url').textContent",
    )
    .await
}

async fn js_str(app: &common::App, script: &str) -> R<String> {
    Ok(app
        .js(script)
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

async fn run(app: &common::App) -> R<String> {
    app.wait_screen("home").await?;
    app.click("#nav-workshop").await?;
    app.wait_screen("workshop").await?;
    app.click("#ws-start").await?;
    app.wait_screen("presenter").await?;
    let main = app.c.window().await?;

    // Loopback is offered (this build and this run ask for it).
    app.wait_js("return !!document.getElementById('ws-ph-address')", 10)
        .await?;
    let offered = js_str(
        app,
        "return [...document.querySelectorAll('#ws-ph-address option')].map(o => o.value).join(' ')",
    )
    .await?;
    assert!(
        offered.split(' ').any(|a| a == "127.0.0.1"),
        "offered: {offered}"
    );
    assert!(!offered.contains("0.0.0.0"), "offered: {offered}");
    let rule = js_str(
        app,
        "return document.getElementById('ws-ph-rule').textContent",
    )
    .await?;
    assert!(rule.contains("non si sommano"), "{rule}");
    let hint = js_str(
        app,
        "return document.getElementById('ws-ph-firewall').textContent",
    )
    .await?;
    assert!(hint.contains("Reti private"), "{hint}");
    app.js("document.getElementById('ws-phones').scrollIntoView({block: 'start'})")
        .await?;
    app.check_screen("phones-presenter-start").await?;

    // The projector window.
    app.click("#ws-projector").await?;
    app.wait_js(
        "return document.getElementById('ws-swap').disabled === false",
        15,
    )
    .await?;
    let projector = projector_window(app, &main).await?;
    app.c.switch_to_window(projector.clone()).await?;
    app.wait_js(
        "return document.body.dataset.ready === 'true' && !!document.querySelector('.wall-question')",
        15,
    )
    .await?;
    assert_eq!(
        app.js("return !!document.getElementById('wall-join')")
            .await?,
        Value::Bool(false)
    );

    // Start on loopback.
    app.c.switch_to_window(main.clone()).await?;
    let url = start_on_loopback(app).await?;
    let code = js_str(
        app,
        "return document.getElementById('ws-ph-code').dataset.code",
    )
    .await?;
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(code.len(), 6, "{code}");
    let server: SocketAddr = url.trim_start_matches("http://").parse()?;
    assert_ne!(server.port(), 0);
    let voted = js_str(
        app,
        "return document.getElementById('ws-ph-voted').textContent",
    )
    .await?;
    assert_eq!(voted, "Nessun telefono ha ancora votato");

    // The projector: QR code (loaded), address, code.
    app.c.switch_to_window(projector.clone()).await?;
    app.wait_js(
        "const i = document.getElementById('wall-qr'); return !!i && i.complete && i.naturalWidth > 0",
        15,
    )
    .await?;
    assert_eq!(
        js_str(
            app,
            "return document.getElementById('wall-url').textContent"
        )
        .await?,
        url
    );
    assert_eq!(
        js_str(
            app,
            "return document.getElementById('wall-code').textContent.replace(/ /g, '')"
        )
        .await?,
        code
    );
    app.check_screen("phones-projector-join").await?;

    // Three phones join and vote; the third changes its mind.
    let mut phones = Vec::new();
    for n in 1..=3 {
        let mut p = Phone::connect(server, n).await?;
        p.join(&code).await?;
        phones.push(p);
    }
    let q = phones[0].question(&code).await?;
    let first = q["id"].as_str().ok_or("no question id")?.to_string();
    assert_eq!(q["counts"], Value::Null);
    for (i, option) in [(0, 0), (1, 1), (2, 2), (2, 1)] {
        assert_eq!(phones[i].vote(&first, option).await?, StatusCode::OK);
    }

    // The presenter: how many, never what.
    app.c.switch_to_window(main.clone()).await?;
    app.wait_js(
        "return document.getElementById('ws-ph-voted').textContent === '3 telefoni hanno votato'",
        10,
    )
    .await?;
    let joined = js_str(
        app,
        "return document.getElementById('ws-ph-joined').textContent",
    )
    .await?;
    assert!(joined.starts_with("3 telefoni collegati."), "{joined}");
    // Also under the question, without scrolling.
    let live = js_str(
        app,
        "return document.getElementById('ws-ph-live').textContent",
    )
    .await?;
    assert_eq!(live, "Voto dai telefoni: 3 telefoni hanno votato.");
    let inputs = js_str(
        app,
        "return [...document.querySelectorAll('input[data-option]')].map(i => i.value).join(',')",
    )
    .await?;
    assert!(
        inputs.split(',').all(|v| v == "0"),
        "the presenter shows the votes: {inputs}"
    );
    let answers = js_str(
        app,
        "return document.getElementById('ws-answers').textContent",
    )
    .await?;
    assert!(answers.starts_with("0 risposte"), "{answers}");
    app.check_screen("phones-presenter-voting").await?;
    app.js("document.querySelector('h1').scrollIntoView({block: 'start'})")
        .await?;
    app.shot("phones-presenter-top").await?;
    // Nor the projector.
    app.c.switch_to_window(projector.clone()).await?;
    let wall = js_str(app, "return document.body.innerText").await?;
    assert!(
        !wall.contains('%'),
        "the projector shows the votes:\n{wall}"
    );

    // Reveal: the distribution on the projector.
    app.c.switch_to_window(main.clone()).await?;
    app.click("#ws-reveal").await?;
    app.c.switch_to_window(projector.clone()).await?;
    app.wait_js("return !!document.querySelector('.wall-count')", 10)
        .await?;
    let wall = js_str(app, "return document.body.innerText").await?;
    for c in ["1 (33%)", "2 (67%)", "0 (0%)", "3 risposte"] {
        assert!(wall.contains(c), "{c} missing on the projector:\n{wall}");
    }
    app.check_screen("phones-projector-revealed").await?;
    // The phones see it too, and can no longer vote on it.
    let q = phones[0].question(&code).await?;
    assert_eq!(q["state"], "revealed");
    assert_eq!(q["counts"][0], 1);
    assert_eq!(q["counts"][1], 2);
    assert_ne!(phones[0].vote(&first, 2).await?, StatusCode::OK);
    // The presenter shows the recorded counts, from the phones.
    app.c.switch_to_window(main.clone()).await?;
    app.wait_js(
        "return document.getElementById('ws-answers').textContent.startsWith('3 risposte') && document.getElementById('ws-answers').textContent.includes('dai telefoni')",
        10,
    )
    .await?;

    // Next question: the phones follow.
    app.click("#ws-next").await?;
    app.wait_js(
        "return document.querySelector('h1').textContent.startsWith('Domanda 2 ')",
        10,
    )
    .await?;
    let q = phones[1].question(&code).await?;
    assert_ne!(q["id"].as_str(), Some(first.as_str()));
    assert_eq!(q["index"], 1);
    assert_eq!(q["state"], "open");
    app.wait_js(
        "return document.getElementById('ws-ph-voted').textContent === 'Nessun telefono ha ancora votato'",
        10,
    )
    .await?;
    app.check_screen("phones-presenter-next").await?;

    // The debrief PDF, with the phones' counts.
    app.click("#ws-debrief").await?;
    app.wait_js(
        "return document.getElementById('ws-saved').textContent.includes('Resoconto salvato in')",
        30,
    )
    .await?;

    // Stop: the port refuses connections, the projector drops the QR code.
    drop(phones);
    app.click("#ws-ph-stop").await?;
    app.wait_js("return !!document.getElementById('ws-ph-start')", 15)
        .await?;
    assert!(
        std::net::TcpStream::connect(server).is_err(),
        "the voting port still accepts connections after stop"
    );
    app.c.switch_to_window(projector).await?;
    app.wait_js("return !document.getElementById('wall-join')", 10)
        .await?;
    let wall = js_str(app, "return document.body.innerText").await?;
    assert!(!wall.contains(&code), "the code is still on the projector");
    app.c.switch_to_window(main).await?;

    // Started again, then the trainer leaves the presenter: it stops too.
    let again: SocketAddr = start_on_loopback(app)
        .await?
        .trim_start_matches("http://")
        .parse()?;
    assert!(std::net::TcpStream::connect(again).is_ok());
    app.click("#ws-back").await?;
    app.wait_screen("workshop").await?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(again).is_ok() {
        assert!(
            std::time::Instant::now() < deadline,
            "the voting port still accepts connections after leaving the presenter"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Ok(first)
}
