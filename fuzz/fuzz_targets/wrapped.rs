//! Fuzz the `.p7m` and `.eml` envelopes of result files received by PEC
//! (the cms and mail-parser crates behind our caps): never a panic, and
//! never more than a result file's worth of bytes out.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentinella::exchange::wrapped::{unwrap, Wrapping};
use sentinella::exchange::MAX_RESULT_BYTES;

fuzz_target!(|data: &[u8]| {
    for w in [Wrapping::P7m, Wrapping::Eml] {
        if let Ok(out) = unwrap(data.to_vec(), w) {
            assert!(out.len() as u64 <= MAX_RESULT_BYTES);
        }
    }
});
