//! Result files: export, signature and the hardened reader. Every bad input
//! gets its own typed error and a clear message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chrono::{TimeZone, Utc};

use sentinella::exchange::{
    self, Envelope, ExportOptions, ResultError, ResultPayload, MAX_RESULT_BYTES, RESULT_FORMAT,
};
use sentinella::keys::KeyPair;
use sentinella::load::{Catalog, LoadedAnswers};
use sentinella::scoring;

fn opts(with_notes: bool) -> ExportOptions {
    ExportOptions {
        with_notes,
        app_version: "0.1.0".into(),
        exported_at: Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap(),
        assessment_id: None,
    }
}

/// The fixture answers, with a level-0 answer and two notes.
fn answers() -> LoadedAnswers {
    let mut loaded = common::answers("tests/fixtures/answers/example2.answers.json");
    let answers = &mut loaded.sheet.answers;
    let weekly = answers.get_mut("backup_weekly").unwrap();
    weekly.option = "l0".into();
    weekly.note = Some("Nessuna copia da marzo: il disco esterno è rotto.".into());
    answers.get_mut("named_accounts").unwrap().note =
        Some("Password condivisa in anagrafe.".into());
    loaded
}

fn payload_of(loaded: &LoadedAnswers, with_notes: bool) -> ResultPayload {
    let score = scoring::score(&loaded.questionnaire.questionnaire, &loaded.sheet);
    exchange::build_payload(loaded, &score, &opts(with_notes))
}

fn key() -> KeyPair {
    KeyPair::from_seed([1; 32])
}

fn good_file() -> Vec<u8> {
    exchange::seal(&payload_of(&answers(), false), &key()).unwrap()
}

fn verify(bytes: &[u8]) -> Result<exchange::VerifiedResult, ResultError> {
    exchange::verify_bytes(bytes, &common::catalog(), None)
}

fn envelope(bytes: &[u8]) -> Envelope {
    serde_json::from_slice(bytes).unwrap()
}

fn to_bytes(e: &Envelope) -> Vec<u8> {
    serde_json::to_vec_pretty(e).unwrap()
}

/// Re-sign an edited payload JSON value with the test key.
fn resign(value: &serde_json::Value) -> Vec<u8> {
    exchange::seal_bytes(&serde_json::to_vec(value).unwrap(), &key())
}

fn payload_value() -> serde_json::Value {
    serde_json::to_value(payload_of(&answers(), false)).unwrap()
}

fn expect_err(bytes: &[u8], kind: &str, words: &[&str]) -> String {
    let e = verify(bytes)
        .err()
        .unwrap_or_else(|| panic!("accepted; expected {kind}"));
    let msg = e.to_string();
    assert_eq!(e.kind(), kind, "{msg}");
    for w in words {
        assert!(msg.contains(w), "{msg:?} lacks {w:?}");
    }
    msg
}

#[test]
fn a_good_file_verifies_and_scores_are_recomputed() {
    let loaded = answers();
    let bytes = good_file();
    let v = verify(&bytes).unwrap();
    let expected = scoring::score(&loaded.questionnaire.questionnaire, &loaded.sheet);
    assert_eq!(v.score, expected);
    assert_eq!(v.payload.organization, loaded.sheet.organization);
    assert_eq!(v.fingerprint, key().fingerprint());
    assert!(v.warnings.is_empty());
    assert_eq!(v.payload.format, RESULT_FORMAT);
    assert_eq!(
        v.payload.questionnaire.content_hash,
        loaded.questionnaire.content_hash
    );
    // The signed bytes are carried verbatim: pure ASCII envelope.
    assert!(bytes.is_ascii());
    // Deterministic: same input, same file.
    assert_eq!(bytes, good_file());
    // The expected key passes; the same assessment re-exported keeps its id.
    let k = key();
    exchange::verify_bytes(&bytes, &common::catalog(), Some(k.public_key().as_bytes())).unwrap();
}

#[test]
fn notes_are_left_out_unless_opted_in() {
    let loaded = answers();
    assert!(
        loaded.sheet.answers.values().any(|a| a.note.is_some()),
        "the fixture should carry notes"
    );
    let without = payload_of(&loaded, false);
    assert!(!without.notes_included);
    assert!(without.answers.values().all(|a| a.note.is_none()));
    let with = payload_of(&loaded, true);
    assert!(with.notes_included);
    assert_eq!(
        with.answers.values().filter(|a| a.note.is_some()).count(),
        loaded
            .sheet
            .answers
            .values()
            .filter(|a| a.note.is_some())
            .count()
    );
    verify(&exchange::seal(&with, &key()).unwrap()).unwrap();
    // Notes smuggled in while notes_included is false are refused.
    let mut v = serde_json::to_value(&with).unwrap();
    v["notes_included"] = false.into();
    expect_err(&resign(&v), "invalid_answers", &["notes_included is false"]);
}

#[test]
fn tampered_payload_is_rejected() {
    let mut e = envelope(&good_file());
    let mut payload = B64.decode(&e.payload).unwrap();
    let text = String::from_utf8(payload.clone()).unwrap();
    // Raise one answer: the classic forgery.
    let forged = text.replacen("\"option\":\"l0\"", "\"option\":\"l3\"", 1);
    assert_ne!(forged, text, "fixture should contain a level-0 answer");
    payload = forged.into_bytes();
    e.payload = B64.encode(&payload);
    expect_err(&to_bytes(&e), "tampered", &["altered after it was signed"]);
    // A changed signature or a swapped key are tampering too.
    let mut e2 = envelope(&good_file());
    let mut sig = B64.decode(&e2.signature).unwrap();
    sig[10] ^= 1;
    e2.signature = B64.encode(&sig);
    expect_err(&to_bytes(&e2), "tampered", &["signature does not match"]);
    let mut e3 = envelope(&good_file());
    e3.public_key = B64.encode(KeyPair::from_seed([2; 32]).public_key().as_bytes());
    expect_err(&to_bytes(&e3), "tampered", &[]);
}

#[test]
fn other_key_is_rejected_when_a_key_is_on_record() {
    let other = KeyPair::from_seed([9; 32]);
    let bytes = exchange::seal(&payload_of(&answers(), false), &other).unwrap();
    // Valid on its own...
    verify(&bytes).unwrap();
    // ...but not from the key on record for this comune.
    let on_record = key();
    let e = exchange::verify_bytes(
        &bytes,
        &common::catalog(),
        Some(on_record.public_key().as_bytes()),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "other_key");
    let msg = e.to_string();
    assert!(msg.contains(&other.fingerprint()), "{msg}");
    assert!(msg.contains(&on_record.fingerprint()), "{msg}");
}

#[test]
fn unknown_fields_are_rejected_in_envelope_and_payload() {
    let mut v: serde_json::Value = serde_json::from_slice(&good_file()).unwrap();
    v["comment"] = "hello".into();
    let msg = expect_err(
        &serde_json::to_vec(&v).unwrap(),
        "unknown_field",
        &["\"comment\""],
    );
    assert!(msg.starts_with("$: "), "{msg}");

    let mut p = payload_value();
    p["organization"]["pec"] = "x@pec.it".into();
    let msg = expect_err(
        &resign(&p),
        "unknown_field",
        &["\"pec\"", "$.payload.organization"],
    );
    assert!(msg.contains("$.payload.organization:"), "{msg}");

    let mut p = payload_value();
    p["scores"]["bonus"] = 1.into();
    expect_err(&resign(&p), "unknown_field", &["\"bonus\""]);
}

#[test]
fn truncated_files_are_named_truncated() {
    let bytes = good_file();
    for cut in [bytes.len() / 2, bytes.len() - 3, 1] {
        expect_err(&bytes[..cut], "truncated", &["truncated"]);
    }
}

#[test]
fn empty_files_are_named_empty() {
    expect_err(b"", "empty", &["empty"]);
    expect_err(b"  \n\t ", "empty", &["empty"]);
}

#[test]
fn huge_files_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    // A sparse 100 MB file: costs no disk, and must cost no memory either.
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    let e = exchange::verify_file(&path, &common::catalog(), None).unwrap_err();
    assert_eq!(e.error.kind(), "too_large");
    let msg = e.to_string();
    assert!(msg.contains("huge.json"), "{msg}");
    assert!(msg.contains("104857600 bytes"), "{msg}");
    // In memory, just over the cap.
    let big = vec![b' '; MAX_RESULT_BYTES as usize + 1];
    expect_err(&big, "too_large", &["too large"]);
}

#[test]
fn deeply_nested_json_is_refused() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    expect_err(deep.as_bytes(), "too_deep", &["nested more than"]);
    // Inside a signed payload too.
    let mut p = payload_value();
    let mut nested = serde_json::json!(1);
    for _ in 0..40 {
        nested = serde_json::json!([nested]);
    }
    p["assessor_role"] = nested;
    expect_err(&resign(&p), "too_deep", &["payload"]);
    // Brackets inside strings do not count.
    let ok = serde_json::json!({"format": RESULT_FORMAT, "payload": "[".repeat(100)});
    let e = verify(&serde_json::to_vec(&ok).unwrap()).unwrap_err();
    assert_ne!(e.kind(), "too_deep");
}

#[test]
fn invalid_utf8_is_refused_with_the_offset() {
    let mut bytes = good_file();
    bytes[5] = 0xff;
    expect_err(&bytes, "invalid_utf8", &["not valid UTF-8", "offset 5"]);
    // A signed payload that is not UTF-8.
    let signed = exchange::seal_bytes(b"{\"format\": \"\xc3\x28\"}", &key());
    expect_err(&signed, "invalid_utf8", &["the payload"]);
}

#[test]
fn wrong_format_tags_are_named() {
    let mut v: serde_json::Value = serde_json::from_slice(&good_file()).unwrap();
    v["format"] = "sentinella-answers/1".into();
    expect_err(
        &serde_json::to_vec(&v).unwrap(),
        "wrong_format",
        &[
            "is not a result file format",
            "answers file",
            "sentinella export",
        ],
    );
    v["format"] = "something-else/1".into();
    expect_err(
        &serde_json::to_vec(&v).unwrap(),
        "wrong_format",
        &["something-else/1"],
    );
    v["format"] = 1.into();
    expect_err(
        &serde_json::to_vec(&v).unwrap(),
        "not_a_result_file",
        &["must be the string"],
    );
    expect_err(b"{\"a\": 1}", "not_a_result_file", &["no \"format\" field"]);
    expect_err(b"[1, 2]", "not_a_result_file", &["JSON object"]);
    expect_err(b"hello", "not_json", &["not valid JSON", "line 1"]);
    // The signed payload must carry the same tag.
    let mut p = payload_value();
    p["format"] = "sentinella-result/0".into();
    expect_err(&resign(&p), "payload_format", &["sentinella-result/0"]);
}

#[test]
fn future_versions_ask_for_an_update() {
    for tag in [
        "sentinella-result/2",
        "sentinella-result/17",
        "sentinella-result/2.1",
    ] {
        let mut v: serde_json::Value = serde_json::from_slice(&good_file()).unwrap();
        v["format"] = tag.into();
        // Even with fields this version does not know.
        v["compression"] = "zstd".into();
        expect_err(
            &serde_json::to_vec(&v).unwrap(),
            "future_version",
            &[tag, "newer version of Sentinella", "update Sentinella"],
        );
    }
}

#[test]
fn unknown_or_changed_questionnaires_are_named() {
    let mut p = payload_value();
    p["questionnaire"]["version"] = "9.9.9".into();
    expect_err(
        &resign(&p),
        "unknown_questionnaire",
        &["mini version 9.9.9 is not available", "--questionnaires"],
    );
    let mut p = payload_value();
    p["questionnaire"]["content_hash"] = "00".repeat(32).into();
    expect_err(&resign(&p), "questionnaire_changed", &["differ"]);
    // An empty catalog says so.
    let e = exchange::verify_bytes(&good_file(), &Catalog::default(), None).unwrap_err();
    assert!(e.to_string().contains("available: none"), "{e}");
}

#[test]
fn invalid_answers_and_bad_encodings_are_named() {
    let mut p = payload_value();
    p["answers"]["no_such_question"] = serde_json::json!({"option": "l1"});
    expect_err(
        &resign(&p),
        "invalid_answers",
        &["$.payload.answers.no_such_question"],
    );
    let mut p = payload_value();
    p["organization"]["istat_code"] = "12".into();
    expect_err(&resign(&p), "invalid_answers", &["six-digit ISTAT code"]);
    let mut p = payload_value();
    p["assessed_on"] = "yesterday".into();
    expect_err(&resign(&p), "bad_shape", &["$.payload.assessed_on"]);

    let mut e = envelope(&good_file());
    e.signature = "***".into();
    expect_err(&to_bytes(&e), "bad_encoding", &["$.signature", "base64"]);
    let mut e = envelope(&good_file());
    e.public_key = B64.encode([1u8; 5]);
    expect_err(&to_bytes(&e), "bad_encoding", &["32 bytes"]);
}

#[test]
fn declared_scores_are_never_trusted() {
    let loaded = answers();
    let mut p = payload_of(&loaded, false);
    let real = p.scores.overall;
    p.scores.overall = 99.9;
    p.scores.tier = "advanced".into();
    p.scores.baseline_met = true;
    let v = verify(&exchange::seal(&p, &key()).unwrap()).unwrap();
    assert_eq!(scoring::round1(v.score.overall), real);
    assert_eq!(v.warnings.len(), 1);
    assert!(v.warnings[0].contains("recomputed"), "{}", v.warnings[0]);
}

#[test]
fn export_is_written_atomically_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.json");
    exchange::write_atomic(&path, &good_file()).unwrap();
    let v = exchange::verify_file(&path, &common::catalog(), None).unwrap();
    assert_eq!(
        v.payload.organization.istat_code,
        answers().sheet.organization.istat_code
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
    let e = exchange::verify_file(&dir.path().join("missing.json"), &common::catalog(), None)
        .unwrap_err();
    assert_eq!(e.error.kind(), "io");
}

#[test]
fn many_files_verify_in_parallel_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let good = good_file();
    let paths: Vec<std::path::PathBuf> = (0..100)
        .map(|i| {
            let bytes: &[u8] = if i % 7 == 0 { b"" } else { &good };
            common::write(dir.path(), &format!("{i:03}.json"), bytes)
        })
        .collect();
    let catalog = common::catalog();
    for threads in [1, 2, 3] {
        let kinds = exchange::verify_each(&paths, &catalog, threads, |p, r| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                r.map_or_else(|e| e.kind(), |_| "ok"),
            )
        });
        assert_eq!(kinds.len(), 100);
        for (i, (name, kind)) in kinds.iter().enumerate() {
            assert_eq!(name, &format!("{i:03}.json"));
            assert_eq!(*kind, if i % 7 == 0 { "empty" } else { "ok" });
        }
    }
}

#[test]
fn every_builtin_questionnaire_round_trips_through_a_result_file() {
    let (catalog, errors) = Catalog::builtin();
    assert!(errors.is_empty(), "{errors:?}");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    for entry in catalog.entries() {
        for example in sentinella::demo::examples(&entry.questionnaire, date) {
            let loaded = LoadedAnswers {
                sheet: example.sheet,
                questionnaire: entry.clone(),
            };
            for with_notes in [false, true] {
                let payload = payload_of(&loaded, with_notes);
                let bytes = exchange::seal(&payload, &key()).unwrap();
                let v = exchange::verify_bytes(&bytes, &catalog, None)
                    .unwrap_or_else(|e| panic!("{}: {e}", example.stem));
                assert_eq!(
                    v.score,
                    scoring::score(&entry.questionnaire, &loaded.sheet),
                    "{}",
                    example.stem
                );
                assert!(v.warnings.is_empty(), "{:?}", v.warnings);
            }
        }
    }
}

#[test]
fn a_byte_order_mark_is_tolerated_and_istat_mismatches_are_reported() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(good_file());
    verify(&bytes).unwrap();
    expect_err(b"\xEF\xBB\xBF", "empty", &[]);

    let mut loaded = answers();
    loaded.sheet.organization.province = "RM".into();
    let bytes = exchange::seal(&payload_of(&loaded, false), &key()).unwrap();
    let v = verify(&bytes).unwrap();
    assert_eq!(v.warnings.len(), 1, "{:?}", v.warnings);
    assert!(
        v.warnings[0].contains("the ISTAT list in VT (Lazio)"),
        "{}",
        v.warnings[0]
    );
}

#[test]
fn thousands_of_bad_answers_give_a_short_message() {
    let mut p = payload_value();
    for i in 0..5000 {
        p["answers"][format!("q{i}")] = serde_json::json!({"option": "x"});
    }
    let msg = expect_err(&resign(&p), "invalid_answers", &["and 4990 more"]);
    assert!(msg.len() < 2000, "{} bytes", msg.len());
}

#[test]
fn export_result_scores_signs_and_self_checks() {
    let loaded = answers();
    let (payload, bytes) = exchange::export_result(&loaded, &key(), &opts(false)).unwrap();
    assert!(payload.answers.values().all(|a| a.note.is_none()));
    assert_eq!(bytes, good_file());
    let v = verify(&bytes).unwrap();
    assert_eq!(v.payload, payload);
}

/// The claim read before a collection (which organization, which kind,
/// which key) needs a valid signature and a known questionnaire, and agrees
/// with a full verification on every good file.
#[test]
fn a_signed_claim_needs_the_signature_and_a_known_questionnaire() {
    let catalog = common::catalog();
    let good = good_file();
    let claim = exchange::signed_claim(&good, &catalog).unwrap();
    let full = verify(&good).unwrap();
    assert_eq!(claim.istat_code, full.payload.organization.istat_code);
    assert_eq!(claim.audience, full.questionnaire.questionnaire.audience);
    assert_eq!(claim.public_key, full.public_key);

    // A payload changed after signing: no claim.
    let mut tampered = envelope(&good);
    let payload = String::from_utf8(B64.decode(&tampered.payload).unwrap())
        .unwrap()
        .replacen("\"istat_code\":\"", "\"istat_code\":\"9", 1);
    tampered.payload = B64.encode(payload);
    let e = exchange::signed_claim(&to_bytes(&tampered), &catalog).unwrap_err();
    assert_eq!(e.kind(), "tampered", "{e}");

    // Signed, but for a questionnaire this build does not know: no claim.
    let mut unknown = payload_value();
    unknown["questionnaire"]["version"] = "9.9.9".into();
    let e = exchange::signed_claim(&resign(&unknown), &catalog).unwrap_err();
    assert_eq!(e.kind(), "unknown_questionnaire", "{e}");

    // Signed, but not a payload at all: a clear error, no panic.
    let e = exchange::signed_claim(&exchange::seal_bytes(b"[1,2]", &key()), &catalog).unwrap_err();
    assert!(e.to_string().contains("$.payload"), "{e}");

    // What a full verification would refuse for its answers still claims
    // (any key can sign a valid file for any organization, so the rest of
    // the checks would not make a claim more genuine).
    let mut bad_answers = payload_value();
    bad_answers["answers"]["backup_weekly"]["option"] = "no-such-option".into();
    let bad = resign(&bad_answers);
    assert!(verify(&bad).is_err());
    assert_eq!(exchange::signed_claim(&bad, &catalog).unwrap(), claim);
}
