//! DICOM header reading: from the first bytes of a file to the facts a reviewer needs, without
//! ever reading pixel data. Owns [`DicomInfo`], [`DicomDirInfo`] and [`read_header`].
//!
//! The way a file is read:
//! 1. [`walk`] streams the header element by element from a bounded source, checking every
//!    length against the bytes that exist and stopping at Pixel Data (it reads a few KiB for a
//!    typical CT image, never more than [`Limits::header_cap`]).
//! 2. dicom-object parses the compact, validated copy of the file meta group and data set.
//! 3. Text that depends on the character set (names, descriptions) is decoded from the raw bytes
//!    by [`charset`], which also handles ISO 2022 code extensions and repairs wrong declarations.
//! 4. [`dicomdir`] reads the directory records of a DICOMDIR.
//! 5. With the `documents` feature, [`sr`] hands on the report an object carries (the PDF of an
//!    Encapsulated PDF, the text of a Structured Report) for the document reader.
//!
//! Must not use wasm-bindgen, js-sys or web-sys: it takes bytes and `Read`.

pub mod charset;
pub mod classes;
pub mod deidentify;
pub mod dicomdir;
#[cfg(feature = "documents")]
pub mod sr;
pub mod walk;

use std::io::Read;

use dicom_core::Tag;
use dicom_dictionary_std::tags;
use dicom_encoding::TransferSyntaxIndex;
use dicom_object::meta::FileMetaTable;
use dicom_object::InMemDicomObject;
use dicom_transfer_syntax_registry::TransferSyntaxRegistry;
use serde::{Deserialize, Serialize};

pub use classes::DicomClass;
pub use dicomdir::DicomDirInfo;
#[cfg(feature = "documents")]
pub use sr::Carried;

use crate::limits::Limits;
use crate::text::{msg, Message};
use walk::{Encoding, Source, Until, WalkError, Walked};

/// Where the data set starts, as told by [`crate::recognise::sniff`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DicomStart {
    /// Part 10: `DICM` at this offset (128 after a preamble, or 0), then the file meta group.
    Part10 { dicm_at: usize },
    /// A bare data set (old CDs): no preamble, no meta group; encoding guessed from the bytes.
    Legacy(Encoding),
}

/// What the header of one DICOM file says. Field names are part of the JSON contract.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DicomInfo {
    pub class: Option<DicomClass>,
    pub sop_class_uid: Option<String>,
    pub sop_class_name: Option<String>,
    pub sop_instance_uid: Option<String>,
    pub modality: Option<String>,
    /// Unicode, components as stored (`Wang^XiaoDong=王^小东=`).
    pub patient_name: Option<String>,
    pub patient_id: Option<String>,
    /// Issuer of Patient ID (0010,0021): whose numbering `patient_id` is.
    pub issuer_of_patient_id: Option<String>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    /// Patient's Age (0010,1010) at the study, as stored (`060Y`, `008M`).
    pub patient_age: Option<String>,
    /// Specific Character Set as stored (values joined by `\`), `None` when absent.
    pub charset: Option<String>,
    /// Whether a name or description had to be read with another character set.
    pub charset_repaired: bool,
    /// What was repaired and how, for the user, in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset_note: Option<String>,
    /// `charset_note` as a message, to show in any language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset_note_message: Option<Message>,
    /// The patient name as the declared character set would show it, when repaired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_name_as_declared: Option<String>,
    pub study_instance_uid: Option<String>,
    pub study_date: Option<String>,
    pub study_time: Option<String>,
    pub study_description: Option<String>,
    pub accession_number: Option<String>,
    pub body_part: Option<String>,
    pub series_instance_uid: Option<String>,
    pub series_number: Option<i64>,
    pub series_description: Option<String>,
    pub instance_number: Option<i64>,
    pub acquisition_number: Option<i64>,
    /// Images in Acquisition (0020,1002), when the scanner wrote it.
    pub images_in_acquisition: Option<i64>,
    pub image_type: Vec<String>,
    /// Image Type starts with DERIVED (reformats, MIPs, screen captures).
    pub derived: bool,
    pub rows: Option<u32>,
    pub columns: Option<u32>,
    pub number_of_frames: Option<u32>,
    pub slice_thickness: Option<f64>,
    pub image_position: Option<[f64; 3]>,
    /// Image Orientation (Patient) (0020,0037): the direction cosines of the first row and the
    /// first column (whether a slice is axial, sagittal or coronal).
    pub image_orientation: Option<[f64; 6]>,
    /// Spacing Between Slices (0018,0088), in mm.
    pub spacing_between_slices: Option<f64>,
    pub transfer_syntax: Option<String>,
    pub transfer_syntax_name: Option<String>,
    /// Lossy compression by transfer syntax or Lossy Image Compression = 01.
    pub lossy: bool,
    pub institution: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub conversion_type: Option<String>,
    pub burned_in_annotation: Option<String>,
    pub has_preamble: bool,
    pub has_file_meta: bool,
    pub preamble_is_tiff_header: bool,
    /// The transfer syntax was inferred from the bytes (no file meta group).
    pub transfer_syntax_inferred: bool,
    pub pixel_data_offset: Option<u64>,
    /// `None` when absent or encapsulated (undefined length).
    pub pixel_data_length: Option<u64>,
    /// The file ends before its pixel data does (or an image has no pixel data at all).
    pub truncated: bool,
    /// Bytes of the header (everything before Pixel Data).
    pub header_bytes: u64,
}

/// The outcome of reading a DICOM header.
#[derive(Debug, Clone, PartialEq)]
pub enum Header {
    /// An object, and (with the `documents` feature) the report it carries.
    Object(Box<DicomInfo>, Option<Carried>),
    Directory(Box<DicomInfo>, DicomDirInfo),
}

/// Without the `documents` feature an object carries nothing to read.
#[cfg(not(feature = "documents"))]
#[derive(Debug, Clone, PartialEq)]
pub enum Carried {}

/// A file that looked like DICOM but could not be read: the message says why.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub message: Message,
    /// What the reason line says after the start ("DICOM structure, but the header is cut
    /// short").
    pub reason: Message,
}

/// Reads the header of a DICOM file. `head` holds the first bytes already read, `rest` the
/// remainder of the file, `size` the whole file's size. Returns the header and the bytes read.
pub fn read_header(
    head: Vec<u8>,
    rest: &mut dyn Read,
    size: u64,
    start: DicomStart,
    limits: &Limits,
) -> (Result<Header, Unreadable>, u64) {
    // One reader type (a trait object): the walker is compiled once, not once per reader.
    let mut src = Source::new(head, rest, size, limits.read_chunk);
    let result = read_from(&mut src, start, limits);
    (result, src.bytes_read())
}

fn read_from(
    src: &mut Source<&mut dyn Read>,
    start: DicomStart,
    limits: &Limits,
) -> Result<Header, Unreadable> {
    let mut info = DicomInfo::default();
    let (ts_uid, encoding, is_directory) = read_start(src, start, limits, &mut info)?;
    let cap = if is_directory {
        limits.dicomdir_cap
    } else {
        limits.header_cap
    };
    // Only the elements we report are copied for dicom-object: parsing a whole header with its
    // private blocks and sequences would cost several times more, for nothing we use.
    // With the document reader, also what a report carries: an SR's content tree, and an
    // encapsulated PDF (kept apart, up to the document limit); only for those classes (or when
    // a file without meta group does not say its class before its data set).
    #[cfg(feature = "documents")]
    let report = info.sop_class_uid.as_deref().is_none_or(|uid| {
        matches!(
            classes::classify(uid),
            DicomClass::StructuredReport | DicomClass::EncapsulatedPdf
        )
    });
    #[cfg(feature = "documents")]
    let (keep, capture) = (
        |tag: Tag| WANTED.contains(&tag) || tag.0 == 0x0004 || (report && sr::wanted(tag)),
        report.then_some(walk::Capture {
            tag: tags::ENCAPSULATED_DOCUMENT,
            max: limits.max_document_bytes,
        }),
    );
    #[cfg(not(feature = "documents"))]
    let (keep, capture) = (|tag: Tag| WANTED.contains(&tag) || tag.0 == 0x0004, None);
    #[cfg_attr(not(feature = "documents"), allow(unused_mut))]
    let mut walked = match encoding {
        Some(enc) => walk::walk(src, enc, Until::PixelData, limits, cap, &keep, capture),
        None => {
            // Deflated Explicit VR Little Endian: the data set is one raw deflate stream. Its
            // inflated size is unknown, so lengths are checked against the cap instead.
            let inflater = flate2::read::DeflateDecoder::new(&mut *src);
            let mut inflated = Source::new(Vec::new(), inflater, cap, limits.read_chunk);
            walk::walk(
                &mut inflated,
                Encoding::EXPLICIT_LE,
                Until::PixelData,
                limits,
                cap,
                &keep,
                capture,
            )
        }
    }
    .map_err(|e| walk_unreadable(e, msg!("part.dicom.header")))?;

    // dicom-object reads the validated copy. Deflated data sets were inflated above.
    let parse_uid = if encoding.is_none() {
        "1.2.840.10008.1.2.1"
    } else {
        ts_uid.as_str()
    };
    let ts = TransferSyntaxRegistry
        .get(parse_uid)
        .or_else(|| TransferSyntaxRegistry.get("1.2.840.10008.1.2.1"))
        .ok_or_else(|| Unreadable {
            message: msg!("error.dicom.registry"),
            reason: msg!("part.dicom.unreadable"),
        })?;
    let obj =
        InMemDicomObject::read_dataset_with_ts(&walked.bytes[..], ts).map_err(|e| Unreadable {
            message: msg!("error.dicom.parse", detail = e.to_string()),
            reason: msg!("part.dicom.no-parse"),
        })?;

    info.transfer_syntax_name = TransferSyntaxRegistry
        .get(&ts_uid)
        .map(|t| t.name().to_string());
    info.lossy = classes::is_lossy_transfer_syntax(&ts_uid);
    info.transfer_syntax = Some(ts_uid);
    fill_from_dataset(&mut info, &obj, &walked);
    if encoding.is_some() {
        if let Some(pd) = walked.pixel_data {
            info.pixel_data_offset = Some(pd.offset);
            info.pixel_data_length = pd.length.map(u64::from);
            info.truncated = pd.missing_bytes > 0;
        }
    }
    info.header_bytes = walked.bytes.len() as u64;
    let needs_pixels = matches!(
        info.class,
        Some(
            DicomClass::Image
                | DicomClass::SecondaryCapture
                | DicomClass::Photograph
                | DicomClass::WholeSlide
        )
    );
    if needs_pixels && walked.pixel_data.is_none() {
        info.truncated = true;
    }
    if info.sop_class_uid.as_deref() == Some(classes::MEDIA_STORAGE_DIRECTORY) || is_directory {
        let dir = dicomdir::read_records(&obj);
        return Ok(Header::Directory(Box::new(info), dir));
    }
    #[cfg(feature = "documents")]
    let carried = sr::carried(&info, &obj, &mut walked, limits);
    #[cfg(not(feature = "documents"))]
    let carried = None;
    Ok(Header::Object(Box::new(info), carried))
}

/// Reads what comes before the data set: the preamble and file meta group of a Part 10 file, or
/// nothing for a bare data set. Returns the transfer syntax UID, the data set's encoding (`None`
/// for Deflated Explicit VR Little Endian, whose data set is one deflate stream) and whether the
/// file is a DICOMDIR; leaves `src` at the first byte of the data set.
pub fn read_start(
    src: &mut Source<&mut dyn Read>,
    start: DicomStart,
    limits: &Limits,
    info: &mut DicomInfo,
) -> Result<(String, Option<Encoding>, bool), Unreadable> {
    Ok(match start {
        DicomStart::Part10 { dicm_at } => {
            info.has_preamble = dicm_at == 128;
            info.has_file_meta = true;
            let preamble = src.peek(4).map_err(|e| io_unreadable(&e))?;
            info.preamble_is_tiff_header =
                dicm_at == 128 && (preamble == b"II*\0" || preamble == b"MM\0*");
            src.skip(dicm_at as u64 + 4)
                .map_err(|e| io_unreadable(&e))?;
            let meta = walk::walk(
                src,
                Encoding::EXPLICIT_LE,
                Until::EndOfGroup2,
                limits,
                1 << 16,
                &|_| true,
                None,
            )
            .map_err(|e| walk_unreadable(e, msg!("part.dicom.meta-group")))?;
            let meta_info = read_meta(&meta)?;
            let encoding = encoding_of(&meta_info.transfer_syntax);
            info.sop_class_uid = non_empty(meta_info.media_storage_sop_class_uid.clone());
            info.sop_instance_uid = non_empty(meta_info.media_storage_sop_instance_uid.clone());
            let is_directory =
                meta_info.media_storage_sop_class_uid == classes::MEDIA_STORAGE_DIRECTORY;
            (meta_info.transfer_syntax, encoding, is_directory)
        }
        DicomStart::Legacy(encoding) => {
            info.transfer_syntax_inferred = true;
            let uid = match (encoding.explicit_vr, encoding.big_endian) {
                (false, _) => "1.2.840.10008.1.2",
                (true, false) => "1.2.840.10008.1.2.1",
                (true, true) => "1.2.840.10008.1.2.2",
            };
            (uid.to_string(), Some(encoding), false)
        }
    })
}

/// The file meta facts we use.
struct MetaInfo {
    transfer_syntax: String,
    media_storage_sop_class_uid: String,
    media_storage_sop_instance_uid: String,
}

/// Reads the file meta group with dicom-object; when it rejects an incomplete group, falls back
/// to the raw transfer syntax so that a slightly broken file is still read.
fn read_meta(meta: &Walked) -> Result<MetaInfo, Unreadable> {
    let mut bytes = Vec::with_capacity(meta.bytes.len() + 4);
    bytes.extend_from_slice(b"DICM");
    bytes.extend_from_slice(&meta.bytes);
    match FileMetaTable::from_reader(&bytes[..]) {
        Ok(table) => Ok(MetaInfo {
            transfer_syntax: table.transfer_syntax().to_string(),
            media_storage_sop_class_uid: table.media_storage_sop_class_uid().to_string(),
            media_storage_sop_instance_uid: table.media_storage_sop_instance_uid().to_string(),
        }),
        Err(e) => {
            let raw = |tag| meta.raw(tag).map(uid_text).unwrap_or_default();
            let transfer_syntax = raw(tags::TRANSFER_SYNTAX_UID);
            if transfer_syntax.is_empty() {
                return Err(Unreadable {
                    message: msg!("error.dicom.meta", detail = e.to_string()),
                    reason: msg!("part.dicom.no-meta"),
                });
            }
            Ok(MetaInfo {
                transfer_syntax,
                media_storage_sop_class_uid: raw(tags::MEDIA_STORAGE_SOP_CLASS_UID),
                media_storage_sop_instance_uid: raw(tags::MEDIA_STORAGE_SOP_INSTANCE_UID),
            })
        }
    }
}

/// The encoding of the data set for a transfer syntax; `None` for deflate.
/// How a data set in this transfer syntax is encoded (`None`: deflated).
pub fn encoding_of(ts: &str) -> Option<Encoding> {
    match ts {
        "1.2.840.10008.1.2" => Some(Encoding::IMPLICIT_LE),
        "1.2.840.10008.1.2.2" => Some(Encoding::EXPLICIT_BE),
        "1.2.840.10008.1.2.1.99" => None,
        _ => Some(Encoding::EXPLICIT_LE),
    }
}

fn uid_text(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw)
        .trim_matches(|c: char| c == '\0' || c.is_whitespace())
        .to_string()
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn io_unreadable(e: &std::io::Error) -> Unreadable {
    Unreadable {
        message: msg!("error.read", detail = e.to_string()),
        reason: msg!("part.dicom.unreadable"),
    }
}

/// `what`: the part that was read (`part.dicom.meta-group` or `part.dicom.header`).
fn walk_unreadable(e: WalkError, what: Message) -> Unreadable {
    match e {
        WalkError::Malformed(m) => Unreadable {
            message: m,
            reason: msg!("part.dicom.malformed", what = what),
        },
        WalkError::Truncated(m) => Unreadable {
            message: m,
            reason: msg!("part.dicom.cut-short", what = what),
        },
        WalkError::Limit(m) => Unreadable {
            message: m,
            reason: msg!("part.dicom.over-limit", what = what),
        },
        WalkError::Io(e) => io_unreadable(&e),
    }
}

/// Every top-level element read from a data set.
const WANTED: [Tag; 38] = [
    tags::SPECIFIC_CHARACTER_SET,
    tags::IMAGE_TYPE,
    tags::SOP_CLASS_UID,
    tags::SOP_INSTANCE_UID,
    tags::STUDY_DATE,
    tags::STUDY_TIME,
    tags::ACCESSION_NUMBER,
    tags::MODALITY,
    tags::CONVERSION_TYPE,
    tags::MANUFACTURER,
    tags::INSTITUTION_NAME,
    tags::STUDY_DESCRIPTION,
    tags::SERIES_DESCRIPTION,
    tags::MANUFACTURER_MODEL_NAME,
    tags::PATIENT_NAME,
    tags::PATIENT_ID,
    tags::PATIENT_BIRTH_DATE,
    tags::PATIENT_SEX,
    tags::ISSUER_OF_PATIENT_ID,
    tags::PATIENT_AGE,
    tags::BODY_PART_EXAMINED,
    tags::SLICE_THICKNESS,
    tags::STUDY_INSTANCE_UID,
    tags::SERIES_INSTANCE_UID,
    tags::SERIES_NUMBER,
    tags::ACQUISITION_NUMBER,
    tags::INSTANCE_NUMBER,
    tags::IMAGE_POSITION_PATIENT,
    tags::IMAGE_ORIENTATION_PATIENT,
    tags::SPACING_BETWEEN_SLICES,
    tags::IMAGES_IN_ACQUISITION,
    tags::NUMBER_OF_FRAMES,
    tags::ROWS,
    tags::COLUMNS,
    tags::BURNED_IN_ANNOTATION,
    tags::LOSSY_IMAGE_COMPRESSION,
    // Pixel Data's companions that tell whether it is an image at all.
    tags::SAMPLES_PER_PIXEL,
    tags::BITS_ALLOCATED,
];

/// The character set values of a data set, split and trimmed.
pub(crate) fn charset_terms(raw: Option<&[u8]>) -> Vec<String> {
    let Some(raw) = raw else { return Vec::new() };
    let text = String::from_utf8_lossy(raw);
    let text = text.trim_end_matches(['\0', ' ']);
    text.split('\\').map(|v| v.trim().to_string()).collect()
}

fn fill_from_dataset(info: &mut DicomInfo, obj: &InMemDicomObject, walked: &Walked) {
    let text = |tag| -> Option<String> {
        let s = obj.get(tag)?.to_str().ok()?;
        let s = s.trim_matches(|c: char| c == '\0' || c.is_whitespace());
        (!s.is_empty()).then(|| s.to_string())
    };
    let int = |tag| -> Option<i64> { obj.get(tag)?.to_int::<i64>().ok() };

    let raw_charset = walked.raw(tags::SPECIFIC_CHARACTER_SET);
    let charsets = charset_terms(raw_charset);
    info.charset = raw_charset.map(|_| charsets.join("\\"));
    // Names and descriptions: decoded from the raw bytes, so that ISO 2022 and wrong or
    // missing declarations are handled (dicom-object decodes only the first charset value).
    let mut notes: Vec<Message> = Vec::new();
    let mut decode = |tag: Tag, is_pn: bool| -> Option<String> {
        let raw = walked.raw(tag)?;
        let decoded = charset::decode(raw, &charsets, is_pn);
        if let Some(repair) = decoded.repair {
            if tag == tags::PATIENT_NAME {
                info.patient_name_as_declared = Some(repair.declared_reading.clone());
            }
            if !notes.contains(&repair.note) {
                notes.push(repair.note);
            }
        }
        let t = decoded.text.trim().to_string();
        (!t.is_empty()).then_some(t)
    };
    info.patient_name = decode(tags::PATIENT_NAME, true);
    info.patient_id = decode(tags::PATIENT_ID, false);
    info.issuer_of_patient_id = decode(tags::ISSUER_OF_PATIENT_ID, false);
    info.study_description = decode(tags::STUDY_DESCRIPTION, false);
    info.series_description = decode(tags::SERIES_DESCRIPTION, false);
    info.institution = decode(tags::INSTITUTION_NAME, false);
    info.accession_number = decode(tags::ACCESSION_NUMBER, false);
    info.manufacturer = decode(tags::MANUFACTURER, false);
    info.model = decode(tags::MANUFACTURER_MODEL_NAME, false);
    if !notes.is_empty() {
        let note = msg!("part.charset.repairs", repairs = notes);
        info.charset_repaired = true;
        info.charset_note = Some(note.to_string());
        info.charset_note_message = Some(note);
    }

    if let Some(uid) = text(tags::SOP_CLASS_UID) {
        info.sop_class_uid = Some(uid);
    }
    if let Some(uid) = text(tags::SOP_INSTANCE_UID) {
        info.sop_instance_uid = Some(uid);
    }
    if let Some(uid) = &info.sop_class_uid {
        info.class = Some(classes::classify(uid));
        info.sop_class_name = classes::sop_class_name(uid).map(str::to_string);
    }
    info.modality = text(tags::MODALITY);
    info.birth_date = text(tags::PATIENT_BIRTH_DATE);
    info.sex = text(tags::PATIENT_SEX);
    info.patient_age = text(tags::PATIENT_AGE);
    info.study_instance_uid = text(tags::STUDY_INSTANCE_UID);
    info.study_date = text(tags::STUDY_DATE);
    info.study_time = text(tags::STUDY_TIME);
    info.body_part = text(tags::BODY_PART_EXAMINED);
    info.series_instance_uid = text(tags::SERIES_INSTANCE_UID);
    info.series_number = int(tags::SERIES_NUMBER);
    info.instance_number = int(tags::INSTANCE_NUMBER);
    info.acquisition_number = int(tags::ACQUISITION_NUMBER);
    info.images_in_acquisition = int(tags::IMAGES_IN_ACQUISITION);
    info.image_type = obj
        .get(tags::IMAGE_TYPE)
        .and_then(|e| e.to_multi_str().ok())
        .map(|v| v.iter().map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    info.derived = info
        .image_type
        .first()
        .is_some_and(|t| t.eq_ignore_ascii_case("DERIVED"));
    info.rows = int(tags::ROWS).and_then(|v| u32::try_from(v).ok());
    info.columns = int(tags::COLUMNS).and_then(|v| u32::try_from(v).ok());
    info.number_of_frames = int(tags::NUMBER_OF_FRAMES).and_then(|v| u32::try_from(v).ok());
    info.slice_thickness = obj
        .get(tags::SLICE_THICKNESS)
        .and_then(|e| e.to_float64().ok())
        .filter(|v| v.is_finite());
    info.image_position = obj
        .get(tags::IMAGE_POSITION_PATIENT)
        .and_then(|e| e.to_multi_float64().ok())
        .and_then(|v| <[f64; 3]>::try_from(v.as_slice()).ok())
        .filter(|v| v.iter().all(|x| x.is_finite()));
    info.image_orientation = obj
        .get(tags::IMAGE_ORIENTATION_PATIENT)
        .and_then(|e| e.to_multi_float64().ok())
        .and_then(|v| <[f64; 6]>::try_from(v.as_slice()).ok())
        .filter(|v| v.iter().all(|x| x.is_finite()));
    info.spacing_between_slices = obj
        .get(tags::SPACING_BETWEEN_SLICES)
        .and_then(|e| e.to_float64().ok())
        .filter(|v| v.is_finite());
    info.conversion_type = text(tags::CONVERSION_TYPE);
    info.burned_in_annotation = text(tags::BURNED_IN_ANNOTATION);
    if text(tags::LOSSY_IMAGE_COMPRESSION).as_deref() == Some("01") {
        info.lossy = true;
    }
}

/// Checks that encapsulated (compressed) pixel data really ends inside the file, without reading
/// it: first the last 8 bytes (normally the sequence delimiter), else the fragment items are
/// walked by seeking from item header to item header. Returns what is missing (`part.fragments.*`),
/// or `None` when the value is complete (or cannot be judged within `max_items`).
pub fn check_fragments<R: std::io::Read + std::io::Seek>(
    reader: &mut R,
    offset: u64,
    size: u64,
    max_items: usize,
) -> Option<Message> {
    use std::io::SeekFrom;
    const DELIMITER: [u8; 8] = [0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0];
    let mut read8 = |at: u64| -> Option<[u8; 8]> {
        let mut b = [0u8; 8];
        reader.seek(SeekFrom::Start(at)).ok()?;
        reader.read_exact(&mut b).ok()?;
        Some(b)
    };
    if size >= offset + 8 && read8(size - 8) == Some(DELIMITER) {
        return None;
    }
    let mut pos = offset;
    for _ in 0..max_items {
        if pos + 8 > size {
            return Some(msg!("part.fragments.cut-in-header", bytes = size - pos));
        }
        let header = read8(pos)?;
        let tag = (
            u16::from_le_bytes([header[0], header[1]]),
            u16::from_le_bytes([header[2], header[3]]),
        );
        let length = u64::from(u32::from_le_bytes([
            header[4], header[5], header[6], header[7],
        ]));
        match tag {
            (0xFFFE, 0xE0DD) => return None,
            (0xFFFE, 0xE000) => {
                pos += 8 + length;
                if pos > size {
                    return Some(msg!("part.fragments.cut-in-fragment", bytes = pos - size));
                }
            }
            _ => return Some(msg!("part.fragments.malformed", offset = pos)),
        }
    }
    None
}
