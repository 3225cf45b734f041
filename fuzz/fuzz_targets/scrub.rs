//! Removing a picture's location and device metadata on arbitrary bytes behind a JPEG, PNG,
//! WebP or HEIF signature: no panic, and the edits it returns are in file order, inside the
//! file and not overlapping (the bundle writer applies them in one forward pass).
#![no_main]
use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use record_precheck::raster::scrub::scrub;

fuzz_target!(|data: &[u8]| {
    let Some((pick, rest)) = data.split_first() else {
        return;
    };
    let magic: [&[u8]; 5] = [
        b"\xFF\xD8",
        b"\x89PNG\r\n\x1a\n",
        b"RIFF\0\0\0\0WEBP",
        b"\0\0\0\x18ftypheic",
        b"",
    ];
    let mut file = magic[usize::from(*pick) % magic.len()].to_vec();
    file.extend_from_slice(rest);
    let size = file.len() as u64;
    let Ok(found) = scrub(&mut Cursor::new(&file)) else {
        return;
    };
    let mut end = 0u64;
    for edit in &found.edits {
        assert!(
            edit.at >= end,
            "edits out of order or overlapping: {:?}",
            found.edits
        );
        end = edit.at.checked_add(edit.len).expect("edit end overflows");
        assert!(
            end <= size,
            "edit past the end of a {size}-byte file: {edit:?}"
        );
        assert!(
            edit.with.len() as u64 <= edit.len,
            "an edit that grows the file: {edit:?}"
        );
    }
});
