//! Zip listing and member recognition: the bytes are given a zip signature so that the zip
//! reader, not the sniffer, sees them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use record_precheck::{scan_bytes, Limits};

fuzz_target!(|data: &[u8]| {
    let mut file = Vec::with_capacity(data.len() + 4);
    if !data.starts_with(b"PK") {
        file.extend_from_slice(b"PK\x03\x04");
    }
    file.extend_from_slice(data);
    let _ = scan_bytes("case.zip", &file, &Limits::default());
});
