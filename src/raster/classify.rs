//! The judgement: screenshot vs photo vs whole-slide image, from the facts and evidence the
//! format readers gathered, with the name, screen-size and vendor-word tables it uses.

use serde_json::Value;

use super::bytes::{contains_ci, search_prefix, truncate_chars};
use super::tiff::Ifd0;
use super::{kib_text, Evidence, Fmt, RasterFacts, RasterKind};
use crate::text::{msg, Message};

/// Slide dimension threshold.
const SLIDE_MIN_PX: u32 = 10_000;

pub(super) fn classify(
    fmt: Fmt,
    name: &str,
    head_len: usize,
    facts: &RasterFacts,
    ev: &Evidence,
) -> (RasterKind, Message) {
    use RasterKind::{Photo, Screenshot, Slide};
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = file.to_lowercase();
    let (stem, ext) = match lower.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, e),
        _ => (lower.as_str(), ""),
    };
    let label = match &ev.tiff {
        Some(t) if t.big => "BigTIFF",
        _ => fmt.label(),
    };
    let dims = size_text(facts);
    let shot_name = is_screenshot_name(&lower);

    // 1. Whole-slide images.
    if let Some(t) = &ev.tiff {
        let slide_ext = matches!(ext, "svs" | "ndpi" | "scn" | "mrxs" | "bif");
        if let Some(reason) = &t.slide {
            return (Slide, reason.clone());
        }
        if t.dir_unread {
            let read = kib_text(head_len);
            if slide_ext {
                return (
                    Slide,
                    msg!(
                        "reason.raster.slide-dir-unread",
                        label = label,
                        ext = ext,
                        read = read
                    ),
                );
            }
            return (
                Screenshot,
                msg!("reason.raster.tiff-dir-unread", label = label, read = read),
            );
        }
        let longest = facts.width.max(facts.height).unwrap_or(0);
        if t.tiled && longest >= SLIDE_MIN_PX && (t.dirs_at_least >= 2 || t.sub_ifds || t.big) {
            let count = t.dirs_at_least;
            let levels = if t.sub_ifds && count < 2 {
                msg!("part.raster.levels-subifd")
            } else if facts.pages == Some(1) {
                msg!("part.raster.levels-one")
            } else if facts.pages.is_some() {
                msg!("part.raster.levels", count = count)
            } else {
                msg!("part.raster.levels-at-least", count = count)
            };
            return (
                Slide,
                msg!(
                    "reason.raster.pyramid",
                    label = label,
                    dims = dims,
                    levels = levels
                ),
            );
        }
        if t.tiled && slide_ext {
            return (
                Slide,
                msg!(
                    "reason.raster.tiled-named",
                    label = label,
                    dims = dims,
                    ext = ext
                ),
            );
        }
    }

    // 2. Camera EXIF.
    let make_model = match (&facts.camera_make, &facts.camera_model) {
        (Some(m), Some(o)) => Some(format!("Make={m}, Model={o}")),
        (Some(m), None) => Some(format!("Make={m}")),
        (None, Some(o)) => Some(format!("Model={o}")),
        (None, None) => None,
    };
    let scanner = [&facts.camera_make, &facts.camera_model]
        .into_iter()
        .flatten()
        .any(|s| s.to_lowercase().contains("scan"));
    let strong = ev.exposure || facts.has_gps;
    if let Some(mm) = &make_model {
        let is_tiff = ev.tiff.is_some();
        if scanner || (is_tiff && !strong && facts.date_taken.is_none()) {
            return (
                Screenshot,
                msg!(
                    "reason.raster.scanner",
                    label = label,
                    dims = dims,
                    camera = mm.clone()
                ),
            );
        }
        if shot_name && !strong {
            return (
                Screenshot,
                msg!(
                    "reason.raster.shot-name-exif",
                    label = label,
                    dims = dims,
                    camera = mm.clone(),
                ),
            );
        }
        return (
            Photo,
            msg!("reason.raster.camera", label = label, camera = mm.clone()),
        );
    }
    if facts.has_gps {
        return (Photo, msg!("reason.raster.gps", label = label));
    }
    if ev.exposure && facts.date_taken.is_some() {
        return (Photo, msg!("reason.raster.exposure", label = label));
    }

    // 3. Phone camera container.
    if matches!(fmt, Fmt::Heic | Fmt::Heif) {
        if shot_name {
            return (
                Screenshot,
                msg!("reason.raster.shot-name", label = label, dims = dims),
            );
        }
        return (Photo, msg!("reason.raster.phone-format", label = label));
    }

    // 4. EXIF-less JPEG named like a phone or messenger photo.
    if let Some(reason) = named_photo_reason(fmt, file, stem, facts) {
        return (Photo, reason);
    }

    // 5. Screenshots, exports, scans.
    if shot_name {
        return (
            Screenshot,
            msg!("reason.raster.shot-name", label = label, dims = dims),
        );
    }
    if let Some(sw) = facts.software.as_deref().filter(|s| is_screenshot_tool(s)) {
        return (
            Screenshot,
            msg!(
                "reason.raster.screenshot-tool",
                label = label,
                dims = dims,
                software = sw
            ),
        );
    }
    if ev.xmp_screenshot {
        return (
            Screenshot,
            msg!("reason.raster.xmp-screenshot", label = label, dims = dims),
        );
    }
    if facts
        .width
        .zip(facts.height)
        .is_some_and(|(w, h)| is_screen_size(w, h))
    {
        return (
            Screenshot,
            msg!("reason.raster.screen-sized", label = label, dims = dims),
        );
    }
    if ev.tiff.is_some() {
        return (
            Screenshot,
            msg!("reason.raster.tiff-export", label = label, dims = dims),
        );
    }
    (
        Screenshot,
        msg!("reason.raster.no-exif", label = label, dims = dims),
    )
}

/// Rule 4: camera aspect and size plus a phone-camera or messenger name.
fn named_photo_reason(fmt: Fmt, file: &str, stem: &str, facts: &RasterFacts) -> Option<Message> {
    if fmt != Fmt::Jpeg {
        return None;
    }
    let (w, h) = facts.width.zip(facts.height)?;
    let aspect = camera_aspect(w, h)?;
    let mp = f64::from(w) * f64::from(h) / 1e6;
    let short = truncate_chars(file, 40);
    let megapixels = format!("{mp:.1}");
    if is_messenger_name(stem) && mp >= 0.75 {
        return Some(msg!(
            "reason.raster.messenger",
            width = w,
            height = h,
            aspect = aspect,
            mp = megapixels,
            name = short,
        ));
    }
    if is_phone_photo_name(stem) && mp >= 2.0 {
        return Some(msg!(
            "reason.raster.phone-name",
            width = w,
            height = h,
            aspect = aspect,
            mp = megapixels,
            name = short,
        ));
    }
    None
}

fn is_screenshot_name(lower: &str) -> bool {
    const WORDS: [&str; 20] = [
        "screenshot",
        "screen shot",
        "screen_shot",
        "screen-shot",
        "screencap",
        "bildschirmfoto",
        "capture d’écran",
        "capture d'écran",
        "captura de pantalla",
        "schermata",
        "schermafbeelding",
        "スクリーンショット",
        "截屏",
        "截图",
        "屏幕截图",
        "微信截图",
        "螢幕擷取",
        "snipaste",
        "скриншот",
        "снимок экрана",
    ];
    WORDS.iter().any(|w| lower.contains(w))
}

fn is_screenshot_tool(software: &str) -> bool {
    const TOOLS: [&str; 17] = [
        "screenshot",
        "screen shot",
        "screenshooter",
        "greenshot",
        "sharex",
        "snipaste",
        "shutter",
        "spectacle",
        "flameshot",
        "lightshot",
        "snagit",
        "snipping",
        "screenclip",
        "skitch",
        "cleanshot",
        "monosnap",
        "ksnapshot",
    ];
    let lower = software.to_lowercase();
    TOOLS.iter().any(|t| lower.contains(t))
}

/// Number of ASCII digits at the start of `s`.
fn digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// IMG_1234, IMG_E1234, IMG20240101123456, IMG_20240101_..., PXL_2024...,
/// DSC_1234, DSCN1234, DSCF1234, 20240101_123456 (Samsung).
fn is_phone_photo_name(stem: &str) -> bool {
    if let Some(rest) = stem.strip_prefix("img") {
        let rest = rest.strip_prefix(['_', '-']).unwrap_or(rest);
        let rest = rest.strip_prefix('e').unwrap_or(rest);
        return digits(rest) >= 4;
    }
    if let Some(rest) = stem.strip_prefix("pxl_") {
        return digits(rest) >= 8;
    }
    if let Some(rest) = stem.strip_prefix("dsc") {
        let rest = rest.strip_prefix(['_', 'n', 'f']).unwrap_or(rest);
        return digits(rest) >= 4;
    }
    digits(stem) == 8
        && stem.get(8..9) == Some("_")
        && stem.get(9..).is_some_and(|r| digits(r) >= 6)
}

/// WeChat (mmexport…, 微信图片_…, wx_camera_…), WhatsApp (IMG-20240101-WA0001),
/// Telegram (photo_2024-…), Signal (signal-2024-…), QQ/TIM (QQ图片…), Viber.
fn is_messenger_name(stem: &str) -> bool {
    if stem.starts_with("mmexport")
        || stem.starts_with("wx_camera_")
        || stem.contains("微信图片")
        || stem.starts_with("qq图片")
        || stem.starts_with("tim图片")
        || stem.starts_with("viber_image")
    {
        return true;
    }
    if let Some(rest) = stem.strip_prefix("img-") {
        return digits(rest) == 8 && rest.get(8..11) == Some("-wa");
    }
    if let Some(rest) = stem.strip_prefix("photo_") {
        return digits(rest) >= 4;
    }
    if let Some(rest) = stem.strip_prefix("signal-") {
        return digits(rest) >= 4;
    }
    false
}

/// "4:3" or "3:2" (either orientation) within 1 %.
fn camera_aspect(w: u32, h: u32) -> Option<&'static str> {
    let (long, short) = (f64::from(w.max(h)), f64::from(w.min(h)));
    if short <= 0.0 {
        return None;
    }
    let r = long / short;
    if (r - 4.0 / 3.0).abs() <= 0.01 * 4.0 / 3.0 {
        Some(if w >= h { "4:3" } else { "3:4" })
    } else if (r - 1.5).abs() <= 0.015 {
        Some(if w >= h { "3:2" } else { "2:3" })
    } else {
        None
    }
}

/// Desktop/laptop logical resolutions; also matched at 125–200 % scale.
#[rustfmt::skip]
const LOGICAL_SCREENS: [(u32, u32); 26] = [
    (800, 600), (1024, 600), (1024, 768), (1152, 864), (1280, 720), (1280, 800), (1280, 832),
    (1280, 1024), (1360, 768), (1366, 768), (1400, 1050), (1440, 900), (1470, 956), (1512, 982),
    (1536, 864), (1600, 900), (1600, 1200), (1680, 1050), (1728, 1117), (1920, 1080),
    (1920, 1200), (2048, 1152), (2560, 1080), (2560, 1440), (2560, 1600), (3440, 1440),
];
/// Scales in quarters: 100 %, 125 %, 150 %, 175 %, 200 %.
const SCALES_X4: [u32; 5] = [4, 5, 6, 7, 8];
/// Native panel sizes of laptops, tablets and phones (portrait for phones).
#[rustfmt::skip]
const NATIVE_SCREENS: [(u32, u32); 54] = [
    (2160, 1440), (2256, 1504), (2304, 1440), (2496, 1664), (2560, 1664), (2736, 1824),
    (2880, 1864), (3000, 2000), (3024, 1964), (3456, 2234), (3840, 2400), (4480, 2520),
    (5120, 2880), (2048, 1536), (2160, 1620), (2224, 1668), (2266, 1488), (2360, 1640),
    (2388, 1668), (2420, 1668), (2732, 2048), (2752, 2064), (640, 960), (640, 1136),
    (750, 1334), (828, 1792), (1080, 1920), (1125, 2436), (1170, 2532), (1179, 2556),
    (1206, 2622), (1242, 2208), (1242, 2688), (1284, 2778), (1290, 2796), (1320, 2868),
    (720, 1280), (720, 1520), (720, 1600), (1080, 2160), (1080, 2220), (1080, 2280),
    (1080, 2340), (1080, 2400), (1080, 2408), (1080, 2412), (1220, 2712), (1260, 2800),
    (1280, 2856), (1344, 2992), (1440, 2560), (1440, 3040), (1440, 3120), (1440, 3200),
];
const SCREEN_TOLERANCE_PX: u32 = 4;

pub(super) fn is_screen_size(w: u32, h: u32) -> bool {
    let near = |cw: u32, ch: u32| {
        (w.abs_diff(cw) <= SCREEN_TOLERANCE_PX && h.abs_diff(ch) <= SCREEN_TOLERANCE_PX)
            || (w.abs_diff(ch) <= SCREEN_TOLERANCE_PX && h.abs_diff(cw) <= SCREEN_TOLERANCE_PX)
    };
    NATIVE_SCREENS.iter().any(|&(cw, ch)| near(cw, ch))
        || LOGICAL_SCREENS.iter().any(|&(cw, ch)| {
            SCALES_X4
                .iter()
                .any(|&s| near((cw * s + 2) / 4, (ch * s + 2) / 4))
        })
}

/// `1920×1080`, or a message saying the size is unknown.
fn size_text(facts: &RasterFacts) -> Value {
    match (facts.width, facts.height) {
        (Some(w), Some(h)) => format!("{w}×{h}").into(),
        _ => msg!("part.raster.unknown-size").into(),
    }
}

const SLIDE_VENDORS: [(&str, &str); 5] = [
    ("hamamatsu", "Hamamatsu"),
    ("leica", "Leica"),
    ("ventana", "Ventana"),
    ("philips", "Philips"),
    ("roche", "Roche"),
];
/// Specific words only: TIFF exports from radiology (Philips CT, ...) or
/// cameras (Leica) must not match, and XMP may hold base64 blobs, so XMP
/// is searched for vendor names and "iScan" (Ventana BIF) only.
const SLIDE_WORDS: [&str; 15] = [
    "slide",
    "nanozoomer",
    "scanscope",
    "appmag",
    "mag=",
    "magnification",
    "mpp",
    "objective",
    "level=",
    "dpufsimport",
    "pim_dp",
    "tissue",
    "microscop",
    "patholog",
    "leica-microsystems.com/scn",
];

/// `label`: `TIFF` or `BigTIFF`.
pub(super) fn slide_from_metadata(d: &Ifd0, label: &str) -> Option<Message> {
    if let Some(desc) = d.desc {
        let start = desc.iter().position(|b| !b.is_ascii_whitespace());
        if start
            .and_then(|s| desc.get(s..s + 6))
            .is_some_and(|p| p.eq_ignore_ascii_case(b"aperio"))
        {
            return Some(msg!("reason.raster.aperio", label = label));
        }
    }
    if d.ndpi {
        return Some(msg!("reason.raster.ndpi", label = label));
    }
    let texts: Vec<&[u8]> = [d.desc, d.make, d.model, d.software]
        .into_iter()
        .flatten()
        .map(search_prefix)
        .collect();
    let xmp = d.xmp.map(search_prefix).unwrap_or_default();
    let in_texts = |word: &str| texts.iter().any(|t| contains_ci(t, word.as_bytes()));
    let vendor = SLIDE_VENDORS
        .iter()
        .find(|(w, _)| in_texts(w) || contains_ci(xmp, w.as_bytes()))?;
    let word = SLIDE_WORDS
        .iter()
        .copied()
        .find(|w| in_texts(w))
        .or_else(|| contains_ci(xmp, b"iscan").then_some("iScan"))?;
    Some(msg!(
        "reason.raster.slide-vendor",
        label = label,
        vendor = vendor.1,
        word = word,
    ))
}
