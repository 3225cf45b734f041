//! Hostile and broken input: huge length fields (in the meta group, in string elements, in
//! sequence items), truncation at every offset, zip bombs, traversal names and deep nesting.
//! Each must give a clear per-file answer with bounded memory: this test binary counts every
//! allocation and checks the largest one and the peak against the input's size.

use std::io::{Cursor, Write};
use std::path::Path;

use record_precheck::{scan_bytes, FileEntry, FileKind, Limits};

mod counting;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// Scans `bytes` and returns the entry with the peak extra memory and the largest allocation.
fn measured_scan(name: &str, bytes: &[u8]) -> (FileEntry, usize, usize) {
    let limits = Limits::default();
    // Warm the lazily built dictionaries so they are not counted against the input.
    let _ = scan_bytes(
        "warm.dcm",
        &corpus("case-mixed/CT_no_preamble.dcm"),
        &limits,
    );
    counting::measure(|| scan_bytes(name, bytes, &limits))
}

/// The memory an input may cost: a small multiple of its size plus a constant for buffers.
fn assert_bounded(what: &str, input_len: usize, peak: usize, largest: usize) {
    let allowed = 4 * input_len + (1 << 20);
    assert!(
        peak <= allowed,
        "{what}: peak {peak} bytes for a {input_len}-byte input"
    );
    assert!(
        largest <= allowed,
        "{what}: one allocation of {largest} bytes for a {input_len}-byte input"
    );
}

fn corpus(rel: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(rel);
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("the test corpus is missing {}: {e}", path.display()))
}

/// A Part 10 file: preamble, DICM, a meta group (explicit VR LE) and the given data set.
fn part10(ts: &str, dataset: &[u8]) -> Vec<u8> {
    let mut meta = Vec::new();
    let ts_value = padded(ts.as_bytes());
    meta.extend(explicit(0x0002, 0x0001, b"OB", &[0, 1]));
    meta.extend(explicit(
        0x0002,
        0x0002,
        b"UI",
        &padded(b"1.2.840.10008.5.1.4.1.1.2"),
    ));
    meta.extend(explicit(0x0002, 0x0003, b"UI", &padded(b"1.2.3.4.5")));
    meta.extend(explicit(0x0002, 0x0010, b"UI", &ts_value));
    let mut out = vec![0u8; 128];
    out.extend_from_slice(b"DICM");
    out.extend(explicit(
        0x0002,
        0x0000,
        b"UL",
        &(meta.len() as u32).to_le_bytes(),
    ));
    out.extend(meta);
    out.extend_from_slice(dataset);
    out
}

fn padded(v: &[u8]) -> Vec<u8> {
    let mut v = v.to_vec();
    if v.len() % 2 == 1 {
        v.push(0);
    }
    v
}

fn explicit(group: u16, element: u16, vr: &[u8; 2], value: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&group.to_le_bytes());
    v.extend_from_slice(&element.to_le_bytes());
    v.extend_from_slice(vr);
    if matches!(vr, b"OB" | b"OW" | b"SQ" | b"UN" | b"UT" | b"UC") {
        v.extend_from_slice(&[0, 0]);
        v.extend_from_slice(&(value.len() as u32).to_le_bytes());
    } else {
        v.extend_from_slice(&(value.len() as u16).to_le_bytes());
    }
    v.extend_from_slice(value);
    v
}

fn implicit_header(group: u16, element: u16, length: u32) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&group.to_le_bytes());
    v.extend_from_slice(&element.to_le_bytes());
    v.extend_from_slice(&length.to_le_bytes());
    v
}

fn assert_corrupt_with(entry: &FileEntry, words: &str) {
    assert_eq!(
        entry.kind,
        FileKind::Corrupt,
        "{}: {} / {:?}",
        entry.path,
        entry.reason,
        entry.error
    );
    let error = entry.error.as_deref().unwrap_or_default();
    assert!(
        error.contains(words),
        "{}: error {error:?} should mention {words:?}",
        entry.path
    );
}

#[test]
fn huge_length_in_the_meta_group() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut file = vec![0u8; 128];
    file.extend_from_slice(b"DICM");
    // (0002,0010) UI with a 0xFFFF length in a tiny file, then a UN claiming 4 GiB.
    file.extend_from_slice(&[
        0x02, 0x00, 0x10, 0x00, b'U', b'I', 0xFF, 0xFF, b'1', b'.', b'2',
    ]);
    let (entry, peak, largest) = measured_scan("meta.dcm", &file);
    assert_corrupt_with(&entry, "(0002,0010) says it holds 65535 bytes");
    assert_bounded("meta", file.len(), peak, largest);

    let mut file = vec![0u8; 128];
    file.extend_from_slice(b"DICM");
    file.extend_from_slice(&[
        0x02, 0x00, 0x01, 0x00, b'O', b'B', 0, 0, 0xF0, 0xFF, 0xFF, 0xFF, 0, 1,
    ]);
    let (entry, peak, largest) = measured_scan("meta2.dcm", &file);
    assert_corrupt_with(&entry, "4294967280");
    assert_bounded("meta OB", file.len(), peak, largest);
}

#[test]
fn huge_length_in_a_string_element() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for length in [0xFFFF_FFF0u32, 0x7FFF_FFF0, 1 << 20] {
        let mut dataset = implicit_header(0x0008, 0x0060, 2);
        dataset.extend_from_slice(b"CT");
        dataset.extend(implicit_header(0x0010, 0x0010, length));
        dataset.extend_from_slice(b"Doe^John");
        let file = part10("1.2.840.10008.1.2", &dataset);
        let (entry, peak, largest) = measured_scan("name.dcm", &file);
        assert_corrupt_with(&entry, &format!("(0010,0010) says it holds {length} bytes"));
        assert_bounded("string", file.len(), peak, largest);
    }
    let corpus_file = corpus("case-bad-input/huge_length.dcm");
    let (entry, peak, largest) = measured_scan("huge_length.dcm", &corpus_file);
    assert_corrupt_with(&entry, "4294967280");
    assert_bounded("corpus huge_length", corpus_file.len(), peak, largest);
}

#[test]
fn huge_length_in_a_sequence_item() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // A sequence of undefined length holding an item that claims 0xFFFFFFF0 bytes.
    let mut seq = Vec::new();
    seq.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0, 0xF0, 0xFF, 0xFF, 0xFF]);
    seq.extend(explicit(0x0008, 0x1150, b"UI", &padded(b"1.2.3")));
    let mut dataset = explicit(0x0008, 0x0060, b"CS", b"CT");
    dataset.extend_from_slice(&[
        0x08, 0x00, 0x40, 0x11, b'S', b'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
    ]);
    dataset.extend(seq);
    let file = part10("1.2.840.10008.1.2.1", &dataset);
    let (entry, peak, largest) = measured_scan("seq.dcm", &file);
    assert_corrupt_with(&entry, "(FFFE,E000) says it holds 4294967280 bytes");
    assert_bounded("item", file.len(), peak, largest);

    // An element inside a defined-length item that runs past the item's end.
    let item_body = explicit(0x0008, 0x1150, b"UI", &padded(b"1.2.3.4.5.6.7"));
    let mut item = vec![0xFE, 0xFF, 0x00, 0xE0];
    item.extend_from_slice(&4u32.to_le_bytes());
    item.extend(item_body);
    let mut dataset = explicit(0x0008, 0x0060, b"CS", b"CT");
    dataset.extend(explicit(0x0008, 0x1140, b"SQ", &item));
    let file = part10("1.2.840.10008.1.2.1", &dataset);
    let (entry, _, _) = measured_scan("item.dcm", &file);
    assert_corrupt_with(&entry, "left in its sequence item");

    // Sequences nested deeper than the limit.
    let mut nested = explicit(0x0008, 0x0060, b"CS", b"CT");
    for _ in 0..40 {
        nested.extend_from_slice(&[
            0x08, 0x00, 0x40, 0x11, b'S', b'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
        ]);
        nested.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]);
    }
    let file = part10("1.2.840.10008.1.2.1", &nested);
    let (entry, _, _) = measured_scan("deep.dcm", &file);
    assert_corrupt_with(&entry, "nested more than");
}

#[test]
fn truncation_at_every_offset_never_panics_and_stays_bounded() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for rel in [
        "case-cd-ct/IMAGES/SER00001/IM000001",
        "case-mixed/rtplan_nometa",
        "case-cd-ct/DICOMDIR",
    ] {
        let full = corpus(rel);
        let header_end = match scan_bytes(rel, &full, &Limits::default()).dicom {
            Some(d) => d.pixel_data_offset.unwrap_or(full.len() as u64) as usize,
            None => panic!("{rel} should read as DICOM"),
        };
        for cut in 0..full.len() {
            let part = &full[..cut];
            let (entry, peak, largest) = measured_scan(rel, part);
            assert_bounded(&format!("{rel} cut at {cut}"), cut, peak, largest);
            match entry.kind {
                FileKind::Corrupt => assert!(entry.error.as_deref().is_some_and(|e| !e.is_empty())),
                FileKind::Dicom | FileKind::Dicomdir => {
                    // A cut inside the pixel data is still DICOM, and said to be truncated; a cut
                    // before it can only parse when it falls on an element boundary.
                    let d = entry.dicom.as_ref().unwrap();
                    if cut > header_end {
                        assert!(d.truncated, "{rel} cut at {cut}: not reported truncated");
                    }
                }
                FileKind::Empty => assert_eq!(cut, 0),
                // Under 132 bytes the DICM marker is gone: the bytes are just unrecognised.
                _ => assert!(
                    cut < 140 || rel.ends_with("nometa"),
                    "{rel} cut at {cut}: {:?} {}",
                    entry.kind,
                    entry.reason
                ),
            }
        }
    }
}

fn zip_of(members: &[(&str, &[u8], zip::CompressionMethod)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data, method) in members {
        let options = zip::write::SimpleFileOptions::default().compression_method(*method);
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn zip_bombs_are_reported_not_inflated() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let zeros = vec![0u8; 64 << 20];
    let bomb = zip_of(&[("IMAGES/IM000001", &zeros, zip::CompressionMethod::Deflated)]);
    drop(zeros);
    assert!(
        bomb.len() < 1 << 20,
        "the test bomb should compress well: {}",
        bomb.len()
    );
    let (entry, peak, largest) = measured_scan("bomb.zip", &bomb);
    assert_eq!(entry.kind, FileKind::Archive);
    let member = &entry.members.as_ref().unwrap()[0];
    assert_corrupt_with(member, "not inflated");
    assert!(member.notes.iter().any(|n| n.contains("archive-limit-hit")));
    assert_bounded("bomb", bomb.len(), peak, largest);

    let corpus_bomb = corpus("case-bad-input/bomb_claims_4GB.zip");
    let (entry, peak, largest) = measured_scan("bomb_claims_4GB.zip", &corpus_bomb);
    assert_corrupt_with(&entry.members.as_ref().unwrap()[0], "4294967280");
    assert_bounded("corpus bomb", corpus_bomb.len(), peak, largest);
}

/// `len` bytes that deflate at about 180:1, just under the zip-bomb guard's 200:1: zeros with a
/// pseudo-random byte every 800.
fn compressible(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    let mut bytes = vec![0u8; len];
    for b in bytes.iter_mut().step_by(700) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        *b = state as u8;
    }
    bytes
}

/// `outer.zip!/l1.zip!/l2.zip`, both nested zips deflated, of about `l1` and `l2` bytes (each
/// filled by a stored member), every member just under the compression ratio limit.
fn two_level_nested(l1: usize, l2: usize) -> Vec<u8> {
    use zip::CompressionMethod::{Deflated, Stored};
    let l2_zip = zip_of(&[("pad2.bin", &compressible(l2, 2), Stored)]);
    let l1_zip = zip_of(&[
        ("l2.zip", &l2_zip, Deflated),
        ("pad1.bin", &compressible(l1, 1), Stored),
    ]);
    let outer = zip_of(&[("l1.zip", &l1_zip, Deflated)]);
    let limit = Limits::default().max_compression_ratio;
    for (zip, name) in [(&outer, "l1.zip"), (&l1_zip, "l2.zip")] {
        let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        let nested = archive.by_name(name).unwrap();
        let ratio = nested.size() / nested.compressed_size();
        assert!(
            (limit / 2..limit).contains(&ratio),
            "{name}: ratio {ratio} should be under {limit}, not far"
        );
    }
    outer
}

#[test]
fn nested_deflated_zips_stay_under_the_memory_ceiling() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let ceiling = Limits::default().max_nested_zip_bytes as usize;
    let member = |e: &FileEntry, name: &str| -> FileEntry {
        e.members
            .iter()
            .flatten()
            .find(|m| m.path.ends_with(name))
            .unwrap_or_else(|| panic!("{} lists no {name}", e.path))
            .clone()
    };
    // Both levels fit in the ceiling together: both are opened.
    let zip = two_level_nested(ceiling / 16 * 9, ceiling / 16 * 6);
    let (entry, peak, largest) = measured_scan("outer.zip", &zip);
    let l2 = member(&member(&entry, "l1.zip"), "l2.zip");
    assert_eq!(member(&l2, "pad2.bin").kind, FileKind::Other);
    println!(
        "both opened: {} bytes in, peak {peak}, largest {largest}",
        zip.len()
    );
    assert!(peak <= ceiling + (1 << 20), "peak {peak} over {ceiling}");
    assert!(largest <= ceiling, "one allocation of {largest}");

    // Together they would not fit: the inner one is kept packed, with a note that says so.
    let zip = two_level_nested(ceiling / 16 * 10, ceiling / 16 * 8);
    let (entry, peak, largest) = measured_scan("outer.zip", &zip);
    let l2 = member(&member(&entry, "l1.zip"), "l2.zip");
    assert!(l2.members.is_none());
    assert!(
        l2.notes
            .iter()
            .any(|n| n.contains("too large to look into")),
        "{:?}",
        l2.notes
    );
    println!(
        "one opened: {} bytes in, peak {peak}, largest {largest}",
        zip.len()
    );
    assert!(peak <= ceiling + (1 << 20), "peak {peak} over {ceiling}");
    assert!(largest <= ceiling, "one allocation of {largest}");
}

#[test]
fn the_zip_read_budget_holds_inside_a_member() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let limits = Limits {
        max_zip_total_read: 1 << 20,
        ..Limits::default()
    };
    // A header of 2 MiB (a private element before the pixel data): more than the whole budget.
    let mut dataset = explicit(0x0010, 0x0010, b"PN", b"Doe^Jane");
    dataset.extend(explicit(0x0029, 0x1010, b"OB", &vec![7u8; 2 << 20]));
    dataset.extend(explicit(0x7FE0, 0x0010, b"OW", &[0u8; 64]));
    let big = part10("1.2.840.10008.1.2.1", &dataset);
    let small = part10(
        "1.2.840.10008.1.2.1",
        &explicit(0x0010, 0x0010, b"PN", b"Doe^Jane"),
    );
    let zip = zip_of(&[
        ("big.dcm", &big, zip::CompressionMethod::Stored),
        ("small.dcm", &small, zip::CompressionMethod::Stored),
    ]);
    let entry = scan_bytes("budget.zip", &zip, &limits);
    let members = entry.members.as_deref().unwrap();
    // The big member stops at the budget, and says so; the one after it is not read.
    assert_corrupt_with(&members[0], "limit of 1 MiB read from one zip");
    assert_eq!(members[0].path, "budget.zip!/big.dcm");
    assert_corrupt_with(&members[1], "limit of 1 MiB read from one zip");
    // The batch goes on: the next file is scanned as usual.
    assert_eq!(
        scan_bytes("small.dcm", &small, &limits).kind,
        FileKind::Dicom
    );
}

#[test]
fn unsafe_member_names_are_neutralised() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dcm = corpus("case-cd-ct/IMAGES/SER00001/IM000001");
    let zip = zip_of(&[
        ("../../evil.dcm", &dcm, zip::CompressionMethod::Stored),
        ("/abs/olute.dcm", &dcm, zip::CompressionMethod::Stored),
        ("C:\\Windows\\win.dcm", &dcm, zip::CompressionMethod::Stored),
        ("bad\u{1}name.dcm", &dcm, zip::CompressionMethod::Stored),
    ]);
    let entry = scan_bytes("names.zip", &zip, &Limits::default());
    let paths: Vec<&str> = entry
        .members
        .iter()
        .flatten()
        .map(|m| m.path.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "names.zip!/evil.dcm",
            "names.zip!/abs/olute.dcm",
            "names.zip!/Windows/win.dcm",
            "names.zip!/bad_name.dcm"
        ]
    );
    for m in entry.members.iter().flatten() {
        assert_eq!(m.kind, FileKind::Dicom);
        assert!(
            m.notes.iter().any(|n| n.contains("neutralised")),
            "{}: {:?}",
            m.path,
            m.notes
        );
    }
    let corpus_slip = scan_bytes(
        "zipslip.zip",
        &corpus("case-bad-input/zipslip.zip"),
        &Limits::default(),
    );
    assert!(corpus_slip
        .members
        .iter()
        .flatten()
        .all(|m| !m.path.contains("..")));
}

#[test]
fn nested_zips_open_to_the_depth_limit() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dcm = corpus("case-cd-ct/IMAGES/SER00001/IM000001");
    let mut inner = zip_of(&[("DICOM/IM1", &dcm, zip::CompressionMethod::Deflated)]);
    for level in 0..4 {
        let method = if level % 2 == 0 {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        inner = zip_of(&[(&format!("level{level}.zip"), &inner, method)]);
    }
    let entry = scan_bytes("outer.zip", &inner, &Limits::default());
    // outer.zip, level3 and level2 are opened (3 levels); level1.zip is listed, not opened.
    let mut at = &entry;
    let mut depth = 0;
    while let Some(first) = at.members.as_ref().and_then(|m| m.first()) {
        at = first;
        depth += 1;
    }
    assert_eq!(depth, 3, "{}", at.path);
    assert_eq!(at.path, "outer.zip!/level3.zip!/level2.zip!/level1.zip");
    assert_eq!(at.kind, FileKind::Archive);
    assert!(
        at.notes
            .iter()
            .any(|n| n.contains("nested more than 3 deep")),
        "{:?}",
        at.notes
    );

    let shallow = zip_of(&[(
        "inner.zip",
        &zip_of(&[("DICOM/IM1", &dcm, zip::CompressionMethod::Deflated)]),
        zip::CompressionMethod::Deflated,
    )]);
    let entry = scan_bytes("x.zip", &shallow, &Limits::default());
    let member = &entry.members.as_ref().unwrap()[0].members.as_ref().unwrap()[0];
    assert_eq!(member.path, "x.zip!/inner.zip!/DICOM/IM1");
    assert_eq!(member.kind, FileKind::Dicom);
}

#[test]
fn random_bytes_after_a_dicm_marker_are_corrupt_not_a_crash() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for round in 0..300 {
        let len = 132 + (round * 7) % 3000;
        let mut file = vec![0u8; len];
        for b in file.iter_mut() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *b = state as u8;
        }
        file[128..132].copy_from_slice(b"DICM");
        if round % 2 == 0 {
            // Keep a valid start of the meta group so the walker gets further.
            file.splice(132..132, [0x02, 0x00, 0x00, 0x00, b'U', b'L', 4, 0]);
        }
        let (entry, peak, largest) = measured_scan("random.dcm", &file);
        assert_bounded("random", file.len(), peak, largest);
        assert!(
            matches!(entry.kind, FileKind::Corrupt | FileKind::Dicom),
            "{:?}",
            entry.kind
        );
    }
}

#[test]
fn fuzz_regressions_stay_fixed() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // Inputs the fuzzers found (fuzz/README.md lists each with its fix), as plain files.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (entry, peak, largest) = measured_scan(&name, &bytes);
        assert_bounded(&name, bytes.len(), peak, largest);
        assert!(!entry.reason.is_empty());
        seen += 1;
    }
    assert!(
        seen >= 2,
        "the regression inputs are missing from {}",
        dir.display()
    );
}

/// A PNG chunk with its CRC.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    c.extend_from_slice(&crc.finalize().to_be_bytes());
    c
}

/// A grey 8-bit PNG of `width × height` black pixels, its rows deflated (a decompression bomb
/// when large: a few KB that inflate to `width × height` bytes).
fn black_png(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let row = vec![0u8; width as usize + 1];
    for _ in 0..height {
        z.write_all(&row).unwrap();
    }
    let idat = z.finish().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &ihdr));
    png.extend(png_chunk(b"IDAT", &idat));
    png.extend(png_chunk(b"IEND", &[]));
    png
}

fn picture_reason(entry: &FileEntry) -> String {
    let p = entry
        .picture
        .as_ref()
        .unwrap_or_else(|| panic!("{}: no picture: {entry:?}", entry.path));
    assert_eq!(
        p.subject.as_str(),
        "unknown",
        "{}: {}",
        entry.path,
        p.reason
    );
    p.reason.clone()
}

#[test]
fn a_huge_picture_header_is_not_decoded() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // 60,000 × 60,000 claimed in the header, one row of data.
    let mut ihdr = 60_000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &ihdr));
    png.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(png_chunk(b"IEND", &[]));
    let (entry, peak, largest) = measured_scan("huge.png", &png);
    let reason = picture_reason(&entry);
    assert!(
        reason.contains("60000 × 60000") && reason.contains("50 megapixel limit"),
        "{reason}"
    );
    assert_bounded("huge PNG header", png.len(), peak, largest);
}

#[test]
fn picture_decompression_bombs_stop_at_the_limits() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // 100 MP of black in ~100 KB: over the pixel limit, refused before any pixel is inflated.
    let bomb = black_png(10_000, 10_000);
    assert!(bomb.len() < 200 << 10, "{}", bomb.len());
    let (entry, peak, largest) = measured_scan("bomb.png", &bomb);
    assert!(picture_reason(&entry).contains("megapixel limit"));
    assert_bounded("100 MP PNG bomb", bomb.len(), peak, largest);

    // Under the pixel limit but over a decoder allocation limit of 8 MiB: the decoder stops.
    let bomb = black_png(4_000, 4_000);
    let limits = Limits {
        max_picture_alloc: 8 << 20,
        ..Limits::default()
    };
    let (entry, _, largest) = counting::measure(|| scan_bytes("bomb16.png", &bomb, &limits));
    let reason = picture_reason(&entry);
    assert!(
        reason.starts_with("The picture could not be decoded ("),
        "{reason}"
    );
    assert!(largest <= 8 << 20, "one allocation of {largest} bytes");
}

#[test]
fn a_loose_picture_is_decoded_as_it_is_read_not_held_whole() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // A 64 × 64 JPEG carrying 8 MiB of application segments (as a camera's maker notes or a
    // motion photo can): decoding it needs a few KiB, never the file in one buffer.
    let mut small = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut small)
        .encode(
            &[200u8; 64 * 64 * 3],
            64,
            64,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    // The segments go right before the scan (after the frame header, which the file's first
    // look wants near the start).
    let sos = small.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let mut jpeg = small[..sos].to_vec();
    for _ in 0..128 {
        jpeg.extend_from_slice(&[0xFF, 0xEF, 0xFF, 0xFF]); // APP15, 65,535 bytes with its length
        jpeg.extend(std::iter::repeat_n(0u8, 0xFFFF - 2));
    }
    jpeg.extend_from_slice(&small[sos..]);
    let (entry, peak, largest) = measured_scan("IMG_20240101_120000.jpg", &jpeg);
    let picture = entry
        .picture
        .as_ref()
        .unwrap_or_else(|| panic!("the picture is looked at: {entry:?}"));
    assert_ne!(picture.subject.as_str(), "unknown", "{}", picture.reason);
    assert!(
        entry.bytes_read <= entry.size && entry.bytes_read > 8 << 20,
        "{} of {}",
        entry.bytes_read,
        entry.size
    );
    assert!(
        peak < 1 << 20,
        "peak {peak} bytes for a {}-byte picture",
        jpeg.len()
    );
    assert!(largest < 1 << 20, "one allocation of {largest} bytes");
}

#[test]
fn truncated_pictures_get_a_clear_answer() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-records");
    for rel in [
        "case-liver-pictures/mmexport1699406122334.jpg",
        "case-liver-imaging/Screenshot_20231106-210833.png",
    ] {
        let full = std::fs::read(dir.join(rel)).unwrap();
        for tenth in [1, 3, 5, 9] {
            let cut = full.len() * tenth / 10;
            let entry = scan_bytes(rel, &full[..cut], &Limits::default());
            // Never a crash, never a guess from a half picture: the reason says what is wrong.
            let reason = picture_reason(&entry);
            assert!(
                reason.starts_with("The picture could not be decoded (")
                    || reason.starts_with("The JPEG file is cut short"),
                "{rel} cut at {cut}: {reason}"
            );
        }
    }
}
