//! Issue 18 end to end: the real voting server on 127.0.0.1 and headless
//! Chromium as two phones (390x844), driven by tests/browser/voting.mjs
//! (playwright-core): join with the code, vote, change the vote; the
//! trainer's count and the revealed distribution match the room's counts;
//! axe-core on the phone page; screenshots in target/screenshots/.
//! Needs Debian's chromium and `npm ci` (scripts/test.sh installs both).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use serde_json::Value;

use sentinella::voting::server::{self, ServerConfig};
use sentinella::voting::{LiveRoom, VotingQuestion};

#[test]
fn two_phones_vote_in_chromium_and_the_counts_match() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).exists(),
        "{chromium} missing: run scripts/test.sh (it installs Debian's chromium)"
    );
    assert!(
        repo.join("node_modules/playwright-core").exists(),
        "playwright-core missing: run scripts/ui-vendor.sh (npm ci)"
    );
    let questions = vec![
        VotingQuestion {
            id: "backup".into(),
            title:
                "Le copie di sicurezza vengono provate con un ripristino almeno una volta l'anno?"
                    .into(),
            options: vec![
                "Sì, con un ripristino documentato".into(),
                "Sì, ma senza prove di ripristino".into(),
                "No".into(),
                "Non so".into(),
            ],
        },
        VotingQuestion {
            id: "mfa".into(),
            title: "La posta elettronica chiede un secondo fattore di autenticazione?".into(),
            options: vec!["Sì, a tutti".into(), "Solo ad alcuni".into(), "No".into()],
        },
    ];
    let room = Arc::new(LiveRoom::new(questions).unwrap());
    let mut config = ServerConfig::loopback();
    config.trainer_page = true;
    let handle = server::spawn(room.clone(), config).unwrap();
    let shots = repo.join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    let output = Command::new("node")
        .arg(repo.join("tests/browser/voting.mjs"))
        .arg(handle.url())
        .arg(room.code())
        .arg(handle.trainer_base().unwrap())
        .arg(handle.trainer_token())
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "browser script failed: {stderr}");
    let out: Value = serde_json::from_slice(&output.stdout).unwrap();
    eprintln!("{out:#}");

    assert_eq!(
        out["wrongCodeMessage"],
        "Il codice della sessione non è corretto."
    );
    assert_eq!(out["progressA"], "Domanda 1 di 2");
    assert!(out["statusA"]
        .as_str()
        .unwrap()
        .starts_with("Hai risposto: No."));
    // The trainer saw how many, not what.
    assert_eq!(out["trainerBefore"]["voted"], 2);
    assert_eq!(out["trainerBefore"]["joined"], 3);
    // Phone C, without EventSource, followed the trainer by polling.
    assert_eq!(out["cHasEventSource"], false);
    assert_eq!(out["pollingFollowed"], true);
    assert_eq!(out["trainerBefore"]["counts"], Value::Null);
    // A's changed vote counts once, on the option it ended on.
    assert_eq!(room.counts("backup").unwrap(), vec![0, 1, 1, 0]);
    assert_eq!(out["trainerRevealed"], serde_json::json!([0, 1, 1, 0]));
    assert_eq!(
        out["barsA"],
        serde_json::json!([
            "Sì, con un ripristino documentato: 0 risposte (0%)",
            "Sì, ma senza prove di ripristino: 1 risposta (50%)",
            "No: 1 risposta (50%)",
            "Non so: 0 risposte (0%)"
        ])
    );
    assert!(out["closedStatusA"]
        .as_str()
        .unwrap()
        .starts_with("Votazione chiusa"));
    assert_eq!(out["progressAfterNext"], "Domanda 2 di 2");
    for key in ["axeJoin", "axeQuestion", "axeRevealed", "axeTrainer"] {
        assert_eq!(out[key], serde_json::json!([]), "{key}");
    }
    assert_eq!(out["cspViolations"], serde_json::json!([]));
    assert_eq!(out["consoleErrors"], serde_json::json!([]));
    handle.shutdown();
}
