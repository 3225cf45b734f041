//! Whether a QR code's link leads to the patient's images online (a "cloud film", 云胶片), judged
//! by context and never by a list of hosts: hospitals use many providers and their own domains.
//! The link is never opened.
//!
//! Any one of these is enough:
//! * the URL's words (host labels, path segments, query names, split at every non-letter or
//!   digit) name imaging: film, cloudfilm, pacs, dicom, image(s), imaging, viewer, radiology,
//!   study, or the pinyin used for 影像/胶片 (yingxiang, yx, jiaopian, and words that contain
//!   "film", "pacs", "dicom", "yingxiang" or "jiaopian");
//! * text near the code (when the picture's text is known: OCR, later) says 云胶片, 云影像,
//!   扫码查看, 影像, 胶片, 阅片 or DICOM;
//! * the host looks like a hospital's (a label with hospital, hosp, yiyuan, or ending in "yy",
//!   the pinyin initials of 医院) and the picture shows imaging or is a QR slip.

use super::Subject;

const IMAGING_WORDS: [&str; 13] = [
    "film",
    "cloudfilm",
    "pacs",
    "dicom",
    "image",
    "images",
    "imaging",
    "viewer",
    "radiology",
    "study",
    "yingxiang",
    "yx",
    "jiaopian",
];
const IMAGING_PARTS: [&str; 5] = ["film", "pacs", "dicom", "yingxiang", "jiaopian"];
const TEXT_WORDS: [&str; 7] = [
    "云胶片",
    "云影像",
    "扫码查看",
    "影像",
    "胶片",
    "阅片",
    "dicom",
];

/// Whether `url`, found in a picture showing `subject` (with `text` near it when known), leads to
/// images online.
pub fn is_cloud_film(url: &str, subject: Subject, text: Option<&str>) -> bool {
    let lower = url.trim().to_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return false;
    };
    let (host, tail) = rest.split_once(['/', '?', '#']).unwrap_or((rest, ""));
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut all = words(host);
    all.extend(words(tail));
    let names_imaging = all.iter().any(|w| {
        IMAGING_WORDS.contains(&w.as_str()) || IMAGING_PARTS.iter().any(|p| w.contains(p))
    });
    let text_says = text.is_some_and(|t| {
        let t = t.to_lowercase();
        TEXT_WORDS.iter().any(|w| t.contains(w))
    });
    let hospital_host = host.split(['.', '-']).any(|label| {
        label.contains("hospital")
            || label.contains("hosp")
            || label.contains("yiyuan")
            || (label.len() > 2 && label.ends_with("yy"))
    });
    let imaging_context = matches!(subject, Subject::Qr | Subject::Film | Subject::Screen);
    names_imaging || text_says || (hospital_host && imaging_context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judged_by_context_not_by_host() {
        // Made-up hosts; each rule on its own.
        assert!(is_cloud_film(
            "https://x.example/cloudfilm/v/1",
            Subject::Document,
            None
        ));
        assert!(is_cloud_film(
            "https://x.example/a/b?code=1",
            Subject::Qr,
            Some("扫码查看云胶片")
        ));
        assert!(is_cloud_film(
            "http://szrmyy.example/s/1",
            Subject::Qr,
            None
        ));
        assert!(!is_cloud_film(
            "http://szrmyy.example/s/1",
            Subject::Document,
            None
        ));
        assert!(!is_cloud_film(
            "https://x.example/a/b?code=1",
            Subject::Qr,
            None
        ));
        assert!(!is_cloud_film(
            "https://shop.example/item/5",
            Subject::Qr,
            Some("优惠券")
        ));
        assert!(!is_cloud_film(
            "WIFI:S:ward;T:WPA;P:x;;",
            Subject::Qr,
            Some("影像")
        ));
    }
}
