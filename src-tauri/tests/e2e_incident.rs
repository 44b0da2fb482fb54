//! End-to-end: "Incidente in corso" in the real window, by keyboard alone.
//! From the home screen: the header button, the triage, the first-hour
//! checklist (a step ticked with its time), a log entry saved, a restart of
//! the app (the tick and the entry are still there), the drafts with the
//! organisation's DPO, the PDF report through the save dialog's stand-in,
//! the contacts form refusing an impossible phone number, an exercise marked
//! as such. axe-core on every new screen; screenshots in target/screenshots/.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Instant;

use common::{can_run, key, rt, saved_file, Driver, R};
use fantoccini::key::Key;

use sentinella::incident::ContactRole;
use sentinella::model::{Audience, Organization};
use sentinella::store::Store;
use sentinella::usecase::incident::{self as respond, ContactInput};

fn seed(data: &std::path::Path) {
    std::fs::create_dir_all(data).unwrap();
    let mut store = Store::open(&data.join("sentinella.db")).unwrap();
    let org = Organization {
        name: "Comune di Proceno".into(),
        istat_code: "056044".into(),
        province: "VT".into(),
        region: "Lazio".into(),
        population: 605,
        kind: Audience::Comune,
    };
    respond::save_contacts(
        &mut store,
        &org,
        &[
            ContactInput {
                role: ContactRole::ItSupport,
                name: "Alfa Informatica".into(),
                phone: "0761 123456".into(),
                email: String::new(),
            },
            ContactInput {
                role: ContactRole::Dpo,
                name: "Studio Verdi".into(),
                phone: "06 7654321".into(),
                email: "dpo@verdi.example.it".into(),
            },
        ],
    )
    .unwrap();
}

#[test]
fn incident_by_keyboard_survives_restart_and_ends_in_drafts_and_pdf() {
    common::retry_if_hung(incident_by_keyboard_survives_restart_and_ends_in_drafts_and_pdf_once);
}

fn incident_by_keyboard_survives_restart_and_ends_in_drafts_and_pdf_once() {
    if !can_run() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    seed(data.path());
    let saved = data.path().join("saved");
    std::fs::create_dir(&saved).unwrap();
    rt().block_on(async {
        let driver = Driver::start(data.path(), &[("SENTINELLA_E2E_SAVE_DIR", &saved)]);
        let app = driver.launch().await.unwrap();
        part_one(&app).await.unwrap();
        app.close().await.unwrap();
        let app = driver.launch().await.unwrap();
        part_two(&app, &saved).await.unwrap();
        app.close().await.unwrap();
    });
}

async fn part_one(app: &common::App) -> R {
    app.wait_screen("home").await?;
    // The header button is reachable by keyboard from the first screen.
    // From the page heading: past the home screen's own buttons, then the header.
    app.tab_to(|f| f == "nav-incident", 16).await?;
    let t0 = Instant::now();
    app.press(&key(Key::Enter)).await?;
    app.wait_screen("incident").await?;
    let to_triage = t0.elapsed();
    app.check_screen("inc-01-triage").await?;

    // Triage: Space on the first case (ransomware), then "Sì".
    app.tab_to(|f| f == "case=ransomware", 8).await?;
    app.press(" ").await?;
    app.tab_to(|f| f.starts_with("personal_data="), 8).await?;
    app.press(" ").await?;
    assert_eq!(app.focused().await?, "personal_data=yes");
    app.tab_to(|f| f == "triage-go", 20).await?;
    app.shot("inc-02-triage-filled").await?;
    let t1 = Instant::now();
    app.press(&key(Key::Enter)).await?;
    app.wait_screen("incident-run").await?;
    app.wait_js(
        "return document.querySelectorAll('#steps li').length >= 5",
        10,
    )
    .await?;
    let to_checklist = t1.elapsed();
    eprintln!(
        "timing: header click to triage {} ms; triage submit to checklist on screen {} ms",
        to_triage.as_millis(),
        to_checklist.as_millis()
    );
    assert!(app.text("main").await?.contains("Alfa Informatica"));
    assert!(app.text("#deadlines-title").await?.contains("Scadenze"));
    let cd = app.text("[data-kind=garante] .countdown").await?;
    assert!(
        cd.starts_with("Mancano 71 ore") || cd.starts_with("Mancano 72 ore"),
        "{cd}"
    );
    app.check_screen("inc-03-checklist").await?;

    // Tick the first step with Space: its time appears.
    app.tab_to(|f| f == "s-isolate", 10).await?;
    app.press(" ").await?;
    app.wait_js(
        "return document.getElementById('t-isolate').textContent.startsWith('fatto alle')",
        10,
    )
    .await?;

    // A log entry, saved with the button reached by Tab.
    app.tab_to(|f| f == "log-text", 60).await?;
    app.press("Schermata di riscatto sul PC dell'anagrafe; staccato il cavo di rete")
        .await?;
    app.tab_to(|f| f == "log-save", 4).await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_js(
        "return document.getElementById('log-status').textContent.startsWith('Salvato alle')",
        10,
    )
    .await?;
    assert!(app
        .text("#log-list")
        .await?
        .contains("Schermata di riscatto"));
    // A hostile entry stays text.
    app.js("document.getElementById('log-text').value = '<img src=x onerror=\"window.__pwned=1\">'; document.getElementById('log-form').requestSubmit(); return true;").await?;
    app.wait_js(
        "return document.querySelectorAll('#log-list li').length === 2",
        10,
    )
    .await?;
    assert_eq!(
        app.js("return window.__pwned === undefined").await?,
        serde_json::Value::Bool(true)
    );
    app.shot("inc-04-logged").await?;

    // The details for the notification: a wrong number is refused, then saved.
    app.type_in("#d-categories", "anagrafe, tributi").await?;
    app.type_in("#d-people", "circa 600").await?;
    app.click("#details-save").await?;
    app.wait_js(
        "return document.querySelector('#details-status [role=alert]') !== null",
        10,
    )
    .await?;
    app.js("document.getElementById('d-people').value = '600'; return true;")
        .await?;
    app.click("#details-save").await?;
    app.wait_js(
        "return document.getElementById('details-status').textContent.startsWith('Dati salvati')",
        10,
    )
    .await?;
    app.check_screen("inc-04b-details").await?;

    // Text typed and not yet added survives the restart.
    app.type_in("#log-text", "Al telefono con il fornitore, in attesa di")
        .await?;
    app.wait_js("return document.getElementById('typing-status').textContent.startsWith('Bozza della voce salvata')", 10)
        .await?;
    Ok(())
}

async fn part_two(app: &common::App, saved: &std::path::Path) -> R {
    app.wait_screen("home").await?;
    // From the page heading: past the home screen's own buttons, then the header.
    app.tab_to(|f| f == "nav-incident", 16).await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_screen("incident").await?;
    assert!(app.text("main").await?.contains("2 voci nel registro"));
    app.click(".incident-list button").await?;
    app.wait_screen("incident-run").await?;
    // The tick and the entries survived the restart.
    assert!(app.text("#t-isolate").await?.starts_with("fatto alle"));
    assert!(app
        .text("#log-list")
        .await?
        .contains("Schermata di riscatto"));

    // Drafts, by keyboard: the button is above the checklist, where the
    // focus starts; Shift+Tab back to it.
    for _ in 0..6 {
        if app.focused().await? == "to-drafts" {
            break;
        }
        app.press(&format!("{}{}", key(Key::Shift), key(Key::Tab)))
            .await?;
    }
    assert_eq!(app.focused().await?, "to-drafts");
    app.press(&key(Key::Enter)).await?;
    app.wait_screen("incident-drafts").await?;
    let g = app
        .js("return document.getElementById('draft-garante').textContent")
        .await?
        .as_str()
        .unwrap()
        .to_string();
    for needle in [
        "a) Natura della violazione",
        "Studio Verdi, tel. 06 7654321, dpo@verdi.example.it",
        "Schermata di riscatto",
        "d) Misure adottate o proposte",
        "Categorie di dati personali: anagrafe, tributi",
        "persone interessate: 600",
    ] {
        assert!(g.contains(needle), "missing {needle:?} in {g}");
    }
    app.check_screen("inc-05-drafts").await?;
    app.tab_to(|f| f == "report-pdf", 6).await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_js(
        "return document.getElementById('drafts-status').textContent.includes('Rapporto salvato')",
        20,
    )
    .await?;
    let pdf = saved_file(saved, ".pdf");
    let out = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Rapporto d'incidente"), "{text}");
    assert!(text.contains("Schermata di riscatto"));

    // Contacts: an impossible phone number is refused with an Italian message.
    app.click("#drafts-back").await?;
    app.wait_screen("incident-run").await?;
    app.js("document.querySelector('.button-row .btn-outline-primary').click(); return true;")
        .await?;
    app.wait_screen("contacts").await?;
    app.check_screen("inc-06-contacts").await?;
    app.type_in("#c-cosc-name", "COSC Lazio").await?;
    app.type_in("#c-cosc-phone", "06 12ab").await?;
    app.click("#contacts-save").await?;
    app.wait_js(
        "return document.querySelector('#contacts-status [role=alert]') !== null",
        10,
    )
    .await?;
    let msg = app.text("#contacts-status").await?;
    assert!(msg.contains("non è un numero di telefono valido"), "{msg}");
    app.shot("inc-07-contacts-error").await?;

    // An exercise: marked on the screen, listed apart.
    app.click("#nav-incident").await?;
    app.wait_screen("incident").await?;
    app.click("label.choice:nth-of-type(4)").await?; // device lost
    app.js("document.querySelector('input[name=personal_data][value=unknown]').click(); document.getElementById('triage-exercise').click(); return true;").await?;
    app.click("#triage-go").await?;
    app.wait_screen("incident-run").await?;
    assert!(app
        .text("#exercise-banner")
        .await?
        .starts_with("ESERCITAZIONE"));
    assert!(app
        .text("main h1")
        .await?
        .starts_with("Esercitazione: smarrimento"));
    app.check_screen("inc-08-exercise").await?;
    // Closing asks first; then nothing more can be added.
    app.click("#incident-close").await?;
    app.wait_js("return document.getElementById('confirm').open", 10)
        .await?;
    app.click("#confirm-yes").await?;
    app.wait_js("return document.body.dataset.screen === 'incident-run' && !document.getElementById('log-form') && document.querySelector('main .lead-text').textContent.includes('chiuso il')", 10)
        .await?;
    app.click("#nav-incident").await?;
    app.wait_screen("incident").await?;
    let lists = app
        .js("return [...document.querySelectorAll('.incident-list')].map(l => l.children.length)")
        .await?;
    assert_eq!(lists, serde_json::json!([1, 1]));
    let lists = app.text("main").await?;
    assert!(lists.contains("– chiuso"), "{lists}");
    Ok(())
}
