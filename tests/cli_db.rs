//! The `sentinella db ...` commands and `score`/`plan --db`, run as a real
//! process on real files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod store_common;

use std::path::Path;
use std::process::{Command, Output};

use store_common::fixtures;

fn run(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_sentinella"))
        .arg("--questionnaires")
        .arg(fixtures().join("questionnaires"))
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    out
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn bad(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?} should exit 2");
    String::from_utf8(out.stderr).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn import_list_export_score_plan() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let example = fixtures().join("answers/example1.answers.json");
    let out = ok(&["db", "import", s(&example), "--db", s(&db)]);
    assert!(out.contains("as assessment 1"), "{out}");
    ok(&[
        "db",
        "import",
        s(&fixtures().join("answers/example2.answers.json")),
        "--db",
        s(&db),
        "--completed",
    ]);

    let list = ok(&["db", "list", "--db", s(&db)]);
    assert!(
        list.contains("Comune di Prova") && list.contains("completed"),
        "{list}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["db", "list", "--db", s(&db), "--json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);

    // score --db gives what score of the file gives.
    let from_file = ok(&["score", s(&example), "--json"]);
    let from_db = ok(&["score", "--db", s(&db), "--assessment", "1", "--json"]);
    assert_eq!(from_file, from_db);
    let plan_file = ok(&["plan", s(&example)]);
    let plan_db = ok(&["plan", "--db", s(&db), "--assessment", "1"]);
    assert_eq!(plan_file, plan_db);

    // export to stdout and to a file; the export scores like the original.
    let exported = ok(&["db", "export", "1", "--db", s(&db)]);
    let out_file = dir.path().join("out.answers.json");
    ok(&["db", "export", "1", "--db", s(&db), "--out", s(&out_file)]);
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), exported);
    assert_eq!(ok(&["score", s(&out_file), "--json"]), from_file);
}

#[test]
fn check_backup_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let example = fixtures().join("answers/example1.answers.json");
    ok(&["db", "import", s(&example), "--db", s(&db)]);
    let out = ok(&["db", "check", "--db", s(&db)]);
    assert!(out.contains("integrity: ok"), "{out}");
    assert!(out.contains("1 assessments"), "{out}");

    let out = ok(&["db", "backup", "--db", s(&db)]);
    let backup = out
        .trim()
        .strip_prefix("backup written to ")
        .unwrap()
        .to_string();
    assert!(Path::new(&backup).exists());
    ok(&["db", "import", s(&example), "--db", s(&db)]);
    assert!(ok(&["db", "check", "--db", s(&db)]).contains("2 assessments"));

    let listing = bad(&["db", "restore", "--db", s(&db)]);
    assert!(
        listing.contains("choose a backup") && listing.contains(&backup),
        "{listing}"
    );
    let out = ok(&["db", "restore", "--db", s(&db), &backup]);
    assert!(out.contains("restored"), "{out}");
    assert!(ok(&["db", "check", "--db", s(&db)]).contains("1 assessments"));
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let missing = dir.path().join("missing.db");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all").unwrap();
    let before = std::fs::read(&text).unwrap();

    for cmd in [
        vec!["db", "check", "--db", s(&text)],
        vec!["db", "list", "--db", s(&text)],
        vec!["db", "backup", "--db", s(&text)],
        vec!["db", "export", "1", "--db", s(&text)],
        vec!["score", "--db", s(&text), "--assessment", "1"],
    ] {
        let err = bad(&cmd);
        assert!(err.contains("not a Sentinella database"), "{cmd:?}: {err}");
    }
    assert_eq!(std::fs::read(&text).unwrap(), before);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing created"
    );

    assert!(bad(&["db", "list", "--db", s(&missing)]).contains("no such database file"));
    assert!(!missing.exists());
    let err = bad(&["db", "import", s(&text), "--db", s(&db)]);
    assert!(err.contains("not valid JSON"), "{err}");
    ok(&[
        "db",
        "import",
        s(&fixtures().join("answers/example1.answers.json")),
        "--db",
        s(&db),
    ]);
    assert!(bad(&["db", "export", "7", "--db", s(&db)]).contains("assessment 7 does not exist"));
    assert!(bad(&["plan", "--db", s(&db), "--assessment", "7"]).contains("does not exist"));
    let err = bad(&["db", "restore", "--db", s(&db), s(&text)]);
    assert!(err.contains("not a usable backup"), "{err}");
    bad(&["score", "--db", s(&db)]); // --assessment missing
    bad(&["score", s(&text), "--db", s(&db), "--assessment", "1"]); // both sources
}
