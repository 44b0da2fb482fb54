//! Driving the real app window: Debian's WebKitWebDriver launches the app
//! binary (the webview is WebKitGTK) and fantoccini speaks WebDriver to it.
//! Run under `xvfb-run` (scripts/test.sh does).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

pub type R<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// Whether the end-to-end tests can run here. In CI they must: a missing
/// display or driver is then a failure, not a skip.
pub fn can_run() -> bool {
    let display = std::env::var_os("DISPLAY").is_some();
    let driver = Command::new("WebKitWebDriver")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if display && driver {
        return true;
    }
    let why = if display {
        "WebKitWebDriver is missing"
    } else {
        "no DISPLAY (run under xvfb-run)"
    };
    if std::env::var_os("CI").is_some() {
        panic!("end-to-end tests cannot run in CI: {why}");
    }
    eprintln!("skipped: {why}");
    false
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub fn shots_dir() -> PathBuf {
    let d = repo().join("target/screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The runtime the WebDriver client runs on.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// The one file in `dir` (where the save-dialog stand-in writes) whose name
/// ends with `suffix`.
pub fn saved_file(dir: &Path, suffix: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "files ending {suffix} in {dir:?}: {found:?}"
    );
    found[0].clone()
}

/// Environment variable naming another app binary to drive (the one a
/// package installed: scripts/test-packages.sh); default, the one cargo built.
pub const APP_BIN_ENV: &str = "SENTINELLA_APP_BIN";

/// The app binary the tests launch.
pub fn app_binary() -> String {
    std::env::var(APP_BIN_ENV)
        .ok()
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_sentinella-app").to_string())
}

static NEXT_PORT: AtomicU16 = AtomicU16::new(0);

fn free_port() -> u16 {
    let base = 4444 + (std::process::id() % 1000) as u16 * 10;
    loop {
        let p = base + NEXT_PORT.fetch_add(1, Ordering::SeqCst);
        if std::net::TcpListener::bind(("127.0.0.1", p)).is_ok() {
            return p;
        }
    }
}

/// One WebKitWebDriver process (one session at a time).
pub struct Driver {
    child: Child,
    port: u16,
    /// Set when the driver is dropped: the watchdog stands down.
    finished: Arc<AtomicBool>,
}

/// How long one driver (one test's app session) may run. The slowest test
/// takes about two minutes on a loaded 2-core machine.
const WATCHDOG: Duration = Duration::from_secs(8 * 60);

thread_local! {
    /// The "ended by the watchdog" flags of the drivers this test thread
    /// started (see [`retry_if_hung`]).
    static HUNG: RefCell<Vec<Arc<AtomicBool>>> = const { RefCell::new(Vec::new()) };
}

/// The pids under `root` (children first listed after their parent).
fn descendants(root: u32) -> Vec<u32> {
    let mut parent_of = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parent_of.push((pid, ppid));
        }
    }
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let p = out[i];
        out.extend(parent_of.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    out
}

/// What every thread of `pid` is doing (state and kernel wait channel), for
/// the log of a hang.
fn describe_threads(pid: u32) -> String {
    let read = |p: String| std::fs::read_to_string(p).unwrap_or_default();
    let mut out = format!(
        "  {pid} {}",
        read(format!("/proc/{pid}/cmdline")).replace('\0', " ")
    );
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let t = task.file_name().to_string_lossy().to_string();
        let stat = read(format!("/proc/{pid}/task/{t}/stat"));
        let state = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .unwrap_or("?")
            .to_string();
        out.push_str(&format!(
            "\n    thread {t} {} state {state} wchan {}",
            read(format!("/proc/{pid}/task/{t}/comm")).trim(),
            read(format!("/proc/{pid}/task/{t}/wchan"))
        ));
    }
    out
}

/// Run an end-to-end test; if the watchdog had to end its app session (the
/// WebDriver stopped answering: nothing the test checks), log it and run
/// the whole test once more. A failure of the test's own checks, or a second
/// hang, fails as usual.
pub fn retry_if_hung(test: fn()) {
    HUNG.with(|h| h.borrow_mut().clear());
    let Err(panic) = std::panic::catch_unwind(test) else {
        return;
    };
    let hung = HUNG.with(|h| h.borrow().iter().any(|f| f.load(Ordering::SeqCst)));
    if !hung {
        std::panic::resume_unwind(panic);
    }
    eprintln!("e2e: the WebDriver session hung (see the watchdog's log above); running the test once more");
    HUNG.with(|h| h.borrow_mut().clear());
    test();
}

impl Driver {
    /// Start a driver whose app keeps its data in `data_dir`; `env` sets
    /// the dialog stand-ins (`SENTINELLA_E2E_SAVE_DIR`,
    /// `SENTINELLA_E2E_PICK_DIR`): a native GTK dialog cannot be driven
    /// through WebDriver.
    pub fn start(data_dir: &Path, env: &[(&str, &Path)]) -> Driver {
        let port = free_port();
        let mut cmd = Command::new("WebKitWebDriver");
        cmd.arg(format!("--port={port}"))
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            .env("SENTINELLA_DATA_DIR", data_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd.env_remove("SENTINELLA_E2E_SAVE_DIR")
            .env_remove("SENTINELLA_E2E_PICK_DIR")
            .env_remove("SENTINELLA_E2E_OPEN_LOG");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start WebKitWebDriver");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "WebKitWebDriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let finished = Arc::new(AtomicBool::new(false));
        let hung = Arc::new(AtomicBool::new(false));
        HUNG.with(|h| h.borrow_mut().push(hung.clone()));
        let (done, root) = (finished.clone(), child.id());
        // A WebDriver command that never returns would hold the test (and
        // CI) until its global timeout: after WATCHDOG, log what every
        // process of the session is doing, then kill them all, so the
        // pending command fails.
        // E2E_WATCHDOG_SECS: a shorter limit, to see the watchdog work.
        let limit = std::env::var("E2E_WATCHDOG_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(WATCHDOG, Duration::from_secs);
        std::thread::spawn(move || {
            let start = Instant::now();
            while start.elapsed() < limit {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(500));
            }
            if done.load(Ordering::SeqCst) {
                return;
            }
            hung.store(true, Ordering::SeqCst);
            let pids = descendants(root);
            eprintln!(
                "e2e watchdog: the app session has run for {} s; its processes:",
                limit.as_secs()
            );
            for pid in &pids {
                eprintln!("{}", describe_threads(*pid));
            }
            // Where the app's own threads stand, when gdb is there.
            for pid in &pids {
                let cmdline = std::fs::read_to_string(format!("/proc/{pid}/cmdline"));
                if cmdline.is_ok_and(|c| c.contains("sentinella-app")) {
                    let _ = Command::new("timeout")
                        .args(["60", "gdb", "-batch", "-p", &pid.to_string()])
                        .args(["-ex", "thread apply all bt 25"])
                        .stdin(Stdio::null())
                        .status();
                }
            }
            for pid in pids.iter().rev() {
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            }
        });
        Driver {
            child,
            port,
            finished,
        }
    }

    /// Launch the app and connect to its window.
    pub async fn launch(&self) -> R<App> {
        let bin = app_binary();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "webkitgtk:browserOptions".into(),
            json!({ "binary": bin, "args": [] }),
        );
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await?;
        // The app is the driver's child: its pid finds its X windows.
        let bin = std::path::Path::new(&bin)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let pid = descendants(self.child.id()).into_iter().find(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| {
                c.split(|b| *b == 0)
                    .next()
                    .is_some_and(|a| a.ends_with(bin.as_bytes()))
            })
        });
        let app = App { c: client, pid };
        app.wait_js(
            "return document.body && document.body.dataset.ready === 'true'",
            15,
        )
        .await?;
        app.stop_transitions().await?;
        Ok(app)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.finished.store(true, Ordering::SeqCst);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running app window.
pub struct App {
    pub c: Client,
    /// The app's process, when it was found among the driver's children.
    pid: Option<u32>,
}

pub fn key(k: Key) -> String {
    char::from(k).to_string()
}

impl App {
    pub async fn js(&self, script: &str) -> R<Value> {
        Ok(self.c.execute(script, vec![]).await?)
    }

    /// Wait until a script returns true.
    pub async fn wait_js(&self, script: &str, secs: u64) -> R {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if self.js(script).await.ok() == Some(Value::Bool(true)) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for: {script}").into());
            }
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
    }

    pub async fn screen(&self) -> R<String> {
        Ok(self
            .js("return document.body.dataset.screen || ''")
            .await?
            .as_str()
            .unwrap_or("")
            .to_string())
    }

    pub async fn wait_screen(&self, name: &str) -> R {
        let r = self.wait_screen_inner(name).await;
        if r.is_err() {
            let _ = self.shot(&format!("failed-waiting-for-{name}")).await;
        }
        r
    }

    async fn wait_screen_inner(&self, name: &str) -> R {
        self.wait_js(
            &format!("return document.body.dataset.screen === '{name}' && !!document.querySelector('main h1')"),
            10,
        )
        .await
    }

    pub async fn find(&self, css: &str) -> R<Element> {
        Ok(self
            .c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await?)
    }

    /// Click an element (after scrolling it into view).
    pub async fn click(&self, css: &str) -> R {
        // The element may be replaced by a re-render between finding and
        // clicking it: find it again.
        for attempt in 0..3 {
            match self.click_once(css).await {
                Err(e) if attempt < 2 && e.to_string().contains("not found") => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                other => return other,
            }
        }
        Ok(())
    }

    async fn click_once(&self, css: &str) -> R {
        let el = self
            .find(css)
            .await
            .map_err(|e| format!("find {css}: {e}"))?;
        // Bootstrap Italia sets `scroll-behavior: smooth` on the root, so a
        // plain scrollIntoView animates: WebKitWebDriver then computed the
        // click's point mid-scroll and the pointer landed beside a list
        // option (the full run and CI failed waiting for the chosen comune).
        // Scroll instantly, then wait until the element stands still for
        // two frames before the pointer goes to it.
        let still = self
            .c
            .execute_async(
                "const [el, done] = arguments;
                 el.scrollIntoView({block: 'center', behavior: 'instant'});
                 let last = null, same = 0, frames = 0;
                 const tick = () => {
                   const r = el.getBoundingClientRect();
                   const now = `${r.left},${r.top},${r.width},${r.height}`;
                   same = now === last ? same + 1 : 0;
                   last = now;
                   if (same >= 2) return done(true);
                   if (++frames > 120) return done(false);
                   requestAnimationFrame(tick);
                 };
                 requestAnimationFrame(tick);",
                vec![serde_json::to_value(&el)?],
            )
            .await?;
        if still != Value::Bool(true) {
            return Err(format!("{css} kept moving after it was scrolled into view").into());
        }
        let tag = el.tag_name().await?.to_ascii_lowercase();
        if tag == "button" {
            // The button's own click(), from a script: WebKitWebDriver's
            // element click or send-keys can hang or fail without a message
            // when the handler replaces the page (the keyboard-only test
            // presses Enter on the focused element instead).
            self.c
                .execute(
                    "arguments[0].click(); return true;",
                    vec![serde_json::to_value(&el)?],
                )
                .await
                .map_err(|e| format!("click {css}: {e}"))?;
        } else if tag == "label" {
            // A radio's label: check the radio with Space, like a keyboard user.
            let input = el
                .find(Locator::Css("input"))
                .await
                .map_err(|e| format!("input of {css}: {e}"))?;
            input
                .send_keys(" ")
                .await
                .map_err(|e| format!("Space on {css}: {e}"))?;
        } else {
            el.click().await.map_err(|e| format!("click {css}: {e}"))?;
        }
        Ok(())
    }

    /// Type into an element.
    pub async fn type_in(&self, css: &str, text: &str) -> R {
        let el = self
            .find(css)
            .await
            .map_err(|e| format!("find {css}: {e}"))?;
        el.send_keys(text)
            .await
            .map_err(|e| format!("type into {css}: {e}"))?;
        Ok(())
    }

    pub async fn text(&self, css: &str) -> R<String> {
        Ok(self.find(css).await?.text().await?)
    }

    /// Press keys on whatever has the focus.
    pub async fn press(&self, keys: &str) -> R {
        // The page may replace the focused element between the two calls
        // (a re-render after a save): ask again once.
        for attempt in 0..3 {
            let el = self.c.active_element().await?;
            match el.send_keys(keys).await {
                Ok(()) => return Ok(()),
                Err(e) if attempt < 2 && e.to_string().contains("not found") => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// The id (or name=value for radios) of the focused element.
    pub async fn focused(&self) -> R<String> {
        Ok(self
            .js("const e = document.activeElement; if (!e) return ''; return e.type === 'radio' ? `${e.name}=${e.value}` : (e.id || e.tagName.toLowerCase());")
            .await?
            .as_str()
            .unwrap_or("")
            .to_string())
    }

    /// Press Tab until the focused element satisfies `pred` (at most `max`).
    pub async fn tab_to(&self, pred: impl Fn(&str) -> bool, max: usize) -> R<String> {
        for _ in 0..max {
            let f = self.focused().await?;
            if pred(&f) {
                return Ok(f);
            }
            if std::env::var_os("E2E_DEBUG").is_some() {
                eprintln!("tab_to: focus on {f}");
            }
            self.press(&key(Key::Tab)).await?;
        }
        let f = self.focused().await?;
        if pred(&f) {
            Ok(f)
        } else {
            Err(format!("focus never reached the wanted element (last: {f})").into())
        }
    }

    /// Save a screenshot as target/screenshots/NAME.png (after two frames,
    /// so it shows the current DOM).
    pub async fn shot(&self, name: &str) -> R {
        self.c
            .execute_async(
                "const done = arguments[arguments.length - 1]; let sent = false; const once = () => { if (!sent) { sent = true; done(true); } }; requestAnimationFrame(() => requestAnimationFrame(once)); setTimeout(once, 250);",
                vec![],
            )
            .await?;
        let png = self.c.screenshot().await?;
        std::fs::write(shots_dir().join(format!("{name}.png")), png)?;
        Ok(())
    }

    /// Switch off CSS transitions and animations on the current page, so
    /// colours are measured at their final value: Bootstrap Italia fades
    /// the colours of links and buttons, and axe-core once measured a link
    /// halfway through a fade (contrast 4.47 instead of 4.9). Scrolling is
    /// made instant too (Bootstrap Italia scrolls the root smoothly), so a
    /// screenshot or a click after `scrollIntoView` sees the final position.
    /// Through the CSSOM, which the app's `style-src 'self'` allows. Done
    /// when a window is launched and again before each screen check.
    pub async fn stop_transitions(&self) -> R {
        let done = self
            .js("if (window.__e2eStill) return true;
                 const rules = ['*, *::before, *::after { transition: none !important; animation: none !important; }',
                                ':root { scroll-behavior: auto !important; }'];
                 for (const sheet of document.styleSheets) {
                   try {
                     for (const rule of rules) sheet.insertRule(rule, sheet.cssRules.length);
                     window.__e2eStill = true;
                     return true;
                   } catch (e) {}
                 }
                 return false;")
            .await?;
        if done != Value::Bool(true) {
            return Err("could not switch off the page's CSS transitions".into());
        }
        Ok(())
    }

    /// Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; returns the
    /// violations, described.
    pub async fn axe(&self) -> R<Vec<String>> {
        let src = std::fs::read_to_string(repo().join("node_modules/axe-core/axe.min.js"))
            .map_err(|e| format!("axe-core missing (run scripts/ui-vendor.sh): {e}"))?;
        let already = self.js("return typeof window.axe !== 'undefined'").await?;
        if already != Value::Bool(true) {
            self.c
                .execute(&format!("{src}\nreturn true;"), vec![])
                .await?;
        }
        let res = self
            .c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                   .then(r => done(r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ')).join(' | ')}`)))
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await?;
        Ok(res
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|v| v.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Screenshot and accessibility check of the current screen: axe-core,
    /// then the non-text contrast that axe-core does not measure.
    pub async fn check_screen(&self, shot: &str) -> R {
        self.stop_transitions().await?;
        self.shot(shot).await?;
        let v = self.axe().await?;
        assert!(
            v.is_empty(),
            "axe-core violations on {shot}:\n{}",
            v.join("\n")
        );
        let c = self.contrast().await?;
        assert!(
            c.failures.is_empty(),
            "non-text contrast (WCAG 1.4.11) on {shot}:\n{}",
            c.failures.join("\n")
        );
        Ok(())
    }

    /// Measure non-text contrast (WCAG 2.1 AA 1.4.11) in the window: radio
    /// and checkbox rings, progress tracks, focus rings (common/contrast.js).
    pub async fn contrast(&self) -> R<Contrast> {
        self.take_focus().await?;
        let src = include_str!("contrast.js");
        let v = self
            .c
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1];\n({src}\n).then(done, (e) => done({{ failures: ['contrast.js failed: ' + e], checked: {{}} }}));"
                ),
                vec![],
            )
            .await?;
        let failures = v["failures"]
            .as_array()
            .ok_or("contrast.js returned no failures list")?
            .iter()
            .map(|f| f.as_str().unwrap_or("").to_string())
            .collect();
        let n = |k: &str| v["checked"][k].as_u64().unwrap_or(0);
        Ok(Contrast {
            failures,
            radios: n("radios"),
            checkboxes: n("checkboxes"),
            bars: n("bars"),
            focus_rings: n("focus"),
        })
    }

    /// Make this window the one that has the keyboard. `:focus` and
    /// `:focus-visible` match only in a focused window, and under Xvfb,
    /// with no window manager, another X window (one of a previous test's
    /// app, still closing) can hold the focus; WebDriver cannot move it
    /// (its "switch to window" does not). xdotool gives the X focus to this
    /// app's window with this page's title.
    pub async fn take_focus(&self) -> R {
        if self.js("return document.hasFocus()").await? == json!(true) {
            return Ok(());
        }
        let pid = self.pid.ok_or("the app's process was not found")?;
        // The Tauri window titles (tauri.conf.json, workshop.rs).
        let projector = self
            .js("return location.pathname.endsWith('projector.html')")
            .await?;
        let title = if projector == json!(true) {
            "^Sentinella – proiezione$"
        } else {
            "^Sentinella – autovalutazione"
        };
        let out = Command::new("xdotool")
            .args([
                "search",
                "--all",
                "--onlyvisible",
                "--pid",
                &pid.to_string(),
            ])
            .args(["--name", title, "windowfocus", "--sync"])
            .output()
            .map_err(|e| format!("cannot run xdotool (Debian package xdotool): {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "xdotool could not focus the window {title} of pid {pid}: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        self.wait_js("return document.hasFocus()", 5)
            .await
            .map_err(|e| {
                format!("the window under test did not get the keyboard focus: {e}").into()
            })
    }

    pub async fn close(self) -> R {
        self.c.close().await?;
        Ok(())
    }
}

/// What `App::contrast` measured: the failures and how many of each kind of
/// control were checked (so a test can prove the check saw something).
#[derive(Debug)]
pub struct Contrast {
    pub failures: Vec<String>,
    pub radios: u64,
    pub checkboxes: u64,
    pub bars: u64,
    pub focus_rings: u64,
}

/// A result file altered after signing: the payload edited (`from` → `to`),
/// the signature kept.
pub fn tamper(file: &[u8], from: &str, to: &str) -> Vec<u8> {
    use base64::engine::general_purpose::STANDARD as B64;
    use base64::Engine as _;
    let mut envelope: serde_json::Value = serde_json::from_slice(file).unwrap();
    let payload = B64.decode(envelope["payload"].as_str().unwrap()).unwrap();
    let edited = String::from_utf8(payload).unwrap().replacen(from, to, 1);
    envelope["payload"] = B64.encode(edited).into();
    serde_json::to_vec(&envelope).unwrap()
}
