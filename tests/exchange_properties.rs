//! Properties of the result-file reader: any change to a signed file is
//! either rejected or leaves the signed content exactly as it was.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use proptest::prelude::*;

use sentinella::exchange::{self, ExportOptions};
use sentinella::keys::KeyPair;
use sentinella::load::Catalog;
use sentinella::scoring;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(common::catalog)
}

fn good() -> (Vec<u8>, String) {
    static GOOD: OnceLock<(Vec<u8>, String)> = OnceLock::new();
    GOOD.get_or_init(make_good).clone()
}

fn make_good() -> (Vec<u8>, String) {
    let loaded = common::answers("tests/fixtures/answers/example2.answers.json");
    let score = scoring::score(&loaded.questionnaire.questionnaire, &loaded.sheet);
    let opts = ExportOptions {
        with_notes: false,
        app_version: "0.1.0".into(),
        exported_at: Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap(),
        assessment_id: None,
    };
    let payload = exchange::build_payload(&loaded, &score, &opts);
    let bytes = exchange::seal(&payload, &KeyPair::from_seed([3; 32])).unwrap();
    let v = exchange::verify_bytes(&bytes, catalog(), None).unwrap();
    (bytes, v.payload_sha256)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_byte_change_is_rejected_or_harmless(
        pos in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let (mut bytes, sha) = good();
        let i = pos.index(bytes.len());
        prop_assume!(bytes[i] != byte);
        bytes[i] = byte;
        match exchange::verify_bytes(&bytes, catalog(), None) {
            Err(e) => prop_assert!(!e.to_string().is_empty()),
            // Only a change outside the signed content (white space of the
            // envelope) may pass, and then the payload is the same.
            Ok(v) => prop_assert_eq!(v.payload_sha256, sha),
        }
    }

    #[test]
    fn any_truncation_is_rejected(len in any::<prop::sample::Index>()) {
        let (bytes, _) = good();
        // Anything shorter than up to the closing brace (the trailing line
        // feed is white space).
        let end = bytes.iter().rposition(|&b| b == b'}').unwrap();
        let cut = len.index(end + 1);
        prop_assert!(exchange::verify_bytes(&bytes[..cut], catalog(), None).is_err());
    }
}
