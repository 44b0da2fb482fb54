//! End-to-end tests in the real app window (WebKitGTK under Xvfb), driven
//! through WebKitWebDriver: the keyboard-only flow with a restart in the
//! middle, the PDF, the accessibility check of every screen (axe-core) and
//! an XSS payload typed into free-text fields.
//!
//! Screenshots land in target/screenshots/.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::sync::Mutex;

use common::{can_run, key, rt, saved_file, Driver, R};
use fantoccini::key::Key;
use serde_json::Value;

/// One window at a time: the machine is small and the tests share Xvfb.
static SERIAL: Mutex<()> = Mutex::new(());

/// Answer the question on screen with the keyboard: Tab into the radio
/// group, ArrowDown `down` times (0 = Space on the first option), wait for
/// "Salvato". Returns (question id, option chosen).
async fn answer_current(app: &common::App, down: usize, note: Option<&str>) -> R<(String, String)> {
    let qid = app
        .js("return document.querySelector('fieldset[data-question]').dataset.question")
        .await?
        .as_str()
        .unwrap()
        .to_string();
    // Focus starts on the question (the legend).
    let f = app.tab_to(|f| f.starts_with("q-"), 3).await?;
    assert!(f.starts_with(&format!("q-{qid}=")), "focus on {f}");
    app.js("window.__saved = document.getElementById('save-status').textContent")
        .await?;
    if down == 0 {
        app.press(" ").await?;
    } else {
        for _ in 0..down {
            app.press(&key(Key::Down)).await?;
        }
    }
    app.wait_js(
        "const t = document.getElementById('save-status').textContent; return t.startsWith('Salvato') && document.querySelector('input[type=radio]:checked') !== null && !document.getElementById('save-status').classList.contains('saving')",
        10,
    )
    .await?;
    let chosen = app
        .js("return document.querySelector('fieldset[data-question] input:checked').value")
        .await?
        .as_str()
        .unwrap()
        .to_string();
    if let Some(n) = note {
        app.press(&key(Key::Tab)).await?;
        assert_eq!(app.focused().await?, "note");
        app.press(n).await?;
        app.press(&key(Key::Tab)).await?; // leaving the field saves the note
        app.wait_js(
            "const s = document.getElementById('save-status'); return s.textContent.startsWith('Salvato') && !s.classList.contains('saving')",
            10,
        )
        .await?;
    }
    Ok((qid, chosen))
}

/// Go to the next question with the keyboard (Tab to "Avanti", Enter).
async fn next(app: &common::App) -> R {
    let before = app
        .js("return document.querySelector('fieldset[data-question]')?.dataset.question || ''")
        .await?;
    app.tab_to(|f| f == "next", 8).await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_js(
        &format!("const f = document.querySelector('fieldset[data-question]'); return !!f && f.dataset.question !== {before}"),
        10,
    )
    .await?;
    Ok(())
}

/// Type a comune's name into the new-assessment form, wait for the list to
/// answer that name, and click its first option with the pointer.
async fn click_comune(app: &common::App, name: &str, istat_code: &str) -> R {
    app.type_in("#comune", name).await?;
    // Choose only once the page holds every key typed: a key handled after
    // the choice would start a new search and undo it.
    app.wait_js(
        &format!("return document.getElementById('comune').value === '{name}'"),
        10,
    )
    .await?;
    app.wait_js(
        &format!("const o = [...document.querySelectorAll('#comune-list [role=option]')]; return o.length > 0 && o.every(x => x.textContent.includes('{name}'))"),
        20,
    )
    .await?;
    app.click("#comune-opt-0").await?;
    wait_chosen(app, istat_code).await
}

/// Wait until the form shows the chosen comune; if it does not, say what
/// the combobox looked like, so a failure in CI can be read from its log.
async fn wait_chosen(app: &common::App, istat_code: &str) -> R {
    let waited = app
        .wait_js(
            &format!("return document.getElementById('comune-chosen').textContent.includes('{istat_code}')"),
            10,
        )
        .await;
    if let Err(e) = waited {
        let state = app
            .js("const i = document.getElementById('comune'), l = document.getElementById('comune-list');
                 const o = l ? l.querySelector('[role=option]') : null, r = o ? o.getBoundingClientRect() : null;
                 return JSON.stringify({ value: i && i.value, expanded: i && i.getAttribute('aria-expanded'),
                   list_hidden: l && l.hidden, options: l ? [...l.children].map(x => x.textContent) : null,
                   first_option_rect: r && [r.left, r.top, r.width, r.height], scroll_y: window.scrollY,
                   focused: document.activeElement && (document.activeElement.id || document.activeElement.tagName),
                   chosen: document.getElementById('comune-chosen').textContent })")
            .await
            .map(|v| v.to_string())
            .unwrap_or_else(|e| format!("(state unreadable: {e})"));
        let _ = app.shot("failed-choosing-comune").await;
        return Err(format!("{e}; combobox: {state}").into());
    }
    Ok(())
}

#[test]
fn keyboard_flow_survives_restart_and_ends_in_results_and_pdf() {
    common::retry_if_hung(keyboard_flow_survives_restart_and_ends_in_results_and_pdf_once);
}

fn keyboard_flow_survives_restart_and_ends_in_results_and_pdf_once() {
    if !can_run() {
        return;
    }
    let _g = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    // A run the watchdog ended may have left its answers here.
    GIVEN.lock().unwrap_or_else(|p| p.into_inner()).clear();
    GIVEN.clear_poison();
    let data = tempfile::tempdir().unwrap();
    let saved = data.path().join("saved");
    std::fs::create_dir(&saved).unwrap();
    rt().block_on(async {
        let opened = data.path().join("opened.log");
        let driver = Driver::start(
            data.path(),
            &[
                ("SENTINELLA_E2E_SAVE_DIR", &saved),
                ("SENTINELLA_E2E_OPEN_LOG", &opened),
            ],
        );
        let app = driver.launch().await.unwrap();
        flow_part_one(&app, &saved).await.unwrap();
        app.close().await.unwrap();
        // Relaunch: a new app process on the same database.
        let app = driver.launch().await.unwrap();
        flow_part_two(&app, &saved).await.unwrap();
        guide_and_delete_with_undo(&app).await.unwrap();
        app.close().await.unwrap();
        // The deletion reached the database; the undone one did not.
        let app = driver.launch().await.unwrap();
        app.wait_screen("home").await.unwrap();
        let rows = app
            .js("return document.querySelectorAll('#assessments tbody tr').length")
            .await
            .unwrap();
        assert_eq!(rows.as_u64(), Some(1));
        app.close().await.unwrap();
    });
}

/// A comune assessed with comune 2.0.0 (the frozen demo answers of Proceno)
/// and again with 2.1.0, both in the app's database before it starts: the
/// results of the second say that the versions differ and name the two new
/// questions.
#[test]
fn results_after_a_questionnaire_version_change_name_the_new_questions() {
    common::retry_if_hung(results_after_a_questionnaire_version_change_name_the_new_questions_once);
}

fn results_after_a_questionnaire_version_change_name_the_new_questions_once() {
    if !can_run() {
        return;
    }
    let _g = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let data = tempfile::tempdir().unwrap();
    let (catalog, _) = sentinella::load::Catalog::builtin();
    let new_q = catalog
        .get("comune", "2.1.0")
        .unwrap()
        .questionnaire
        .clone();
    let id = {
        let mut store = sentinella::store::Store::open(&data.path().join("sentinella.db")).unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let old = std::fs::read_to_string(
            root.join("tests/fixtures/demo-2.0.0/comune-struggling-proceno.answers.json"),
        )
        .unwrap();
        let completed = sentinella::store::Status::Completed;
        store
            .import_answers(&catalog, "old.json", &old, completed)
            .unwrap();
        let sheet = sentinella::demo::example(
            &new_q,
            sentinella::demo::Profile::Struggling,
            chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        )
        .sheet;
        let text = serde_json::to_string(&sheet).unwrap();
        store
            .import_answers(&catalog, "new.json", &text, completed)
            .unwrap()
    };
    rt().block_on(async {
        let driver = Driver::start(data.path(), &[]);
        let app = driver.launch().await.unwrap();
        app.wait_screen("home").await.unwrap();
        app.click(&format!("tr[data-id='{id}'] button.btn-primary"))
            .await
            .unwrap();
        app.wait_screen("results").await.unwrap();
        let shown = app.text("#previous-versions").await.unwrap();
        assert!(
            shown.contains("usava un'altra versione del questionario")
                && shown.contains("Non c'è più 1 domanda della versione precedente."),
            "{shown}"
        );
        for qid in ["acc_admin_password_strength", "acc_admin_password_custody"] {
            let text = &new_q.question(qid).unwrap().text;
            assert!(shown.contains(text.as_str()), "{text} not in {shown}");
        }
        // The page's screenshot does not follow the scroll position in
        // WebKitWebDriver: the section itself is captured instead.
        app.c
            .execute(
                "document.getElementById('previous-versions').scrollIntoView()",
                vec![],
            )
            .await
            .unwrap();
        app.check_screen("13b-results-versions").await.unwrap();
        let png = app
            .c
            .find(fantoccini::Locator::Css("#previous-versions"))
            .await
            .unwrap()
            .screenshot()
            .await
            .unwrap();
        std::fs::write(
            common::shots_dir().join("13c-results-versions-section.png"),
            png,
        )
        .unwrap();
        app.close().await.unwrap();
    });
}

/// The guide from the header; then "Elimina" on the home list: the
/// confirmation says what goes, "Annulla" brings the row back, and a
/// deletion left alone reaches the database after a few seconds.
async fn guide_and_delete_with_undo(app: &common::App) -> R {
    app.click("#nav-help").await?;
    app.wait_screen("help").await?;
    assert!(app.text("#glossary").await?.contains("Copia offline"));
    app.check_screen("24-guide").await?;
    app.click("#nav-home").await?;
    app.wait_screen("home").await?;
    let count = "return document.querySelectorAll('#assessments tbody tr:not([hidden])').length";
    assert_eq!(app.js(count).await?.as_u64(), Some(2));
    // Two assessments of one comune on one day: told apart by the time.
    let edited = app
        .js("return [...document.querySelectorAll('#assessments tbody tr')].filter(r => r.textContent.includes('ultima modifica alle')).length")
        .await?;
    assert_eq!(edited.as_u64(), Some(2));
    app.click("#assessments tbody tr .delete-btn").await?;
    app.wait_js("return document.getElementById('confirm').open", 5)
        .await?;
    let text = app.text("#confirm-text").await?;
    assert!(
        text.contains("Per qualche secondo potrai ancora annullare"),
        "{text}"
    );
    app.click("#confirm-yes").await?;
    app.wait_js("return !!document.getElementById('undo-delete')", 5)
        .await?;
    assert_eq!(app.js(count).await?.as_u64(), Some(1));
    app.check_screen("25-home-undo-delete").await?;
    app.click("#undo-delete").await?;
    assert_eq!(app.js(count).await?.as_u64(), Some(2));
    // Left alone this time: the row goes for good.
    app.click("#assessments tbody tr .delete-btn").await?;
    app.wait_js("return document.getElementById('confirm').open", 5)
        .await?;
    app.click("#confirm-yes").await?;
    app.wait_js(
        "return document.querySelectorAll('#assessments tbody tr').length === 1 && !document.getElementById('undo-delete')",
        20,
    )
    .await?;
    Ok(())
}

/// Answers given in part one, checked after the restart.
static GIVEN: Mutex<Vec<(String, String, Option<String>)>> = Mutex::new(Vec::new());

async fn flow_part_one(app: &common::App, saved: &std::path::Path) -> R {
    app.wait_screen("home").await?;
    assert!(app
        .text("main")
        .await?
        .contains("Le risposte restano solo su questo computer"));
    app.check_screen("01-home-first-start").await?;

    // Home → new assessment, keyboard only.
    app.tab_to(|f| f == "new-assessment", 6).await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_screen("new").await?;
    app.check_screen("02-new-assessment").await?;
    // The questions on paper, before starting: a real PDF of every question
    // (removed afterwards: the plan PDF is looked for in the same folder).
    app.click("#blank-form").await?;
    app.wait_js(
        "return document.getElementById('paper-status').textContent.includes('Questionario salvato')",
        30,
    )
    .await?;
    let blank = saved_file(saved, ".pdf");
    assert!(
        blank
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("Questionario da compilare - "),
        "{blank:?}"
    );
    let text = std::process::Command::new("pdftotext")
        .arg(&blank)
        .arg("-")
        .output()?;
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Domande per il fornitore informatico"),
        "{text}"
    );
    std::fs::remove_file(&blank)?;
    // Back to the top of the form, as a keyboard user would (Shift+Tab).
    app.js("const r = document.querySelector('input[name=questionnaire]'); r.focus(); r.scrollIntoView(); return true")
        .await?;

    // Questionnaire: the first option (Comune) is already chosen.
    app.tab_to(|f| f == "comune", 6).await?;
    app.press("Procen").await?;
    app.wait_js(
        "return document.getElementById('comune').value === 'Procen'",
        10,
    )
    .await?;
    // Wait for the answer to the whole word, not to its first letters
    // (under load an earlier search can still be on screen).
    app.wait_js(
        "const o = [...document.querySelectorAll('#comune-list [role=option]')]; return o.length > 0 && o.every(x => x.textContent.includes('Procen'))",
        20,
    )
    .await?;
    app.press(&key(Key::Down)).await?;
    app.press(&key(Key::Enter)).await?;
    wait_chosen(app, "056044").await?;
    assert!(app.text("#comune-chosen").await?.contains("528 abitanti"));
    // Role: Tab into the radio group, Space on the first (Segretario comunale).
    app.tab_to(|f| f.starts_with("role="), 6).await?;
    app.press(" ").await?;
    app.shot("03-new-assessment-filled").await?;
    app.tab_to(|f| f == "create", 6).await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_screen("questionnaire").await?;
    assert_eq!(app.text("main h1").await?, "Comune di Proceno");

    // Context questions: each a radio group; Space picks the first option.
    let groups: Vec<String> = app
        .js("return [...document.querySelectorAll('fieldset[data-question]')].map(f => f.dataset.question)")
        .await?
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert!(groups.len() >= 5);
    for g in &groups {
        let want = format!("ctx-{g}=");
        app.tab_to(|f| f.starts_with(&want), 4).await?;
        app.press(" ").await?;
        app.wait_js(
            &format!("return !!document.querySelector('input[name=\"ctx-{g}\"]:checked') && document.getElementById('save-status').textContent.startsWith('Salvato') && !document.getElementById('save-status').classList.contains('saving')"),
            10,
        )
        .await?;
    }
    app.check_screen("04-context").await?;
    app.tab_to(|f| f == "next", 4).await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_js("return !!document.querySelector('fieldset[data-question] legend.q-text') && document.querySelector('fieldset[data-question]').dataset.question.length > 0 && !!document.getElementById('note')", 10)
        .await?;

    // Six questions with the keyboard, different options, two notes.
    let plan: [(usize, Option<&str>); 6] = [
        (1, Some("Nomina del 2023 da verificare con la Giunta")),
        (0, None),
        // «Non so» on the DPO question, an essential gate: the note shows.
        (4, None),
        (3, Some("Chiedere al fornitore: è tutto in cloud?")),
        (1, None),
        (4, None),
    ];
    let mut notes_shown = 0;
    for (i, (down, note)) in plan.iter().enumerate() {
        if i == 2 {
            app.check_screen("05-question").await?;
            contrast_check_sees_and_catches(app).await?;
        }
        let (q, o) = answer_current(app, *down, *note).await?;
        notes_shown += usize::from(gate_note_matches(app, &q, &o).await?);
        GIVEN.lock().unwrap().push((q, o, note.map(String::from)));
        if i + 1 < plan.len() {
            next(app).await?;
        }
    }
    assert_eq!(
        notes_shown, 1,
        "the gate note showed for the DPO's «Non so»"
    );
    app.check_screen("06-question-saved").await?;
    // The last answered question is where we resume.
    Ok(())
}

/// «Non so» on a gated question says at once what it means; on any other
/// answer, or an ungated question, nothing is shown.
async fn gate_note_matches(app: &common::App, qid: &str, option: &str) -> R<bool> {
    let (catalog, _) = sentinella::load::Catalog::builtin();
    let q = catalog
        .latest("comune")
        .and_then(|e| e.questionnaire.question(qid))
        .ok_or("question not in the comune questionnaire")?;
    let unknown = q
        .options
        .iter()
        .any(|o| o.id == option && o.kind == Some(sentinella::model::SpecialAnswer::Unknown));
    let gated = !q.central && (q.baseline.is_some() || q.essential.is_some());
    let shown = app
        .js("const n = document.getElementById('gate-note'); return !!n && !n.hidden")
        .await?;
    assert_eq!(shown.as_bool(), Some(unknown && gated), "{qid} {option}");
    Ok(unknown && gated)
}

/// The non-text contrast check measures what is on the question screen, and
/// it does fail on the faint controls the engine draws by itself (the look
/// before the fix): a check that could not fail would prove nothing.
async fn contrast_check_sees_and_catches(app: &common::App) -> R {
    let c = app.contrast().await?;
    assert!(c.failures.is_empty(), "{:?}", c.failures);
    assert!(
        c.radios >= 4 && c.bars >= 1 && c.focus_rings >= 4,
        "the check saw the options, the progress bar and the buttons' focus: {c:?}"
    );
    // The page's CSP refuses inline <style>: rules go in through the CSSOM.
    app.c
        .execute(
            r#"const sheet = [...document.styleSheets].find(x => (x.href || '').endsWith('app.css'));
               window.__faint = [
                 '.choice input[type=radio] { -webkit-appearance: radio !important; appearance: auto !important; }',
                 '.bar { border: 0 !important; background: #dfe3e8 !important; }',
                 '#main *:focus { box-shadow: none !important; outline: 3px solid #f90 !important; }',
               ].map(r => sheet.insertRule(r, sheet.cssRules.length));
               return true;"#,
            vec![],
        )
        .await?;
    let faint = app.contrast().await?;
    app.c
        .execute(
            r#"const sheet = [...document.styleSheets].find(x => (x.href || '').endsWith('app.css'));
               for (let i = 0; i < window.__faint.length; i++) sheet.deleteRule(sheet.cssRules.length - 1);
               return true;"#,
            vec![],
        )
        .await?;
    let all = faint.failures.join("\n");
    assert!(
        all.contains("radio") && all.contains("progress track") && all.contains("focus ring"),
        "the faint look must fail: {all}"
    );
    Ok(())
}

/// "da 35,0 a 1,3 (−33,7 punti)" → (35.0, 1.3, -33.7).
fn figures_of(text: &str) -> R<(f64, f64, f64)> {
    let n = |t: &str| -> R<f64> {
        Ok(t.trim_matches(|c: char| !c.is_ascii_digit())
            .replace('.', "")
            .replace(',', ".")
            .parse::<f64>()?)
    };
    let from = text.split(" da ").nth(1).ok_or("no 'da'")?;
    let (before, rest) = from.split_once(" a ").ok_or("no 'a'")?;
    let (after, rest) = rest.split_once(" (").ok_or("no '('")?;
    let diff = rest.split(' ').next().ok_or("no difference")?;
    let sign = if diff.starts_with('−') || diff.starts_with('-') {
        -1.0
    } else {
        1.0
    };
    let value = if diff == "0" { 0.0 } else { sign * n(diff)? };
    Ok((n(before)?, n(after)?, value))
}

async fn flow_part_two(app: &common::App, saved: &std::path::Path) -> R {
    app.wait_screen("home").await?;
    let row = app.text("#assessments tbody tr").await?;
    assert!(row.contains("Comune di Proceno"), "{row}");
    assert!(row.contains("In corso"), "{row}");
    assert!(row.contains("6 di "), "{row}");
    app.check_screen("07-home-with-draft").await?;

    // Continue: resumes on the last question answered.
    app.tab_to(|f| f == "button", 8).await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_screen("questionnaire").await?;
    let given = GIVEN.lock().unwrap().clone();
    let last = &given.last().unwrap().0;
    app.wait_js(&format!("return document.querySelector('fieldset[data-question]')?.dataset.question === '{last}'"), 10)
        .await?;

    // Walk back through every answer: all still there, notes too.
    let mut seen = BTreeMap::new();
    for _ in 0..given.len() {
        let v: Value = app
            .js("const f = document.querySelector('fieldset[data-question]'); const c = f.querySelector('input:checked'); return [f.dataset.question, c ? c.value : null, document.getElementById('note').value];")
            .await?;
        seen.insert(
            v[0].as_str().unwrap().to_string(),
            (
                v[1].as_str().map(String::from),
                v[2].as_str().unwrap().to_string(),
            ),
        );
        if seen.len() < given.len() {
            let cur = v[0].as_str().unwrap().to_string();
            app.find("#prev").await?.send_keys(&key(Key::Enter)).await?;
            app.wait_js(
                &format!("return document.querySelector('fieldset[data-question]')?.dataset.question !== '{cur}'"),
                10,
            )
            .await?;
        }
    }
    for (q, o, note) in &given {
        let (so, sn) = seen
            .get(q)
            .unwrap_or_else(|| panic!("question {q} not shown"));
        assert_eq!(
            so.as_deref(),
            Some(o.as_str()),
            "answer of {q} after restart"
        );
        assert_eq!(
            sn,
            note.as_deref().unwrap_or(""),
            "note of {q} after restart"
        );
    }

    // Answer every remaining question (keyboard), then conclude.
    app.wait_js(
        "return !!document.querySelector('fieldset[data-question]')",
        5,
    )
    .await?;
    // Jump to the first unanswered question through the domain list.
    loop {
        let state: Value = app
            .js("const f = document.querySelector('fieldset[data-question]'); return [!!(f && f.querySelector('input:checked')), document.getElementById('next')?.textContent || ''];")
            .await?;
        let answered = state[0].as_bool().unwrap_or(false);
        let last_step = state[1].as_str().unwrap_or("").starts_with("Concludi");
        if !answered {
            let down = (seen.len() % 3) + 1;
            answer_current(app, down, None).await?;
        }
        if last_step {
            break;
        }
        next(app).await?;
        seen.insert(format!("{}", seen.len()), (None, String::new()));
    }
    app.shot("08-last-question").await?;
    app.tab_to(|f| f == "next", 8).await?;
    app.press(&key(Key::Enter)).await?;
    app.wait_js("return document.getElementById('confirm').open", 5)
        .await?;
    app.check_screen("09-confirm-conclude").await?;
    assert_eq!(app.focused().await?, "confirm-no");
    app.press(&key(Key::Tab)).await?;
    assert_eq!(app.focused().await?, "confirm-yes");
    app.press(&key(Key::Enter)).await?;
    app.wait_screen("results").await?;
    let overall = app.text("#overall").await?;
    assert!(overall.contains("su 100"), "{overall}");
    // The distance to the next level, from the same figure as the headline.
    let value: f64 = overall
        .trim_end_matches("su 100")
        .trim()
        .replace(',', ".")
        .parse()?;
    let next = app.text("#next-step").await?;
    let expected_gap = format!("{:.1}", 40.0 - value).replace('.', ",");
    assert!(
        value < 40.0
            && next.contains(&format!(
                "Mancano {expected_gap} punti per il livello «In sviluppo»"
            )),
        "{value}: {next}"
    );
    let rows = app
        .js("return document.querySelectorAll('#domain-table tbody tr').length")
        .await?;
    assert_eq!(rows.as_u64(), Some(12));
    // Weakest first, one decimal for every score.
    let shown: Vec<String> = serde_json::from_value(
        app.js("return [...document.querySelectorAll('#domain-table tbody td:nth-child(2)')].map(t => t.textContent)")
            .await?,
    )?;
    let values: Vec<f64> = shown
        .iter()
        .filter(|t| t.as_str() != "non applicabile")
        .map(|t| {
            assert!(t.contains(','), "one decimal always: {t}");
            t.replace(',', ".").parse().unwrap()
        })
        .collect();
    assert!(values.windows(2).all(|w| w[0] <= w[1]), "{shown:?}");
    let prio = app
        .js("return document.querySelectorAll('#priorities li.measure').length")
        .await?;
    assert_eq!(prio.as_u64(), Some(6));
    // The domain chart takes the tier thresholds from Rust: every bar has
    // the colour of its tier, and the legend names the ranges.
    let bars = app
        .js("const t = {initial: '#a61c32', developing: '#995c00', established: '#0066cc', advanced: '#00573a'}; \
             const tier = (v) => v >= 85 ? 'advanced' : v >= 65 ? 'established' : v >= 40 ? 'developing' : 'initial'; \
             const rows = [...document.querySelectorAll('#domain-table tbody tr')].map((r) => parseFloat(r.cells[1].textContent.replace(',', '.'))); \
             const fills = [...document.querySelectorAll('svg.chart rect')].map((r) => r.getAttribute('fill')); \
             return fills.length === rows.length && rows.every((v, i) => fills[i] === t[tier(v)])")
        .await?;
    assert_eq!(bars, serde_json::Value::Bool(true));
    let legend = app.text(".score-box").await?;
    assert!(
        legend.contains(
            "Iniziale (sotto 40), In sviluppo (40–64), Consolidato (65–84), Avanzato (85 e oltre)"
        ),
        "{legend}"
    );
    app.check_screen("10-results").await?;
    app.js("document.getElementById('domain-figures').open = true; return true")
        .await?;
    for (part, name) in [
        ("priorities", "10a-results-priorities"),
        ("gates", "10b-results-gates"),
        ("domains-title", "10e-results-chart"),
        ("domain-table", "10c-results-table"),
        ("unknown", "10d-results-non-so"),
    ] {
        app.c
            .execute(
                &format!("document.getElementById('{part}').scrollIntoView()"),
                vec![],
            )
            .await?;
        // The scroll reaches the screenshot a little later.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        app.shot(name).await?;
    }
    // The failed obligations: what they cost, then grouped by deadline.
    let cost = app.text("#gates-cost").await?;
    assert!(cost.contains("secondo le stime del piano"), "{cost}");
    let deadlines = app
        .js("return [...document.querySelectorAll('#gates .gate-deadline')].map(h => h.textContent)")
        .await?;
    assert!(
        deadlines.as_array().is_some_and(|d| !d.is_empty()
            && d.iter()
                .all(|x| x.as_str().is_some_and(|t| t.starts_with("Entro")))),
        "{deadlines}"
    );
    let unknown = app.text("#unknown").await?;
    assert!(
        unknown.contains("Da chiedere al fornitore informatico"),
        "{unknown}"
    );

    // The PDF, through the save path given to the test.
    app.find("#make-pdf")
        .await?
        .send_keys(&key(Key::Enter))
        .await?;
    app.wait_js("const t = document.getElementById('pdf-status').textContent; return t.length > 0 && !t.startsWith('Preparazione')", 30)
        .await?;
    let status = app.text("#pdf-status").await?;
    assert!(status.contains("Piano salvato"), "{status}");
    let pdf_path = saved_file(saved, ".pdf");
    let pdf_name = pdf_path.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        status.contains(&pdf_name),
        "the file's name is shown: {status}"
    );
    // "Apri il file" and "Mostra nella cartella" ask for exactly the saved
    // file (the test build records the request instead of starting a viewer).
    app.click("#pdf-status .open-saved").await?;
    app.click("#pdf-status .reveal-saved").await?;
    let log = saved.parent().unwrap().join("opened.log");
    let want = format!(
        "open {}\nreveal {}\n",
        pdf_path.display(),
        pdf_path.display()
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::fs::read_to_string(&log).unwrap_or_default() != want {
        assert!(
            std::time::Instant::now() < deadline,
            "open requests: {:?}",
            std::fs::read_to_string(&log)
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    app.check_screen("11a-results-pdf-saved").await?;
    // A path the app did not save is refused, whatever the page asks.
    let refused = app
        .c
        .execute_async(
            "const done = arguments[arguments.length - 1]; window.__TAURI__.core.invoke('open_saved', { path: '/etc/passwd', action: 'open' }).then(() => done('opened'), (e) => done(String(e && e.message || e)));",
            vec![],
        )
        .await?;
    let refused = refused.as_str().unwrap_or_default().to_string();
    assert!(
        refused.contains("non è stato salvato da Sentinella"),
        "{refused}"
    );
    assert_eq!(
        std::fs::read_to_string(&log)?,
        want,
        "nothing else was opened"
    );
    let out = std::process::Command::new("pdftotext")
        .arg(saved_file(saved, ".pdf"))
        .arg("-")
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Proceno"), "PDF text: {text}");
    app.shot("11-results-pdf").await?;

    // "Esporta risultati": a signed file for the coordinator, notes left
    // out unless asked; the key's fingerprint is on screen to tell them.
    app.wait_js(
        "return document.getElementById('key-fingerprint').textContent.includes('-')",
        10,
    )
    .await?;
    let shown = app.text("#key-fingerprint").await?;
    app.click("#export-result-btn").await?;
    app.wait_js(
        "return document.getElementById('export-result-status').textContent.includes('File salvato')",
        20,
    )
    .await?;
    let file = saved_file(saved, ".json");
    let (catalog, _) = sentinella::load::Catalog::builtin();
    let sent = sentinella::exchange::verify_bytes(&std::fs::read(&file)?, &catalog, None)?;
    assert_eq!(sent.payload.organization.istat_code, "056044");
    assert!(
        sent.sheet.answers.values().all(|a| a.note.is_none()),
        "notes are left out by default"
    );
    let fingerprint = shown.rsplit(' ').next().unwrap_or_default();
    assert_eq!(fingerprint.len(), 19, "{shown}");
    app.c
        .execute(
            "document.getElementById('export-result').scrollIntoView()",
            vec![],
        )
        .await?;
    app.check_screen("11b-results-export").await?;
    let c = app.contrast().await?;
    assert!(c.checkboxes >= 1, "the notes checkbox was measured: {c:?}");

    // History of the organization.
    app.find("#history")
        .await?
        .send_keys(&key(Key::Enter))
        .await?;
    app.wait_screen("history").await?;
    assert!(app.text("main h1").await?.contains("Comune di Proceno"));
    app.check_screen("12-history").await?;

    // A second assessment of the same comune: its results show what changed
    // since the first one.
    app.click("#nav-home").await?;
    app.wait_screen("home").await?;
    app.click("#new-assessment").await?;
    app.wait_screen("new").await?;
    click_comune(app, "Proceno", "056044").await?;
    app.click("label:has(input[name=role][value='Responsabile per la transizione digitale'])")
        .await?;
    app.wait_js(
        "return !!document.querySelector('input[name=role]:checked')",
        10,
    )
    .await?;
    app.click("#create").await?;
    app.wait_screen("questionnaire").await?;
    app.click("#next").await?;
    app.wait_js("return !!document.getElementById('note')", 10)
        .await?;
    app.click("fieldset[data-question] label.choice").await?;
    app.wait_js(
        "return document.getElementById('save-status').textContent.startsWith('Salvato')",
        10,
    )
    .await?;
    app.click("#finish").await?;
    app.wait_js("return document.getElementById('confirm').open", 5)
        .await?;
    app.click("#confirm-yes").await?;
    app.wait_screen("results").await?;
    let prev = app.text("#previous").await?;
    assert!(prev.contains("Cosa è cambiato dal"), "{prev}");
    // Every difference on screen is the difference of the two numbers shown
    // beside it (rounded figures, not the raw ones).
    let (before, after, diff) = figures_of(&prev)?;
    assert!(
        ((after - before) - diff).abs() < 1e-6,
        "{before} → {after} shown as {diff}: {prev}"
    );
    let rows: Vec<Vec<String>> = serde_json::from_value(
        app.js("return [...document.querySelectorAll('#previous tbody tr')].map(r => [...r.querySelectorAll('td')].map(c => c.textContent))")
            .await?,
    )?;
    for r in &rows {
        let n = |t: &str| -> f64 {
            t.replace('−', "-")
                .replace('+', "")
                .replace(',', ".")
                .parse()
                .unwrap_or(f64::NAN)
        };
        let (b, a, d) = (n(&r[0]), n(&r[1]), n(&r[2]));
        if b.is_nan() || a.is_nan() {
            continue;
        }
        assert!(((a - b) - d).abs() < 1e-6, "row {r:?}");
    }
    app.c
        .execute(
            "document.getElementById('previous').scrollIntoView()",
            vec![],
        )
        .await?;
    app.check_screen("13-results-what-changed").await?;
    app.click("#history").await?;
    app.wait_screen("history").await?;
    let rows = app
        .js("return document.querySelectorAll('#history-table tbody tr').length")
        .await?;
    assert_eq!(rows.as_u64(), Some(2));
    app.check_screen("14-history-two").await?;
    Ok(())
}

#[test]
fn xss_payloads_in_a_name_a_role_and_a_note_stay_text() {
    common::retry_if_hung(xss_payloads_in_a_name_a_role_and_a_note_stay_text_once);
}

fn xss_payloads_in_a_name_a_role_and_a_note_stay_text_once() {
    if !can_run() {
        return;
    }
    let _g = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let data = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let driver = Driver::start(data.path(), &[]);
        let app = driver.launch().await.unwrap();
        xss(&app).await.unwrap();
        app.close().await.unwrap();
    });
}

const PAYLOAD: &str = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script><svg onload=\"window.__xss=3\">";

async fn xss(app: &common::App) -> R {
    app.wait_screen("home").await?;
    app.click("#new-assessment").await?;
    app.wait_screen("new").await?;
    // Sportello Polis.
    app.click("label:has(input[name=questionnaire][value=sportello-polis])")
        .await?;
    click_comune(app, "Jacurso", "079065").await?;
    app.wait_js("return !document.getElementById('office-field').hidden", 5)
        .await?;
    app.find("#office")
        .await?
        .clear()
        .await
        .map_err(|e| format!("clear #office: {e}"))?;
    app.type_in("#office", &format!("Ufficio {PAYLOAD}"))
        .await?;
    app.click("label:has(input[name=role][value=__other])")
        .await?;
    app.wait_js(
        "return !document.getElementById('role-other-field').hidden",
        5,
    )
    .await?;
    app.type_in("#role-other", PAYLOAD).await?;
    app.shot("20-xss-new").await?;
    app.click("#create").await?;
    app.wait_screen("questionnaire").await?;
    let h1 = app.text("main h1").await?;
    assert_eq!(h1, format!("Ufficio {PAYLOAD}"));
    // Straight to the first question, then a note with the payload.
    app.click("#next").await?;
    app.wait_js("return !!document.getElementById('note')", 10)
        .await?;
    app.click("fieldset[data-question] label.choice").await?;
    app.wait_js(
        "return document.getElementById('save-status').textContent.startsWith('Salvato')",
        10,
    )
    .await?;
    app.type_in("#note", PAYLOAD).await?;
    app.click("#next").await?;
    app.wait_js("return document.getElementById('note').value === ''", 10)
        .await?;
    app.click("#prev").await?;
    app.wait_js(
        &format!(
            "return document.getElementById('note').value === {}",
            serde_json::to_string(PAYLOAD)?
        ),
        10,
    )
    .await?;
    app.shot("21-xss-note").await?;
    // Home and results show the name as text too.
    app.click("#leave").await?;
    app.wait_screen("home").await?;
    let row = app.text("#assessments tbody tr").await?;
    assert!(row.contains("<img src=x"), "{row}");
    app.shot("22-xss-home").await?;
    app.click("#assessments tbody tr button").await?;
    app.wait_screen("questionnaire").await?;
    app.click("#finish").await?;
    app.wait_js("return document.getElementById('confirm').open", 5)
        .await?;
    app.click("#confirm-yes").await?;
    app.wait_screen("results").await?;
    assert!(app.text("main h1").await?.contains("<script>"));
    assert!(app.text("main").await?.contains("ruolo: <img"));
    app.check_screen("23-xss-results-polis").await?;
    // Nothing ran, nothing became markup.
    let ran = app.js("return typeof window.__xss").await?;
    assert_eq!(ran, Value::String("undefined".into()), "the payload ran");
    let injected = app
        .js("return document.querySelectorAll('main img, main script, main svg[onload], main [onerror]').length")
        .await?;
    assert_eq!(injected.as_u64(), Some(0));
    Ok(())
}
