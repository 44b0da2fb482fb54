//! `sentinella incident …` on a real database: open from JSON, log, mark,
//! deadlines, drafts; bad input exits with code 2 and changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sentinella"))
        .args(args)
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn fails(args: &[&str]) -> String {
    let o = run(args);
    assert_eq!(o.status.code(), Some(2), "{args:?} should fail with 2");
    String::from_utf8(o.stderr).unwrap()
}

const ORG: &str = r#"{"name":"Comune di Prova","istat_code":"056044","province":"VT","region":"Lazio","population":605,"kind":"comune"}"#;

fn incident_json(extra: &str, at: &str) -> String {
    format!(
        r#"{{"format":"sentinella-incident/1","organization":{ORG},"case":"ransomware","personal_data":"yes","discovered_at":"{at}","summary":"File cifrati sul server"{extra}}}"#
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn the_whole_incident_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db").display().to_string();
    let contacts = write(
        dir.path(),
        "contacts.json",
        &format!(
            r#"{{"organization":{ORG},"contacts":[{{"role":"dpo","name":"Studio Verdi","phone":"06 7654321","email":"dpo@verdi.example.it"}},{{"role":"cosc","name":"COSC Lazio","phone":""}}]}}"#
        ),
    );
    assert_eq!(
        ok(&["incident", "contacts", &contacts, "--db", &db]),
        "2 contacts saved\n"
    );
    let bad_contacts = write(
        dir.path(),
        "bad-contacts.json",
        &format!(
            r#"{{"organization":{ORG},"contacts":[{{"role":"dpo","name":"X","phone":"06 12ab"}}]}}"#
        ),
    );
    let err = fails(&["incident", "contacts", &bad_contacts, "--db", &db]);
    assert!(err.contains("not a valid phone number"), "{err}");

    let at = "2026-10-23T18:30:00+02:00";
    let file = write(dir.path(), "inc.json", &incident_json("", at));
    assert_eq!(ok(&["incident", "open", &file, "--db", &db]), "1\n");
    ok(&[
        "incident",
        "log",
        "--db",
        &db,
        "--id",
        "1",
        "--kind",
        "call",
        "--contact",
        "dpo",
        "Chiamato il DPO",
    ]);
    ok(&["incident", "mark", "--db", &db, "--id", "1", "isolate"]);
    let d = ok(&[
        "incident",
        "deadlines",
        "--db",
        &db,
        "--id",
        "1",
        "--now",
        "2026-10-24T10:00:00Z",
    ]);
    assert!(
        d.contains(
            "garante      required   due 2026-10-26T16:30:00+00:00 (Italian time 26/10/2026 17:30)"
        ),
        "{d}"
    );
    assert!(d.contains("csirt_first  voluntary"), "{d}");
    assert!(d.contains("GDPR), art. 33"), "{d}");
    ok(&[
        "incident",
        "details",
        "--db",
        &db,
        "--id",
        "1",
        "--categories",
        "anagrafe",
        "--people",
        "605",
    ]);
    let err = fails(&[
        "incident",
        "details",
        "--db",
        &db,
        "--id",
        "1",
        "--categories",
        "a\u{1}b",
    ]);
    assert!(err.contains("control characters"), "{err}");
    let drafts = ok(&["incident", "drafts", "--db", &db, "--id", "1"]);
    assert!(
        drafts.contains("Categorie di dati personali: anagrafe\n"),
        "{drafts}"
    );
    assert!(drafts.contains("persone interessate: 605\n"));
    assert!(drafts.contains("a) Natura della violazione"));
    assert!(drafts.contains("Studio Verdi, tel. 06 7654321"));
    assert!(
        drafts.contains("chiamata (Responsabile della protezione dei dati (DPO)): Chiamato il DPO")
    );
    let show = ok(&["incident", "show", "--db", &db, "--id", "1", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert_eq!(v["incident"]["log"].as_array().unwrap().len(), 1);
}

#[test]
fn bad_input_exits_2_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db").display().to_string();
    let good = write(
        dir.path(),
        "ok.json",
        &incident_json("", "2026-10-23T18:30:00+02:00"),
    );
    ok(&["incident", "open", &good, "--db", &db]);
    let future = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    for (name, text, expect) in [
        (
            "unknown.json",
            incident_json(r#","severity":"high""#, "2026-10-23T18:30:00+02:00"),
            "unknown field `severity`",
        ),
        (
            "version.json",
            incident_json("", "2026-10-23T18:30:00+02:00").replace("incident/1", "incident/7"),
            "unsupported incident format",
        ),
        (
            "date.json",
            incident_json("", "2026-02-30T10:00:00+01:00"),
            "discovered_at",
        ),
        (
            "nozone.json",
            incident_json("", "2026-10-23 18:30"),
            "discovered_at",
        ),
        ("future.json", incident_json("", &future), "in the future"),
        (
            "control.json",
            incident_json(
                r#","data_categories":"a\u0000b""#,
                "2026-10-23T18:30:00+02:00",
            ),
            "control characters",
        ),
        (
            "org.json",
            incident_json("", "2026-10-23T18:30:00+02:00").replace("056044", "56044"),
            "ISTAT code",
        ),
        ("notjson.json", "{".to_string(), "EOF"),
    ] {
        let f = write(dir.path(), name, &text);
        let err = fails(&["incident", "open", &f, "--db", &db]);
        assert!(err.contains(expect), "{name}: {err}");
    }
    let big = "x".repeat(5000);
    let err = fails(&["incident", "log", "--db", &db, "--id", "1", &big]);
    assert!(err.contains("longer than 4000"), "{err}");
    let err = fails(&["incident", "log", "--db", &db, "--id", "1", "a\u{7}b"]);
    assert!(err.contains("control characters"), "{err}");
    let err = fails(&["incident", "log", "--db", &db, "--id", "9", "testo"]);
    assert!(err.contains("incident 9 does not exist"), "{err}");
    let err = fails(&["incident", "mark", "--db", &db, "--id", "1", "nonexistent"]);
    assert!(err.contains("not a step or deadline"), "{err}");
    let huge = write(dir.path(), "huge.json", &" ".repeat(2 * 1024 * 1024));
    let err = fails(&["incident", "open", &huge, "--db", &db]);
    assert!(err.contains("larger than"), "{err}");
    // Only the first incident, with an empty log.
    let list = ok(&["incident", "list", "--db", &db]);
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(list.contains("0 entries"), "{list}");
    assert_eq!(ok(&["incident", "list", "--db", &db, "--exercises"]), "");
}
