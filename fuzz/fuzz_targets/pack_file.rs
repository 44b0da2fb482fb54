//! Fuzz the pack reader with arbitrary bytes: caps, JSON, duplicate keys,
//! the envelope and its signature. It must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = sentinella::pack::verify_pack_bytes(data);
});
