//! End-to-end: "Modalità formazione" with both real windows, driven by the
//! keyboard alone on the presenter. From the home screen: the setup, the
//! presenter, the projector window opened from Rust, counts typed, R to
//! reveal, Page Down / Page Up, B to blank. On every step the projector's
//! DOM is checked: never the facilitator note, never counts before they
//! are revealed. axe-core and the contrast check on both windows;
//! screenshots of both in target/screenshots/workshop-*.png.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{can_run, key, rt, saved_file, Driver, R};
use fantoccini::key::Key;
use fantoccini::wd::WindowHandle;

#[test]
fn workshop_by_keyboard_with_presenter_and_projector() {
    common::retry_if_hung(workshop_by_keyboard_with_presenter_and_projector_once);
}

fn workshop_by_keyboard_with_presenter_and_projector_once() {
    if !can_run() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let saved = data.path().join("saved");
    std::fs::create_dir(&saved).unwrap();
    rt().block_on(async {
        let driver = Driver::start(data.path(), &[("SENTINELLA_E2E_SAVE_DIR", &saved)]);
        let app = driver.launch().await.unwrap();
        let result = run(&app).await;
        app.close().await.unwrap();
        result.unwrap();
    });
    // The session was saved in its own database, apart from assessments.
    let db = data.path().join("workshop.sqlite");
    let wdb = sentinella::store::workshop::WorkshopDb::open_existing(&db).unwrap();
    let s = wdb.load(1).unwrap();
    assert_eq!(s.tallies[0].counts[..3], [4, 11, 9]);
    assert!(s.tallies[0].revealed);
    assert!(!s.tallies[1].revealed);
    // The debrief saved from the presenter shows the group's counts.
    let pdf = saved_file(&saved, ".pdf");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for c in [
        "Resoconto dell'incontro",
        "4 (17%)",
        "11 (46%)",
        "9 (38%)",
        "24 risposte",
    ] {
        assert!(text.contains(c), "{c} missing in the debrief");
    }
}

/// What the projector shows, as text and markup.
async fn projector_dom(app: &common::App) -> R<(String, String)> {
    let text = app
        .js("return document.body.innerText")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string();
    let html = app
        .js("return document.documentElement.outerHTML")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string();
    Ok((text, html))
}

async fn presenter_text(app: &common::App, id: &str) -> R<String> {
    Ok(app
        .js(&format!(
            "return document.getElementById('{id}').textContent"
        ))
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

/// The projector must never show the note, nor counts when not revealed.
fn assert_safe(text: &str, html: &str, note: &str, revealed: bool) {
    assert!(
        !text.contains(note) && !html.contains(note),
        "the projector shows the facilitator note"
    );
    assert!(!html.contains("Nota per chi conduce"));
    if !revealed {
        assert!(
            !html.contains("wall-count") && !text.contains('%'),
            "the projector shows unrevealed counts:\n{text}"
        );
    }
}

async fn run(app: &common::App) -> R {
    app.wait_screen("home").await?;
    app.tab_to(|f| f == "nav-workshop", 40).await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_screen("workshop").await?;
    app.check_screen("workshop-setup").await?;
    app.tab_to(|f| f == "ws-start", 60).await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_screen("presenter").await?;
    let main = app.c.window().await?;

    // Counts by keyboard: the first three options, then Enter saves.
    app.tab_to(|f| f == "ws-c-0", 30).await?;
    for (i, n) in ["4", "11", "9"].iter().enumerate() {
        app.js(&format!("document.getElementById('ws-c-{i}').select()"))
            .await?;
        app.press(n).await?;
        app.press(&key(Key::Tab)).await?;
    }
    app.press(&key(Key::Enter)).await?;
    app.wait_js(
        "return document.getElementById('ws-answers').textContent.startsWith('24 risposte')",
        10,
    )
    .await?;
    // A count above the room is refused with a message, nothing saved.
    app.js("document.getElementById('ws-c-3').select()").await?;
    app.press("99").await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_js(
        "return document.getElementById('ws-error').textContent.includes('in aula ci sono 30 persone')",
        10,
    )
    .await?;
    app.js("document.getElementById('ws-c-3').select()").await?;
    app.press("0").await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_js(
        "return document.getElementById('ws-error').textContent === ''",
        10,
    )
    .await?;
    let note1 = presenter_text(app, "ws-note").await?;
    let q1 = presenter_text(app, "ws-q").await?;
    assert!(!note1.is_empty());

    app.check_screen("workshop-presenter").await?;

    // Open the projector window from the keyboard.
    app.tab_to(|f| f == "ws-projector", 40).await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_js(
        "return document.getElementById('ws-swap').disabled === false",
        15,
    )
    .await?;
    let projector = {
        let mut found: Option<WindowHandle> = None;
        for _ in 0..100 {
            let handles = app.c.windows().await?;
            if let Some(h) = handles.into_iter().find(|h| *h != main) {
                found = Some(h);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        found.ok_or("the projector window did not appear to WebDriver")?
    };

    // The projector: the question, not the note, not the counts.
    app.c.switch_to_window(projector.clone()).await?;
    app.wait_js(
        "return document.body.dataset.ready === 'true' && !!document.querySelector('.wall-question')",
        15,
    )
    .await?;
    let (text, html) = projector_dom(app).await?;
    assert!(text.contains(&q1), "projector lacks the question:\n{text}");
    assert_safe(&text, &html, &note1, false);
    app.check_screen("workshop-projector-question").await?;

    // R on the presenter reveals; the projector shows the counts.
    app.c.switch_to_window(main.clone()).await?;
    app.tab_to(|f| f == "ws-next", 40).await?;
    app.press("r").await?;
    app.c.switch_to_window(projector.clone()).await?;
    app.wait_js("return !!document.querySelector('.wall-count')", 10)
        .await?;
    let (text, html) = projector_dom(app).await?;
    assert_safe(&text, &html, &note1, true);
    for c in ["4 (17%)", "11 (46%)", "9 (38%)", "24 risposte"] {
        assert!(text.contains(c), "{c} missing on the projector:\n{text}");
    }
    app.check_screen("workshop-projector-revealed").await?;

    // Page Down: the next question, hidden again.
    app.c.switch_to_window(main.clone()).await?;
    app.press(&key(Key::PageDown)).await?;
    app.wait_js(
        "return document.querySelector('h1').textContent.startsWith('Domanda 2 ')",
        10,
    )
    .await?;
    let note2 = presenter_text(app, "ws-note").await?;
    let q2 = presenter_text(app, "ws-q").await?;
    app.c.switch_to_window(projector.clone()).await?;
    app.wait_js(
        "return document.body.innerText.includes('Domanda 2 di')",
        10,
    )
    .await?;
    let (text, html) = projector_dom(app).await?;
    assert!(text.contains(&q2));
    assert_safe(&text, &html, &note2, false);
    assert_safe(&text, &html, &note1, false);

    // B blanks the projector, B again brings it back.
    app.c.switch_to_window(main.clone()).await?;
    app.press("b").await?;
    app.c.switch_to_window(projector.clone()).await?;
    app.wait_js("return document.body.classList.contains('blank')", 10)
        .await?;
    let (text, html) = projector_dom(app).await?;
    assert!(!text.contains(&q2), "a blank projector shows the question");
    assert_safe(&text, &html, &note2, false);
    app.check_screen("workshop-projector-blank").await?;
    app.c.switch_to_window(main.clone()).await?;
    app.press("b").await?;
    app.c.switch_to_window(projector.clone()).await?;
    app.wait_js("return !document.body.classList.contains('blank')", 10)
        .await?;

    // Page Up: back to the first question, still revealed.
    app.c.switch_to_window(main.clone()).await?;
    app.press(&key(Key::PageUp)).await?;
    app.c.switch_to_window(projector.clone()).await?;
    app.wait_js(
        "return document.body.innerText.includes('Domanda 1 di') && !!document.querySelector('.wall-count')",
        10,
    )
    .await?;
    app.c.switch_to_window(main.clone()).await?;
    app.wait_js(
        "return document.querySelector('h1').textContent.startsWith('Domanda 1 ')",
        10,
    )
    .await?;

    // A clicker aimed at the projector window still drives the presenter.
    app.c.switch_to_window(projector).await?;
    app.press(&key(Key::PageDown)).await?;
    app.c.switch_to_window(main).await?;
    app.wait_js(
        "return document.querySelector('h1').textContent.startsWith('Domanda 2 ')",
        10,
    )
    .await?;
    app.shot("workshop-presenter-q2").await?;

    // The debrief PDF, saved through the save dialog (its stand-in).
    app.tab_to(|f| f == "ws-debrief", 60).await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_js(
        "return document.getElementById('ws-saved').textContent.includes('Resoconto salvato in')",
        30,
    )
    .await?;
    app.check_screen("workshop-presenter-saved").await?;
    Ok(())
}
