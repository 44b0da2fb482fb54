//! `sentinella workshop …` on real files: sessions in their own database,
//! counts, export, the debrief PDF read back with poppler; hostile session
//! files and counts exit with code 2 and write nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{assert_clean_pdf, run, sentinella, stderr, stdout};

fn ok(args: &[&str]) -> String {
    let o = sentinella(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

fn fails(args: &[&str]) -> String {
    let o = sentinella(args);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{args:?} should fail with 2: {}",
        stdout(&o)
    );
    stderr(&o)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A session of the comune questionnaire (all domains) with `counts` typed
/// for its first questions, exported to `dir/session.json`.
fn session_with_counts(dir: &Path, counts: &[&str]) -> (String, serde_json::Value) {
    let db = dir.join("workshop.sqlite");
    ok(&[
        "workshop",
        "new",
        "--db",
        s(&db),
        "--questionnaire",
        "comune",
        "--room",
        "30",
    ]);
    let json = dir.join("session.json");
    ok(&[
        "workshop",
        "export",
        "--db",
        s(&db),
        "--id",
        "1",
        "-o",
        s(&json),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    for (i, c) in counts.iter().enumerate() {
        let q = v["questions"][i]["id"].as_str().unwrap().to_string();
        ok(&[
            "workshop",
            "count",
            "--db",
            s(&db),
            "--id",
            "1",
            "--question",
            &q,
            "--counts",
            c,
        ]);
    }
    ok(&[
        "workshop",
        "export",
        "--db",
        s(&db),
        "--id",
        "1",
        "-o",
        s(&json),
    ]);
    let v = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    (json.to_str().unwrap().to_string(), v)
}

#[test]
fn debrief_shows_the_group_distribution_and_names_no_one() {
    let dir = tempfile::tempdir().unwrap();
    let (json, v) = session_with_counts(dir.path(), &["3,11,9,5,2", "0,0,17,4,6", "1,2,3,4,13"]);
    // The session file holds counts, ids and times only: no free text.
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "created_at",
            "current",
            "domains",
            "format",
            "minutes",
            "questionnaire",
            "questions",
            "room_size",
            "updated_at"
        ]
    );
    let pdf = dir.path().join("debrief.pdf");
    let out = ok(&[
        "workshop",
        "debrief",
        &json,
        "-o",
        s(&pdf),
        "--date",
        "2026-12-01",
    ]);
    assert!(out.contains("wrote"), "{out}");
    assert_clean_pdf(s(&pdf), "debrief");
    let text = run("pdftotext", &["-layout", s(&pdf), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Resoconto dell'incontro"));
    assert!(flat.contains("Le sei misure da portare a casa"));
    assert!(flat.contains("Scheda incidente"));
    assert!(flat.contains("Dove andare adesso"));
    // Every count of the first question, with its share, in option order.
    let first: Vec<String> = [3, 11, 9, 5, 2]
        .iter()
        .map(|n| format!("{n} ({}%)", (f64::from(*n) * 100.0 / 30.0).round()))
        .collect();
    let mut at = 0;
    for c in &first {
        let found = flat[at..]
            .find(c.as_str())
            .unwrap_or_else(|| panic!("{c} not found in order in the debrief"));
        at += found + c.len();
    }
    for line in ["30 risposte", "27 risposte", "23 risposte"] {
        assert!(flat.contains(line), "{line} missing");
    }
    // The second question: nobody chose the first two options.
    assert!(flat.contains("0 (0%)"));
    assert!(flat.contains("17 (63%)"));
    // The third one: 13 of 23 chose the fifth option.
    assert!(flat.contains("13 (57%)"));
    // Nobody answered the fourth question.
    assert!(flat.contains("Nessuna risposta raccolta per questa domanda."));
    // No placeholder name, code or place.
    for absent in ["Il gruppo", "ISTAT", "Comune di Prova"] {
        assert!(!flat.contains(absent), "{absent:?} printed in the debrief");
    }
}

#[test]
fn hostile_session_files_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (json, good) = session_with_counts(dir.path(), &["3,11,9,5,2"]);
    let pdf = dir.path().join("debrief.pdf");
    let edit = |name: &str, f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = good.clone();
        f(&mut v);
        let p = dir.path().join(name);
        std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
        p
    };
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (
            common::write(
                dir.path(),
                "broken.json",
                "{\"format\": \"sentinella-workshop/1\",",
            ),
            "not valid JSON",
        ),
        (
            edit("v2.json", &|v| v["format"] = "sentinella-workshop/2".into()),
            "format \"sentinella-workshop/2\" is not supported",
        ),
        (
            edit("answers.json", &|v| {
                v["format"] = "sentinella-answers/1".into()
            }),
            "not a Sentinella workshop session file",
        ),
        (
            edit("extra.json", &|v| {
                v["participants"] = vec!["Mario Rossi"].into()
            }),
            "unknown field `participants`",
        ),
        (
            edit("negative.json", &|v| {
                v["questions"][0]["counts"][1] = (-4).into()
            }),
            "cannot be negative",
        ),
        (
            edit("million.json", &|v| {
                v["questions"][0]["counts"][1] = 1_000_000.into()
            }),
            "but the room holds 30 people",
        ),
        (
            edit("room.json", &|v| v["room_size"] = 2_000_000.into()),
            "room size must be between 1 and 500",
        ),
        (
            edit("unknown-q.json", &|v| {
                v["questions"][3]["id"] = "q_invented".into()
            }),
            "\"q_invented\" is not part of this session",
        ),
        (
            edit("short.json", &|v| {
                v["questions"][0]["counts"] = serde_json::json!([1, 2]);
            }),
            "2 counts were given",
        ),
        (
            edit("other-q.json", &|v| {
                v["questionnaire"]["version"] = "9.9.9".into()
            }),
            "not available",
        ),
        (
            common::write(dir.path(), "deep.json", "[".repeat(5000)),
            "nested more than",
        ),
        (
            common::write(dir.path(), "big.json", vec![b' '; 600 * 1024]),
            "too large",
        ),
        (dir.path().to_path_buf(), "not a regular file"),
    ];
    for (path, message) in &cases {
        let err = fails(&["workshop", "debrief", s(path), "-o", s(&pdf)]);
        assert!(
            err.contains(message),
            "{}: expected {message:?} in {err}",
            path.display()
        );
        assert!(!pdf.exists(), "{}: a PDF was written", path.display());
        let db = dir.path().join("import.sqlite");
        fails(&["workshop", "import", "--db", s(&db), s(path)]);
        assert!(!db.exists(), "{}: a database was created", path.display());
    }
    // The good file still renders.
    ok(&["workshop", "debrief", &json, "-o", s(&pdf)]);
    // An output over the input is refused.
    let err = fails(&["workshop", "debrief", &json, "-o", &json]);
    assert!(err.contains("choose another output file"), "{err}");
}

#[test]
fn typed_counts_are_checked_and_refusals_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (json, v) = session_with_counts(dir.path(), &["3,11,9,5,2"]);
    let db = dir.path().join("workshop.sqlite");
    let q = v["questions"][0]["id"].as_str().unwrap();
    let before = std::fs::read(&json).unwrap();
    for (counts, message) in [
        ("3,-1,9,5,2", "cannot be negative"),
        ("3,1000000,9,5,2", "the room holds 30 people"),
        ("3,11,9", "3 counts were given"),
    ] {
        let err = fails(&[
            "workshop",
            "count",
            "--db",
            s(&db),
            "--id",
            "1",
            "--question",
            q,
            "--counts",
            counts,
        ]);
        assert!(err.contains(message), "{counts}: {err}");
    }
    let err = fails(&[
        "workshop",
        "count",
        "--db",
        s(&db),
        "--id",
        "1",
        "--question",
        "nope",
        "--counts",
        "1",
    ]);
    assert!(err.contains("not part of this session"), "{err}");
    ok(&[
        "workshop",
        "export",
        "--db",
        s(&db),
        "--id",
        "1",
        "-o",
        &json,
    ]);
    assert_eq!(
        std::fs::read(&json).unwrap(),
        before,
        "a refused count changed the session"
    );

    // Reset clears the counts; list shows the session apart.
    ok(&["workshop", "reset", "--db", s(&db), "--id", "1"]);
    let list = ok(&["workshop", "list", "--db", s(&db), "--json"]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list[0]["answered"], 0);

    // Import makes a second, identical session.
    let out = ok(&["workshop", "import", "--db", s(&db), &json]);
    assert!(out.contains("as session 2"), "{out}");
    let again = dir.path().join("again.json");
    ok(&[
        "workshop",
        "export",
        "--db",
        s(&db),
        "--id",
        "2",
        "-o",
        s(&again),
    ]);
    assert_eq!(std::fs::read(&again).unwrap(), before);
}

#[test]
fn the_assessments_database_is_never_used_for_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("sentinella.db");
    drop(sentinella::store::Store::open(&store).unwrap());
    let before = std::fs::read(&store).unwrap();
    let err = fails(&[
        "workshop",
        "new",
        "--db",
        s(&store),
        "--questionnaire",
        "comune",
    ]);
    assert!(err.contains("this is the assessments database"), "{err}");
    fails(&["workshop", "list", "--db", s(&store)]);
    assert_eq!(std::fs::read(&store).unwrap(), before);
    // And the assessments database does not open a sessions file.
    let ws = dir.path().join("workshop.sqlite");
    ok(&[
        "workshop",
        "new",
        "--db",
        s(&ws),
        "--questionnaire",
        "sportello-polis",
    ]);
    assert!(sentinella::store::Store::open(&ws).is_err());
}
