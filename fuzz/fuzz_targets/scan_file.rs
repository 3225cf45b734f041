//! Any bytes under any name: content recognition and everything it calls must not panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use record_precheck::{scan_bytes, Limits};

fuzz_target!(|data: &[u8]| {
    // The first byte picks a name, since names are tie-breakers in recognition.
    let names = [
        "IM000001",
        "x.dcm",
        "DICOMDIR",
        "a.zip",
        "IMG_0001.JPG",
        "VIEWER/x.bin",
        "autorun.inf",
    ];
    let (name, bytes) = match data.split_first() {
        Some((b, rest)) => (names[usize::from(*b) % names.len()], rest),
        None => ("empty", data),
    };
    let _ = scan_bytes(name, bytes, &Limits::default());
});
