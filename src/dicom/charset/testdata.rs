//! Test helpers and byte strings shared by the tests of the charset modules.

use super::{decode, Repair};

pub(super) fn cs(terms: &[&str]) -> Vec<String> {
    terms.iter().map(|t| (*t).to_owned()).collect()
}

pub(super) fn text(raw: &[u8], terms: &[&str], pn: bool) -> String {
    let d = decode(raw, &cs(terms), pn);
    assert_eq!(d.repair, None, "unexpected repair for {raw:02x?}");
    d.text
}

pub(super) fn repaired_as(raw: &[u8], terms: &[&str], pn: bool) -> (String, Repair) {
    let d = decode(raw, &cs(terms), pn);
    let r = d
        .repair
        .unwrap_or_else(|| panic!("no repair: {:?}", d.text));
    (d.text, r)
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

// Byte literals copied from /work/shared/corpus/case-chinese-charset
// (PatientName raw bytes and SpecificCharacterSet, read with pydicom).
pub(super) const CT_IR58: &[u8] = b"Wang^XiaoDong=\x1b$)A\xcd\xf5^\x1b$)A\xd0\xa1\xb6\xab=";
pub(super) const CT_UTF8: &[u8] = b"Wang^XiaoDong=\xe7\x8e\x8b^\xe5\xb0\x8f\xe4\xb8\x9c= ";
pub(super) const MR_NO_CHARSET: &[u8] = b"\xcd\xf5\xd0\xa1\xb6\xab";
pub(super) const CHRX1: &[u8] = b"Wang^XiaoDong=\xe7\x8e\x8b^\xe5\xb0\x8f\xe6\x9d\xb1= ";
pub(super) const CHRX2: &[u8] = b"Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab=";

// PS3.5 H.3.1, built from the JIS X 0208 codes.
pub(super) fn japanese_h31() -> Vec<u8> {
    cat(&[
        b"Yamada^Tarou=",
        b"\x1b$B\x3b\x33\x45\x44\x1b(B^\x1b$B\x42\x40\x4f\x3a\x1b(B=",
        b"\x1b$B\x24\x64\x24\x5e\x24\x40\x1b(B^\x1b$B\x24\x3f\x24\x6d\x24\x26\x1b(B",
    ])
}

// PS3.5 H.3.2: katakana first value, JIS X 0201 Roman as the return set.
pub(super) fn japanese_h32() -> Vec<u8> {
    cat(&[
        b"\xd4\xcf\xc0\xde^\xc0\xdb\xb3=",
        b"\x1b$B\x3b\x33\x45\x44\x1b(J^\x1b$B\x42\x40\x4f\x3a\x1b(J=",
        b"\x1b$B\x24\x64\x24\x5e\x24\x40\x1b(J^\x1b$B\x24\x3f\x24\x6d\x24\x26\x1b(J",
    ])
}

// PS3.5 I.2, KS X 1001 in G1.
pub(super) fn korean_i2() -> Vec<u8> {
    cat(&[
        b"Hong^Gildong=",
        b"\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7=",
        b"\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf",
    ])
}
