//! Fuzz the signed payload: the bytes are signed with a fixed key first, so
//! the fuzzer gets past the signature and exercises the payload parser, the
//! questionnaire lookup, answer validation and scoring.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sentinella::exchange;
use sentinella::keys::KeyPair;
use sentinella::load::{self, Catalog};

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut catalog = Catalog::builtin().0;
        if let Ok(q) = load::questionnaire_from_str(
            "mini.json",
            include_str!("../../tests/fixtures/questionnaires/mini.json"),
        ) {
            catalog.insert(q);
        }
        catalog
    })
}

fn key() -> &'static KeyPair {
    static KEY: OnceLock<KeyPair> = OnceLock::new();
    KEY.get_or_init(|| KeyPair::from_seed([42; 32]))
}

fuzz_target!(|payload: &[u8]| {
    let file = exchange::seal_bytes(payload, key());
    if let Ok(v) = exchange::verify_bytes(&file, catalog(), None) {
        assert!(v.score.overall.is_finite());
        assert!((0.0..=100.0).contains(&v.score.overall));
    }
});
