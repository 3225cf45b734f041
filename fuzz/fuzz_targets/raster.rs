//! Image metadata (PNG chunks, JPEG/EXIF, TIFF directories, HEIF boxes) on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use record_precheck::raster::inspect;

fuzz_target!(|data: &[u8]| {
    let Some((pick, rest)) = data.split_first() else {
        return;
    };
    let magic: [&[u8]; 6] = [
        b"\x89PNG\r\n\x1a\n",
        b"\xFF\xD8\xFF",
        b"II*\x00",
        b"MM\x00*",
        b"\x00\x00\x00\x18ftypheic",
        b"GIF89a",
    ];
    let mut file = magic[usize::from(*pick) % magic.len()].to_vec();
    file.extend_from_slice(rest);
    let _ = inspect("IMG_0001.JPG", &file, file.len() as u64);
});
