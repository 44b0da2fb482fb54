//! The UI the app embeds is the styled one: Bootstrap Italia's stylesheet
//! applied and the Titillium Web font loaded, read from the running window.
//! By default on the binary cargo built; scripts/test-packages.sh runs it on
//! the binary the .deb installed (`SENTINELLA_APP_BIN`), with a screenshot.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{can_run, Driver};

#[test]
fn the_window_shows_the_styled_ui_with_its_font() {
    if !can_run() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let shot = std::env::var("SENTINELLA_SHOT_NAME").unwrap_or_else(|_| "first-screen".into());
    common::rt().block_on(async {
        let driver = Driver::start(data.path(), &[]);
        let app = driver.launch().await.unwrap();
        app.wait_js("return !!document.querySelector('main h1')", 10)
            .await
            .unwrap();
        // Bootstrap Italia: its stylesheet loaded with its rules, and applied
        // (its reboot removes the body's default 8 px margin).
        let rules = app
            .js("const s = [...document.styleSheets].find(s => (s.href || '').includes('vendor/css/bootstrap-italia.min.css')); return s ? s.cssRules.length : -1;")
            .await
            .unwrap();
        let rules = rules.as_i64().unwrap_or(-1);
        assert!(
            rules > 1000,
            "Bootstrap Italia's stylesheet is missing or empty ({rules} rules)"
        );
        let margin = app
            .js("return getComputedStyle(document.body).marginTop")
            .await
            .unwrap();
        assert_eq!(margin.as_str(), Some("0px"), "Bootstrap's reboot not applied");
        // Titillium Web: the four faces are embedded and the body's one loads.
        let loaded = app
            .c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 document.fonts.load('16px \"Titillium Web\"')
                   .then(f => done(f.length > 0 && document.fonts.check('16px \"Titillium Web\"')))
                   .catch(e => done('error: ' + e));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(loaded, serde_json::Value::Bool(true), "Titillium Web not loaded: {loaded}");
        let family = app
            .js("return getComputedStyle(document.body).fontFamily")
            .await
            .unwrap();
        assert!(
            family.as_str().unwrap_or("").starts_with("\"Titillium Web\""),
            "body font: {family}"
        );
        // Every face of the font (the CSP forbids fetching them by hand).
        for face in ["16px", "italic 16px", "600 16px", "700 16px"] {
            let ok = app
                .c
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     document.fonts.load(arguments[0] + ' \"Titillium Web\"')
                       .then(f => done(f.length > 0 && f.every(x => x.status === 'loaded')))
                       .catch(e => done('error: ' + e));",
                    vec![serde_json::Value::String(face.into())],
                )
                .await
                .unwrap();
            assert_eq!(ok, serde_json::Value::Bool(true), "Titillium Web {face}: {ok}");
        }
        app.shot(&shot).await.unwrap();
        app.close().await.unwrap();
    });
}
