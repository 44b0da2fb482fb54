//! End-to-end: a coordinator's pack in the real window. The comune imports
//! a signed pack through the file picker's stand-in, confirms the
//! coordinator's fingerprint, and sees the two alerts on its home screen; an
//! altered pack and a replayed one are refused with a clear Italian message
//! and the alerts stay as they were. Then the coordinator's form: write an
//! alert and the COSC, preview, sign and save (the save dialog's stand-in);
//! the saved file verifies. axe-core on every new screen; screenshots in
//! target/screenshots/.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use chrono::{Duration, Utc};
use common::{can_run, rt, Driver, R};

use sentinella::keys::KeyPair;
use sentinella::pack::{
    self, Alert, AlertAudience, Issuer, PackDraft, Severity, TerritoryContact, TerritoryRole,
};

fn sealed(key: &KeyPair, sequence: u64) -> Vec<u8> {
    let today = Utc::now().date_naive();
    let alert = |title: &str, severity| Alert {
        title: title.into(),
        text: "Verificate sempre il mittente prima di aprire un allegato.".into(),
        date: today,
        severity,
        audience: AlertAudience::Both,
        expires_on: today + Duration::days(30),
        related_questions: Vec::new(),
    };
    let mut d = PackDraft::new(Issuer {
        name: "ANCI Lazio".into(),
        territory: "Lazio".into(),
    });
    d.alerts = vec![
        alert("Falsi avvisi pagoPA via e-mail", Severity::Critical),
        alert("Aggiornate i router degli uffici", Severity::Warning),
    ];
    d.contacts = vec![TerritoryContact {
        role: TerritoryRole::Cosc,
        name: "COSC Lazio".into(),
        phone: Some("06 1234 5678".into()),
        email: None,
    }];
    pack::seal_pack(&d.into_payload(sequence, today), key, Utc::now())
        .unwrap()
        .1
}

#[test]
fn a_comune_imports_a_pack_sees_the_alerts_and_an_altered_pack_is_refused() {
    common::retry_if_hung(
        a_comune_imports_a_pack_sees_the_alerts_and_an_altered_pack_is_refused_once,
    );
}

fn a_comune_imports_a_pack_sees_the_alerts_and_an_altered_pack_is_refused_once() {
    if !can_run() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let pick = data.path().join("inbox");
    let saved = data.path().join("saved");
    std::fs::create_dir(&pick).unwrap();
    std::fs::create_dir(&saved).unwrap();
    let key = KeyPair::from_seed([42; 32]);
    let first = sealed(&key, 1);
    std::fs::write(pick.join("pacchetto.json"), &first).unwrap();
    rt().block_on(async {
        let driver = Driver::start(
            data.path(),
            &[
                ("SENTINELLA_E2E_PICK_DIR", &pick),
                ("SENTINELLA_E2E_SAVE_DIR", &saved),
            ],
        );
        let app = driver.launch().await.unwrap();
        flow(&app, &key, &first, &pick, &saved).await.unwrap();
        app.close().await.unwrap();
    });
}

async fn import(app: &common::App) -> R {
    app.click("#nav-home").await?;
    app.wait_screen("home").await?;
    app.click("#nav-packs").await?;
    app.wait_screen("packs").await?;
    app.click("#pack-pick").await?;
    app.wait_js(
        "return !!(document.getElementById('pack-confirm') || document.getElementById('pack-applied') || document.querySelector('#pack-error .alert-box'))",
        20,
    )
    .await
}

async fn flow(app: &common::App, key: &KeyPair, first: &[u8], pick: &Path, saved: &Path) -> R {
    app.wait_screen("home").await?;
    assert!(!app
        .js("return !!document.getElementById('pack-alerts')")
        .await?
        .as_bool()
        .unwrap_or(true));
    import(app).await?;
    // First pack: the fingerprint to confirm by phone.
    let shown = app.text("#pack-fingerprint-shown").await?;
    assert_eq!(shown.trim(), key.fingerprint());
    app.check_screen("40-pack-confirm").await?;
    // A wrong fingerprint first: refused, nothing applied.
    app.type_in("#pack-fingerprint", "0000-0000-0000-0000")
        .await?;
    app.click("#pack-confirm-btn").await?;
    app.wait_js(
        "return !!document.querySelector('#pack-error .alert-box')",
        10,
    )
    .await?;
    let err = app.text("#pack-error").await?;
    assert!(err.contains("non è quella della chiave"), "{err}");
    // The pending pack was dropped: pick it again and confirm properly.
    import(app).await?;
    app.type_in("#pack-fingerprint", &key.fingerprint().to_lowercase())
        .await?;
    app.click("#pack-confirm-btn").await?;
    app.wait_js("return !!document.getElementById('pack-applied')", 10)
        .await?;
    let applied = app.text("#pack-applied").await?;
    assert!(applied.contains("Aggiornamenti applicati"), "{applied}");
    app.check_screen("41-pack-applied").await?;
    app.click("#pack-done").await?;
    app.wait_screen("home").await?;
    app.wait_js("return !!document.getElementById('pack-alerts')", 10)
        .await?;
    let alerts = app.text("#pack-alerts").await?;
    assert!(
        alerts.contains("Urgente: Falsi avvisi pagoPA via e-mail")
            && alerts.contains("Attenzione: Aggiornate i router degli uffici"),
        "{alerts}"
    );
    app.check_screen("42-home-alerts").await?;

    // An altered pack (sequence 2, one alert title changed after signing).
    let second = sealed(key, 2);
    let altered = common::tamper(
        &second,
        "Falsi avvisi pagoPA",
        "Pagate subito a questo IBAN",
    );
    std::fs::write(pick.join("pacchetto.json"), altered).unwrap();
    import(app).await?;
    let err = app.text("#pack-error").await?;
    assert!(
        err.contains("la firma non corrisponde al contenuto")
            && err.contains("Non è stato cambiato nulla"),
        "{err}"
    );
    app.check_screen("43-pack-refused").await?;
    // The old pack again: refused as a replay.
    std::fs::write(pick.join("pacchetto.json"), first).unwrap();
    import(app).await?;
    let err = app.text("#pack-error").await?;
    assert!(err.contains("è già stato applicato"), "{err}");
    app.click("#nav-home").await?;
    app.wait_screen("home").await?;
    app.wait_js("return !!document.getElementById('pack-alerts')", 10)
        .await?;
    assert!(app.text("#pack-alerts").await?.contains("pagoPA"));

    // The coordinator's side: write, preview, sign, save.
    app.click("#nav-coord").await?;
    app.wait_screen("coord").await?;
    app.click("#nav-coord-pack").await?;
    app.wait_screen("coord-pack").await?;
    app.type_in("#pack-issuer", "Unione dei Comuni della Teverina")
        .await?;
    app.type_in("#pack-territory", "Provincia di Viterbo")
        .await?;
    app.type_in("#alert-title-1", "Truffa del falso tecnico")
        .await?;
    app.type_in(
        "#alert-text-1",
        "Qualcuno telefona fingendosi il fornitore e chiede di installare un programma.",
    )
    .await?;
    app.type_in("#contact-cosc-name", "COSC Lazio").await?;
    app.type_in("#contact-cosc-phone", "12").await?;
    app.click("#pack-preview-btn").await?;
    app.wait_js(
        "return !!document.querySelector('#pack-form-error .alert-box')",
        10,
    )
    .await?;
    let err = app.text("#pack-form-error").await?;
    assert!(err.contains("numero di telefono non è valido"), "{err}");
    app.js("document.getElementById('contact-cosc-phone').value = ''")
        .await?;
    app.type_in("#contact-cosc-phone", "06 1234 5678").await?;
    app.click("#pack-preview-btn").await?;
    app.wait_js("return !!document.getElementById('pack-preview-box')", 10)
        .await?;
    let p = app.text("#pack-preview-box").await?;
    assert!(
        p.contains("pacchetto numero 1") && p.contains("Truffa del falso tecnico"),
        "{p}"
    );
    app.check_screen("44-coord-pack-preview").await?;
    app.click("#pack-sign").await?;
    app.wait_js(
        "return !!document.querySelector('#pack-save .saved-box')",
        20,
    )
    .await?;
    let file = std::fs::read_dir(saved)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("Pacchetto"))
        .expect("the pack was saved");
    let v = pack::verify_pack_bytes(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(v.payload.sequence, 1);
    assert_eq!(v.payload.alerts[0].title, "Truffa del falso tecnico");
    assert_eq!(v.payload.contacts[0].phone.as_deref(), Some("06 1234 5678"));
    let h = app.text("#pack-history").await?;
    assert!(h.contains("1 avviso"), "{h}");
    Ok(())
}
