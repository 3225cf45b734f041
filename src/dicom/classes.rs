//! What a DICOM object is for, from its SOP class, and whether its transfer syntax is lossy.
//! Owns the SOP class → [`DicomClass`] mapping and the lossy transfer syntax list.

use dicom_core::dictionary::UidDictionary;
use dicom_dictionary_std::StandardSopClassDictionary;
use serde::{Deserialize, Serialize};

/// The role of a DICOM object in a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum DicomClass {
    /// Original imaging: CT, MR, CR/DX, US, NM, PET, XA, MG…
    Image,
    /// A screenshot or scan wrapped in DICOM.
    SecondaryCapture,
    /// VL photographic image (a camera picture in DICOM).
    Photograph,
    /// A PDF or CDA document in DICOM: a report.
    EncapsulatedPdf,
    /// A DICOM Structured Report: a report.
    StructuredReport,
    KeyObjectSelection,
    PresentationState,
    /// Radiotherapy objects (plans, doses, structure sets, RT images).
    Rt,
    /// Digital pathology.
    WholeSlide,
    Waveform,
    Other,
}

impl DicomClass {
    pub fn as_str(self) -> &'static str {
        match self {
            DicomClass::Image => "image",
            DicomClass::SecondaryCapture => "secondary-capture",
            DicomClass::Photograph => "photograph",
            DicomClass::EncapsulatedPdf => "encapsulated-pdf",
            DicomClass::StructuredReport => "structured-report",
            DicomClass::KeyObjectSelection => "key-object-selection",
            DicomClass::PresentationState => "presentation-state",
            DicomClass::Rt => "rt",
            DicomClass::WholeSlide => "whole-slide",
            DicomClass::Waveform => "waveform",
            DicomClass::Other => "other",
        }
    }
}

const STORAGE: &str = "1.2.840.10008.5.1.4.1.1.";
/// The Media Storage Directory SOP class: a DICOMDIR.
pub const MEDIA_STORAGE_DIRECTORY: &str = "1.2.840.10008.1.3.10";

/// The standard name of a SOP class, when the dictionary knows it.
pub fn sop_class_name(uid: &str) -> Option<&'static str> {
    StandardSopClassDictionary.by_uid(uid).map(|e| e.name)
}

/// Classifies a SOP class UID. Specific families first, then any "… Image Storage" class.
pub fn classify(sop_class_uid: &str) -> DicomClass {
    let Some(rest) = sop_class_uid.strip_prefix(STORAGE) else {
        return DicomClass::Other;
    };
    let family = |prefix: &str| rest == prefix || rest.starts_with(&format!("{prefix}."));
    if family("7") {
        // Secondary Capture and its multi-frame variants (7.1 – 7.4).
        DicomClass::SecondaryCapture
    } else if rest == "77.1.4" || rest == "77.1.4.1" {
        DicomClass::Photograph
    } else if rest == "77.1.6" {
        DicomClass::WholeSlide
    } else if rest == "104.1" || rest == "104.2" {
        DicomClass::EncapsulatedPdf
    } else if rest == "88.59" {
        DicomClass::KeyObjectSelection
    } else if family("88") {
        DicomClass::StructuredReport
    } else if family("11") {
        DicomClass::PresentationState
    } else if family("481") {
        DicomClass::Rt
    } else if family("9") {
        DicomClass::Waveform
    } else if sop_class_name(sop_class_uid)
        .is_some_and(|n| n.contains("Image Storage") || n.contains("Volume Storage"))
    {
        DicomClass::Image
    } else {
        DicomClass::Other
    }
}

/// Whether a transfer syntax compresses pixel data with loss (or may: JPEG 2000 and the video
/// syntaxes are treated as lossy, since the file alone cannot prove otherwise).
pub fn is_lossy_transfer_syntax(uid: &str) -> bool {
    let Some(code) = uid.strip_prefix("1.2.840.10008.1.2.4.") else {
        return false;
    };
    matches!(
        code,
        // JPEG baseline/extended and retired lossy JPEG processes
        "50" | "51" | "52" | "53" | "54" | "55" | "56" | "59" | "60" | "61" | "62" | "63" | "64"
        // JPEG-LS near-lossless, JPEG 2000 (may be lossy), JPIP
        | "81" | "91" | "93" | "95"
        // MPEG-2, MPEG-4, HEVC video
        | "100" | "100.1" | "101" | "101.1" | "102" | "102.1" | "103" | "103.1" | "104"
        | "104.1" | "105" | "105.1" | "106" | "106.1" | "107" | "108"
        // JPEG XL lossy, HTJ2K (may be lossy)
        | "112" | "203"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_of_common_sop_classes() {
        assert_eq!(classify("1.2.840.10008.5.1.4.1.1.2"), DicomClass::Image);
        assert_eq!(classify("1.2.840.10008.5.1.4.1.1.4"), DicomClass::Image);
        assert_eq!(classify("1.2.840.10008.5.1.4.1.1.1.2"), DicomClass::Image);
        assert_eq!(
            classify("1.2.840.10008.5.1.4.1.1.7"),
            DicomClass::SecondaryCapture
        );
        assert_eq!(
            classify("1.2.840.10008.5.1.4.1.1.7.4"),
            DicomClass::SecondaryCapture
        );
        assert_eq!(
            classify("1.2.840.10008.5.1.4.1.1.77.1.4"),
            DicomClass::Photograph
        );
        assert_eq!(
            classify("1.2.840.10008.5.1.4.1.1.77.1.6"),
            DicomClass::WholeSlide
        );
        assert_eq!(
            classify("1.2.840.10008.5.1.4.1.1.104.1"),
            DicomClass::EncapsulatedPdf
        );
        assert_eq!(
            classify("1.2.840.10008.5.1.4.1.1.88.33"),
            DicomClass::StructuredReport
        );
        assert_eq!(
            classify("1.2.840.10008.5.1.4.1.1.88.59"),
            DicomClass::KeyObjectSelection
        );
        assert_eq!(
            classify("1.2.840.10008.5.1.4.1.1.11.1"),
            DicomClass::PresentationState
        );
        assert_eq!(classify("1.2.840.10008.5.1.4.1.1.481.8"), DicomClass::Rt);
        assert_eq!(
            classify("1.2.840.10008.5.1.4.1.1.9.1.1"),
            DicomClass::Waveform
        );
        assert_eq!(classify("1.2.840.10008.5.1.4.1.1.66"), DicomClass::Other);
        assert_eq!(classify("1.2.3.4"), DicomClass::Other);
        assert_eq!(classify(""), DicomClass::Other);
    }

    #[test]
    fn lossy_syntaxes() {
        assert!(is_lossy_transfer_syntax("1.2.840.10008.1.2.4.50"));
        assert!(is_lossy_transfer_syntax("1.2.840.10008.1.2.4.91"));
        assert!(!is_lossy_transfer_syntax("1.2.840.10008.1.2.4.70"));
        assert!(!is_lossy_transfer_syntax("1.2.840.10008.1.2.4.80"));
        assert!(!is_lossy_transfer_syntax("1.2.840.10008.1.2.1"));
        assert!(!is_lossy_transfer_syntax("1.2.840.10008.1.2.5"));
    }
}
