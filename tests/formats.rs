//! DICOM encodings the corpus does not cover, built byte by byte: explicit VR big endian with
//! and without a meta group, deflated data sets, `DICM` at offset 0, headers larger than the
//! first read, and large values before Pixel Data that must be skipped, not read.

use std::io::Write;

use record_precheck::{scan_bytes, FileKind, Limits};

#[derive(Clone, Copy)]
enum Order {
    Little,
    Big,
}

fn element(order: Order, group: u16, elem: u16, vr: &[u8; 2], value: &[u8]) -> Vec<u8> {
    let u16b = |v: u16| match order {
        Order::Little => v.to_le_bytes(),
        Order::Big => v.to_be_bytes(),
    };
    let u32b = |v: u32| match order {
        Order::Little => v.to_le_bytes(),
        Order::Big => v.to_be_bytes(),
    };
    let mut value = value.to_vec();
    if value.len() % 2 == 1 {
        value.push(if vr == b"UI" || vr == b"OB" { 0 } else { b' ' });
    }
    let mut v = Vec::new();
    v.extend_from_slice(&u16b(group));
    v.extend_from_slice(&u16b(elem));
    v.extend_from_slice(vr);
    if matches!(vr, b"OB" | b"OW" | b"SQ" | b"UN" | b"UT" | b"UC") {
        v.extend_from_slice(&[0, 0]);
        v.extend_from_slice(&u32b(value.len() as u32));
    } else {
        v.extend_from_slice(&u16b(value.len() as u16));
    }
    v.extend_from_slice(&value);
    v
}

/// A small CT data set; `extra` goes between the identifying elements and Pixel Data.
fn dataset(order: Order, extra: &[u8]) -> Vec<u8> {
    let e = |g, el, vr, v: &[u8]| element(order, g, el, vr, v);
    let mut d = Vec::new();
    d.extend(e(0x0008, 0x0005, b"CS", b"ISO_IR 192"));
    d.extend(e(0x0008, 0x0016, b"UI", b"1.2.840.10008.5.1.4.1.1.2"));
    d.extend(e(0x0008, 0x0018, b"UI", b"1.2.3.4.5.6"));
    d.extend(e(0x0008, 0x0060, b"CS", b"CT"));
    d.extend(e(0x0010, 0x0010, b"PN", "Li^Hua=李^华".as_bytes()));
    d.extend(e(0x0010, 0x0020, b"LO", b"P-001"));
    d.extend(e(0x0020, 0x000D, b"UI", b"1.2.3.4"));
    d.extend(e(0x0020, 0x000E, b"UI", b"1.2.3.4.5"));
    d.extend(e(0x0020, 0x0013, b"IS", b"7"));
    d.extend_from_slice(extra);
    d.extend(e(
        0x0028,
        0x0010,
        b"US",
        &match order {
            Order::Little => 4u16.to_le_bytes(),
            Order::Big => 4u16.to_be_bytes(),
        },
    ));
    d.extend(e(0x7FE0, 0x0010, b"OW", &[0u8; 32]));
    d
}

fn part10(ts: &str, body: &[u8]) -> Vec<u8> {
    let e = |g, el, vr, v: &[u8]| element(Order::Little, g, el, vr, v);
    let mut meta = Vec::new();
    meta.extend(e(0x0002, 0x0001, b"OB", &[0, 1]));
    meta.extend(e(0x0002, 0x0002, b"UI", b"1.2.840.10008.5.1.4.1.1.2"));
    meta.extend(e(0x0002, 0x0003, b"UI", b"1.2.3.4.5.6"));
    meta.extend(e(0x0002, 0x0010, b"UI", ts.as_bytes()));
    let mut out = vec![0u8; 128];
    out.extend_from_slice(b"DICM");
    out.extend(e(0x0002, 0x0000, b"UL", &(meta.len() as u32).to_le_bytes()));
    out.extend(meta);
    out.extend_from_slice(body);
    out
}

fn assert_ct(bytes: &[u8], want_ts: &str, reason_has: &str) {
    let entry = scan_bytes("x", bytes, &Limits::default());
    assert_eq!(
        entry.kind,
        FileKind::Dicom,
        "{} {:?}",
        entry.reason,
        entry.error
    );
    assert!(entry.reason.contains(reason_has), "{}", entry.reason);
    let d = entry.dicom.unwrap();
    assert_eq!(d.transfer_syntax.as_deref(), Some(want_ts));
    assert_eq!(d.patient_name.as_deref(), Some("Li^Hua=李^华"));
    assert_eq!(d.patient_id.as_deref(), Some("P-001"));
    assert_eq!(d.modality.as_deref(), Some("CT"));
    assert_eq!(d.instance_number, Some(7));
    assert_eq!(d.rows, Some(4));
    assert_eq!(d.series_instance_uid.as_deref(), Some("1.2.3.4.5"));
    assert!(!d.truncated);
}

#[test]
fn explicit_big_endian_with_and_without_meta() {
    assert_ct(
        &part10("1.2.840.10008.1.2.2", &dataset(Order::Big, &[])),
        "1.2.840.10008.1.2.2",
        "DICM at byte 128",
    );
    assert_ct(
        &dataset(Order::Big, &[]),
        "1.2.840.10008.1.2.2",
        "explicit VR big endian",
    );
}

#[test]
fn explicit_little_endian_without_meta_and_dicm_at_zero() {
    assert_ct(
        &dataset(Order::Little, &[]),
        "1.2.840.10008.1.2.1",
        "explicit VR little endian",
    );
    let mut at_zero = part10("1.2.840.10008.1.2.1", &dataset(Order::Little, &[]));
    at_zero.drain(..128);
    assert_ct(&at_zero, "1.2.840.10008.1.2.1", "DICM at byte 0");
}

#[test]
fn deflated_data_set() {
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&dataset(Order::Little, &[])).unwrap();
    let deflated = z.finish().unwrap();
    assert_ct(
        &part10("1.2.840.10008.1.2.1.99", &deflated),
        "1.2.840.10008.1.2.1.99",
        "DICM at byte 128",
    );
}

#[test]
fn a_header_longer_than_the_first_read_is_followed_to_its_end() {
    // 20 KiB of private text before Pixel Data: the header outgrows the first 8 KiB read.
    let mut extra = Vec::new();
    for i in 0..20u16 {
        extra.extend(element(
            Order::Little,
            0x0029,
            0x1000 + i,
            b"LT",
            &[b'x'; 1000],
        ));
    }
    let file = part10("1.2.840.10008.1.2.1", &dataset(Order::Little, &extra));
    assert_ct(&file, "1.2.840.10008.1.2.1", "DICM");
    let entry = scan_bytes("x", &file, &Limits::default());
    let d = entry.dicom.unwrap();
    assert_eq!(d.pixel_data_offset, Some(file.len() as u64 - 32));
    assert!(
        entry.bytes_read >= d.pixel_data_offset.unwrap() && entry.bytes_read <= file.len() as u64
    );
}

#[test]
fn large_values_before_pixel_data_are_skipped_not_kept() {
    // A 12 MiB OB (more than the 8 MiB header cap) and a 2 MiB UT before Pixel Data.
    let mut extra = element(Order::Little, 0x0042, 0x0011, b"OB", &vec![1u8; 12 << 20]);
    extra.extend(element(
        Order::Little,
        0x0029,
        0x1010,
        b"UT",
        &vec![b'y'; 2 << 20],
    ));
    let file = part10("1.2.840.10008.1.2.1", &dataset(Order::Little, &extra));
    assert_ct(&file, "1.2.840.10008.1.2.1", "DICM");
    let d = scan_bytes("x", &file, &Limits::default()).dicom.unwrap();
    assert!(
        d.header_bytes < 4096,
        "kept {} header bytes",
        d.header_bytes
    );
}

#[test]
fn cut_inside_plain_pixel_data_is_dicom_marked_truncated() {
    let mut file = part10("1.2.840.10008.1.2.1", &dataset(Order::Little, &[]));
    file.truncate(file.len() - 10);
    let entry = scan_bytes("x", &file, &Limits::default());
    assert_eq!(entry.kind, FileKind::Dicom);
    assert!(entry.dicom.unwrap().truncated);
    assert!(
        entry.notes.iter().any(|n| n.starts_with("truncated-file")),
        "{:?}",
        entry.notes
    );
}

#[test]
fn unknown_transfer_syntax_is_read_as_explicit_little_endian() {
    let file = part10("1.2.3.4.5.999", &dataset(Order::Little, &[]));
    let entry = scan_bytes("x", &file, &Limits::default());
    assert_eq!(entry.kind, FileKind::Dicom, "{:?}", entry.error);
    assert_eq!(entry.dicom.unwrap().patient_id.as_deref(), Some("P-001"));
}
