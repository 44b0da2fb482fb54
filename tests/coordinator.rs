//! The coordinator database: bad files change nothing, importing twice
//! changes nothing, newer assessments become current, other keys are held
//! back until accepted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chrono::{NaiveDate, TimeZone, Utc};

use sentinella::coordinator::{Acceptance, CoordinatorDb, CoordinatorError, Outcome, Rules};
use sentinella::exchange::{self, ExportOptions};
use sentinella::keys::KeyPair;
use sentinella::load::Catalog;
use sentinella::scoring;

fn result(code: &str, date: &str, hour: u32, seed: u8, weekly: &str) -> Vec<u8> {
    let mut loaded = common::answers("tests/fixtures/answers/example1.answers.json");
    loaded.sheet.organization.istat_code = code.into();
    loaded.sheet.assessed_on = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    loaded
        .sheet
        .answers
        .get_mut("backup_weekly")
        .unwrap()
        .option = weekly.into();
    let score = scoring::score(&loaded.questionnaire.questionnaire, &loaded.sheet);
    let opts = ExportOptions {
        with_notes: false,
        app_version: "0.1.0".into(),
        // Exported four days after the assessment (a plausible date).
        exported_at: (loaded.sheet.assessed_on + chrono::Duration::days(4))
            .and_hms_opt(hour, 0, 0)
            .unwrap()
            .and_utc(),
        assessment_id: None,
    };
    exchange::seal(
        &exchange::build_payload(&loaded, &score, &opts),
        &KeyPair::from_seed([seed; 32]),
    )
    .unwrap()
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 6, 1, 8, 0, 0).unwrap()
}

struct Fixture {
    _dir: tempfile::TempDir,
    db: CoordinatorDb,
    catalog: Catalog,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = CoordinatorDb::open(&dir.path().join("coord.db")).unwrap();
    Fixture {
        _dir: dir,
        db,
        catalog: common::catalog(),
    }
}

impl Fixture {
    fn import(&mut self, name: &str, bytes: &[u8]) -> Outcome {
        self.import_accepting(name, bytes, &[])
    }

    /// `accept`: `CODE:KIND:FINGERPRINT`.
    fn import_accepting(&mut self, name: &str, bytes: &[u8], accept: &[&str]) -> Outcome {
        let accept: BTreeSet<Acceptance> = accept.iter().map(|k| k.parse().unwrap()).collect();
        self.db
            .import(name, bytes, &self.catalog, &accept, now())
            .unwrap()
            .outcome
    }
}

#[test]
fn every_bad_file_is_refused_and_changes_nothing() {
    let mut f = fixture();
    let good = result("056044", "2026-11-20", 10, 1, "l3");
    assert_eq!(f.import("good.json", &good), Outcome::New);
    let before = f.db.dump().unwrap();

    let mut tampered: serde_json::Value = serde_json::from_slice(&good).unwrap();
    let payload = String::from_utf8(B64.decode(tampered["payload"].as_str().unwrap()).unwrap())
        .unwrap()
        .replacen("\"l3\"", "\"l0\"", 1);
    tampered["payload"] = B64.encode(payload).into();
    let mut unknown: serde_json::Value = serde_json::from_slice(&good).unwrap();
    unknown["note"] = "x".into();
    let mut wrong: serde_json::Value = serde_json::from_slice(&good).unwrap();
    wrong["format"] = "sentinella-answers/1".into();
    let mut future: serde_json::Value = serde_json::from_slice(&good).unwrap();
    future["format"] = "sentinella-result/3".into();
    let mut invalid_utf8 = good.clone();
    invalid_utf8[3] = 0xC0;
    let cases: Vec<(&str, Vec<u8>, Outcome, &str)> = vec![
        (
            "tampered",
            serde_json::to_vec(&tampered).unwrap(),
            Outcome::Rejected,
            "tampered",
        ),
        (
            "other key",
            result("056044", "2026-11-22", 10, 2, "l2"),
            Outcome::HeldBack,
            "other_key",
        ),
        (
            "unknown fields",
            serde_json::to_vec(&unknown).unwrap(),
            Outcome::Rejected,
            "unknown_field",
        ),
        (
            "truncated",
            good[..good.len() / 3].to_vec(),
            Outcome::Rejected,
            "truncated",
        ),
        ("empty", Vec::new(), Outcome::Rejected, "empty"),
        (
            "huge",
            vec![b' '; exchange::MAX_RESULT_BYTES as usize + 10],
            Outcome::Rejected,
            "too_large",
        ),
        (
            "deeply nested",
            format!("{}{}", "{\"a\":".repeat(5000), "}".repeat(5000)).into_bytes(),
            Outcome::Rejected,
            "too_deep",
        ),
        (
            "invalid UTF-8",
            invalid_utf8,
            Outcome::Rejected,
            "invalid_utf8",
        ),
        (
            "wrong format tag",
            serde_json::to_vec(&wrong).unwrap(),
            Outcome::Rejected,
            "wrong_format",
        ),
        (
            "future version",
            serde_json::to_vec(&future).unwrap(),
            Outcome::Rejected,
            "future_version",
        ),
    ];
    for (what, bytes, expected, kind) in cases {
        let accept = BTreeSet::new();
        let report =
            f.db.import(what, &bytes, &f.catalog, &accept, now())
                .unwrap();
        assert_eq!(report.outcome, expected, "{what}: {:?}", report.message);
        assert_eq!(report.kind, Some(kind), "{what}");
        assert!(
            report.message.as_deref().is_some_and(|m| m.len() > 10),
            "{what}: {:?}",
            report.message
        );
        assert_eq!(f.db.dump().unwrap(), before, "{what} changed the database");
    }
}

#[test]
fn importing_the_same_files_twice_gives_the_same_database() {
    let mut f = fixture();
    let files: Vec<Vec<u8>> = ["056044", "056001", "056002", "057044"]
        .iter()
        .enumerate()
        .map(|(i, c)| result(c, "2026-11-20", 10, i as u8 + 1, "l2"))
        .collect();
    for (i, b) in files.iter().enumerate() {
        assert_eq!(f.import(&format!("{i}.json"), b), Outcome::New);
    }
    let once = f.db.dump().unwrap();
    for (i, b) in files.iter().enumerate() {
        assert_eq!(f.import(&format!("{i}.json"), b), Outcome::Unchanged);
    }
    assert_eq!(f.db.dump().unwrap(), once);
    let counts = f.db.counts().unwrap();
    assert_eq!((counts.keys, counts.results, counts.current), (4, 4, 4));
}

#[test]
fn newer_assessments_become_current_and_older_stay_in_history() {
    let mut f = fixture();
    let y2025 = result("056044", "2025-11-20", 10, 1, "l0");
    let y2026 = result("056044", "2026-11-20", 10, 1, "l3");
    let y2026_reexport = result("056044", "2026-11-20", 15, 1, "l2");
    assert_eq!(f.import("2026.json", &y2026), Outcome::New);
    assert_eq!(f.import("2025.json", &y2025), Outcome::History);
    // A later export of the same assessment (same id) replaces it...
    assert_eq!(f.import("2026b.json", &y2026_reexport), Outcome::Updated);
    // ...and an earlier export of it is not taken back.
    assert_eq!(f.import("2026.json", &y2026), Outcome::Unchanged);
    let counts = f.db.counts().unwrap();
    assert_eq!((counts.results, counts.current), (2, 1));
    let current = f.db.current_results().unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].source, "2026b.json");
    assert_eq!(current[0].file, y2026_reexport);
    // A newer assessment than the current one replaces it.
    let y2027 = result("056044", "2027-03-01", 9, 1, "l3");
    assert_eq!(f.import("2027.json", &y2027), Outcome::Replaced);
    assert_eq!(f.db.current_results().unwrap()[0].source, "2027.json");
    assert_eq!(f.db.counts().unwrap().results, 3);
}

#[test]
fn another_key_is_held_back_until_accepted() {
    let mut f = fixture();
    let first = result("056044", "2026-11-20", 10, 1, "l3");
    assert_eq!(f.import("first.json", &first), Outcome::New);
    let newcomer = result("056044", "2027-01-10", 10, 2, "l1");
    let before = f.db.dump().unwrap();
    assert_eq!(f.import("new.json", &newcomer), Outcome::HeldBack);
    assert_eq!(f.db.dump().unwrap(), before);
    // The held-back report names both fingerprints.
    let accept = BTreeSet::new();
    let report =
        f.db.import("new.json", &newcomer, &f.catalog, &accept, now())
            .unwrap();
    let new_fpr = KeyPair::from_seed([2; 32]).fingerprint();
    let old_fpr = KeyPair::from_seed([1; 32]).fingerprint();
    assert_eq!(report.signer.as_deref(), Some(new_fpr.as_str()));
    assert_eq!(report.expected_signer.as_deref(), Some(old_fpr.as_str()));
    let msg = report.message.unwrap();
    assert!(msg.contains(&new_fpr) && msg.contains(&old_fpr), "{msg}");
    // Accepting another fingerprint, or this one for another comune or
    // kind, does not help; the right one does.
    let other = KeyPair::from_seed([3; 32]).fingerprint();
    for wrong in [
        format!("056044:comune:{other}"),
        format!("056001:comune:{new_fpr}"),
        format!("056044:polis_office:{new_fpr}"),
    ] {
        assert_eq!(
            f.import_accepting("new.json", &newcomer, &[&wrong]),
            Outcome::HeldBack,
            "{wrong}"
        );
    }
    assert_eq!(
        f.import_accepting(
            "new.json",
            &newcomer,
            &[&format!("056044:comune:{}", new_fpr.to_lowercase())]
        ),
        Outcome::Replaced
    );
    // From now on the old key is the stranger.
    let late_old = result("056044", "2027-02-01", 10, 1, "l3");
    assert_eq!(f.import("late.json", &late_old), Outcome::HeldBack);
    let keys = f.db.keys().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].istat_code, "056044");
    assert_eq!(keys[0].fingerprint, new_fpr);
    assert!(!keys[0].organization.is_empty());
}

#[test]
fn a_folder_is_collected_with_progress_and_read_back_verified() {
    let mut f = fixture();
    let inbox = f._dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let codes = ["056044", "056001", "056002", "057044", "056003"];
    let mut files = Vec::new();
    for (i, c) in codes.iter().enumerate() {
        files.push(common::write(
            &inbox,
            &format!("{c}.json"),
            result(c, "2026-11-20", 10, i as u8 + 1, "l2"),
        ));
    }
    files.push(common::write(&inbox, "zz-broken.json", "{"));
    let mut seen = Vec::new();
    let reports = sentinella::coordinator::collect_files(
        &mut f.db,
        &files,
        &f.catalog,
        &BTreeSet::new(),
        2,
        |p| seen.push(p),
    )
    .unwrap();
    assert_eq!(reports.len(), 6);
    assert_eq!(reports[5].outcome, Outcome::Rejected);
    assert!(reports[..5].iter().all(|r| r.outcome == Outcome::New));
    // One batch here: progress ends at the total.
    assert_eq!(seen.last().map(|p| (p.done, p.total)), Some((6, 6)));
    // What aggregation reads back is verified again, scores recomputed.
    let (records, bad) = f.db.current_records(&f.catalog, 2).unwrap();
    assert!(bad.is_empty());
    assert_eq!(records.len(), 5);
    let expected = scoring::score(
        &records[0].questionnaire,
        &exchange::verify_bytes(&std::fs::read(&files[1]).unwrap(), &f.catalog, None)
            .unwrap()
            .sheet,
    );
    assert_eq!(records[0].istat_code, "056001");
    assert_eq!(records[0].overall, expected.overall);
}

#[test]
fn only_coordinator_databases_are_opened() {
    let dir = tempfile::tempdir().unwrap();
    let text = common::write(dir.path(), "notes.txt", "hello, this is not a database at all, just text that is long enough to have a header of a hundred bytes........");
    let e = CoordinatorDb::open(&text).unwrap_err();
    assert!(matches!(e, CoordinatorError::NotCoordinator { .. }), "{e}");
    assert!(e.to_string().contains("left untouched"), "{e}");
    assert!(std::fs::read_to_string(&text).unwrap().starts_with("hello"));
    // A comune's assessment database is named as such.
    let store_db = dir.path().join("comune.db");
    drop(sentinella::store::Store::open(&store_db).unwrap());
    let e = CoordinatorDb::open(&store_db).unwrap_err();
    assert!(e.to_string().contains("assessment database"), "{e}");
    // A new database is private.
    let path = dir.path().join("new.db");
    drop(CoordinatorDb::open(&path).unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Reopening works and keeps the content.
    let db = CoordinatorDb::open(&path).unwrap();
    assert_eq!(db.counts().unwrap().results, 0);
}

#[test]
fn a_batch_imports_each_file_on_its_own() {
    use sentinella::coordinator::Incoming;
    let mut f = fixture();
    let files = vec![
        ("a.json", result("056044", "2026-11-20", 10, 1, "l3")),
        ("b.json", b"{\"format\": 1}".to_vec()),
        ("c.json", result("056044", "2027-01-20", 10, 1, "l2")),
        ("d.json", result("056044", "2027-02-20", 10, 9, "l2")),
        ("e.json", result("056001", "2026-11-20", 10, 2, "l1")),
    ];
    let incoming = files
        .iter()
        .map(|(name, bytes)| Incoming {
            source: name.to_string(),
            bytes: bytes.clone(),
            verified: exchange::verify_bytes_at(bytes, &f.catalog, None, now()),
        })
        .collect();
    let rules = Rules {
        accept: &BTreeSet::new(),
        contested: &BTreeSet::new(),
    };
    let reports = f.db.import_batch(incoming, &rules, now()).unwrap();
    let outcomes: Vec<Outcome> = reports.iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::New,
            Outcome::Rejected,
            Outcome::Replaced,
            Outcome::HeldBack,
            Outcome::New
        ]
    );
    let counts = f.db.counts().unwrap();
    assert_eq!((counts.keys, counts.results, counts.current), (2, 3, 2));
    // The same batch again, one file at a time: nothing changes.
    let before = f.db.dump().unwrap();
    for (name, bytes) in &files {
        f.import(name, bytes);
    }
    assert_eq!(f.db.dump().unwrap(), before);
}
