//! Fuzz the signed pack payload: the bytes are signed with a fixed key
//! first, so the fuzzer gets past the signature into the payload parser,
//! the duplicate-key check, the text, date and contact rules and the
//! questionnaire validator. A pack that passes must satisfy the rules again
//! and seal back into a pack that verifies.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sentinella::exchange;
use sentinella::keys::KeyPair;
use sentinella::pack::{self, PACK_FORMAT};

fn key() -> &'static KeyPair {
    static KEY: OnceLock<KeyPair> = OnceLock::new();
    KEY.get_or_init(|| KeyPair::from_seed([7; 32]))
}

fuzz_target!(|payload: &[u8]| {
    let file = exchange::seal_bytes_as(PACK_FORMAT, payload, key());
    let now = chrono::Utc::now();
    if let Ok(v) = pack::verify_pack_bytes_at(&file, now) {
        assert!(pack::check_payload(&v.payload, now.date_naive()).is_ok());
        assert!(v.payload.sequence >= 1);
        assert!(v.payload.alerts.iter().all(|a| a.expires_on >= v.payload.issued_on));
        let resealed = pack::seal_pack(&v.payload, key(), now);
        assert!(resealed.is_ok(), "{resealed:?}");
    }
});
