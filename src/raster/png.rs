//! PNG: the IHDR size and, from the chunks inside `head`, `tEXt`/`iTXt` "Software", XMP and `eXIf`.
//!
//! Hand-written: neither `imagesize` nor `kamadak-exif` exposes PNG text chunks.

use super::bytes::{be32, contains_ci, latin1_text, search_prefix, split_nul, utf8_text};
use super::{exif, Evidence, RasterFacts};
use crate::text::{msg, Message};

pub(super) fn read_png(
    head: &[u8],
    facts: &mut RasterFacts,
    ev: &mut Evidence,
) -> Result<(), Message> {
    if head.len() < 16 {
        return Err(msg!("error.raster.png-short", bytes = head.len()));
    }
    if head.get(12..16) != Some(&b"IHDR"[..]) {
        return Err(msg!("error.raster.png-no-ihdr"));
    }
    let ihdr_len = be32(head, 8).unwrap_or(0);
    if ihdr_len != 13 {
        return Err(msg!("error.raster.png-ihdr-length", length = ihdr_len));
    }
    let (Some(w), Some(h)) = (be32(head, 16), be32(head, 20)) else {
        return Err(msg!("error.raster.png-ihdr-cut"));
    };
    if w == 0 || h == 0 {
        return Err(msg!("error.raster.png-empty", width = w, height = h));
    }
    if w > 0x7FFF_FFFF || h > 0x7FFF_FFFF {
        return Err(msg!("error.raster.png-too-large"));
    }
    facts.width = Some(w);
    facts.height = Some(h);

    // Walk the remaining chunks inside `head`; each step moves >= 12 bytes.
    let mut pos: usize = 8 + 12 + 13;
    while let (Some(len), Some(kind)) = (be32(head, pos), head.get(pos + 4..pos + 8)) {
        let Ok(len) = usize::try_from(len) else { break };
        let start = pos + 8;
        let Some(data) = start.checked_add(len).and_then(|end| head.get(start..end)) else {
            break;
        };
        match kind {
            b"tEXt" if facts.software.is_none() => facts.software = png_text_software(data),
            b"iTXt" => png_itxt(data, facts, ev),
            b"eXIf" => exif::apply_raw(data, facts, ev),
            b"IEND" => break,
            _ => {}
        }
        pos = start + len + 4;
    }
    Ok(())
}

/// tEXt: keyword\0 Latin-1 text.
fn png_text_software(data: &[u8]) -> Option<String> {
    let (key, text) = split_nul(data)?;
    if key == b"Software" {
        latin1_text(text)
    } else {
        None
    }
}

/// iTXt: keyword\0 flag method language\0 translated\0 text (uncompressed only).
fn png_itxt(data: &[u8], facts: &mut RasterFacts, ev: &mut Evidence) {
    let Some((key, rest)) = split_nul(data) else {
        return;
    };
    let (Some(&flag), Some(rest)) = (rest.first(), rest.get(2..)) else {
        return;
    };
    if flag != 0 {
        return;
    }
    let Some((_lang, rest)) = split_nul(rest) else {
        return;
    };
    let Some((_translated, text)) = split_nul(rest) else {
        return;
    };
    if key == b"Software" && facts.software.is_none() {
        facts.software = utf8_text(text);
    } else if key == b"XML:com.adobe.xmp" && contains_ci(search_prefix(text), b"screenshot") {
        ev.xmp_screenshot = true;
    }
}

#[cfg(test)]
mod tests {
    use crate::raster::classify::is_screen_size;
    use crate::raster::testdata::{png, run};
    use crate::raster::RasterKind;

    #[test]
    fn png_screen_sized_is_screenshot() {
        let v = run("viewer.png", &png(1920, 1080, &[], &[]));
        assert_eq!(v.kind, RasterKind::Screenshot);
        assert_eq!(
            v.reason.to_string(),
            "PNG 1920×1080, no camera EXIF, screen-sized"
        );
        assert_eq!((v.facts.width, v.facts.height), (Some(1920), Some(1080)));
        // HiDPI multiple, a few px off, phone portrait.
        assert!(is_screen_size(2880, 1800));
        assert!(is_screen_size(1922, 1078));
        assert!(is_screen_size(1170, 2532));
        assert!(is_screen_size(2532, 1170));
        assert!(!is_screen_size(4032, 3024));
        assert!(!is_screen_size(1000, 1000));
    }

    #[test]
    fn png_hints() {
        let v = run("a.png", &png(1000, 700, &[("Software", "Greenshot")], &[]));
        assert_eq!(v.kind, RasterKind::Screenshot);
        assert!(
            v.reason.to_string().contains("Software=Greenshot"),
            "{}",
            v.reason
        );
        assert_eq!(v.facts.software.as_deref(), Some("Greenshot"));

        let xmp = "<x:xmpmeta><exif:UserComment>Screenshot</exif:UserComment></x:xmpmeta>";
        let v = run(
            "IMG_0001.PNG",
            &png(1000, 700, &[], &[("XML:com.adobe.xmp", xmp)]),
        );
        assert!(v.reason.to_string().contains("XMP"), "{}", v.reason);

        let v = run("微信截图_20240301.png", &png(1000, 700, &[], &[]));
        assert!(
            v.reason.to_string().contains("screenshot-style name"),
            "{}",
            v.reason
        );

        let v = run("export.png", &png(1000, 700, &[], &[]));
        assert_eq!(v.kind, RasterKind::Screenshot);
        assert!(
            v.reason.to_string().contains("no camera EXIF"),
            "{}",
            v.reason
        );
        // iOS names screenshots IMG_1234.PNG: no photo rule for PNG.
        let v = run("IMG_1234.PNG", &png(4032, 3024, &[], &[]));
        assert_eq!(v.kind, RasterKind::Screenshot);
    }
}
