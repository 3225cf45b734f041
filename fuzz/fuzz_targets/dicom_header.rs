//! DICOM header reading on every path: with preamble + DICM, DICM at 0, and no meta at all
//! (legacy implicit/explicit VR), whatever the bytes that follow.
#![no_main]
use libfuzzer_sys::fuzz_target;
use record_precheck::{scan_bytes, Limits};

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let mut file = Vec::with_capacity(rest.len() + 132);
    match mode % 3 {
        0 => {
            file.resize(128, 0);
            file.extend_from_slice(b"DICM");
        }
        1 => file.extend_from_slice(b"DICM"),
        _ => {}
    }
    file.extend_from_slice(rest);
    let _ = scan_bytes("IM000001", &file, &Limits::default());
});
