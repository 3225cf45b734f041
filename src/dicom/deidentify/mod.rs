//! De-identification of one DICOM file as it streams, by DICOM PS3.15 Annex E: the Basic
//! Application Level Confidentiality Profile (Table E.1-1, in [`table`]), with the options
//! Retain Longitudinal Temporal Information with Modified Dates, Retain Patient Characteristics
//! and Clean Descriptors. [`Deidentified`] reads a file and hands out the de-identified file.
//!
//! What it does, element by element (nested sequences included):
//! - UIDs the table marks U are replaced by `2.25.<decimal>` derived from the UID and the
//!   bundle's secret (a keyed SHA-256), so the same study gets the same new UID in every file of
//!   the bundle and references inside sequences still point at the right objects; nobody
//!   without the secret can link a new UID back to the old one.
//! - D: a dummy value of the element's VR (the patient's name and ID: the pseudonym the patient
//!   sees); Z: emptied; X: removed; combined actions take the emptier choice that keeps the
//!   object readable (X/Z → Z, X/D → D, X/Z/D → Z); sequences marked D or X/Z/U* are kept and
//!   their items de-identified.
//! - Private attributes and group lengths are removed (PS3.15 E.3.10 would allow a safe list of
//!   private attributes: none is kept, since what is safe depends on the vendor and version).
//! - Pixel Data (native or encapsulated) is copied byte for byte; pixels may still show the
//!   patient's name (burned-in annotations): the caller says so per file.
//! - Patient Identity Removed = YES, De-identification Method and its code sequence are set;
//!   with modified dates, Longitudinal Temporal Information Modified = MODIFIED.
//! - The preamble is zeroed (it may hold another format's header); in the file meta group the
//!   Media Storage SOP Instance UID is replaced like the SOP Instance UID, the source AE title
//!   and private information are removed, and the group length is written anew.
//!
//! Sequences and items are written with undefined lengths (their contents change size). A
//! deflated data set is inflated, de-identified and deflated again. Memory is bounded: values
//! are copied through in pieces, only short values (UIDs, dates, descriptors) are held.

mod table;

use std::io::{self, Read};

use dicom_core::{Tag, VR};
use dicom_dictionary_std::tags;
use sha2::{Digest, Sha256};

use super::walk::{has_long_length, parse_header, ElementHeader, Encoding, Source};

const ITEM: Tag = Tag(0xFFFE, 0xE000);
const ITEM_END: Tag = Tag(0xFFFE, 0xE00D);
const SEQUENCE_END: Tag = Tag(0xFFFE, 0xE0DD);
const UNDEFINED: u32 = 0xFFFF_FFFF;
/// Values copied through at most this many bytes per step.
const PIECE: u64 = 1 << 20;
/// The longest value read whole to be changed (UIDs, dates, cleaned descriptors).
const MAX_CHANGED_VALUE: u32 = 64 * 1024;
/// The deepest nesting of sequences followed.
const MAX_DEPTH: usize = 64;
/// The longest file meta group read.
const MAX_META: usize = 64 * 1024;

/// An action of the Basic Profile column (combined ones as the table writes them: X/Z/D is
/// `XZD`).
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basic {
    D,
    Z,
    X,
    U,
    ZD,
    XZ,
    XD,
    XZD,
    XZU,
}

/// How a bundle is de-identified: the profile's options and the bundle's secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Random for each bundle, never written anywhere: new UIDs and the date shift derive from it.
    pub secret: [u8; 32],
    /// Retain Longitudinal Temporal Information with Modified Dates: every date moved back by
    /// the same number of days (1 to 3650, from the secret), so intervals stay true.
    pub modified_dates: bool,
    /// Retain Patient Characteristics: sex, age, size, weight and the like are kept.
    pub patient_characteristics: bool,
    /// Clean Descriptors: study, series and protocol descriptions and comments are kept with the
    /// patient's names, IDs and birth date taken out, instead of being removed.
    pub clean_descriptors: bool,
}

impl Options {
    /// The days every date moves back with modified dates.
    pub fn date_shift_days(&self) -> i64 {
        let d = Sha256::new()
            .chain_update(b"date shift")
            .chain_update(self.secret)
            .finalize();
        1 + i64::from(u16::from_be_bytes([d[0], d[1]])) % 3650
    }

    /// The new UID for `uid`: `2.25.` and a 128-bit number from a keyed hash (PS3.5 B.2).
    pub fn new_uid(&self, uid: &str) -> String {
        let d = Sha256::new()
            .chain_update(b"uid")
            .chain_update(self.secret)
            .chain_update(uid.trim_end_matches(['\0', ' ']).as_bytes())
            .finalize();
        let mut n = [0u8; 16];
        n.copy_from_slice(&d[..16]);
        format!("2.25.{}", u128::from_be_bytes(n))
    }

    /// What the de-identification method says in the files.
    fn method(&self) -> String {
        let mut s = String::from("record-precheck: PS3.15 E.1 Basic Profile");
        for (on, name) in [
            (self.modified_dates, "Modified Dates"),
            (self.patient_characteristics, "Patient Characteristics"),
            (self.clean_descriptors, "Clean Descriptors"),
        ] {
            if on {
                s.push_str(", ");
                s.push_str(name);
            }
        }
        s
    }
}

/// The person a file belongs to, as the bundle names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// Written as Patient's Name and Patient ID (`PATIENT-1`).
    pub pseudonym: String,
    /// Their names, IDs and birth dates as the records write them: taken out of cleaned
    /// descriptors.
    pub identifiers: Vec<String>,
}

/// Attributes kept with Retain Patient Characteristics.
const PATIENT_CHARACTERISTICS: [Tag; 9] = [
    tags::PATIENT_SEX,
    tags::PATIENT_AGE,
    tags::PATIENT_SIZE,
    tags::PATIENT_WEIGHT,
    tags::PATIENT_BODY_MASS_INDEX,
    Tag(0x0010, 0x2160), // Ethnic Group (retired, still written)
    tags::SMOKING_STATUS,
    tags::PREGNANCY_STATUS,
    tags::PATIENT_SEX_NEUTERED,
];

/// Free-text attributes about the patient's state, cleaned with Retain Patient Characteristics.
const PATIENT_STATE_TEXT: [Tag; 5] = [
    tags::ALLERGIES,
    tags::MEDICAL_ALERTS,
    tags::ADDITIONAL_PATIENT_HISTORY,
    tags::SPECIAL_NEEDS,
    tags::PATIENT_STATE,
];

/// Descriptors cleaned with Clean Descriptors (removed or emptied by the Basic Profile).
const DESCRIPTORS: [Tag; 16] = [
    tags::STUDY_DESCRIPTION,
    tags::SERIES_DESCRIPTION,
    tags::PROTOCOL_NAME,
    tags::IMAGE_COMMENTS,
    tags::DERIVATION_DESCRIPTION,
    tags::PERFORMED_PROCEDURE_STEP_DESCRIPTION,
    tags::REQUESTED_PROCEDURE_DESCRIPTION,
    Tag(0x0032, 0x4000), // Study Comments (retired, still written)
    tags::COMMENTS_ON_THE_PERFORMED_PROCEDURE_STEP,
    Tag(0x0018, 0x4000), // Acquisition Comments (retired, still written)
    tags::ADMITTING_DIAGNOSES_DESCRIPTION,
    tags::CONTRAST_BOLUS_AGENT,
    tags::ACQUISITION_DEVICE_PROCESSING_DESCRIPTION,
    tags::IMAGING_SERVICE_REQUEST_COMMENTS,
    tags::REQUESTED_PROCEDURE_COMMENTS,
    Tag(0x0032, 0x1030), // Reason for Study (retired, still written)
];

/// What becomes of one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Keep,
    Remove,
    Empty,
    Dummy,
    /// A sequence whose items are de-identified.
    Recurse,
    NewUid,
    ShiftDate,
    Clean,
    Pseudonym,
}

/// The Basic Profile's action for a tag, if the table lists it.
fn basic(tag: Tag) -> Option<Basic> {
    if let Ok(i) = table::EXACT.binary_search_by_key(&(tag.0, tag.1), |&(g, e, _)| (g, e)) {
        return Some(table::EXACT[i].2);
    }
    table::MASKED
        .iter()
        .find(|&&(g, e, gm, em, _)| tag.0 & gm == g && tag.1 & em == e)
        .map(|&(_, _, _, _, a)| a)
}

/// An open sequence or item.
#[derive(Debug)]
struct Frame {
    kind: FrameKind,
    /// Input position where a defined-length container ends.
    end: Option<u64>,
    /// Whether it (and what it holds) is written.
    written: bool,
    encoding: Encoding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FrameKind {
    Sequence,
    Item,
    /// Encapsulated Pixel Data: its items are copied as they are.
    Pixels,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Preamble,
    Meta,
    DataSet,
    Done,
}

/// A DICOM file de-identified as it is read (see the module documentation).
pub struct Deidentified {
    src: Source<Box<dyn Read>>,
    /// For a deflated data set: the de-identified data set, deflated again.
    deflated: Option<Box<dyn Read>>,
    options: Options,
    person: Person,
    phase: Phase,
    encoding: Encoding,
    stack: Vec<Frame>,
    /// Bytes of the current value still to copy through.
    copying: u64,
    /// Top-level elements this writer adds, by tag, not yet written.
    inserts: Vec<(Tag, Vec<u8>)>,
    out: Vec<u8>,
    out_at: usize,
}

impl Deidentified {
    /// The de-identified form of the DICOM file in `reader` (`size` bytes) of `person`.
    pub fn new(reader: impl Read + 'static, size: u64, options: Options, person: Person) -> Self {
        Deidentified {
            src: Source::new(Vec::new(), Box::new(reader), size, 1 << 16),
            deflated: None,
            options,
            person,
            phase: Phase::Preamble,
            encoding: Encoding::EXPLICIT_LE,
            stack: Vec::new(),
            copying: 0,
            inserts: Vec::new(),
            out: Vec::new(),
            out_at: 0,
        }
    }

    /// Produces the next output, at least a few bytes unless the file is done.
    fn step(&mut self) -> io::Result<()> {
        if let Some(deflated) = self.deflated.as_mut() {
            let mut piece = vec![0; 1 << 16];
            let n = deflated.read(&mut piece)?;
            self.out.extend_from_slice(&piece[..n]);
            if n == 0 {
                self.phase = Phase::Done;
            }
            return Ok(());
        }
        match self.phase {
            Phase::Preamble => self.preamble(),
            Phase::Meta => self.meta(),
            Phase::DataSet => self.data_set_step(),
            Phase::Done => Ok(()),
        }
    }

    /// The 128-byte preamble, zeroed, and `DICM`; a file without them is read as a bare data
    /// set in the encoding its first bytes show.
    fn preamble(&mut self) -> io::Result<()> {
        let head = self.src.peek(132)?;
        if head.len() == 132 && &head[128..132] == b"DICM" {
            self.src.skip(132)?;
            self.out.extend_from_slice(&[0; 128]);
            self.out.extend_from_slice(b"DICM");
            self.phase = Phase::Meta;
        } else {
            let head = self.src.peek(256)?.to_vec();
            self.encoding = super::walk::guess_encoding(&head)
                .ok_or_else(|| invalid("it is not a DICOM data set this tool can read"))?;
            self.start_data_set();
        }
        Ok(())
    }

    /// The file meta group: read whole (it is small), changed, its group length written anew.
    fn meta(&mut self) -> io::Result<()> {
        let mut elements = Vec::new();
        let mut transfer_syntax = String::new();
        loop {
            let head = self.src.peek(12)?;
            if head.len() < 8 || u16::from_le_bytes([head[0], head[1]]) != 0x0002 {
                break;
            }
            let h = header(head, Encoding::EXPLICIT_LE)?;
            if h.length == UNDEFINED || h.length as usize > MAX_META {
                return Err(invalid("its file meta group is damaged"));
            }
            self.src.skip(h.header_len as u64)?;
            let mut value = Vec::new();
            self.src.take_into(h.length as usize, &mut value)?;
            let vr = h.vr.unwrap_or(VR::UN);
            match h.tag {
                tags::FILE_META_INFORMATION_GROUP_LENGTH => {}
                tags::SOURCE_APPLICATION_ENTITY_TITLE
                | tags::PRIVATE_INFORMATION_CREATOR_UID
                | tags::PRIVATE_INFORMATION
                | tags::SENDING_APPLICATION_ENTITY_TITLE
                | tags::RECEIVING_APPLICATION_ENTITY_TITLE
                | tags::SOURCE_PRESENTATION_ADDRESS
                | tags::SENDING_PRESENTATION_ADDRESS
                | tags::RECEIVING_PRESENTATION_ADDRESS => {}
                tags::MEDIA_STORAGE_SOP_INSTANCE_UID => {
                    let uid = self.options.new_uid(&String::from_utf8_lossy(&value));
                    element(
                        &mut elements,
                        Encoding::EXPLICIT_LE,
                        h.tag,
                        vr,
                        &padded(uid.as_bytes(), vr),
                    );
                }
                _ => {
                    if h.tag == tags::TRANSFER_SYNTAX_UID {
                        transfer_syntax = String::from_utf8_lossy(&value)
                            .trim_end_matches(['\0', ' '])
                            .to_string();
                    }
                    element(&mut elements, Encoding::EXPLICIT_LE, h.tag, vr, &value);
                    if elements.len() > MAX_META {
                        return Err(invalid("its file meta group is too large"));
                    }
                }
            }
        }
        self.encoding = match transfer_syntax.as_str() {
            "1.2.840.10008.1.2" => Encoding::IMPLICIT_LE,
            "1.2.840.10008.1.2.2" => Encoding::EXPLICIT_BE,
            _ => Encoding::EXPLICIT_LE,
        };
        let length = u32::try_from(elements.len()).unwrap_or(u32::MAX);
        element(
            &mut self.out,
            Encoding::EXPLICIT_LE,
            tags::FILE_META_INFORMATION_GROUP_LENGTH,
            VR::UL,
            &length.to_le_bytes(),
        );
        self.out.extend_from_slice(&elements);
        if transfer_syntax == "1.2.840.10008.1.2.1.99" {
            // Deflated Explicit VR Little Endian: the data set is inflated, de-identified and
            // deflated again, as it streams.
            let rest = std::mem::replace(
                &mut self.src,
                Source::new(Vec::new(), Box::new(io::empty()), 0, 64),
            );
            let inflated = flate2::read::DeflateDecoder::new(rest);
            let mut inner = Deidentified::new(
                inflated,
                u64::MAX,
                self.options.clone(),
                self.person.clone(),
            );
            inner.encoding = Encoding::EXPLICIT_LE;
            inner.start_data_set();
            let level = flate2::Compression::default();
            self.deflated = Some(Box::new(flate2::read::DeflateEncoder::new(inner, level)));
            return Ok(());
        }
        self.start_data_set();
        Ok(())
    }

    /// Queues the elements this writer adds, then reads the data set.
    fn start_data_set(&mut self) {
        let enc = self.encoding;
        let add = |tag: Tag, vr: VR, value: Vec<u8>| {
            let mut bytes = Vec::new();
            element(&mut bytes, enc, tag, vr, &padded(&value, vr));
            (tag, bytes)
        };
        let mut inserts = vec![
            add(tags::PATIENT_IDENTITY_REMOVED, VR::CS, b"YES".to_vec()),
            add(
                tags::DEIDENTIFICATION_METHOD,
                VR::LO,
                self.options.method().into_bytes(),
            ),
            (
                tags::DEIDENTIFICATION_METHOD_CODE_SEQUENCE,
                method_codes(&self.options, enc),
            ),
        ];
        if self.options.modified_dates {
            inserts.push(add(
                tags::LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED,
                VR::CS,
                b"MODIFIED".to_vec(),
            ));
        }
        inserts.sort_by_key(|(t, _)| *t);
        self.inserts = inserts;
        self.phase = Phase::DataSet;
    }

    /// One step through the data set: a piece of a value being copied, or one element header.
    fn data_set_step(&mut self) -> io::Result<()> {
        if self.copying > 0 {
            let n = self.copying.min(PIECE);
            self.src.take_into(n as usize, &mut self.out)?;
            self.copying -= n;
            return Ok(());
        }
        // Close defined-length containers that end here.
        while let Some(frame) = self.stack.last() {
            match frame.end {
                Some(end) if self.src.pos() == end => {
                    let frame = self.stack.pop().expect("a frame is open");
                    self.close(&frame);
                }
                Some(end) if self.src.pos() > end => {
                    return Err(invalid("a sequence runs past its declared length"));
                }
                _ => break,
            }
        }
        let enc = self.stack.last().map_or(self.encoding, |f| f.encoding);
        let head = self.src.peek(12)?;
        if head.is_empty() || (self.stack.is_empty() && head.iter().all(|&b| b == 0)) {
            if !self.stack.is_empty() {
                return Err(invalid("the file ends inside a sequence"));
            }
            self.flush_inserts(None);
            self.phase = Phase::Done;
            return Ok(());
        }
        let h = header(head, enc)?;
        let after_header = self.src.pos() + h.header_len as u64;
        match h.tag {
            ITEM => self.item(&h, enc, after_header),
            ITEM_END | SEQUENCE_END => {
                let want = if h.tag == ITEM_END {
                    FrameKind::Item
                } else {
                    FrameKind::Sequence
                };
                let frame = self.stack.pop();
                match frame {
                    Some(f)
                        if f.kind == want
                            || (f.kind == FrameKind::Pixels && h.tag == SEQUENCE_END) =>
                    {
                        self.src.skip(h.header_len as u64)?;
                        self.close(&f);
                        Ok(())
                    }
                    _ => Err(invalid("a sequence delimiter is out of place")),
                }
            }
            _ => self.element(h, enc, after_header),
        }
    }

    /// An item of a sequence (its elements follow), or a fragment of encapsulated pixel data.
    fn item(&mut self, h: &ElementHeader, enc: Encoding, after: u64) -> io::Result<()> {
        let Some(parent) = self.stack.last() else {
            return Err(invalid("an item outside any sequence"));
        };
        let written = parent.written;
        if parent.kind == FrameKind::Pixels {
            if h.length == UNDEFINED {
                return Err(invalid("a pixel data fragment has no length"));
            }
            self.check_room(h.length)?;
            self.src.take_into(h.header_len, &mut self.out)?;
            self.copying = u64::from(h.length);
            return Ok(());
        }
        if parent.kind != FrameKind::Sequence {
            return Err(invalid("an item inside an item"));
        }
        self.src.skip(h.header_len as u64)?;
        let end = (h.length != UNDEFINED).then(|| after + u64::from(h.length));
        if written {
            self.out.extend_from_slice(&enc.put_u16(ITEM.0));
            self.out.extend_from_slice(&enc.put_u16(ITEM.1));
            self.out.extend_from_slice(&enc.put_u32(UNDEFINED));
        }
        self.push(Frame {
            kind: FrameKind::Item,
            end,
            written,
            encoding: enc,
        })
    }

    /// One data element: its action applied.
    fn element(&mut self, h: ElementHeader, enc: Encoding, after: u64) -> io::Result<()> {
        let top = self.stack.is_empty();
        let written = self.stack.last().is_none_or(|f| f.written);
        let vr = h.vr.unwrap_or(VR::UN);
        if top {
            self.flush_inserts(Some(h.tag));
        }
        let replaced = top && is_added(h.tag, &self.options);
        let action = if !written || replaced {
            Action::Remove
        } else {
            self.action(h.tag, vr)
        };
        let sequence = vr == VR::SQ || (h.length == UNDEFINED && h.tag != tags::PIXEL_DATA);
        if sequence {
            self.src.skip(h.header_len as u64)?;
            // A sequence in an explicit-VR file written as UN holds implicit-VR elements.
            let inner = if h.vr_explicit && vr == VR::UN {
                Encoding::IMPLICIT_LE
            } else {
                enc
            };
            let end = (h.length != UNDEFINED).then(|| after + u64::from(h.length));
            let keep = matches!(
                action,
                Action::Keep | Action::Recurse | Action::Dummy | Action::NewUid
            );
            match action {
                Action::Empty => write_header(&mut self.out, enc, h.tag, vr, 0),
                _ if keep => write_header(&mut self.out, enc, h.tag, vr, UNDEFINED),
                _ => {}
            }
            return self.push(Frame {
                kind: FrameKind::Sequence,
                end,
                written: keep,
                encoding: inner,
            });
        }
        if h.tag == tags::PIXEL_DATA && h.length == UNDEFINED {
            // Encapsulated: a sequence of fragments, copied as they are.
            self.src.skip(h.header_len as u64)?;
            let written = action == Action::Keep;
            if written {
                write_header(&mut self.out, enc, h.tag, vr, UNDEFINED);
            }
            return self.push(Frame {
                kind: FrameKind::Pixels,
                end: None,
                written,
                encoding: enc,
            });
        }
        if h.length == UNDEFINED {
            return Err(invalid("a value has no length"));
        }
        self.check_room(h.length)?;
        self.src.skip(h.header_len as u64)?;
        let len = u64::from(h.length);
        match action {
            Action::Keep => {
                write_header(&mut self.out, enc, h.tag, vr, h.length);
                self.copying = len;
            }
            Action::Remove => self.src.skip(len)?,
            Action::Empty => {
                self.src.skip(len)?;
                write_header(&mut self.out, enc, h.tag, vr, 0);
            }
            Action::Dummy | Action::Pseudonym | Action::Recurse => {
                self.src.skip(len)?;
                let value = if action == Action::Pseudonym {
                    self.person.pseudonym.clone().into_bytes()
                } else {
                    dummy(vr, &self.options)
                };
                write_value(&mut self.out, enc, h.tag, vr, &value);
            }
            Action::NewUid | Action::ShiftDate | Action::Clean => {
                if h.length > MAX_CHANGED_VALUE {
                    self.src.skip(len)?; // too long to look into: removed
                    return Ok(());
                }
                let mut value = Vec::new();
                self.src.take_into(h.length as usize, &mut value)?;
                let changed = match action {
                    Action::NewUid => new_uids(&value, &self.options),
                    Action::ShiftDate => shift_dates(&value, vr, self.options.date_shift_days()),
                    _ => clean(&value, &self.person.identifiers),
                };
                write_value(&mut self.out, enc, h.tag, vr, &changed);
            }
        }
        Ok(())
    }

    /// What becomes of an element with this tag and VR.
    fn action(&self, tag: Tag, vr: VR) -> Action {
        let o = &self.options;
        if tag.0 == 0x0002 || tag.1 == 0x0000 || tag.0 % 2 == 1 {
            // File meta in the data set, group lengths, private attributes.
            return Action::Remove;
        }
        if tag == tags::PIXEL_DATA {
            return Action::Keep;
        }
        if tag == tags::PATIENT_NAME || tag == tags::PATIENT_ID {
            return Action::Pseudonym;
        }
        if o.patient_characteristics && PATIENT_CHARACTERISTICS.contains(&tag) {
            return Action::Keep;
        }
        if o.patient_characteristics && PATIENT_STATE_TEXT.contains(&tag)
            || o.clean_descriptors && DESCRIPTORS.contains(&tag)
        {
            return Action::Clean;
        }
        let dated = matches!(vr, VR::DA | VR::DT) && tag != tags::PATIENT_BIRTH_DATE;
        if o.modified_dates && dated {
            return Action::ShiftDate;
        }
        let sequence = vr == VR::SQ;
        match basic(tag) {
            None => Action::Keep,
            Some(Basic::X) => Action::Remove,
            Some(Basic::Z | Basic::XZ | Basic::XZD) => Action::Empty,
            Some(Basic::D | Basic::ZD | Basic::XD) if sequence => Action::Recurse,
            Some(Basic::D | Basic::ZD | Basic::XD) => Action::Dummy,
            Some(Basic::U) if vr == VR::UI => Action::NewUid,
            Some(Basic::U | Basic::XZU) if sequence => Action::Recurse,
            Some(Basic::U | Basic::XZU) => Action::Empty,
        }
    }

    /// Writes the added elements that come before `tag` (all of them at the end).
    fn flush_inserts(&mut self, tag: Option<Tag>) {
        while let Some((t, _)) = self.inserts.first() {
            if tag.is_some_and(|tag| *t >= tag) {
                break;
            }
            let (_, bytes) = self.inserts.remove(0);
            self.out.extend_from_slice(&bytes);
        }
    }

    /// Writes the end of a container that was written (sequences and items are written with
    /// undefined lengths).
    fn close(&mut self, frame: &Frame) {
        if !frame.written {
            return;
        }
        let enc = frame.encoding;
        let tag = match frame.kind {
            FrameKind::Item => ITEM_END,
            FrameKind::Sequence | FrameKind::Pixels => SEQUENCE_END,
        };
        // A sequence's delimiter is in the encoding of the sequence's parent; items and
        // delimiters are the same in both little-endian encodings.
        self.out.extend_from_slice(&enc.put_u16(tag.0));
        self.out.extend_from_slice(&enc.put_u16(tag.1));
        self.out.extend_from_slice(&enc.put_u32(0));
    }

    fn push(&mut self, frame: Frame) -> io::Result<()> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(invalid("its sequences are nested too deep"));
        }
        self.stack.push(frame);
        Ok(())
    }

    /// A value must fit in the file (checked before anything is read or allocated for it).
    fn check_room(&self, length: u32) -> io::Result<()> {
        if u64::from(length) > self.src.remaining() {
            return Err(invalid("a value runs past the end of the file"));
        }
        Ok(())
    }
}

impl Read for Deidentified {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_at == self.out.len() {
            if self.phase == Phase::Done {
                return Ok(0);
            }
            self.out.clear();
            self.out_at = 0;
            self.step()?;
        }
        let n = buf.len().min(self.out.len() - self.out_at);
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

fn invalid(why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("could not de-identify it: {why}"),
    )
}

fn header(head: &[u8], enc: Encoding) -> io::Result<ElementHeader> {
    match parse_header(head, enc) {
        Ok(Some(h)) => Ok(h),
        Ok(None) => Err(invalid("the file ends inside an element header")),
        Err(m) => Err(invalid(&m.to_string())),
    }
}

/// Whether the writer adds this element itself (the file's own is dropped).
fn is_added(tag: Tag, options: &Options) -> bool {
    tag == tags::PATIENT_IDENTITY_REMOVED
        || tag == tags::DEIDENTIFICATION_METHOD
        || tag == tags::DEIDENTIFICATION_METHOD_CODE_SEQUENCE
        || options.modified_dates && tag == tags::LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED
}

fn write_header(out: &mut Vec<u8>, enc: Encoding, tag: Tag, vr: VR, length: u32) {
    out.extend_from_slice(&enc.put_u16(tag.0));
    out.extend_from_slice(&enc.put_u16(tag.1));
    if !enc.explicit_vr {
        out.extend_from_slice(&enc.put_u32(length));
    } else if has_long_length(vr) {
        out.extend_from_slice(vr.to_bytes().as_slice());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&enc.put_u32(length));
    } else {
        out.extend_from_slice(vr.to_bytes().as_slice());
        out.extend_from_slice(&enc.put_u16(u16::try_from(length).unwrap_or(0)));
    }
}

/// An element whose value is given whole (padded here to an even length).
fn write_value(out: &mut Vec<u8>, enc: Encoding, tag: Tag, vr: VR, value: &[u8]) {
    let value = padded(value, vr);
    write_header(out, enc, tag, vr, u32::try_from(value.len()).unwrap_or(0));
    out.extend_from_slice(&value);
}

/// An element already even-length.
fn element(out: &mut Vec<u8>, enc: Encoding, tag: Tag, vr: VR, value: &[u8]) {
    write_header(out, enc, tag, vr, u32::try_from(value.len()).unwrap_or(0));
    out.extend_from_slice(value);
}

/// A value padded to an even length: UIDs with NUL, binary with 0, text with a space.
fn padded(value: &[u8], vr: VR) -> Vec<u8> {
    let mut v = value.to_vec();
    if v.len() % 2 == 1 {
        v.push(match vr {
            VR::UI | VR::OB | VR::UN => 0,
            _ => b' ',
        });
    }
    v
}

/// The dummy value of a VR (PS3.15 E.1.1: a value of the right form that says nothing).
fn dummy(vr: VR, options: &Options) -> Vec<u8> {
    let date = "19000101";
    match vr {
        VR::DA => date.into(),
        VR::DT => format!("{date}000000").into_bytes(),
        VR::TM => b"000000".to_vec(),
        VR::UI => options.new_uid("dummy").into_bytes(),
        VR::IS | VR::DS => b"0".to_vec(),
        VR::AS => b"000Y".to_vec(),
        VR::US | VR::SS => vec![0; 2],
        VR::UL | VR::SL | VR::FL => vec![0; 4],
        VR::FD | VR::UV | VR::SV => vec![0; 8],
        VR::OB | VR::OW | VR::OF | VR::OD | VR::OL | VR::OV | VR::UN | VR::AT => vec![0; 4],
        VR::CS => b"ANONYMOUS".to_vec(),
        _ => b"ANONYMOUS".to_vec(),
    }
}

/// A UID value (possibly several, `\`-separated) with each UID replaced.
fn new_uids(value: &[u8], options: &Options) -> Vec<u8> {
    let text = String::from_utf8_lossy(value);
    let uids: Vec<String> = text
        .trim_end_matches(['\0', ' '])
        .split('\\')
        .map(|u| options.new_uid(u.trim()))
        .collect();
    uids.join("\\").into_bytes()
}

/// Dates (DA) or date-times (DT) moved back by `days`; a value that is not a date is emptied.
fn shift_dates(value: &[u8], vr: VR, days: i64) -> Vec<u8> {
    let text = String::from_utf8_lossy(value);
    let shifted: Option<Vec<String>> = text
        .trim_end_matches(['\0', ' '])
        .split('\\')
        .map(|v| shift_one(v.trim(), vr, days))
        .collect();
    shifted
        .map(|v| v.join("\\").into_bytes())
        .unwrap_or_default()
}

fn shift_one(v: &str, vr: VR, days: i64) -> Option<String> {
    if v.is_empty() {
        return Some(String::new());
    }
    // A DA range (`a-b`) keeps its form.
    if vr == VR::DA && v.contains('-') {
        let parts: Option<Vec<String>> = v.split('-').map(|p| shift_one(p, vr, days)).collect();
        return parts.map(|p| p.join("-"));
    }
    let date = v.get(..8)?;
    let d = chrono::NaiveDate::parse_from_str(date, "%Y%m%d").ok()?;
    let moved = d.checked_sub_signed(chrono::TimeDelta::try_days(days)?)?;
    Some(format!("{}{}", moved.format("%Y%m%d"), &v[8..]))
}

/// Free text with the person's identifiers taken out (each occurrence becomes `***`), in the
/// encodings Chinese records use (UTF-8, GB18030) and as written.
fn clean(value: &[u8], identifiers: &[String]) -> Vec<u8> {
    use encoding::{EncoderTrap, Encoding as _};
    let mut v = value.to_vec();
    for id in identifiers.iter().filter(|i| i.chars().count() >= 2) {
        let mut forms = vec![id.as_bytes().to_vec()];
        if let Ok(gb) = encoding::all::GB18030.encode(id, EncoderTrap::Strict) {
            forms.push(gb);
        }
        for form in forms {
            v = replace_all(&v, &form, b"***");
        }
    }
    v
}

fn replace_all(hay: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    if needle.is_empty() {
        return hay.to_vec();
    }
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

/// De-identification Method Code Sequence: the profile and each option (CID 7050).
fn method_codes(options: &Options, enc: Encoding) -> Vec<u8> {
    let mut codes = vec![("113100", "Basic Application Confidentiality Profile")];
    if options.modified_dates {
        codes.push((
            "113107",
            "Retain Longitudinal Temporal Information Modified Dates Option",
        ));
    }
    if options.patient_characteristics {
        codes.push(("113108", "Retain Patient Characteristics Option"));
    }
    if options.clean_descriptors {
        codes.push(("113105", "Clean Descriptors Option"));
    }
    let mut out = Vec::new();
    write_header(
        &mut out,
        enc,
        tags::DEIDENTIFICATION_METHOD_CODE_SEQUENCE,
        VR::SQ,
        UNDEFINED,
    );
    for (value, meaning) in codes {
        out.extend_from_slice(&enc.put_u16(ITEM.0));
        out.extend_from_slice(&enc.put_u16(ITEM.1));
        out.extend_from_slice(&enc.put_u32(UNDEFINED));
        write_value(&mut out, enc, tags::CODE_VALUE, VR::SH, value.as_bytes());
        write_value(
            &mut out,
            enc,
            tags::CODING_SCHEME_DESIGNATOR,
            VR::SH,
            b"DCM",
        );
        write_value(
            &mut out,
            enc,
            tags::CODE_MEANING,
            VR::LO,
            meaning.as_bytes(),
        );
        out.extend_from_slice(&enc.put_u16(ITEM_END.0));
        out.extend_from_slice(&enc.put_u16(ITEM_END.1));
        out.extend_from_slice(&enc.put_u32(0));
    }
    out.extend_from_slice(&enc.put_u16(SEQUENCE_END.0));
    out.extend_from_slice(&enc.put_u16(SEQUENCE_END.1));
    out.extend_from_slice(&enc.put_u32(0));
    out
}
