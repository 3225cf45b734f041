//! Content recognition from the first bytes of a file: which family it belongs to and why.
//! Magic numbers decide; the name is only a tie-breaker (viewer-software folders, `.dcm` files
//! that turn out not to be DICOM, old Office files). Owns [`Sniff`] and [`sniff`].
//!
//! Deeper reading (DICOM headers, image metadata, zip contents) belongs to the modules that
//! [`crate::recognise`] calls next; this one only looks at the bytes it is given.

use crate::dicom::walk;
use crate::dicom::DicomStart;
use crate::raster;

/// The family a file belongs to, from its first bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniff {
    Empty,
    Dicom(DicomStart),
    Zip,
    Pdf,
    /// A raster image format (`png`, `jpeg`, `tiff`, `heic`…).
    Raster(&'static str),
    /// An OLE compound file: old Word/Excel/PowerPoint, or an installer.
    OleCompound,
    Rtf,
    /// Readable text (plain, HTML, XML, CSV…).
    Text,
    /// A program or installer; the reason (a message id, `reason.program.*`) says which kind.
    Software(&'static str),
    /// An archive format we do not open (`reason.archive.*`).
    OtherArchive(&'static str),
    /// Operating-system leftovers: resource forks, thumbnail caches, folder settings
    /// (`reason.junk.*`).
    Junk(&'static str),
    /// Something else: the reason's id when the format is known (video, audio, font).
    Unknown(Option<&'static str>),
}

/// Recognises a file from its first bytes (`head`, as many as were read: a few KiB), its name
/// and its total size.
pub fn sniff(name: &str, head: &[u8], size: u64) -> Sniff {
    if size == 0 {
        return Sniff::Empty;
    }
    if let Some(junk) = junk_name(name) {
        return Sniff::Junk(junk);
    }
    if head.get(128..132) == Some(b"DICM") {
        return Sniff::Dicom(DicomStart::Part10 { dicm_at: 128 });
    }
    if head.starts_with(b"DICM") {
        return Sniff::Dicom(DicomStart::Part10 { dicm_at: 0 });
    }
    if let Some(enc) = walk::guess_encoding(head) {
        return Sniff::Dicom(DicomStart::Legacy(enc));
    }
    if head.starts_with(b"PK\x03\x04")
        || head.starts_with(b"PK\x05\x06")
        || head.starts_with(b"PK\x07\x08")
    {
        return Sniff::Zip;
    }
    // PDF readers accept a little junk before the signature, so look in the first KiB.
    if head[..head.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        return Sniff::Pdf;
    }
    if let Some(format) = raster::detect_format(head) {
        return Sniff::Raster(format);
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Sniff::OleCompound;
    }
    if head.starts_with(b"{\\rtf") {
        return Sniff::Rtf;
    }
    if let Some(what) = executable(head) {
        return Sniff::Software(what);
    }
    if let Some(what) = other_archive(head) {
        return Sniff::OtherArchive(what);
    }
    if head.starts_with(&[0x00, 0x05, 0x16, 0x07]) {
        return Sniff::Junk("reason.junk.appledouble");
    }
    if head.starts_with(b"Bud1") || head.get(4..8) == Some(b"Bud1") {
        return Sniff::Junk("reason.junk.ds-store");
    }
    if let Some(what) = media(head) {
        return Sniff::Unknown(Some(what));
    }
    if looks_like_text(head) {
        return Sniff::Text;
    }
    Sniff::Unknown(None)
}

/// The last component of a `/`-separated path.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The lower-case extension of a path's file name, without the dot.
pub fn extension(path: &str) -> Option<String> {
    let name = file_name(path);
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty() && ext.len() <= 8).then(|| ext.to_ascii_lowercase())
}

/// Whether a path lies in a folder that CD viewer programs are shipped in. Only used for files
/// whose content is not imaging, a document format or a picture.
pub fn in_viewer_folder(path: &str) -> bool {
    const FOLDERS: [&str; 12] = [
        "viewer",
        "viewers",
        "dicomviewer",
        "dicom viewer",
        "program",
        "programs",
        "bin",
        "jre",
        "runtime",
        "plugins",
        "autorun",
        "setup",
    ];
    let mut parts: Vec<&str> = path.split(['/', '\\']).collect();
    parts.pop();
    parts.iter().any(|p| {
        let p = p.to_ascii_lowercase();
        FOLDERS.contains(&p.as_str()) || p.ends_with("viewer") || p.ends_with("viewer.app")
    })
}

/// Names of files that operating systems leave behind.
fn junk_name(path: &str) -> Option<&'static str> {
    let name = file_name(path);
    if path.split(['/', '\\']).any(|p| p == "__MACOSX") {
        return Some("reason.junk.macosx");
    }
    match name.to_ascii_lowercase().as_str() {
        "thumbs.db" | "ehthumbs.db" => Some("reason.junk.thumbs"),
        ".ds_store" => Some("reason.junk.ds-store"),
        "desktop.ini" => Some("reason.junk.desktop-ini"),
        _ if name.starts_with("._") => Some("reason.junk.appledouble"),
        _ => None,
    }
}

fn executable(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"MZ") {
        Some("reason.program.windows")
    } else if head.starts_with(b"\x7fELF") {
        Some("reason.program.linux")
    } else if [
        [0xFE, 0xED, 0xFA, 0xCE],
        [0xFE, 0xED, 0xFA, 0xCF],
        [0xCE, 0xFA, 0xED, 0xFE],
        [0xCF, 0xFA, 0xED, 0xFE],
    ]
    .iter()
    .any(|m| head.starts_with(m))
    {
        Some("reason.program.macos")
    } else if head.starts_with(&[0xCA, 0xFE, 0xBA, 0xBE]) {
        Some("reason.program.macos-universal")
    } else if head.starts_with(b"MSCF") {
        Some("reason.program.cab")
    } else if head.starts_with(b"#!") {
        Some("reason.program.script")
    } else {
        None
    }
}

fn other_archive(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"Rar!\x1a\x07") {
        Some("reason.archive.rar")
    } else if head.starts_with(&[b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C]) {
        Some("reason.archive.7z")
    } else if head.starts_with(&[0x1F, 0x8B]) {
        Some("reason.archive.gzip")
    } else if head.starts_with(b"BZh") && head.get(3).is_some_and(|b| (b'1'..=b'9').contains(b)) {
        Some("reason.archive.bzip2")
    } else if head.starts_with(&[0xFD, b'7', b'z', b'X', b'Z', 0x00]) {
        Some("reason.archive.xz")
    } else if head.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
        Some("reason.archive.zstd")
    } else if head.get(257..262) == Some(b"ustar") {
        Some("reason.archive.tar")
    } else {
        None
    }
}

fn media(head: &[u8]) -> Option<&'static str> {
    if head.get(4..8) == Some(b"ftyp") {
        Some("reason.media.mp4")
    } else if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some("reason.media.matroska")
    } else if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"AVI ") {
        Some("reason.media.avi")
    } else if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WAVE")
        || head.starts_with(b"ID3")
    {
        Some("reason.media.audio")
    } else if head.starts_with(b"OggS") {
        Some("reason.media.ogg")
    } else if head.starts_with(b"wOFF")
        || head.starts_with(b"wOF2")
        || head.starts_with(&[0, 1, 0, 0, 0])
    {
        Some("reason.media.font")
    } else {
        None
    }
}

/// Text in UTF-8, UTF-16 (with BOM) or GB18030, with almost no control characters.
fn looks_like_text(head: &[u8]) -> bool {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    if head.contains(&0) {
        return false;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A | 0x1B))
        .count();
    if controls * 100 > head.len() {
        return false;
    }
    // The head may end in the middle of a multi-byte character (UTF-8: up to 3 bytes of one;
    // GB18030: up to 3 of a four-byte one): an unfinished last character is not an error.
    let utf8 = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    utf8 || (0..4).any(|cut| {
        head.len() > cut
            && crate::dicom::charset::gb18030_strict(&head[..head.len() - cut]).is_some()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A head cut inside a character is still text: GB18030 ("病历" is B2A1 C0FA in GB 2312,
    /// written out by hand) and UTF-8, cut after each byte of the last character.
    #[test]
    fn a_head_cut_inside_a_character_is_text() {
        let gb: Vec<u8> = std::iter::once(b'a')
            .chain(b"\xB2\xA1\xC0\xFA".iter().copied().cycle().take(4 * 100))
            .collect();
        for cut in 0..4 {
            assert!(
                looks_like_text(&gb[..gb.len() - cut]),
                "GB18030 cut by {cut}"
            );
        }
        let utf8 = "病历 ".repeat(100);
        for cut in 0..4 {
            let head = &utf8.as_bytes()[..utf8.len() - cut];
            assert!(looks_like_text(head), "UTF-8 cut by {cut}");
        }
        // A stray byte in the middle is not text of either kind.
        let mut bad = gb.clone();
        bad[10] = 0xFF;
        bad[11] = 0x20;
        assert!(!looks_like_text(&bad));
    }

    #[test]
    fn dicom_markers() {
        let mut part10 = vec![0u8; 132];
        part10[128..].copy_from_slice(b"DICM");
        assert_eq!(
            sniff("x", &part10, 132),
            Sniff::Dicom(DicomStart::Part10 { dicm_at: 128 })
        );
        assert_eq!(
            sniff("x", b"DICM\x02\x00", 6),
            Sniff::Dicom(DicomStart::Part10 { dicm_at: 0 })
        );
    }

    #[test]
    fn common_magic_numbers() {
        assert_eq!(sniff("a", b"", 0), Sniff::Empty);
        assert_eq!(sniff("a.pdf", b"%PDF-1.7\n", 9), Sniff::Pdf);
        assert_eq!(sniff("a", b"PK\x03\x04rest", 8), Sniff::Zip);
        assert_eq!(
            sniff("a", b"MZ\x90\x00", 4),
            Sniff::Software("reason.program.windows")
        );
        assert_eq!(
            sniff("a", b"Rar!\x1a\x07\x01\x00", 8),
            Sniff::OtherArchive("reason.archive.rar")
        );
        assert_eq!(
            sniff("a.txt", "病理报告 pathology\n".as_bytes(), 30),
            Sniff::Text
        );
        assert_eq!(
            sniff(
                "a.doc",
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0],
                9
            ),
            Sniff::OleCompound
        );
        assert_eq!(
            sniff("__MACOSX/._x.dcm", b"\x00\x05\x16\x07", 4),
            Sniff::Junk("reason.junk.macosx")
        );
        assert_eq!(
            sniff("blob", &[0x00, 0x01, 0x02, 0x03, 0xFF, 0x00], 6),
            Sniff::Unknown(None)
        );
    }

    #[test]
    fn names() {
        assert_eq!(extension("A/B/IM000001"), None);
        assert_eq!(extension("x/Scan.DCM"), Some("dcm".into()));
        assert_eq!(extension(".bashrc"), None);
        assert!(in_viewer_folder("case/VIEWER/VIEWER.EXE"));
        assert!(in_viewer_folder("cd/RadiAntViewer/lib.dll"));
        assert!(!in_viewer_folder("case/IMAGES/IM1"));
        assert!(!in_viewer_folder("viewer"));
    }
}
