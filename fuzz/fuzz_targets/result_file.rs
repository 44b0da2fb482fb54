//! Fuzz the result-file reader with arbitrary bytes: it must return a typed
//! error or a verified result, never panic, hang or blow the stack.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sentinella::exchange;
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

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = exchange::verify_bytes(data, catalog(), None) {
        // Anything accepted must have recomputed, finite scores.
        assert!(v.score.overall.is_finite());
    }
});
