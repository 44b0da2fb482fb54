//! End-to-end: the coordinator's side in the real window. A folder of
//! signed result files from comuni of one province (plus a tampered file and
//! a file signed by another computer) is imported with the folder picker's
//! stand-in; the report names each problem, the new key is accepted after
//! confirmation, the dashboard shows the province's figures (and no figure
//! for groups under five), the CSV is written by Rust; axe-core checks each
//! screen. Screenshots land in target/screenshots/.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use chrono::{NaiveDate, Utc};
use common::{can_run, rt, saved_file, Driver, R};

use sentinella::aggregate::quartiles;
use sentinella::demo::{self, Profile};
use sentinella::exchange::{self, ExportOptions};
use sentinella::istat::IstatList;
use sentinella::keys::KeyPair;
use sentinella::load::{Catalog, LoadedAnswers};
use sentinella::scoring;

/// Comuni of the province in the inbox.
const ASSESSED: usize = 8;

/// Write the inbox; returns the median overall score of the valid files
/// (as the dashboard must show it) and the stranger key's fingerprint.
fn inbox(dir: &Path) -> (f64, String) {
    let (catalog, _) = Catalog::builtin();
    let entry = catalog.latest("comune").unwrap().clone();
    let q = &entry.questionnaire;
    let list = IstatList::builtin().unwrap();
    let comuni: Vec<_> = list
        .all()
        .iter()
        .filter(|c| c.province == "VT")
        .take(ASSESSED)
        .collect();
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let opts = ExportOptions {
        with_notes: false,
        app_version: "0.1.0".into(),
        exported_at: Utc::now(),
        assessment_id: None,
    };
    let mut scores = Vec::new();
    let mut first = None;
    for (i, c) in comuni.iter().enumerate() {
        let mut sheet = demo::example(q, Profile::ALL[i % 3], day).sheet;
        sheet.organization.name = format!("Comune di {}", c.name);
        sheet.organization.istat_code = c.istat_code.clone();
        sheet.organization.province = c.province.clone();
        sheet.organization.region = c.region.clone();
        sheet.organization.population = c.population;
        let loaded = LoadedAnswers {
            sheet,
            questionnaire: entry.clone(),
        };
        scores.push(scoring::score(q, &loaded.sheet).overall);
        let key = KeyPair::from_seed([i as u8 + 1; 32]);
        let (_, bytes) = exchange::export_result(&loaded, &key, &opts).unwrap();
        std::fs::write(dir.join(format!("{}.json", c.istat_code)), &bytes).unwrap();
        if i == 0 {
            first = Some((loaded, bytes));
        }
    }
    // A file made with the 2020 code of Monteciccardo (PU), absorbed by
    // Pesaro on 1 July 2020: it counts for Pesaro, its code stays visible.
    let mut sheet = demo::example(q, Profile::ALL[0], day).sheet;
    let pesaro = list.get("041044").unwrap();
    sheet.organization.name = "Comune di Monteciccardo".into();
    sheet.organization.istat_code = "041032".into();
    sheet.organization.province = pesaro.province.clone();
    sheet.organization.region = pesaro.region.clone();
    sheet.organization.population = 1_686;
    let old_code = LoadedAnswers {
        sheet,
        questionnaire: entry.clone(),
    };
    let key = KeyPair::from_seed([150; 32]);
    let (_, old_bytes) = exchange::export_result(&old_code, &key, &opts).unwrap();
    std::fs::write(dir.join("041032.json"), &old_bytes).unwrap();
    let (mut loaded, bytes) = first.unwrap();
    // Altered after signing: the name edited by hand.
    std::fs::write(
        dir.join("zz-altered.json"),
        common::tamper(&bytes, "Comune di", "Comune  di"),
    )
    .unwrap();
    // A newer assessment of the first comune, from another computer.
    loaded.sheet.assessed_on = day.succ_opt().unwrap();
    let stranger = KeyPair::from_seed([200; 32]);
    let (_, other) = exchange::export_result(&loaded, &stranger, &opts).unwrap();
    std::fs::write(dir.join("zz-new-computer.json"), other).unwrap();
    (quartiles(&scores).unwrap().median, stranger.fingerprint())
}

#[test]
fn a_coordinator_imports_a_folder_accepts_a_new_key_and_reads_the_province() {
    common::retry_if_hung(
        a_coordinator_imports_a_folder_accepts_a_new_key_and_reads_the_province_once,
    );
}

fn a_coordinator_imports_a_folder_accepts_a_new_key_and_reads_the_province_once() {
    if !can_run() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let inbox_dir = data.path().join("inbox");
    let saved = data.path().join("saved");
    std::fs::create_dir(&inbox_dir).unwrap();
    std::fs::create_dir(&saved).unwrap();
    let (median, stranger) = inbox(&inbox_dir);
    rt().block_on(async {
        let driver = Driver::start(
            data.path(),
            &[
                ("SENTINELLA_E2E_SAVE_DIR", &saved),
                ("SENTINELLA_E2E_PICK_DIR", &inbox_dir),
            ],
        );
        let app = driver.launch().await.unwrap();
        flow(&app, median, &stranger, &saved).await.unwrap();
        app.close().await.unwrap();
    });
}

async fn flow(app: &common::App, median: f64, stranger: &str, saved: &Path) -> R {
    app.wait_screen("home").await?;
    app.click("#nav-coord").await?;
    app.wait_screen("coord").await?;
    assert!(app
        .text("#no-results")
        .await?
        .contains("Importa una cartella"));
    app.check_screen("15-coord-empty").await?;

    app.click("#import-folder").await?;
    app.wait_js("return !!document.getElementById('import-summary')", 30)
        .await?;
    let summary = app.text("#import-summary").await?;
    // The inbox: the province's files, the old-code file of Monteciccardo,
    // an altered file and a newer one from another computer.
    let files = ASSESSED + 3;
    // The first comune is claimed by two keys and none is on record yet:
    // both of its files are held back until the coordinator picks one.
    assert!(
        summary.contains(&format!("{files} file letti: {} importati", ASSESSED))
            && summary.contains("2 trattenuti")
            && summary.contains("1 scartato"),
        "{summary}"
    );
    // The progress reached the page through the channel.
    let last = app
        .js("return document.getElementById('import-progress').dataset.last")
        .await?;
    assert_eq!(last.as_str(), Some(format!("{files}/{files}").as_str()));
    let rejected = app.text("#rejected-files").await?;
    assert!(
        rejected.contains("zz-altered.json") && rejected.contains("firma non corrisponde"),
        "{rejected}"
    );
    let held = app.text("#held-back").await?;
    assert!(
        held.contains(stranger) && held.contains("zz-new-computer.json"),
        "{held}"
    );
    app.check_screen("16-coord-import-report").await?;

    // Accept the new computer's key for that comune, after the
    // confirmation dialog.
    app.click(&format!("#held-back .accept-key[data-signer='{stranger}']"))
        .await?;
    app.wait_js("return document.getElementById('confirm').open", 5)
        .await?;
    app.click("#confirm-yes").await?;
    app.wait_js(
        "const s = document.getElementById('import-summary'); return !!s && s.textContent.includes('1 file letto: 1 importato')",
        20,
    )
    .await?;
    // The key list is refreshed after the summary (a second call): wait
    // for it rather than read it at once.
    app.wait_js(
        &format!(
            "const k = document.getElementById('keys'); return !!k && k.textContent.includes('{stranger}')"
        ),
        20,
    )
    .await?;

    // The explicit check: every current result verified again.
    app.click("#verify-archive").await?;
    app.wait_js(
        "const c = document.getElementById('archive-check'); return !!c && c.textContent.includes('sono integri')",
        30,
    )
    .await?;
    let check = app.text("#archive-check").await?;
    assert!(
        check.contains(&format!("Tutti i {} risultati in uso", ASSESSED + 1)),
        "{check}"
    );

    // The province: eight comuni assessed out of sixty, the median shown.
    app.js("const s = document.getElementById('scope'); s.value = 'province:VT'; return true")
        .await?;
    app.click("#show-scope").await?;
    app.wait_js(
        "const a = document.getElementById('assessed-0'); return !!a && a.textContent.includes('su 60')",
        20,
    )
    .await?;
    assert!(app
        .text("#assessed-0")
        .await?
        .starts_with(&ASSESSED.to_string()));
    // The first comune counts with the accepted key's assessment (same
    // answers, another day), so the median is that of the files written.
    let shown: f64 = app.text("#median-0").await?.replace(',', ".").parse()?;
    assert!((shown - median).abs() < 0.05, "median {shown} vs {median}");
    // Population bands with fewer than five assessed comuni show no figure.
    let bands = app.text("#by-band-0").await?;
    assert!(
        bands.contains("cifre non mostrate") || bands.contains("nessun comune"),
        "{bands}"
    );
    app.check_screen("17-coord-dashboard").await?;
    app.js("const m = document.getElementById('missing'); if (m.tagName === 'DETAILS') m.open = true; return true")
        .await?;
    for (id, shot) in [
        ("by-band-0", "18-coord-dashboard-tables"),
        ("domains-0", "19-coord-dashboard-domains"),
        ("weakest-0", "19b-coord-dashboard-questions"),
        ("missing", "19c-coord-dashboard-missing"),
    ] {
        app.js(&format!(
            "document.getElementById('{id}').scrollIntoView(); return true"
        ))
        .await?;
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        app.shot(shot).await?;
    }

    app.click("#export-csv-comuni").await?;
    app.wait_js(
        "return document.getElementById('export-status').textContent.includes('Tabella salvata')",
        20,
    )
    .await?;
    let csv = saved_file(saved, ".csv");
    assert_eq!(std::fs::read_to_string(csv)?.lines().count(), ASSESSED + 1);

    // The summary PDF of the province, read back.
    app.click("#export-pdf").await?;
    app.wait_js(
        "return document.getElementById('export-status').textContent.includes('Sintesi salvata')",
        30,
    )
    .await?;
    let pdf = saved_file(saved, ".pdf");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Provincia di Viterbo"), "{text}");
    assert!(text.contains(&format!("{ASSESSED} su 60")), "{text}");

    // Pesaro e Urbino: the file made with Monteciccardo's old code counts
    // for Pesaro, and the dashboard says so with the code in the file.
    app.js("const s = document.getElementById('scope'); s.value = 'province:PU'; return true")
        .await?;
    app.click("#show-scope").await?;
    app.wait_js("return !!document.getElementById('successions')", 20)
        .await?;
    assert!(app.text("#assessed-0").await?.starts_with('1'));
    let note = app.text("#successions").await?;
    assert!(
        note.contains(
            "Comune di Monteciccardo (041032), oggi: Comune di Pesaro (041044), dal 01/07/2020"
        ),
        "{note}"
    );
    app.js("document.getElementById('successions').scrollIntoView(); return true")
        .await?;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    app.shot("19d-coord-dashboard-old-code").await?;
    Ok(())
}
