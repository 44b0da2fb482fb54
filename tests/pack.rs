//! Coordinator packs through the command line, with real files and a real
//! SQLite database: a coordinator signs a pack, a comune imports it after
//! confirming the fingerprint; every hostile pack of issue #16's list is
//! refused with exit code 2, an English message, and nothing changed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chrono::{Duration, Utc};
use common::{sentinella, stderr, stdout, write};
use serde_json::{json, Value};

use sentinella::exchange::seal_bytes_as;
use sentinella::keys::KeyPair;
use sentinella::pack::PACK_FORMAT;

struct Coord {
    dir: tempfile::TempDir,
}

impl Coord {
    fn new() -> Coord {
        Coord {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn keys(&self) -> PathBuf {
        self.path("keys")
    }
    fn key(&self) -> KeyPair {
        KeyPair::load_or_create(&self.keys()).unwrap()
    }
    fn fingerprint(&self) -> String {
        self.key().fingerprint()
    }
    /// Sign a draft with `pack sign`; returns the pack file.
    fn sign(&self, draft: &Value, name: &str) -> PathBuf {
        let d = write(
            self.dir.path(),
            &format!("{name}.draft.json"),
            draft.to_string(),
        );
        let out = self.path(name);
        let o = sentinella(&[
            "pack",
            "sign",
            "--draft",
            d.to_str().unwrap(),
            "--keys",
            self.keys().to_str().unwrap(),
            "--db",
            self.path("coord.db").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        out
    }
    /// A pack with any payload, signed with this coordinator's key (what
    /// `pack sign` would never write).
    fn seal_raw(&self, payload: &[u8], name: &str) -> PathBuf {
        let bytes = seal_bytes_as(PACK_FORMAT, payload, &self.key());
        write(self.dir.path(), name, bytes)
    }
}

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

fn draft() -> Value {
    let t = today();
    json!({
        "format": "sentinella-pack-draft/1",
        "issuer": {"name": "ANCI Lazio", "territory": "Lazio"},
        "alerts": [
            {
                "title": "Falsi avvisi pagoPA via e-mail",
                "text": "Tre comuni della provincia hanno ricevuto e-mail che imitano pagoPA.\nNon aprite i link: verificate sul portale.",
                "date": t.to_string(),
                "severity": "critical",
                "audience": "comuni",
                "expires_on": (t + Duration::days(30)).to_string(),
                "related_questions": ["FOR-01"]
            },
            {
                "title": "Aggiornate i router degli uffici",
                "text": "Il produttore ha pubblicato un aggiornamento di sicurezza.",
                "date": t.to_string(),
                "severity": "warning",
                "audience": "both",
                "expires_on": (t + Duration::days(60)).to_string()
            },
            {
                "title": "Solo per gli sportelli Polis",
                "text": "Controllate i lettori di impronte.",
                "date": t.to_string(),
                "severity": "info",
                "audience": "polis",
                "expires_on": (t + Duration::days(60)).to_string()
            }
        ],
        "contacts": [
            {"role": "cosc", "name": "COSC Lazio", "phone": "06 1234 5678"}
        ]
    })
}

/// A payload as `pack sign` would make it, sequence `n`.
fn payload(n: u64) -> Value {
    let mut p = draft();
    p["format"] = json!(PACK_FORMAT);
    p["sequence"] = json!(n);
    p["issued_on"] = json!(today().to_string());
    p
}

/// Every row of every table, as text: "nothing changed" means this is equal.
fn rows(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.retain(|t| !t.starts_with("sqlite_"));
    let mut out = String::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {t}")).unwrap();
        let n = stmt.column_count();
        let mut q = stmt.query([]).unwrap();
        while let Some(row) = q.next().unwrap() {
            out.push_str(&t);
            for i in 0..n {
                let v: rusqlite::types::Value = row.get(i).unwrap();
                out.push_str(&format!("|{v:?}"));
            }
            out.push('\n');
        }
    }
    out
}

fn import(pack: &Path, db: &Path, confirm: Option<&str>) -> std::process::Output {
    let mut args = vec![
        "pack",
        "import",
        pack.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ];
    if let Some(c) = confirm {
        args.extend(["--confirm", c]);
    }
    sentinella(&args)
}

/// A comune's database with pack 1 of `coord` applied.
fn comune_with_first_pack(coord: &Coord) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("comune.db");
    let p1 = coord.sign(&draft(), "pack1.json");
    let o = import(&p1, &db, Some(&coord.fingerprint()));
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, db)
}

/// The import is refused with exit 2, an English message containing
/// `needle`, and the database unchanged.
fn assert_refused(pack: &Path, db: &Path, needle: &str) -> String {
    let before = rows(db);
    let o = import(pack, db, None);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{needle}: {err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert!(err.contains("pack refused"), "{err}");
    assert_eq!(rows(db), before, "{needle}: the database changed");
    // The message, for `--nocapture` (the closing note lists them).
    println!("REFUSED {}: {}", pack.display(), err.trim());
    err
}

#[test]
fn a_signed_pack_is_applied_after_the_fingerprint_is_confirmed() {
    let coord = Coord::new();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("comune.db");
    let p1 = coord.sign(&draft(), "pack1.json");

    // Show: verified, nothing written.
    let o = sentinella(&["pack", "show", p1.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("pack #1 of ANCI Lazio"),
        "{}",
        stdout(&o)
    );

    // First pack, no confirmation: shown, not applied.
    let o = import(&p1, &db, None);
    assert_eq!(o.status.code(), Some(2));
    let fp = coord.fingerprint();
    assert!(
        stderr(&o).contains(&format!("--confirm {fp}")),
        "{}",
        stderr(&o)
    );
    let o = sentinella(&["pack", "alerts", "--db", db.to_str().unwrap()]);
    assert!(stdout(&o).contains("no active alert"), "{}", stdout(&o));

    // A wrong fingerprint: refused.
    let before = rows(&db);
    let o = import(&p1, &db, Some("0000-0000-0000-0000"));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not the one of the key"),
        "{}",
        stderr(&o)
    );
    assert_eq!(rows(&db), before);

    // Confirmed: applied.
    let o = import(&p1, &db, Some(&fp.to_lowercase()));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("applied pack #1"), "{}", stdout(&o));

    // The alerts for a comune: two (the Polis one is not for it), most
    // urgent first.
    let o = sentinella(&[
        "pack",
        "alerts",
        "--db",
        db.to_str().unwrap(),
        "--kind",
        "comune",
        "--json",
    ]);
    let alerts: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let titles: Vec<&str> = alerts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Falsi avvisi pagoPA via e-mail",
            "Aggiornate i router degli uffici"
        ]
    );
    // Expired alerts are hidden.
    let later = (today() + Duration::days(45)).to_string();
    let o = sentinella(&[
        "pack",
        "alerts",
        "--db",
        db.to_str().unwrap(),
        "--kind",
        "comune",
        "--date",
        &later,
    ]);
    assert!(stdout(&o).contains("Aggiornate i router"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("pagoPA"), "{}", stdout(&o));

    // The next pack needs no confirmation and replaces the alerts.
    let mut d = draft();
    d["alerts"] = json!([d["alerts"][1].clone()]);
    let p2 = coord.sign(&d, "pack2.json");
    let o = import(&p2, &db, None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("applied pack #2"), "{}", stdout(&o));
    let o = sentinella(&["pack", "alerts", "--db", db.to_str().unwrap()]);
    assert!(!stdout(&o).contains("pagoPA"), "{}", stdout(&o));

    // The coordinator's history.
    let o = sentinella(&[
        "pack",
        "history",
        "--db",
        coord.path("coord.db").to_str().unwrap(),
    ]);
    let h = stdout(&o);
    assert!(h.contains("#2") && h.contains("#1"), "{h}");
    assert!(h.find("#2") < h.find("#1"), "newest first: {h}");

    // Replayed older pack: refused, nothing changed.
    let err = assert_refused(
        &p1,
        &db,
        "sequence number 1, but pack 2 was already applied",
    );
    assert!(err.contains("nothing was changed"), "{err}");
    // The same pack again: refused too.
    assert_refused(&p2, &db, "sequence number 2, but pack 2");
}

#[test]
fn every_hostile_pack_is_refused_with_nothing_changed() {
    let coord = Coord::new();
    let (_dir, db) = comune_with_first_pack(&coord);
    let good = std::fs::read_to_string(coord.sign(&draft(), "pack-good.json")).unwrap();
    let envelope: Value = serde_json::from_str(&good).unwrap();
    let w = |name: &str, bytes: &[u8]| write(coord.dir.path(), name, bytes);

    // Tampered: the payload changed after signing.
    let mut p: Value =
        serde_json::from_slice(&B64.decode(envelope["payload"].as_str().unwrap()).unwrap())
            .unwrap();
    p["alerts"][0]["title"] = json!("Pagate subito questo IBAN");
    let mut e = envelope.clone();
    e["payload"] = json!(B64.encode(serde_json::to_vec(&p).unwrap()));
    assert_refused(
        &w("tampered.json", e.to_string().as_bytes()),
        &db,
        "the pack was altered after it was signed",
    );

    // Another key.
    let other = Coord::new();
    let mut d = draft();
    d["issuer"]["name"] = json!("Falso coordinamento");
    let theirs = other.sign(&d, "other.json");
    let err = assert_refused(&theirs, &db, "the coordinator's key on record is");
    assert!(err.contains(&other.fingerprint()) && err.contains(&coord.fingerprint()));

    // Wrong format versions.
    let mut e = envelope.clone();
    e["format"] = json!("sentinella-pack/2");
    assert_refused(
        &w("v2.json", e.to_string().as_bytes()),
        &db,
        "written by a newer version of Sentinella",
    );
    let mut e = envelope.clone();
    e["format"] = json!("sentinella-result/1");
    assert_refused(
        &w("result.json", e.to_string().as_bytes()),
        &db,
        "is not a pack format",
    );

    // Truncated.
    assert_refused(
        &w("truncated.json", &good.as_bytes()[..good.len() / 2]),
        &db,
        "truncated",
    );

    // Oversized (5 MB).
    let mut big = good.clone().into_bytes();
    big.resize(5 * 1024 * 1024, b' ');
    assert_refused(&w("big.json", &big), &db, "too large");

    // Deep nesting, in the file and in a signed payload.
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    assert_refused(&w("deep.json", deep.as_bytes()), &db, "nested more than");
    let deep_payload = format!(
        r#"{{"format":"{PACK_FORMAT}","x":{}1{}}}"#,
        "[".repeat(100),
        "]".repeat(100)
    );
    assert_refused(
        &coord.seal_raw(deep_payload.as_bytes(), "deep-payload.json"),
        &db,
        "the payload is nested more than",
    );

    // Invalid UTF-8, in the file and in a signed payload.
    let mut bad = good.clone().into_bytes();
    bad.insert(20, 0xFF);
    assert_refused(&w("utf8.json", &bad), &db, "not valid UTF-8");
    let mut raw = serde_json::to_vec(&payload(9)).unwrap();
    let at = raw.windows(5).position(|w| w == b"Falsi").unwrap();
    raw[at] = 0xC3;
    assert_refused(
        &coord.seal_raw(&raw, "utf8-payload.json"),
        &db,
        "the payload is not valid UTF-8",
    );

    // Duplicate keys, in the envelope and in a signed payload.
    let dup = good.replacen("{", &format!("{{\"format\": \"{PACK_FORMAT}\","), 1);
    assert_refused(&w("dup.json", dup.as_bytes()), &db, "appears twice");
    let text = serde_json::to_string(&payload(9)).unwrap();
    let dup = text.replacen("\"sequence\":9", "\"sequence\":9,\"sequence\":1", 1);
    assert!(dup != text);
    assert_refused(
        &coord.seal_raw(dup.as_bytes(), "dup-payload.json"),
        &db,
        "the key \"sequence\" appears twice",
    );

    // Unknown field.
    let mut p = payload(9);
    p["alerts"][0]["link"] = json!("http://example.invalid");
    assert_refused(
        &coord.seal_raw(p.to_string().as_bytes(), "unknown.json"),
        &db,
        "unknown field \"link\"",
    );

    // An alert with control characters (an escape sequence for terminals).
    let mut p = payload(9);
    p["alerts"][0]["text"] = json!("Testo\u{1b}[2J con controllo");
    assert_refused(
        &coord.seal_raw(p.to_string().as_bytes(), "control.json"),
        &db,
        "control or bidirectional character U+001B",
    );
    let mut p = payload(9);
    p["alerts"][1]["title"] = json!("Titolo\u{202e}rovescio");
    assert_refused(
        &coord.seal_raw(p.to_string().as_bytes(), "bidi.json"),
        &db,
        "U+202E",
    );

    // A 1 MB alert text.
    let mut p = payload(9);
    p["alerts"][0]["text"] = json!("a".repeat(1024 * 1024));
    assert_refused(
        &coord.seal_raw(p.to_string().as_bytes(), "long.json"),
        &db,
        "$.payload.alerts[0].text: 1048576 characters, more than the 3000 allowed",
    );

    // Expires before it is issued.
    let mut p = payload(9);
    p["alerts"][1]["expires_on"] = json!((today() - Duration::days(3)).to_string());
    assert_refused(
        &coord.seal_raw(p.to_string().as_bytes(), "expired.json"),
        &db,
        "expires on",
    );

    // A questionnaire inside that fails validation.
    let mut q: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("questionnaires/comune.json")).unwrap(),
    )
    .unwrap();
    q["version"] = json!("9.0.0");
    q["domains"][0]["questions"][0]["weight"] = json!(9);
    let mut p = payload(9);
    p["questionnaires"] = json!([q]);
    assert_refused(
        &coord.seal_raw(p.to_string().as_bytes(), "badq.json"),
        &db,
        "the questionnaire is not valid",
    );

    // A pack dated in the future, and a sequence number of zero.
    let mut p = payload(9);
    p["issued_on"] = json!((today() + Duration::days(10)).to_string());
    assert_refused(
        &coord.seal_raw(p.to_string().as_bytes(), "future.json"),
        &db,
        "implausible date",
    );
    let p = payload(0);
    assert_refused(
        &coord.seal_raw(p.to_string().as_bytes(), "zero.json"),
        &db,
        "is not a sequence number",
    );

    // Not JSON at all, and empty.
    assert_refused(
        &w("garbage.json", b"\x01\x02PK garbage"),
        &db,
        "not valid JSON",
    );
    assert_refused(&w("empty.json", b"  \n"), &db, "empty");

    // After all that, a genuine newer pack still applies.
    let o = import(&coord.sign(&draft(), "pack-next.json"), &db, None);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_pack_can_bring_a_questionnaire_version_for_the_next_assessment() {
    let coord = Coord::new();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("comune.db");
    // A finished assessment on the built-in version.
    let demo = dir.path().join("demo");
    assert!(sentinella(&["demo", "--out", demo.to_str().unwrap()])
        .status
        .success());
    let answers = std::fs::read_dir(&demo)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let n = p.to_string_lossy();
            n.contains("comune-average") && n.ends_with(".answers.json")
        })
        .unwrap();
    let o = sentinella(&[
        "db",
        "import",
        answers.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--completed",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A new version of the comune questionnaire, valid.
    let mut q: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("questionnaires/comune.json")).unwrap(),
    )
    .unwrap();
    q["version"] = json!("9.0.0");
    let qfile = write(dir.path(), "comune-9.json", q.to_string());
    let d = write(coord.dir.path(), "d.json", draft().to_string());
    let out = coord.path("pack-q.json");
    let o = sentinella(&[
        "pack",
        "sign",
        "--draft",
        d.to_str().unwrap(),
        "--questionnaire",
        qfile.to_str().unwrap(),
        "--keys",
        coord.keys().to_str().unwrap(),
        "--db",
        coord.path("coord.db").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 questionnaire(s)"), "{}", stdout(&o));
    let o = import(&out, &db, Some(&coord.fingerprint()));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("9.0.0"), "{}", stdout(&o));

    let store = sentinella::store::Store::open(&db).unwrap();
    let (builtin, _) = sentinella::load::Catalog::builtin();
    assert!(builtin.get(q["id"].as_str().unwrap(), "9.0.0").is_none());
    let catalog = sentinella::usecase::pack::catalog_with_packs(&store, &builtin).unwrap();
    assert!(catalog.get(q["id"].as_str().unwrap(), "9.0.0").is_some());
    // Offered for the next assessment (the latest version), never applied
    // to the finished one, which keeps its version and its score.
    let id = q["id"].as_str().unwrap();
    assert_eq!(catalog.latest(id).unwrap().questionnaire.version, "9.0.0");
    let info = store.assessment_info(1).unwrap();
    assert_ne!(info.questionnaire.version, "9.0.0");
    let before = sentinella::usecase::planning::plan_stored(
        &store,
        &builtin,
        sentinella::ids::AssessmentId::new(1).unwrap(),
        None,
    )
    .unwrap()
    .planned
    .score
    .overall;
    let after = sentinella::usecase::planning::plan_stored(
        &store,
        &catalog,
        sentinella::ids::AssessmentId::new(1).unwrap(),
        None,
    )
    .unwrap()
    .planned
    .score
    .overall;
    assert_eq!(before, after);

    // The same version with other content in a later pack: refused whole.
    drop(store);
    let mut q2 = q.clone();
    q2["title"] = json!("Un altro contenuto con la stessa versione");
    let mut p = payload(5);
    p["questionnaires"] = json!([q2]);
    p["alerts"] = json!([]);
    assert_refused(
        &coord.seal_raw(p.to_string().as_bytes(), "conflict.json"),
        &db,
        "a version never changes",
    );
}

#[test]
fn a_new_coordinator_key_is_applied_only_when_confirmed() {
    let coord = Coord::new();
    let (_dir, db) = comune_with_first_pack(&coord);
    // The coordinator reinstalled: new key, sequence starts again at 1.
    let again = Coord::new();
    let p = again.sign(&draft(), "new-key.json");
    assert_refused(&p, &db, "the coordinator's key on record is");
    let o = import(&p, &db, Some(&again.fingerprint()));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("key changed: was {}", coord.fingerprint())),
        "{}",
        stdout(&o)
    );
    // The old key is now the other key.
    assert_refused(
        &coord.sign(&draft(), "old-key.json"),
        &db,
        "the coordinator's key on record is",
    );
}

#[test]
fn signing_refuses_a_draft_the_comuni_would_refuse() {
    let coord = Coord::new();
    let mut d = draft();
    d["alerts"][0]["expires_on"] = json!("2025-01-02");
    let file = write(coord.dir.path(), "bad.draft.json", d.to_string());
    let out = coord.path("never.json");
    let o = sentinella(&[
        "pack",
        "sign",
        "--draft",
        file.to_str().unwrap(),
        "--keys",
        coord.keys().to_str().unwrap(),
        "--db",
        coord.path("coord.db").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("expires on 2025-01-02"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
    // Nothing recorded: the next good pack is still number 1.
    let p = coord.sign(&draft(), "first.json");
    let o = sentinella(&["pack", "show", p.to_str().unwrap()]);
    assert!(stdout(&o).contains("pack #1 "), "{}", stdout(&o));

    // `pack new` writes a draft that `pack sign` accepts as it is.
    let newd = coord.path("new.draft.json");
    let o = sentinella(&[
        "pack",
        "new",
        "--out",
        newd.to_str().unwrap(),
        "--issuer",
        "Regione Umbria",
        "--territory",
        "Umbria",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = sentinella(&[
        "pack",
        "new",
        "--out",
        newd.to_str().unwrap(),
        "--issuer",
        "X",
        "--territory",
        "Y",
    ]);
    assert_eq!(o.status.code(), Some(2), "never overwrites a draft");
}

#[test]
fn the_plan_pdf_shows_the_alerts_and_the_cosc_of_the_pack() {
    let coord = Coord::new();
    let (dir, db) = comune_with_first_pack(&coord);
    let demo = dir.path().join("demo");
    let o = sentinella(&["demo", "--out", demo.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let answers = std::fs::read_dir(&demo)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.to_string_lossy();
            name.contains("comune-struggling") && name.ends_with(".answers.json")
        })
        .unwrap();
    // The related question of the first alert is one this comune must act
    // on: the plan names its action.
    let plan_json = answers
        .to_string_lossy()
        .replace(".answers.json", ".plan.json");
    let plan: Value = serde_json::from_str(&std::fs::read_to_string(plan_json).unwrap()).unwrap();
    let weak = plan["actions"][0]["question_id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut d = draft();
    d["alerts"][0]["related_questions"] = json!([weak]);
    d["contacts"] = json!([
        {"role": "cosc", "name": "COSC Lazio", "phone": "06 1234 5678"},
        {"role": "regional_csirt", "name": "CSIRT Regione Lazio", "email": "csirt@regione.lazio.example"}
    ]);
    let o = import(&coord.sign(&d, "pack2.json"), &db, None);
    assert!(o.status.success(), "{}", stderr(&o));

    let o = sentinella(&[
        "db",
        "import",
        answers.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--completed",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = dir.path().join("plan.pdf");
    let o = sentinella(&[
        "plan",
        "--db",
        db.to_str().unwrap(),
        "--assessment",
        "1",
        "--pdf",
        pdf.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = pdf.to_str().unwrap();
    common::assert_clean_pdf(pdf, "plan with alerts");
    let text = common::run("pdftotext", &["-layout", pdf, "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Avvisi del coordinamento"), "{flat}");
    assert!(
        flat.contains("Urgente: Falsi avvisi pagoPA via e-mail"),
        "{flat}"
    );
    assert!(
        flat.contains("Attenzione: Aggiornate i router degli uffici"),
        "{flat}"
    );
    assert!(
        !flat.contains("Solo per gli sportelli Polis"),
        "not for a comune"
    );
    assert!(flat.contains("Riguarda l'azione"), "{flat}");
    // The incident card: the COSC of the pack, the regional CSIRT apart.
    let card = &flat[flat.find("Scheda incidente").unwrap()..];
    assert!(card.contains("COSC Lazio"), "{card}");
    assert!(card.contains("tel. 06 1234 5678"), "{card}");
    assert!(card.contains("CSIRT Regione Lazio"), "{card}");
    // Without a pack: no box.
    let plain = dir.path().join("plain.pdf");
    let o = sentinella(&[
        "plan",
        answers.to_str().unwrap(),
        "--pdf",
        plain.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = common::run("pdftotext", &[plain.to_str().unwrap(), "-"]);
    assert!(!text.contains("Avvisi del coordinamento"));
    if let Ok(keep) = std::env::var("SENTINELLA_KEEP_PDF") {
        std::fs::copy(pdf, keep).unwrap();
    }
}
