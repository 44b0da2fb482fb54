//! The coordinators' commands, run as a user would: export, verify, aggregate.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{sentinella, stderr, stdout, write};

const Q: &str = "tests/fixtures/questionnaires";

fn export(answers: &str, out: &Path, keys: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "export",
        "--questionnaires",
        Q,
        "--answers",
        answers,
        "--out",
        out.to_str().unwrap(),
        "--keys",
        keys.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    sentinella(&args)
}

#[test]
fn export_creates_a_private_key_once_and_a_verifiable_file() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let out = dir.path().join("result.json");
    let o = export(
        "tests/fixtures/answers/example1.answers.json",
        &out,
        &keys,
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("created a new signing key"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("signed by key"), "{}", stdout(&o));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(keys.join("sentinella-signing.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let o2 = export(
        "tests/fixtures/answers/example1.answers.json",
        &out,
        &keys,
        &[],
    );
    assert!(!stderr(&o2).contains("created a new signing key"));

    let v = sentinella(&["verify", "--questionnaires", Q, out.to_str().unwrap()]);
    assert!(v.status.success(), "{}{}", stdout(&v), stderr(&v));
    assert!(stdout(&v).contains("ok "), "{}", stdout(&v));
    assert!(stdout(&v).contains("Comune di Prova (056044)"));

    // --key: the right fingerprint passes, another is refused.
    let pub_text = std::fs::read_to_string(keys.join("sentinella-signing.pub")).unwrap();
    let fpr = pub_text.split_whitespace().last().unwrap().to_lowercase();
    let v = sentinella(&[
        "verify",
        "--questionnaires",
        Q,
        "--key",
        &fpr,
        out.to_str().unwrap(),
    ]);
    assert!(v.status.success(), "{}", stdout(&v));
    let v = sentinella(&[
        "verify",
        "--questionnaires",
        Q,
        "--key",
        "0000-0000-0000-0000",
        out.to_str().unwrap(),
    ]);
    assert_eq!(v.status.code(), Some(2));
    assert!(stdout(&v).contains("the key on record"), "{}", stdout(&v));
}

#[test]
fn verify_reports_every_bad_file_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let good = dir.path().join("good.json");
    assert!(export(
        "tests/fixtures/answers/example1.answers.json",
        &good,
        &keys,
        &[]
    )
    .status
    .success());
    let bytes = std::fs::read(&good).unwrap();
    write(dir.path(), "empty.json", b"");
    write(dir.path(), "truncated.json", &bytes[..bytes.len() / 2]);
    write(
        dir.path(),
        "answers.json",
        std::fs::read("tests/fixtures/answers/example1.answers.json").unwrap(),
    );
    let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    v["format"] = "sentinella-result/2".into();
    write(dir.path(), "future.json", serde_json::to_vec(&v).unwrap());
    let o = sentinella(&[
        "verify",
        "--questionnaires",
        Q,
        "--json",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let rows: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let kinds: Vec<(String, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let file = r["file"].as_str().unwrap();
            (
                Path::new(file)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                r["error_kind"].as_str().unwrap_or("ok").to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("answers.json", "wrong_format"),
            ("empty.json", "empty"),
            ("future.json", "future_version"),
            ("good.json", "ok"),
            ("truncated.json", "truncated"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let text = sentinella(&[
        "verify",
        "--questionnaires",
        Q,
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        stdout(&text).contains("5 file(s): 1 verified, 4 rejected"),
        "{}",
        stdout(&text)
    );
}

#[test]
fn aggregate_keeps_going_past_bad_files_and_holds_back_other_keys() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    // Two comuni with their own keys, plus a later file for the first comune
    // signed by a third key (a new installation, or an impostor).
    let comuni = [
        ("056044", "Proceno", "VT", "Lazio", 605, "k1", "2026-11-20"),
        (
            "056001",
            "Acquapendente",
            "VT",
            "Lazio",
            5575,
            "k2",
            "2026-11-20",
        ),
        ("056044", "Proceno", "VT", "Lazio", 605, "k3", "2026-11-22"),
    ];
    let template = std::fs::read_to_string("tests/fixtures/answers/example1.answers.json").unwrap();
    for (i, (code, name, prov, region, pop, key, date)) in comuni.iter().enumerate() {
        let mut v: serde_json::Value = serde_json::from_str(&template).unwrap();
        v["organization"] = serde_json::json!({
            "name": format!("Comune di {name}"), "istat_code": code, "province": prov,
            "region": region, "population": pop, "kind": "comune"
        });
        v["assessed_on"] = (*date).into();
        let answers = write(
            dir.path(),
            &format!("a{i}.json"),
            serde_json::to_vec(&v).unwrap(),
        );
        let o = export(
            answers.to_str().unwrap(),
            &inbox.join(format!("r{i}.json")),
            &dir.path().join(key),
            &[],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    write(
        &inbox,
        "zz-broken.json",
        b"{\"format\": \"sentinella-result/1\", ",
    );
    let csv = dir.path().join("comuni.csv");
    let csv_answers = dir.path().join("answers.csv");
    // Two keys claim Proceno and none is on record: the coordinator
    // confirmed the first one (k1) with the comune.
    let k1 = sentinella::keys::KeyPair::load(&dir.path().join("k1/sentinella-signing.key"))
        .unwrap()
        .fingerprint();
    let accept = format!("056044:comune:{k1}");
    let o = sentinella(&[
        "aggregate",
        "--questionnaires",
        Q,
        "--accept-key",
        &accept,
        inbox.to_str().unwrap(),
        "--province",
        "VT",
        "--min-group",
        "1",
        "--csv",
        csv.to_str().unwrap(),
        "--csv-answers",
        csv_answers.to_str().unwrap(),
    ]);
    // Figures are printed, and exit code 2 says files were left out.
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("Files: 4 read, 2 accepted (0 superseded by a newer assessment, 0 duplicates), 1 held back, 1 rejected"),
        "{out}"
    );
    assert!(out.contains("HELD BACK"), "{out}");
    assert!(
        out.contains("REJECTED") && out.contains("truncated"),
        "{out}"
    );
    assert!(out.contains("Comuni assessed: 2 of 60"), "{out}");
    assert!(out.contains("Viterbo (VT)"), "{out}");
    let rows = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(rows.lines().count(), 3, "{rows}");
    assert!(
        std::fs::read_to_string(&csv_answers)
            .unwrap()
            .lines()
            .count()
            > 3
    );

    // JSON, and small-group suppression at the default threshold.
    let o = sentinella(&[
        "aggregate",
        "--questionnaires",
        Q,
        "--json",
        "--accept-key",
        &accept,
        inbox.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["import"]["accepted"], 2);
    assert_eq!(v["import"]["held_back"], 1);
    assert_eq!(v["rejected"][0]["kind"], "truncated");
    let report = &v["reports"][0];
    assert_eq!(report["scope"]["kind"], "italy");
    assert_eq!(report["total"]["assessed"], 2);
    assert_eq!(report["total"]["suppressed"], true);
    assert!(report["total"].get("figures").is_none());
    assert_eq!(report["missing"].as_array().unwrap().len(), 7895 - 2);
}

#[test]
fn aggregate_names_unknown_areas() {
    let o = sentinella(&[
        "aggregate",
        "--questionnaires",
        Q,
        ".",
        "--region",
        "Atlantide",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a region of the ISTAT list"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("Lazio"), "{}", stderr(&o));
    let o = sentinella(&["aggregate", "--questionnaires", Q, ".", "--province", "XX"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a province"), "{}", stderr(&o));
}

#[test]
fn export_from_the_store_then_collect_and_aggregate_from_the_coordinator_db() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("comune.db");
    let db_s = db.to_str().unwrap();
    let o = sentinella(&[
        "db",
        "import",
        "--questionnaires",
        Q,
        "--db",
        db_s,
        "--completed",
        "tests/fixtures/answers/example2.answers.json",
    ]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let keys = dir.path().join("keys");
    let out = inbox.join("proceno.json");
    let export = |out: &Path| {
        sentinella(&[
            "export",
            "--questionnaires",
            Q,
            "--db",
            db_s,
            "--assessment",
            "1",
            "--out",
            out.to_str().unwrap(),
            "--keys",
            keys.to_str().unwrap(),
        ])
    };
    let o = export(&out);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    // Re-exporting the same assessment keeps its id: collected once.
    let o = export(&inbox.join("proceno-again.json"));
    assert!(o.status.success());
    let a: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(a["format"], "sentinella-result/1");
    write(&inbox, "broken.json", b"{");

    let coord = dir.path().join("coord.db");
    let coord_s = coord.to_str().unwrap();
    let o = sentinella(&[
        "collect",
        "--questionnaires",
        Q,
        "--db",
        coord_s,
        inbox.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a rejected file is reported with exit code 2"
    );
    let text = stdout(&o);
    assert!(text.contains("NEW") && text.contains("REJECTED"), "{text}");
    // proceno-again.json (the later export) sorts first; proceno.json is an
    // earlier export of the same assessment.
    assert!(
        text.contains("3 file(s): 1 new, 1 rejected, 1 unchanged"),
        "{text}"
    );
    assert!(text.contains("1 results stored, 1 current"), "{text}");

    // Again, as JSON: nothing new.
    let o = sentinella(&[
        "collect",
        "--questionnaires",
        Q,
        "--db",
        coord_s,
        "--json",
        inbox.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["counts"]["unchanged"], 2);
    assert_eq!(v["counts"]["rejected"], 1);
    assert_eq!(v["stored"]["results"], 1);

    let o = sentinella(&[
        "aggregate",
        "--questionnaires",
        Q,
        "--db",
        coord_s,
        "--province",
        "VT",
        "--min-group",
        "1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Comuni assessed: 1 of 60"),
        "{}",
        stdout(&o)
    );
    // The key on record, with its fingerprint.
    let o = sentinella(&["keys", "--db", coord_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    let verified: serde_json::Value = serde_json::from_str(&stdout(&sentinella(&[
        "verify",
        "--questionnaires",
        Q,
        "--json",
        out.to_str().unwrap(),
    ])))
    .unwrap();
    let fingerprint = verified[0]["fingerprint"].as_str().unwrap().to_string();
    assert!(
        stdout(&o).contains(&fingerprint) && stdout(&o).contains("1 key(s) on record"),
        "{}",
        stdout(&o)
    );
    // A comune's database is not a coordinator database.
    let o = sentinella(&["aggregate", "--questionnaires", Q, "--db", db_s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("assessment database"), "{}", stderr(&o));
    let o = sentinella(&["verify", "--questionnaires", Q, "--db", db_s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("assessment database"), "{}", stderr(&o));

    // The explicit check of the archive: every stored current result
    // verified again from its bytes.
    let verify_db = || sentinella(&["verify", "--questionnaires", Q, "--db", coord_s]);
    let o = verify_db();
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("1 stored current result(s): 1 verified, 0 no longer verify"),
        "{}",
        stdout(&o)
    );
    // One character of the stored payload changed behind the app's back.
    let conn = rusqlite::Connection::open(&coord).unwrap();
    let mut file: Vec<u8> = conn
        .query_row("SELECT file FROM results WHERE current = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let at = file.windows(9).position(|w| w == b"\"payload\"").unwrap() + 40;
    file[at] = if file[at] == b'A' { b'B' } else { b'A' };
    conn.execute("UPDATE results SET file = ?1 WHERE current = 1", [&file])
        .unwrap();
    drop(conn);
    let o = verify_db();
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("REJECTED") && stdout(&o).contains("0 verified, 1 no longer verify"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn collect_refuses_a_100_mb_file_without_touching_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let f = std::fs::File::create(inbox.join("huge.json")).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    let coord = dir.path().join("coord.db");
    let o = sentinella(&[
        "collect",
        "--questionnaires",
        Q,
        "--db",
        coord.to_str().unwrap(),
        inbox.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("REJECTED"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("too large (104857600 bytes"),
        "{}",
        stdout(&o)
    );
    let db = sentinella::coordinator::CoordinatorDb::open(&coord).unwrap();
    assert_eq!(db.counts().unwrap(), Default::default());
}
