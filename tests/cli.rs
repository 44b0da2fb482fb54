//! The `sentinella` binary, run as a user would: good input gives the
//! documented output; bad input gives a message naming the problem and exit
//! code 2, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{sentinella, stderr, stdout, write};

const FIXTURES: &str = "tests/fixtures/questionnaires";

fn assert_bad_input(out: &std::process::Output, needles: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "exit code; stderr: {err}");
    assert!(!err.contains("panicked"), "panic: {err}");
    for n in needles {
        assert!(err.contains(n), "stderr lacks {n:?}: {err}");
    }
}

#[test]
fn validate_accepts_the_shipped_questionnaires_and_the_fixture() {
    let out = sentinella(&["validate", "questionnaires", FIXTURES]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("ok    tests/fixtures/questionnaires/mini.json"));
}

#[test]
fn validate_names_file_path_and_problem() {
    let dir = tempfile::tempdir().unwrap();
    let mut q: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join(FIXTURES).join("mini.json")).unwrap(),
    )
    .unwrap();
    q["domains"][0]["questions"][1]["weight"] = 5.into();
    q["domains"][1]["questions"][0]["mappings"]["absc"][0] = "ABSC 99.1.1".into();
    q["domains"][1]["questions"][1]["applies_if"]["answer_in"]["question"] = "ctx_nope".into();
    let opts = q["domains"][0]["questions"][0]["options"]
        .as_array_mut()
        .unwrap();
    opts.retain(|o| o["kind"] != "unknown");
    let f = write(dir.path(), "bad.json", serde_json::to_string(&q).unwrap());
    let out = sentinella(&["validate", f.to_str().unwrap()]);
    assert_bad_input(
        &out,
        &[
            "bad.json",
            "$.domains[0].questions[1].weight: weight 5 is out of range 1-3",
            "$.domains[0].questions[0].options: needs exactly one option of kind \"unknown\"",
            "$.domains[1].questions[0].mappings.absc[0]: \"ABSC 99.1.1\" is not an ABSC control",
            "$.domains[1].questions[1].applies_if.answer_in.question: \"ctx_nope\" is not a context question",
        ],
    );
}

#[test]
fn validate_reports_syntax_and_shape_errors_with_their_path() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "syntax.json",
        "{\"format\": \"sentinella-questionnaire/1\", ",
    );
    assert_bad_input(
        &sentinella(&["validate", f.to_str().unwrap()]),
        &["syntax.json", "not valid JSON"],
    );

    let mut q: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join(FIXTURES).join("mini.json")).unwrap(),
    )
    .unwrap();
    q["domains"][1]["questions"][0]["colour"] = "blue".into();
    let f = write(dir.path(), "shape.json", serde_json::to_string(&q).unwrap());
    assert_bad_input(
        &sentinella(&["validate", f.to_str().unwrap()]),
        &[
            "shape.json",
            "$.domains[1].questions[0]",
            "unknown field `colour`",
        ],
    );

    q["format"] = "sentinella-questionnaire/9".into();
    let f = write(
        dir.path(),
        "future.json",
        serde_json::to_string(&q).unwrap(),
    );
    assert_bad_input(
        &sentinella(&["validate", f.to_str().unwrap()]),
        &["future.json", "$.format", "not supported by this version"],
    );
}

#[test]
fn hostile_files_are_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let huge = write(dir.path(), "huge.json", vec![b' '; 5 * 1024 * 1024]);
    assert_bad_input(
        &sentinella(&["validate", huge.to_str().unwrap()]),
        &["huge.json", "bytes allowed"],
    );
    let nested = write(dir.path(), "nested.json", "[".repeat(100_000));
    assert_bad_input(
        &sentinella(&["validate", nested.to_str().unwrap()]),
        &["nested.json", "not valid JSON"],
    );
    let binary = write(dir.path(), "binary.json", [0xff, 0xfe, 0x00, 0x41]);
    assert_bad_input(
        &sentinella(&["validate", binary.to_str().unwrap()]),
        &["binary.json", "not valid UTF-8"],
    );
    let empty = write(dir.path(), "empty.json", "");
    assert_bad_input(
        &sentinella(&["score", empty.to_str().unwrap()]),
        &["empty.json", "not valid JSON"],
    );
    assert_bad_input(
        &sentinella(&["score", "/nonexistent/answers.json"]),
        &["cannot read"],
    );
}

#[test]
fn score_json_has_the_documented_shape() {
    let out = sentinella(&[
        "--questionnaires",
        FIXTURES,
        "score",
        "tests/fixtures/answers/example2.answers.json",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["overall"], 56.7);
    assert_eq!(v["tier"], "developing");
    assert_eq!(v["baseline"]["met"], false);
    assert_eq!(
        v["baseline"]["failed"],
        serde_json::json!(["backup_offline", "server_admin"])
    );
    assert_eq!(v["domains"][0]["id"], "backup");
    assert_eq!(v["domains"][0]["title"], "Copie di sicurezza");
    assert_eq!(v["domains"][0]["score"], 40.0);
    assert_eq!(v["unknown"], serde_json::json!(["backup_offline"]));
    assert_eq!(
        v["questionnaire"]["content_hash"].as_str().unwrap().len(),
        64
    );
}

/// The essential gates (questionnaire 2.0.0 on) are in `score`'s output
/// beside the ABSC level-M ones: a script reading `--json` sees why a tier
/// is capped.
#[test]
fn score_names_the_failed_essential_gates() {
    let file = "tests/fixtures/demo-2.0.0/comune-average-piancastagnaio.answers.json";
    let out = sentinella(&["score", file, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["tier"], "developing");
    assert_eq!(v["essential"]["met"], false);
    let failed = v["essential"]["failed"].as_array().unwrap();
    assert!(failed.contains(&"acc_mfa".into()), "{failed:?}");
    assert!(failed.contains(&"bkp_restore_test".into()), "{failed:?}");
    assert_eq!(
        failed.len() + v["essential"]["passed"].as_u64().unwrap() as usize,
        9,
        "comune 2.0.0 has nine essential gates"
    );

    let text = stdout(&sentinella(&["score", file]));
    assert!(
        text.contains(&format!(
            "essential gates NOT met ({} failed)",
            failed.len()
        )),
        "{text}"
    );
    assert!(text.contains("Failed essential gates: "), "{text}");
    // Questionnaire 1.0.0 has no essential gate: said so, not "met".
    let old = "tests/fixtures/demo-1.0.0/comune-average-piancastagnaio.answers.json";
    let text = stdout(&sentinella(&["score", old]));
    assert!(
        text.contains("essential gates none in this questionnaire"),
        "{text}"
    );
}

#[test]
fn bad_answers_are_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let good: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::root().join("tests/fixtures/answers/example1.answers.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let run = |name: &str, v: &serde_json::Value| {
        let f = write(dir.path(), name, serde_json::to_string(v).unwrap());
        sentinella(&["--questionnaires", FIXTURES, "score", f.to_str().unwrap()])
    };

    let mut v = good.clone();
    v["answers"]["no_such_question"] = serde_json::json!({"option": "l1"});
    assert_bad_input(
        &run("q.json", &v),
        &[
            "$.answers.no_such_question",
            "is not a question of mini 1.0.0",
        ],
    );

    let mut v = good.clone();
    v["answers"]["backup_weekly"]["option"] = "l9".into();
    assert_bad_input(
        &run("o.json", &v),
        &["$.answers.backup_weekly.option", "\"l9\" is not an option"],
    );

    let mut v = good.clone();
    v["context"]["ctx_servers"] = "maybe".into();
    assert_bad_input(&run("c.json", &v), &["$.context.ctx_servers"]);

    let mut v = good.clone();
    v["questionnaire"]["version"] = "7.0.0".into();
    assert_bad_input(
        &run("v.json", &v),
        &["questionnaire mini version 7.0.0 is not available"],
    );

    let mut v = good.clone();
    v["format"] = "sentinella-answers/2".into();
    assert_bad_input(
        &run("f.json", &v),
        &["$.format", "not supported by this version"],
    );

    let mut v = good.clone();
    v["organization"]["istat_code"] = "12ab".into();
    assert_bad_input(&run("i.json", &v), &["$.organization.istat_code"]);

    let mut v = good;
    v["assessed_on"] = "2026-13-45".into();
    assert_bad_input(&run("d.json", &v), &["$.assessed_on"]);
}

#[test]
fn plan_prints_ordered_actions() {
    let out = sentinella(&[
        "--questionnaires",
        FIXTURES,
        "plan",
        "tests/fixtures/answers/example2.answers.json",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let order: Vec<&str> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["question_id"].as_str().unwrap())
        .collect();
    // docs/scoring.md, example 2: the weekly backup is the offline copy's
    // prerequisite, so it comes first within 30 days.
    assert_eq!(order, ["backup_weekly", "backup_offline", "server_admin"]);
    assert_eq!(v["actions"][0]["owner"], "it_supplier");
    assert_eq!(v["supplier_questions"].as_array().unwrap().len(), 1);
}

#[test]
fn questionnaires_lists_what_is_available() {
    let out = sentinella(&["--questionnaires", FIXTURES, "questionnaires", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mini = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "mini")
        .unwrap();
    assert_eq!(mini["version"], "1.0.0");
    assert_eq!(mini["questions"], 5);
}

#[test]
fn demo_writes_examples_that_score() {
    let dir = tempfile::tempdir().unwrap();
    let out = sentinella(&[
        "--questionnaires",
        FIXTURES,
        "demo",
        "--out",
        dir.path().to_str().unwrap(),
        "--date",
        "2026-11-20",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files = sentinella::load::json_files(dir.path()).unwrap();
    let answers: Vec<_> = files
        .iter()
        .filter(|f| f.to_string_lossy().ends_with(".answers.json"))
        .collect();
    assert!(answers.len() >= 3, "{answers:?}");
    let mut by_questionnaire: std::collections::BTreeMap<String, Vec<(String, f64)>> =
        Default::default();
    for f in answers {
        let out = sentinella(&[
            "--questionnaires",
            FIXTURES,
            "score",
            f.to_str().unwrap(),
            "--json",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for key in ["overall", "tier", "baseline", "domains", "unknown"] {
            assert!(v.get(key).is_some(), "score lacks {key}");
        }
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        by_questionnaire
            .entry(v["questionnaire"]["id"].as_str().unwrap().to_string())
            .or_default()
            .push((name, v["overall"].as_f64().unwrap()));
    }
    // The stories hold: struggling < average < well-run.
    for (id, rows) in by_questionnaire {
        let get = |p: &str| {
            rows.iter()
                .find(|(n, _)| n.contains(&format!("-{p}-")))
                .map(|r| r.1)
                .unwrap()
        };
        let (s, a, w) = (get("struggling"), get("average"), get("well-run"));
        assert!(
            s < a && a < w,
            "{id}: struggling {s}, average {a}, well-run {w}"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let out = sentinella(&["score"]);
    assert_eq!(out.status.code(), Some(2));
    let out = sentinella(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Run `sentinella args` with its standard output closed before it writes
/// anything, as `sentinella … | head -1` does once `head` has its line.
fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_sentinella"))
        .args(args)
        .current_dir(common::root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The only reader goes away: every write of the child gets EPIPE.
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let plan = "tests/fixtures/answers/example1.answers.json";
    for args in [
        vec!["plan", "--questionnaires", FIXTURES, plan],
        vec!["plan", "--questionnaires", FIXTURES, "--json", plan],
        vec!["score", "--questionnaires", FIXTURES, plan],
        vec!["questionnaires"],
        vec!["verify", "--questionnaires", FIXTURES, plan],
    ] {
        let out = with_closed_stdout(&args);
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        let expected = if args[0] == "verify" { 2 } else { 0 };
        assert_eq!(out.status.code(), Some(expected), "{args:?}: {err}");
    }
}
