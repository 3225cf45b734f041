//! The browser's window reader: a file known only by its first and last bytes and a declared
//! size, which need not agree with the windows (sizes smaller than the windows, seeks past the end).
#![no_main]
use libfuzzer_sys::fuzz_target;
use record_precheck::{scan_windows, Limits};

fuzz_target!(|data: &[u8]| {
    // Two bytes split the rest into head and tail; four more give the size relative to them,
    // so small, equal and larger sizes all come up (a size from raw bytes is almost always huge).
    if data.len() < 6 {
        return;
    }
    let (control, rest) = data.split_at(6);
    let cut = usize::from(u16::from_le_bytes([control[0], control[1]])) % (rest.len() + 1);
    let (head, tail) = rest.split_at(cut);
    let windows = (head.len() + tail.len()) as u64;
    let delta = u64::from(u32::from_le_bytes([
        control[2], control[3], control[4], control[5],
    ]));
    let size = match delta % 4 {
        0 => windows.saturating_sub(delta >> 2),
        1 => windows + (delta >> 2),
        2 => delta >> 2,
        _ => windows,
    };
    let names = [
        "IM000001",
        "a.zip",
        "IMG_0001.JPG",
        "report.pdf",
        "DICOMDIR",
    ];
    let name = names[usize::from(control[1]) % names.len()];
    if let Some(entry) = scan_windows(name, size, head, tail, &Limits::default()) {
        assert_eq!(entry.bytes_read, windows);
    }
});
