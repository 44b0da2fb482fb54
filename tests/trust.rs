//! Trust decisions under attack (issue 13): crafted files that are validly
//! signed but try to take over a comune, hide a result or outlive a key.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use sentinella::coordinator::{Acceptance, CoordinatorDb, Outcome};
use sentinella::demo::{self, Profile};
use sentinella::exchange::{self, ExportOptions};
use sentinella::keys::KeyPair;
use sentinella::load::{Catalog, LoadedAnswers};
use sentinella::scoring;

/// What a crafted result file says.
#[derive(Clone)]
struct Spec {
    questionnaire: &'static str,
    code: &'static str,
    assessed_on: &'static str,
    exported_at: DateTime<Utc>,
    seed: u8,
    assessment_id: Option<String>,
    name: Option<String>,
    profile: Profile,
}

fn spec(code: &'static str, assessed_on: &'static str, seed: u8) -> Spec {
    Spec {
        questionnaire: "comune",
        code,
        assessed_on,
        exported_at: Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap(),
        seed,
        assessment_id: None,
        name: None,
        profile: Profile::Average,
    }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn build(catalog: &Catalog, s: &Spec) -> Vec<u8> {
    let loaded = catalog.latest(s.questionnaire).unwrap().clone();
    let mut sheet = demo::example(&loaded.questionnaire, s.profile, day(s.assessed_on)).sheet;
    sheet.organization.istat_code = s.code.into();
    sheet.organization.province = "VT".into();
    sheet.organization.region = "Lazio".into();
    if let Some(n) = &s.name {
        sheet.organization.name = n.clone();
    }
    let loaded = LoadedAnswers {
        sheet,
        questionnaire: loaded,
    };
    let score = scoring::score(&loaded.questionnaire.questionnaire, &loaded.sheet);
    let opts = ExportOptions {
        with_notes: false,
        app_version: "0.1.0".into(),
        exported_at: s.exported_at,
        assessment_id: s.assessment_id.clone(),
    };
    exchange::seal(
        &exchange::build_payload(&loaded, &score, &opts),
        &KeyPair::from_seed([s.seed; 32]),
    )
    .unwrap()
}

fn fpr(seed: u8) -> String {
    KeyPair::from_seed([seed; 32]).fingerprint()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap()
}

struct Desk {
    _dir: tempfile::TempDir,
    db: CoordinatorDb,
    catalog: Catalog,
}

fn desk() -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let db = CoordinatorDb::open(&dir.path().join("coord.db")).unwrap();
    Desk {
        _dir: dir,
        db,
        catalog: common::catalog(),
    }
}

impl Desk {
    /// `accept`: `CODE:KIND:FINGERPRINT`.
    fn import(&mut self, name: &str, s: &Spec, accept: &[&str]) -> Outcome {
        let bytes = build(&self.catalog, s);
        let accept: BTreeSet<Acceptance> = accept.iter().map(|k| k.parse().unwrap()).collect();
        self.db
            .import(name, &bytes, &self.catalog, &accept, now())
            .unwrap()
            .outcome
    }

    /// (source, fingerprint) of every current result.
    fn current(&self) -> Vec<String> {
        self.db
            .current_results()
            .unwrap()
            .into_iter()
            .map(|r| r.source)
            .collect()
    }
}

/// Class 1: accepting a key for comune A does not hand comune B over to it.
#[test]
fn accepting_a_key_binds_only_the_comune_it_names() {
    let mut d = desk();
    assert_eq!(
        d.import("a1.json", &spec("056001", "2026-11-01", 1), &[]),
        Outcome::New
    );
    assert_eq!(
        d.import("b1.json", &spec("056002", "2026-11-01", 2), &[]),
        Outcome::New
    );
    // Comune A changed PC (key 3), confirmed by phone; an attacker holding
    // key 3 also signs a file for comune B.
    let a3 = spec("056001", "2026-11-10", 3);
    let b3 = spec("056002", "2026-11-10", 3);
    let accept_a = format!("056001:comune:{}", fpr(3));
    assert_eq!(d.import("a3.json", &a3, &[&accept_a]), Outcome::Replaced);
    assert_eq!(
        d.import("b3.json", &b3, &[&accept_a]),
        Outcome::HeldBack,
        "accepting key 3 for comune A must not accept it for comune B"
    );
    let keys = d.db.keys().unwrap();
    assert_eq!(keys[1].istat_code, "056002");
    assert_eq!(keys[1].fingerprint, fpr(2));
}

/// Class 2: after a key is replaced, the old key's results leave the
/// figures, even one dated in the future.
#[test]
fn a_replaced_key_moves_its_results_to_history() {
    let mut d = desk();
    let mut old = spec("056001", "2026-11-20", 1);
    old.exported_at = Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap();
    assert_eq!(d.import("old.json", &old, &[]), Outcome::New);
    // The comune's new PC signs an older-dated assessment (re-entered).
    let new = spec("056001", "2026-11-05", 7);
    let outcome = d.import("new.json", &new, &[&format!("056001:comune:{}", fpr(7))]);
    assert_eq!(outcome, Outcome::Replaced);
    assert_eq!(d.current(), ["new.json"]);
    assert_eq!(d.db.counts().unwrap().results, 2, "the old one is kept");
}

/// Class 2: implausible dates are refused at verification.
#[test]
fn implausible_dates_are_refused() {
    let catalog = common::catalog();
    let verify = |s: &Spec| exchange::verify_bytes(&build(&catalog, s), &catalog, None);
    // Assessed after its own export.
    let after_export = spec("056001", "2026-12-20", 1);
    let e = verify(&after_export).unwrap_err();
    assert_eq!(e.kind(), "implausible_date", "{e}");
    // Exported in the future.
    let mut future = spec("056001", "2099-01-01", 1);
    future.exported_at = Utc.with_ymd_and_hms(2099, 1, 2, 0, 0, 0).unwrap();
    assert_eq!(verify(&future).unwrap_err().kind(), "implausible_date");
    // Before Sentinella's first questionnaire existed.
    let mut ancient = spec("056001", "1999-01-01", 1);
    ancient.exported_at = Utc.with_ymd_and_hms(1999, 1, 2, 0, 0, 0).unwrap();
    assert_eq!(verify(&ancient).unwrap_err().kind(), "implausible_date");
    // A day of slack for time zones: assessed "tomorrow" in UTC terms.
    let mut late_evening = spec("056001", "2026-11-25", 1);
    late_evening.exported_at = Utc.with_ymd_and_hms(2026, 11, 24, 23, 30, 0).unwrap();
    verify(&late_evening).unwrap();
}

/// Class 4: a comune-kind file cannot hide a Polis office's result by
/// carrying its assessment id.
#[test]
fn a_comune_file_cannot_hide_a_polis_result_with_its_assessment_id() {
    let mut d = desk();
    let mut polis = spec("056001", "2026-11-01", 1);
    polis.questionnaire = "sportello-polis";
    polis.assessment_id = Some("0123456789abcdef0123456789abcdef".into());
    assert_eq!(d.import("polis.json", &polis, &[]), Outcome::New);
    let mut fake = spec("056001", "2026-11-02", 9);
    fake.assessment_id = polis.assessment_id.clone();
    fake.exported_at = Utc.with_ymd_and_hms(2026, 11, 24, 11, 0, 0).unwrap();
    assert_eq!(d.import("fake.json", &fake, &[]), Outcome::New);
    assert_eq!(d.current(), ["fake.json", "polis.json"]);
}

/// Class 5: a catalog in which one questionnaire id has two audiences is
/// refused (otherwise a Polis-kind file could replace a comune's result).
#[test]
fn one_questionnaire_id_with_two_audiences_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::root().join("questionnaires/comune.json")).unwrap();
    let twisted = text
        .replacen("\"version\": \"1.0.0\"", "\"version\": \"9.0.0\"", 1)
        .replacen(
            "\"audience\": \"comune\"",
            "\"audience\": \"polis_office\"",
            1,
        );
    assert_ne!(twisted, text);
    common::write(dir.path(), "twisted.json", twisted);
    let (mut catalog, _) = Catalog::builtin();
    let e = catalog.add_dir(dir.path()).unwrap_err();
    assert!(e.to_string().contains("audience"), "{e}");
}

/// Class 3: `aggregate <folder>` decides trust as `collect` does, not by
/// the date the signer chose: a backdated copy signed by another key does
/// not make the genuine file held back.
#[test]
fn a_backdated_copy_does_not_take_over_in_folder_mode() {
    let catalog = common::catalog();
    let dir = tempfile::tempdir().unwrap();
    let genuine = spec("056001", "2026-11-20", 1);
    let mut backdated = spec("056001", "2026-01-01", 66);
    backdated.name = Some("Comune di Attacco".into());
    common::write(dir.path(), "genuine.json", build(&catalog, &genuine));
    common::write(dir.path(), "zz-backdated.json", build(&catalog, &backdated));
    let out = common::sentinella(&["aggregate", "--json", dir.path().to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let held: Vec<&str> = json["held_back"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["file"].as_str().unwrap())
        .collect();
    // Two keys claim a comune with no key on record: neither is trusted
    // until the coordinator accepts one; above all the backdated copy is
    // never counted.
    assert!(
        held.iter().any(|f| f.ends_with("zz-backdated.json")),
        "the backdated copy was trusted: {held:?}"
    );
    assert_eq!(json["reports"].as_array().map_or(0, Vec::len), 0, "{json}");
}

/// Class 6: control and bidi characters in any text field are refused at
/// verification.
#[test]
fn control_and_bidi_characters_in_names_are_refused() {
    let catalog = common::catalog();
    for name in [
        "Comune di Prova\u{1b}[2J\u{1b}[H056002  FAKE-FPR",
        "Comune di \u{202E}avorP",
        "Comune di Prova\u{85}",
    ] {
        let mut s = spec("056001", "2026-11-20", 1);
        s.name = Some(name.into());
        let e = exchange::verify_bytes(&build(&catalog, &s), &catalog, None).unwrap_err();
        assert_eq!(e.kind(), "invalid_answers", "{name:?}: {e}");
    }
}

/// Class 6: whatever reaches the terminal is escaped (here a hostile file
/// name, which no validation can refuse).
#[test]
fn cli_output_escapes_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "evil\u{1b}]0;pwned\u{7}\u{1b}[2J.json", "{}");
    let db = dir.path().join("c.db");
    let out = common::sentinella(&[
        "collect",
        dir.path().to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    let text = common::stdout(&out) + &common::stderr(&out);
    assert!(text.contains("evil"), "{text}");
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "raw control characters in the output: {text:?}"
    );
}

/// Class 6: JSON output escapes bidirectional characters too, and stays
/// valid JSON that gives the real name back.
#[test]
fn json_output_escapes_bidi_characters_and_stays_valid() {
    let dir = tempfile::tempdir().unwrap();
    let name = "a\u{202E}nosj.json";
    common::write(dir.path(), name, "{}");
    let out = common::sentinella(&["verify", "--json", dir.path().to_str().unwrap()]);
    let text = common::stdout(&out);
    assert!(!text.contains('\u{202E}'), "{text:?}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(json[0]["file"].as_str().unwrap().ends_with(name), "{json}");
}

/// Class 7: a cell is safe whatever separator the spreadsheet splits on,
/// and after leading look-alike spaces.
#[test]
fn csv_cells_are_safe_for_any_separator() {
    use sentinella::aggregate::table::safe_cell;
    for cell in [
        "x;=cmd|' /C calc'!A0",
        "x,+1+1",
        "x\t@SUM(A1)",
        "x|-2+3",
        "\u{a0}=1+1",
        "\u{2003}\u{200b}=HYPERLINK(\"http://x\")",
        "x; -1",
    ] {
        let safe = safe_cell(cell);
        for part in safe.split([';', ',', '\t', '|']) {
            let trimmed = part.trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}')
            });
            assert!(
                !trimmed.starts_with(['=', '+', '-', '@']),
                "{cell:?} -> {safe:?}: a segment starts a formula"
            );
        }
    }
    // Plain text is left alone.
    assert_eq!(safe_cell("Comune di Prova"), "Comune di Prova");
    assert_eq!(safe_cell("2026-11-20"), "2026-11-20");
}

/// Class 8: an output path that is one of the inputs is refused and the
/// input is untouched.
#[test]
fn an_output_over_an_input_is_refused() {
    let catalog = common::catalog();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let file = common::write(
        dir.path(),
        "a.json",
        build(&catalog, &spec("056001", "2026-11-20", 1)),
    );
    let out = common::sentinella(&[
        "collect",
        file.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let before = std::fs::read(&db).unwrap();
    for (flag, target) in [("--csv", &db), ("--csv-answers", &db), ("--pdf", &db)] {
        let out = common::sentinella(&[
            "aggregate",
            "--db",
            db.to_str().unwrap(),
            flag,
            target.to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{flag}: {}",
            common::stdout(&out)
        );
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{flag} overwrote the database"
        );
    }
    // The same file through another name (a symbolic link) is the same file.
    #[cfg(unix)]
    {
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let before = std::fs::read(&file).unwrap();
        let out = common::sentinella(&[
            "aggregate",
            file.to_str().unwrap(),
            "--csv",
            link.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{}", common::stdout(&out));
        assert_eq!(std::fs::read(&file).unwrap(), before);
    }
}

/// Class 8: the coordinator database gets online backups like the store.
#[test]
fn the_coordinator_database_is_backed_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    drop(CoordinatorDb::open(&path).unwrap());
    let db = CoordinatorDb::open(&path).unwrap();
    let backups = sentinella::store::list_backups(&path).unwrap();
    assert_eq!(backups.len(), 1, "one daily backup: {backups:?}");
    assert_eq!(backups[0].reason, "daily");
    drop(db);
}

/// Class 9: a planted link at a temporary name never redirects a write; a
/// FIFO is not a valid output.
#[cfg(unix)]
#[test]
fn atomic_writes_ignore_planted_links_and_refuse_special_targets() {
    let dir = tempfile::tempdir().unwrap();
    let victim = common::write(dir.path(), "victim.txt", "precious");
    let out = dir.path().join("out.csv");
    // Every name the old writer could have picked for this process.
    let tmp = dir
        .path()
        .join(format!(".out.csv.{}.tmp", std::process::id()));
    std::os::unix::fs::symlink(&victim, &tmp).unwrap();
    exchange::write_atomic(&out, b"new content").unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "new content");
    let fifo = dir.path().join("fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    assert!(exchange::write_atomic(&fifo, b"x").is_err());
    use std::os::unix::fs::FileTypeExt as _;
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(exchange::write_atomic(dir.path(), b"x").is_err());
}

/// Class 9: a failed write leaves the previous file whole.
#[test]
fn a_failed_write_keeps_the_previous_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::write(dir.path(), "out.csv", "previous");
    let e = exchange::write_atomic_with(&out, |w| {
        use std::io::Write as _;
        w.write_all(b"half")?;
        Err(std::io::Error::other("disk full"))
    });
    assert!(e.is_err());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file left behind");
}

/// Class 10: a FIFO or a device is refused at once, never read.
#[cfg(unix)]
#[test]
fn non_regular_inputs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.json");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let (tx, rx) = std::sync::mpsc::channel();
    let catalog = common::catalog();
    for path in [fifo.clone(), "/dev/zero".into()] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let r = exchange::read_capped(&path)
                .map(|_| ())
                .map_err(|e| e.to_string());
            let _ = tx.send((path, r));
        });
    }
    for _ in 0..2 {
        let (path, r) = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("reading a FIFO or a device must not block");
        let e = r.unwrap_err();
        assert!(e.contains("not a regular file"), "{}: {e}", path.display());
    }
    // The questionnaire and answers readers too.
    let e =
        sentinella::load::answers_file(std::path::Path::new("/dev/zero"), &catalog).unwrap_err();
    assert!(e.to_string().contains("not a regular file"), "{e}");
}

/// Class 11: a question with more options than a result record can index
/// is refused when the questionnaire is loaded.
#[test]
fn a_question_with_too_many_options_is_refused() {
    let path = common::root().join("tests/fixtures/questionnaires/mini.json");
    let mut q: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let options = q["domains"][0]["questions"][0]["options"]
        .as_array_mut()
        .unwrap();
    for i in 0..300 {
        options.insert(
            0,
            serde_json::json!({"id": format!("x{i}"), "label": format!("Scelta {i}"), "level": 1}),
        );
    }
    let text = serde_json::to_string(&q).unwrap();
    let e = sentinella::load::questionnaire_from_str("many.json", &text).unwrap_err();
    assert!(e.to_string().contains("options"), "{e}");
}

/// Class 11: the name length cap cannot be bypassed with padding.
#[test]
fn padded_names_are_refused() {
    let catalog = common::catalog();
    let mut s = spec("056001", "2026-11-20", 1);
    s.name = Some(format!("Comune di Prova{}", " ".repeat(5000)));
    let e = exchange::verify_bytes(&build(&catalog, &s), &catalog, None).unwrap_err();
    assert_eq!(e.kind(), "invalid_answers", "{e}");
}

/// Class 11: a questionnaire loaded from a directory cannot silently
/// replace one with the same id and version but other content.
#[test]
fn a_different_copy_of_a_known_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::root().join("questionnaires/comune.json")).unwrap();
    let changed = text.replacen("\"weight\": 3", "\"weight\": 1", 1);
    assert_ne!(changed, text);
    common::write(dir.path(), "comune.json", changed);
    let (mut catalog, _) = Catalog::builtin();
    let e = catalog.add_dir(dir.path()).unwrap_err();
    let version = serde_json::from_str::<serde_json::Value>(&text).unwrap()["version"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(e.to_string().contains(&format!("comune {version}")), "{e}");
    // An identical copy is fine.
    common::write(dir.path(), "comune.json", text);
    catalog.add_dir(dir.path()).unwrap();
}

/// Class 11: `*.JSON` files are collected, and `aggregate` exits 2 when a
/// file was refused (the figures are still printed).
#[test]
fn upper_case_extensions_are_collected_and_aggregate_reports_refusals() {
    let catalog = common::catalog();
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "A.JSON",
        build(&catalog, &spec("056001", "2026-11-20", 1)),
    );
    let db = dir.path().join("c.db");
    let out = common::sentinella(&[
        "collect",
        "--json",
        dir.path().to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"], 1, "{json}");
    common::write(dir.path(), "broken.json", "{");
    // An entry that cannot be read is reported, not skipped in silence.
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("gone.json")).unwrap();
    let rejected = if cfg!(unix) {
        "2 rejected"
    } else {
        "1 rejected"
    };
    let out = common::sentinella(&["aggregate", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", common::stdout(&out));
    assert!(
        common::stdout(&out).contains(rejected),
        "{}",
        common::stdout(&out)
    );
}

/// Issue 11, point 2: `aggregate <folder>` and `collect` + `aggregate --db`
/// give the same figures and the same held-back files, on a folder with a
/// replayed older file, a file from a new key, a Polis office and a comune
/// with the same ISTAT code, and a tie on date.
#[test]
fn folder_mode_and_database_mode_agree() {
    let catalog = common::catalog();
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let at = |h| Utc.with_ymd_and_hms(2026, 11, 24, h, 0, 0).unwrap();
    let mut files: Vec<(&str, Spec)> = Vec::new();
    // 056001: a current assessment and a replayed older one.
    files.push(("a-current.json", spec("056001", "2026-11-10", 1)));
    let mut replay = spec("056001", "2026-10-01", 1);
    replay.profile = Profile::Struggling;
    replay.exported_at = at(12);
    files.push(("a-replayed.json", replay));
    // 056001 as a Polis office, another key.
    let mut polis = spec("056001", "2026-11-11", 4);
    polis.questionnaire = "sportello-polis";
    files.push(("a-polis.json", polis));
    // 056002: a first key, then a file from a new key.
    files.push(("b-first.json", spec("056002", "2026-11-01", 2)));
    let mut newkey = spec("056002", "2026-11-15", 3);
    newkey.profile = Profile::WellRun;
    files.push(("b-newkey.json", newkey));
    // 056003: two assessments on the same day, exported at the same time.
    let mut tie1 = spec("056003", "2026-11-12", 5);
    tie1.assessment_id = Some("aaaa0000000000000000000000000000".into());
    let mut tie2 = spec("056003", "2026-11-12", 5);
    tie2.assessment_id = Some("ffff0000000000000000000000000000".into());
    tie2.profile = Profile::WellRun;
    files.push(("c-tie1.json", tie1));
    files.push(("c-tie2.json", tie2));
    for (name, s) in &files {
        common::write(&inbox, name, build(&catalog, s));
    }
    let inbox_arg = inbox.to_str().unwrap();
    let run = |args: &[&str]| -> serde_json::Value {
        let out = common::sentinella(args);
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}{}", common::stdout(&out), common::stderr(&out)))
    };
    let db = dir.path().join("c.db");
    let db_arg = db.to_str().unwrap();
    let held = |v: &serde_json::Value| -> Vec<String> {
        let mut h: Vec<String> = v["held_back"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                h["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        h.sort();
        h
    };
    let comuni_assessed = |v: &serde_json::Value| {
        v["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["questionnaire"] == "comune")
            .map(|r| r["total"]["assessed"].clone())
    };

    // Two keys claim 056002 and neither is on record: both held back.
    let folder = run(&["aggregate", "--json", "--min-group", "1", inbox_arg]);
    run(&["collect", "--json", "--db", db_arg, inbox_arg]);
    let stored = run(&["aggregate", "--json", "--min-group", "1", "--db", db_arg]);
    assert_eq!(folder["reports"], stored["reports"]);
    assert_eq!(
        folder["reports"].as_array().unwrap().len(),
        2,
        "comune and Polis"
    );
    assert_eq!(comuni_assessed(&folder), Some(serde_json::json!(2)));
    assert_eq!(held(&folder), ["b-first.json", "b-newkey.json"]);

    // The coordinator confirms the new key of 056002: the same in both.
    let accept = format!("056002:comune:{}", fpr(3));
    let folder = run(&[
        "aggregate",
        "--json",
        "--min-group",
        "1",
        "--accept-key",
        &accept,
        inbox_arg,
    ]);
    run(&[
        "collect",
        "--json",
        "--db",
        db_arg,
        "--accept-key",
        &accept,
        inbox_arg,
    ]);
    let stored = run(&["aggregate", "--json", "--min-group", "1", "--db", db_arg]);
    assert_eq!(folder["reports"], stored["reports"]);
    assert_eq!(comuni_assessed(&folder), Some(serde_json::json!(3)));
    assert_eq!(held(&folder), ["b-first.json"]);
}

/// Class 4, folder mode: the comune-kind file with the Polis office's
/// assessment id does not hide the Polis result either.
#[test]
fn folder_mode_keeps_a_polis_result_beside_a_comune_file_with_its_id() {
    let catalog = common::catalog();
    let dir = tempfile::tempdir().unwrap();
    let mut polis = spec("056001", "2026-11-01", 1);
    polis.questionnaire = "sportello-polis";
    polis.assessment_id = Some("0123456789abcdef0123456789abcdef".into());
    let mut fake = spec("056001", "2026-11-02", 9);
    fake.assessment_id = polis.assessment_id.clone();
    fake.exported_at = Utc.with_ymd_and_hms(2026, 11, 24, 11, 0, 0).unwrap();
    common::write(dir.path(), "polis.json", build(&catalog, &polis));
    common::write(dir.path(), "fake.json", build(&catalog, &fake));
    let out = common::sentinella(&[
        "aggregate",
        "--json",
        "--min-group",
        "1",
        dir.path().to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let polis_report = json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["questionnaire"] == "sportello-polis");
    assert!(
        polis_report.is_some(),
        "the Polis result was hidden: {}",
        json["import"]
    );
    assert_eq!(polis_report.unwrap()["total"]["assessed"], 1);
}

/// Class 9: `db export --out` replaces the previous file atomically instead
/// of truncating it in place (where a full disk would leave it half
/// written): a hard link to the previous file still holds the old bytes.
#[cfg(unix)]
#[test]
fn db_export_never_truncates_the_previous_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("comune.db");
    let o = common::sentinella(&[
        "db",
        "import",
        "--questionnaires",
        "tests/fixtures/questionnaires",
        "--db",
        db.to_str().unwrap(),
        "tests/fixtures/answers/example2.answers.json",
    ]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let out = common::write(dir.path(), "previous.json", "previous content");
    let old_inode = dir.path().join("old-inode.json");
    std::fs::hard_link(&out, &old_inode).unwrap();
    let o = common::sentinella(&[
        "db",
        "export",
        "1",
        "--db",
        db.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("sentinella-answers/1"));
    assert_eq!(
        std::fs::read_to_string(&old_inode).unwrap(),
        "previous content",
        "the previous file was rewritten in place"
    );
}

/// A version-1 coordinator database (where a replaced key's result stayed
/// current) is backed up, migrated, and its current results recomputed:
/// only results of the key on record count.
#[test]
fn a_version_1_database_is_backed_up_and_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA application_id = 1397642307;
             CREATE TABLE keys (istat_code TEXT NOT NULL, kind TEXT NOT NULL,
                 public_key BLOB NOT NULL CHECK (length(public_key) = 32),
                 fingerprint TEXT NOT NULL, recorded_at TEXT NOT NULL,
                 PRIMARY KEY (istat_code, kind)) WITHOUT ROWID;
             CREATE TABLE results (id INTEGER PRIMARY KEY, istat_code TEXT NOT NULL,
                 kind TEXT NOT NULL, organization TEXT NOT NULL, questionnaire_id TEXT NOT NULL,
                 questionnaire_version TEXT NOT NULL, assessment_id TEXT NOT NULL,
                 assessed_on TEXT NOT NULL, exported_at_ms INTEGER NOT NULL,
                 fingerprint TEXT NOT NULL, payload_sha256 TEXT NOT NULL, file BLOB NOT NULL,
                 source TEXT NOT NULL, imported_at TEXT NOT NULL,
                 current INTEGER NOT NULL CHECK (current IN (0, 1)),
                 UNIQUE (istat_code, kind, assessment_id),
                 FOREIGN KEY (istat_code, kind) REFERENCES keys (istat_code, kind));
             CREATE UNIQUE INDEX results_one_current
                 ON results (istat_code, questionnaire_id) WHERE current = 1;
             PRAGMA user_version = 1;",
        )
        .unwrap();
        let new_key = KeyPair::from_seed([2; 32]);
        conn.execute(
            "INSERT INTO keys VALUES ('056001', 'comune', ?1, ?2, '2026-11-01T00:00:00.000Z')",
            rusqlite::params![new_key.public_key().as_bytes().to_vec(), fpr(2)],
        )
        .unwrap();
        for (id, fingerprint, day, current) in
            [(1, fpr(1), "2099-01-01", 1), (2, fpr(2), "2026-11-10", 0)]
        {
            conn.execute(
                "INSERT INTO results VALUES (?1, '056001', 'comune', 'Comune di Prova', 'comune',
                     '1.0.0', ?2, ?3, 0, ?4, 'sha', x'00', ?5, '2026-11-20T00:00:00.000Z', ?6)",
                rusqlite::params![
                    id,
                    format!("a{id}"),
                    day,
                    fingerprint,
                    format!("{id}.json"),
                    current
                ],
            )
            .unwrap();
        }
    }
    let db = CoordinatorDb::open(&path).unwrap();
    let current: Vec<String> = db
        .current_results()
        .unwrap()
        .into_iter()
        .map(|r| r.source)
        .collect();
    assert_eq!(
        current,
        ["2.json"],
        "the replaced key's future-dated result left the figures"
    );
    assert_eq!(db.counts().unwrap().results, 2, "kept in history");
    let backups = sentinella::store::list_backups(&path).unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].reason, "pre-migration-v2");
}

/// Class 10, command line: an answers file that is a FIFO is refused at
/// once (it used to block for ever, and `/dev/zero` to fill the memory).
#[cfg(unix)]
#[test]
fn db_import_refuses_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("answers.json");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sentinella"))
        .args(["db", "import", "--db"])
        .arg(dir.path().join("c.db"))
        .arg(&fifo)
        .current_dir(common::root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("sentinella db import blocked on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}
