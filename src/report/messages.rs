//! Every patient-facing text of the report, by message id, in English ([`EN`]) and Simplified
//! Chinese ([`ZH`]), and the few functions that turn a finding, checklist item or next step into
//! its sentence. Owns the ids and the translations; knows nothing of HTML or terminals, and never
//! reads files. Findings, items and steps carry codes and values; the sentence is made here.
//!
//! Id families: `label.*` (headings, table columns), `finding.<code>` (and
//! `finding.series-incomplete.<reason kind>`), `item.<id>` and `item.<id>.<status>`,
//! `status.*`, `impact.*`, `level.*` (+ `.explain`), `fit.*`, `step.*`, `evidence.*`,
//! `category.*`, `kind.*`, `severity.*`, `sex.*`, `answer.*`, `slides.*`, `translation.*`;
//! and a scanned file's `reason.*`, `error.*` and `note.*` with the `part.*` that go into them
//! (built by the core as [`crate::message::Message`] values).
//! [`required_ids`] lists every id the code can ask for; the tests check both tables have them,
//! and `tests/messages.rs` checks the file texts against the source that builds them.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde_json::{json, Value};

use crate::case::{Finding, Severity};
use crate::entry::FileKind;
use crate::readiness::{
    Answer, Category, Impact, Item, Level, NextStep, ReviewFit, Slides, Status, Translation,
};

/// The language of the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// Reads a language tag: `en`, `en-US`, `zh`, `zh-CN`, `zh_Hans`… (case-insensitive).
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        match tag.split('-').next()? {
            "en" => Some(Lang::En),
            "zh" | "cn" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The tag for HTML's `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }
}

// The tables. Placeholders `{name}` are filled from values by [`fill`]; English may use
// `{name|one|other}` to pick a word by whether the value is 1.

/// English.
pub const EN: &[(&str, &str)] = &[
    // Headings and table columns.
    ("label.title", "Second-opinion records check"),
    ("label.subtitle", "What a reviewing specialist will and will not be able to look at, from the files you gave. This is not medical advice."),
    ("label.generated", "Made on this device by {generated_by}. The files were read here, not uploaded."),
    ("label.summary", "Summary"),
    ("label.patients", "Patients"),
    ("label.studies", "Imaging studies"),
    ("label.files", "Files"),
    ("label.key-findings", "Most important findings"),
    ("label.no-key-findings", "No serious problems were found in the files."),
    ("label.review-fit", "Kind of review"),
    ("label.next-steps", "What to do next"),
    ("label.no-next-steps", "Nothing to chase: the checklist has no gaps that limit a review."),
    ("label.findings", "Findings"),
    ("label.no-findings", "No problems were found in the files."),
    ("label.severity", "Severity"),
    ("label.files-involved", "Files"),
    ("label.and-more", "and {count} more"),
    ("label.checklist", "Second-opinion checklist"),
    ("label.item", "Item"),
    ("label.status", "Status"),
    ("label.impact", "Effect on a review"),
    ("label.details", "What this means"),
    ("label.evidence", "Based on"),
    ("label.you-told-us", "What you told us"),
    ("label.cancer-case", "Cancer case"),
    ("label.slides", "Pathology slides or blocks"),
    ("label.translation", "Translation"),
    ("label.not-said", "not said"),
    ("label.timeline", "Disease timeline"),
    ("label.questions", "Questions for the reviewer"),
    ("label.not-written", "Not written yet."),
    ("label.file-list", "All files"),
    ("label.path", "File"),
    ("label.kind", "What it is"),
    ("label.reason", "How it was recognised"),
    ("label.file-list-capped", "The list stops at {shown} of {total} files; the JSON report has them all."),
    ("label.no-files", "No files."),
    ("label.patient", "Patient"),
    ("label.patient-id", "Patient ID"),
    ("label.birth-date", "Born"),
    ("label.sex", "Sex"),
    ("label.unnamed-patient", "no name"),
    ("label.no-studies", "No original imaging studies were found."),
    ("label.date", "Date"),
    ("label.modalities", "Type"),
    ("label.description", "Description"),
    ("label.institution", "Hospital"),
    ("label.images", "Images"),
    ("label.series", "Series"),
    ("label.body-part", "Body part"),
    ("label.series-notes", "Notes"),
    ("label.localizer", "localizer"),
    ("label.derived", "processed"),
    ("label.lossy", "lossy"),
    ("label.study-images", "{studies} {studies|study|studies}, {series} series, {images} {images|image|images}"),
    ("label.series-images", "{series} series, {images} {images|image|images}"),
    ("label.study-ref", "“{description}” of {date}"),
    ("label.series-ref", "{number} “{description}”"),
    ("label.no-description", "without description"),
    ("label.unknown-date", "unknown date"),
    ("label.unnamed-series", "without number"),
    ("label.unknown-modality", "imaging"),
    ("label.unattributed", "DICOM files without a patient name or ID: {count}"),
    ("label.technical", "Technical details (for the reviewer's staff)"),
    ("label.technical-intro", "DICOM terms, for the people who import the images."),
    ("label.sop-classes", "DICOM object types (SOP classes)"),
    ("label.transfer-syntaxes", "Transfer syntaxes (image encodings)"),
    ("label.charsets", "Specific Character Set"),
    ("label.charset-absent", "(not set)"),
    ("label.charset-notes", "Character set repairs"),
    ("label.legacy", "DICOM files without a preamble or file meta header"),
    ("label.equipment", "Equipment"),
    ("label.dicomdir-missing", "Files a DICOMDIR lists that are missing"),
    ("label.count", "Files"),
    ("label.value", "Value"),
    ("label.inferred", "inferred from the bytes"),
    ("label.none", "none"),
    ("label.fact", "{label}: {value}"),
    ("label.with-facts", "{name} ({facts})"),
    ("label.sep", ", "),
    ("label.count-photos", "{count} {count|photo|photos}"),
    ("label.count-screenshots", "{count} {count|screenshot|screenshots}"),
    ("label.count-captures", "{count} screen {count|capture|captures} in DICOM"),
    ("label.report-format", "Report format: JSON schema_version {schema_version}."),
    // Overall level.
    ("level.ready", "Ready for review"),
    ("level.ready.explain", "The files cover the checklist: a reviewer can look at the images and reports you have."),
    ("level.reviewable-with-gaps", "Reviewable, with gaps"),
    ("level.reviewable-with-gaps.explain", "A reviewer can look at what is here, but some records are missing or incomplete. The list below says what to chase first."),
    ("level.not-yet-reviewable", "Not yet reviewable"),
    ("level.not-yet-reviewable.explain", "Essential records are missing, so a reviewer would have too little to look at. Gather the items under “What to do next” first."),
    // Kind of review.
    ("fit.remote-record-review", "Everything here can be sent as files, so a remote review of the records fits what you have."),
    ("fit.remote-with-physical-slides", "A remote review fits, but the pathology slides or blocks are physical: they have to be shipped or brought to the reviewing hospital."),
    ("fit.not-yet", "There is too little here for a review yet: gather the missing records first."),
    // Severity of a finding.
    ("severity.info", "Note"),
    ("severity.warning", "Warning"),
    ("severity.serious", "Serious"),
    // Checklist statuses and impacts.
    ("status.present", "Present"),
    ("status.partial", "Partly there"),
    ("status.missing", "Missing"),
    ("status.declared", "You said you have it"),
    ("status.not-needed", "Not needed"),
    ("impact.none", "Does not limit a review"),
    ("impact.low", "Limits a review a little"),
    ("impact.medium", "Limits a review"),
    ("impact.high", "Limits a review a lot"),
    // Findings.
    ("finding.multiple-patients", "These files belong to {count} different people ({names}). Files of another person must not be sent with your records."),
    ("finding.unattributed-dicom", "{count} DICOM {count|file carries|files carry} no patient name or ID, so {count|it|they} cannot be matched to a person."),
    ("finding.series-incomplete", "The {modality} series {series} looks incomplete ({present} {present|image|images} here)."),
    ("finding.series-incomplete.gaps", "{missing} {missing|image is|images are} missing between image numbers {first} and {last}."),
    ("finding.series-incomplete.starts-late", "It starts at image number {first}: the first images are not here."),
    ("finding.series-incomplete.fewer-than-acquired", "The scanner recorded {expected} images for it, but only {present} {present|is|are} here."),
    ("finding.series-incomplete.few-images", "Only a few images of a cross-sectional scan (a CT or MR series usually has dozens to hundreds): probably selected key images, not the whole series."),
    ("finding.localizer-only", "The study {study} has only localizer images (used to plan the scan), not the diagnostic images."),
    ("finding.derived-only", "The study {study} has only processed views (reformats or projections), not the original images they were made from."),
    ("finding.no-original-imaging", "There are no original scan images among these files, only pictures of images ({pictures}). A reviewer cannot re-read scans from pictures."),
    ("finding.no-original-imaging.none", "There are no scan images among these files at all: no original DICOM images, not even pictures of them."),
    ("finding.secondary-capture", "{count} DICOM {count|file is a|files are} screen {count|capture|captures} or scanned {count|picture|pictures} (secondary capture), not original scan images."),
    ("finding.photo-of-screen", "These pictures ({pictures}) show images from a screen or film: useful to point at something, but a reviewer cannot measure or re-read from them."),
    ("finding.dicomdir-missing-files", "The disc index (DICOMDIR) lists {referenced} files, but {missing} of them {missing|is|are} not here: the disc was probably not copied completely."),
    ("finding.duplicate-instance", "{instances} {instances|image is|images are} here more than once (identical copies); one copy of each is enough."),
    ("finding.lossy-only", "Series {series} is only here as a compressed copy that loses detail (lossy compression)."),
    ("finding.truncated-file", "{count} DICOM {count|file ends|files end} too early (cut short, probably an incomplete copy): the images cannot be shown in full."),
    ("finding.charset-repaired", "In {count} {count|file|files}, names or descriptions were stored with a wrong or missing character setting and were read as Chinese text: please check that the names shown are right."),
    ("finding.report-in-dicom", "{count} {count|report is|reports are} stored as DICOM (structured reports or PDFs); {count|it counts|they count} as {count|a report|reports}, not images."),
    ("finding.viewer-software-set-aside", "{count} {count|file is|files are} the disc's viewer software: not medical records, so {count|it is|they are} left out."),
    ("finding.archive-limit-hit", "{count} zip {count|file was|files were} too large or nested too deeply to open completely: part of the contents was not checked."),
    ("finding.session-limit-hit", "{count} {count|file or folder was|files or folders were} not checked because the selection is larger than this tool checks at once (too many files or folders nested too deeply). Check them in a separate run."),
    ("finding.unreadable-file", "{count} {count|file is|files are} empty or damaged and could not be read."),
    ("finding.archive-not-opened", "{count} {count|archive|archives} could not be opened (encrypted or an unsupported format): the contents were not checked."),
    // Checklist items.
    ("item.diagnosis-report", "Written diagnosis report(s)"),
    ("item.diagnosis-report.present", "A diagnosis report or discharge summary is among the files."),
    ("item.diagnosis-report.partial", "No document is recognised as a diagnosis report, but {uncategorised} {uncategorised|document|documents} could not be sorted: if the diagnosis is among them, tag it."),
    ("item.diagnosis-report.missing", "No diagnosis report was found: a reviewer will not see your treating doctors' own conclusions."),
    ("item.imaging-dicom", "Imaging as DICOM files"),
    ("item.imaging-dicom.present", "Original images as DICOM: {studies} {studies|study|studies}, {series} series, {images} {images|image|images}. A reviewer can re-read them."),
    ("item.imaging-dicom.partial", "Original DICOM images are here ({studies} {studies|study|studies}, {series} series, {images} {images|image|images}), but some look incomplete or reduced (see the findings)."),
    ("item.imaging-dicom.missing", "No original DICOM images: a reviewer cannot re-read your scans and would rely on written reports only."),
    ("item.radiology-report", "Radiology reports for that imaging"),
    ("item.radiology-report.present", "Written radiology reports are among the files."),
    ("item.radiology-report.missing", "No written radiology report was found: a reviewer will not see how your scans were read at the hospital."),
    ("item.pathology-slides", "Pathology slides or blocks (cancer)"),
    ("item.pathology-slides.present", "Digital pathology slide images are among the files."),
    ("item.pathology-slides.declared", "You have the slides or blocks: they are physical and have to be shipped or brought."),
    ("item.pathology-slides.not-needed", "Not needed: you said this is not a cancer case."),
    ("item.pathology-slides.missing", "No pathology slides or blocks: in a cancer case, a reviewer cannot re-examine the tissue without them."),
    ("item.pathology-lab-reports", "Pathology and lab reports"),
    ("item.pathology-lab-reports.present", "Pathology reports ({pathology}) and lab results ({lab}) are among the files."),
    ("item.pathology-lab-reports.partial", "Only part is here: {pathology} pathology {pathology|report|reports} and {lab} lab {lab|result|results}."),
    ("item.pathology-lab-reports.missing", "No pathology report or lab results were found."),
    ("item.treatment-history", "Treatment history with dates, drugs and doses"),
    ("item.treatment-history.present", "A treatment record or discharge summary is among the files."),
    ("item.treatment-history.declared", "You said your treatment history is written down."),
    ("item.treatment-history.missing", "No treatment history was found: a reviewer will not know what has been tried, when, and at what dose."),
    ("item.blood-work", "Recent blood work and tumour markers"),
    ("item.blood-work.present", "Lab results are among the files."),
    ("item.blood-work.missing", "No recent blood work was found."),
    ("item.timeline", "One-page disease timeline"),
    ("item.timeline.present", "You wrote a timeline."),
    ("item.timeline.partial", "Your timeline is very short ({characters} characters); a page with dates makes the records much easier to follow."),
    ("item.timeline.missing", "No timeline yet."),
    ("item.questions", "3–5 specific questions"),
    ("item.questions.present", "You wrote {count} specific questions."),
    ("item.questions.partial", "{count} of your {written} {written|entry reads|entries read} as a specific question; 3 to 5 work best."),
    ("item.questions.missing", "No questions yet."),
    ("item.translation", "English translation or summary where needed"),
    ("item.translation.declared", "You said an English translation or summary exists."),
    ("item.translation.not-needed", "No translation seems needed."),
    ("item.translation.missing", "{chinese_documents} {chinese_documents|document looks|documents look} Chinese and no English translation or summary was mentioned."),
    // Evidence written by the patient (`declared:…`).
    ("evidence.slides-have", "You said you have the slides or blocks."),
    ("evidence.slides-requested", "You said the slides or blocks have been requested."),
    ("evidence.slides-not-available", "You said the hospital cannot release the slides or blocks."),
    ("evidence.not-cancer", "You said this is not a cancer case."),
    ("evidence.treatment-history", "You said your treatment history is written down."),
    ("evidence.timeline", "Your timeline"),
    ("evidence.question", "Your question {n}"),
    ("evidence.translation", "You said a translation or summary exists."),
    // What to do next.
    ("step.remove-other-patient-files", "Take out the {files} {files|file|files} that belong to another person before you send anything."),
    ("step.request-imaging-dicom", "Ask the hospital's imaging (radiology) department for a CD or download of the original DICOM images of each scan. Photos or screenshots of the images are not enough."),
    ("step.request-complete-series", "Ask the hospital's imaging department for the complete series of the scan that looks incomplete ({files} {files|file|files} here): all of its original DICOM images, not key images."),
    ("step.request-original-series", "Ask the imaging department for the original image series (the thin-slice source images), not only localizer images or processed views."),
    ("step.request-lossless-copy", "Ask the imaging department for a copy of the images in original quality (uncompressed or lossless DICOM)."),
    ("step.recopy-truncated-files", "Copy the disc or the download again: some files are cut short, probably by an incomplete copy."),
    ("step.request-pathology-slides", "Ask the hospital's pathology department to lend you the pathology slides or tissue blocks of your biopsy or operation. This takes the longest, so ask first."),
    ("step.request-pathology-slides.if-cancer", "If this is a cancer case, ask the hospital's pathology department to lend you the pathology slides or tissue blocks of your biopsy or operation. This takes the longest, so ask first."),
    ("step.follow-up-slides-request", "Follow up your request for the pathology slides or blocks: ask the pathology department when and how they will be released."),
    ("step.ask-for-recut-slides-or-blocks", "If the original slides cannot be released, ask the pathology department for newly cut slides (stained and unstained) from the tissue blocks."),
    ("step.copy-whole-cd", "Copy the whole disc again, every folder included: the disc's index lists files that are not among yours."),
    ("step.request-radiology-report", "Ask the imaging department for the written radiology reports of your scans."),
    ("step.request-pathology-lab-reports", "Add the pathology reports and recent lab results; ask the pathology department and the laboratory for any you do not have."),
    ("step.add-diagnosis-report", "Add the written diagnosis (discharge summary, outpatient record or diagnosis certificate); if it is among your files, tag it as a diagnosis report."),
    ("step.add-treatment-history", "Write down or add your treatment history: dates, drugs and doses, operations and radiotherapy."),
    ("step.add-recent-blood-work", "Add your recent blood test results, with tumour markers if they were measured."),
    ("step.write-timeline", "Write a one-page timeline: when the symptoms began, each test with its date, each treatment and how it went."),
    ("step.write-questions", "Write 3 to 5 specific questions you want the reviewer to answer."),
    ("step.get-translation", "Arrange an English translation or a short English summary of the Chinese documents."),
    // Document categories.
    ("category.diagnosis-report", "Diagnosis report"),
    ("category.radiology-report", "Radiology report"),
    ("category.pathology-report", "Pathology report"),
    ("category.lab-results", "Lab results"),
    ("category.treatment-history", "Treatment history"),
    ("category.discharge-summary", "Discharge summary"),
    ("category.other", "Other document"),
    // File kinds.
    ("kind.dicom", "DICOM file"),
    ("kind.dicomdir", "Disc index (DICOMDIR)"),
    ("kind.screenshot", "Screenshot"),
    ("kind.photo", "Photo"),
    ("kind.slide", "Pathology slide image"),
    ("kind.pdf", "PDF document"),
    ("kind.document", "Document"),
    ("kind.archive", "Archive (zip)"),
    ("kind.software", "Viewer software"),
    ("kind.other", "Other file"),
    ("kind.empty", "Empty file"),
    ("kind.corrupt", "Damaged file"),
    // Declarations and patient facts.
    ("answer.yes", "yes"),
    ("answer.no", "no"),
    ("answer.unsure", "not sure"),
    ("slides.have", "you have them"),
    ("slides.requested", "requested"),
    ("slides.not-available", "not available"),
    ("translation.have", "you have one"),
    ("translation.not-needed", "not needed"),
    ("sex.m", "male"),
    ("sex.f", "female"),
    ("sex.o", "other"),
    // A file's reason (`reason.*`), error (`error.*`) and notes (`note.*`), and the parts
    // (`part.*`) that go into them (src/message.rs). The English is what the JSON's `reason`,
    // `error` and `notes` say; `{detail}` is a library's or the system's own message.
    ("reason.empty", "0 bytes"),
    ("reason.unreadable", "unreadable"),
    ("reason.unreadable-folder", "unreadable folder"),
    ("reason.could-not-be-read", "could not be read"),
    ("reason.unrecognised", "unrecognised content"),
    ("reason.viewer-folder", "file in a CD viewer program folder"),
    ("reason.symlink", "symbolic link (not followed)"),
    ("reason.not-scanned", "not scanned: {why}"),
    ("reason.pdf", "PDF signature (%PDF-)"),
    ("reason.zip", "zip archive (PK signature)"),
    ("reason.zip-with-files", "zip archive with {count} files"),
    ("reason.zip-unreadable", "zip signature, but the zip cannot be read"),
    ("reason.zip-member", "zip member"),
    ("reason.zip-member-encrypted", "encrypted zip member"),
    ("reason.zip-member-ratio", "zip member with an impossible compression ratio"),
    ("reason.zip-member-not-read", "zip member not read"),
    ("reason.zip-member-inflate", "zip member that cannot be inflated"),
    ("reason.archive.rar", "RAR archive"),
    ("reason.archive.7z", "7-Zip archive"),
    ("reason.archive.gzip", "gzip archive"),
    ("reason.archive.bzip2", "bzip2 archive"),
    ("reason.archive.xz", "xz archive"),
    ("reason.archive.zstd", "zstd archive"),
    ("reason.archive.tar", "tar archive"),
    ("reason.document.docx", "Word document (DOCX)"),
    ("reason.document.xlsx", "Excel workbook (XLSX)"),
    ("reason.document.pptx", "PowerPoint presentation (PPTX)"),
    ("reason.document.ooxml", "Office Open XML document"),
    ("reason.document.odf", "OpenDocument file (ODT/ODS)"),
    ("reason.document.ole", "old Microsoft Office file (OLE compound document)"),
    ("reason.document.rtf", "Rich Text Format ({signature})"),
    ("reason.document.html", "HTML page"),
    ("reason.document.xml", "XML text"),
    ("reason.document.text", "plain text"),
    ("reason.program.windows", "Windows program (MZ header)"),
    ("reason.program.linux", "Linux program (ELF)"),
    ("reason.program.macos", "macOS program (Mach-O)"),
    ("reason.program.macos-universal", "macOS universal program or Java class"),
    ("reason.program.cab", "Windows cabinet installer (.cab)"),
    ("reason.program.msi", "Windows installer (MSI)"),
    ("reason.program.script", "script (#!)"),
    ("reason.program.jar", "Java program (JAR)"),
    ("reason.program.apk", "Android app (APK)"),
    ("reason.program.autorun", "CD autorun file (starts the viewer program)"),
    ("reason.program.settings", "program settings or script"),
    ("reason.junk.macosx", "macOS archive leftovers (__MACOSX)"),
    ("reason.junk.thumbs", "Windows thumbnail cache (Thumbs.db)"),
    ("reason.junk.ds-store", "macOS folder settings (.DS_Store)"),
    ("reason.junk.desktop-ini", "Windows folder settings (desktop.ini)"),
    ("reason.junk.appledouble", "macOS resource fork (AppleDouble)"),
    ("reason.media.mp4", "video (MP4/QuickTime)"),
    ("reason.media.matroska", "video (Matroska/WebM)"),
    ("reason.media.avi", "video (AVI)"),
    ("reason.media.audio", "audio"),
    ("reason.media.ogg", "audio or video (Ogg)"),
    ("reason.media.font", "font"),
    ("reason.dicom-named", "named like a DICOM file, but no DICOM structure"),
    ("reason.dicom.preamble", "DICM at byte 128"),
    ("reason.dicom.no-preamble", "DICM at byte 0 (no preamble)"),
    ("reason.dicom.legacy-explicit-little", "DICOM data set without preamble or file meta (explicit VR little endian)"),
    ("reason.dicom.legacy-implicit-little", "DICOM data set without preamble or file meta (implicit VR little endian)"),
    ("reason.dicom.legacy-explicit-big", "DICOM data set without preamble or file meta (explicit VR big endian)"),
    ("reason.dicom.legacy-implicit-big", "DICOM data set without preamble or file meta (implicit VR big endian)"),
    ("reason.dicom.tiff", "{start}, preamble is a TIFF header"),
    ("reason.dicom.class", "{start}, {class}"),
    ("reason.dicom.tiff-class", "{start}, preamble is a TIFF header, {class}"),
    ("reason.dicom.dicomdir", "{start}, DICOMDIR (Media Storage Directory) listing {files} files"),
    ("reason.dicom.unreadable", "{start}, but unreadable: {problem}"),
    ("part.dicom.unreadable", "DICOM, unreadable"),
    ("part.dicom.no-parse", "DICOM structure, but the header does not parse"),
    ("part.dicom.no-meta", "DICM marker, but no readable file meta group"),
    ("part.dicom.malformed", "DICOM structure, but {what} is malformed"),
    ("part.dicom.cut-short", "DICOM structure, but {what} is cut short"),
    ("part.dicom.over-limit", "DICOM structure, but {what} exceeds a limit"),
    ("part.dicom.meta-group", "the file meta group"),
    ("part.dicom.header", "the header"),
    ("reason.raster-unreadable", "{format} signature, but unreadable"),
    ("reason.raster.aperio", "{label} with Aperio ImageDescription (whole-slide image)"),
    ("reason.raster.ndpi", "{label} with Hamamatsu NDPI private tags (whole-slide image)"),
    ("reason.raster.slide-vendor", "{label} metadata names {vendor} with slide-scanner wording (\"{word}\") (whole-slide image)"),
    ("reason.raster.slide-dir-unread", "{label} named .{ext} whose first directory lies beyond the first {read} (name suggests a whole-slide image)"),
    ("reason.raster.tiff-dir-unread", "{label} whose first directory lies beyond the first {read}, no camera EXIF read (scan or export)"),
    ("reason.raster.pyramid", "tiled {label} {dims} with {levels} (pyramidal whole-slide image)"),
    ("reason.raster.tiled-named", "tiled {label} {dims} named .{ext} (whole-slide image)"),
    ("reason.raster.scanner", "{label} {dims} from {camera} without camera exposure data (scan or export)"),
    ("reason.raster.shot-name-exif", "{label} {dims} with screenshot-style name; EXIF {camera} but no exposure or GPS data"),
    ("reason.raster.camera", "{label} with camera EXIF ({camera})"),
    ("reason.raster.gps", "{label} with GPS position in EXIF (camera photo)"),
    ("reason.raster.exposure", "{label} with camera EXIF (DateTimeOriginal and exposure data)"),
    ("reason.raster.phone-format", "{label} (phone camera format)"),
    ("reason.raster.messenger", "JPEG {width}×{height} ({aspect}, {mp} MP) with a messenger file name ({name}); no EXIF because messengers strip it"),
    ("reason.raster.phone-name", "JPEG {width}×{height} ({aspect}, {mp} MP) with a phone-camera file name ({name}); no EXIF, as after messengers or apps that strip it"),
    ("reason.raster.shot-name", "{label} {dims}, no camera EXIF, screenshot-style name"),
    ("reason.raster.screenshot-tool", "{label} {dims} made by a screenshot tool (Software={software})"),
    ("reason.raster.xmp-screenshot", "{label} {dims} marked \"Screenshot\" in its XMP metadata"),
    ("reason.raster.screen-sized", "{label} {dims}, no camera EXIF, screen-sized"),
    ("reason.raster.tiff-export", "{label} {dims} without camera EXIF (scan or export)"),
    ("reason.raster.no-exif", "{label} {dims}, no camera EXIF (treated as an export or screenshot, not original imaging)"),
    ("part.raster.unknown-size", "of unknown size"),
    ("part.raster.levels-subifd", "SubIFD levels"),
    ("part.raster.levels-one", "1 directory"),
    ("part.raster.levels", "{count} directories"),
    ("part.raster.levels-at-least", "at least {count} directories"),
    ("part.kib", "{count} KiB"),
    ("part.bytes", "{count} bytes"),
    ("error.read", "could not read the file: {detail}"),
    ("error.open", "could not open the file: {detail}"),
    ("error.read-entry", "could not read the entry: {detail}"),
    ("error.read-folder", "could not read the folder: {detail}"),
    ("error.drop", "could not read it from the drop: {detail}"),
    ("error.scanner-stopped", "the scanner stopped on this file ({detail}); the other files were checked"),
    ("error.dicom-named", "the file has a DICOM name but neither the DICM marker nor a readable data set"),
    ("error.dicom.registry", "could not load the transfer syntax registry"),
    ("error.dicom.parse", "could not parse the DICOM header: {detail}"),
    ("error.dicom.meta", "could not read the file meta group: {detail}"),
    ("error.walk.invalid-vr", "element {tag} has an invalid value representation {vr}"),
    ("error.walk.header-eof", "the file ends in the middle of the header"),
    ("error.walk.past-end", "an element runs past the end of {tag} at byte {offset}"),
    ("error.walk.eof-in-sequence", "the file ends inside the sequence {tag}"),
    ("error.walk.eof-in-element", "the file ends in the middle of an element header at byte {offset}"),
    ("error.walk.too-long", "element {tag} says it holds {length} bytes, but only {left} are left in {container}"),
    ("part.walk.item", "its sequence item"),
    ("part.walk.file", "the file"),
    ("error.walk.stray-sequence-end", "a sequence delimiter at byte {offset} closes no open sequence"),
    ("error.walk.stray-item-end", "an item delimiter at byte {offset} closes no open item"),
    ("error.walk.item-outside", "an item at byte {offset} is outside any sequence"),
    ("error.walk.outside-item", "element {tag} at byte {offset} sits directly in a sequence, outside an item"),
    ("error.walk.undefined-length", "element {tag} ({vr}) has an undefined length, which only sequences and pixel data may have"),
    ("error.walk.too-deep", "sequences are nested more than {depth} deep"),
    ("error.walk.too-large", "the header is larger than the {mib} MiB this tool reads"),
    ("error.zip.directory", "could not read the zip directory: {detail}"),
    ("error.zip.member", "could not open this zip member: {detail}"),
    ("error.zip.encrypted", "the member is password-protected and cannot be read"),
    ("error.zip.ratio", "claims {size} bytes from {compressed} compressed bytes (over {ratio}:1); not inflated, as a zip bomb would be"),
    ("error.zip.total-read", "the limit of {mib} MiB read from one zip was reached"),
    ("error.zip.inflate", "could not inflate this member: {detail}"),
    ("error.zip.nested", "could not inflate the nested zip: {detail}"),
    ("error.raster.no-signature", "not a raster image: no PNG, JPEG, GIF, BMP, WebP, TIFF or HEIF signature"),
    ("error.raster.png-short", "PNG signature but the file ends after {bytes} bytes, before the IHDR chunk"),
    ("error.raster.png-no-ihdr", "PNG signature but the IHDR chunk is missing"),
    ("error.raster.png-ihdr-length", "PNG IHDR chunk has length {length} instead of 13"),
    ("error.raster.png-ihdr-cut", "PNG IHDR chunk is cut off"),
    ("error.raster.png-empty", "PNG IHDR declares an empty image ({width}×{height})"),
    ("error.raster.png-too-large", "PNG IHDR declares a width or height above 2^31-1"),
    ("error.raster.jpeg-truncated", "JPEG starts correctly but ends after {bytes} bytes without a frame header (truncated file)"),
    ("error.raster.jpeg-no-frame", "JPEG starts correctly but has no frame header in the first {read}"),
    ("error.raster.jpeg-damaged", "JPEG starts correctly but its marker segments are damaged before the frame header"),
    ("error.raster.gif-cut", "GIF signature but the file is cut off after {bytes} bytes, before the screen size"),
    ("error.raster.webp", "WebP RIFF header but no readable VP8/VP8L/VP8X image size (cut off or damaged)"),
    ("error.raster.bmp-cut", "BMP signature but the header is cut off after {bytes} bytes"),
    ("error.raster.heif-no-size", "{label} file has an ftyp box but no image size (meta/iprp/ipco/ispe); it looks truncated or damaged"),
    ("error.raster.tiff-header-cut", "{label} signature but the header is cut off after {bytes} bytes"),
    ("error.raster.bigtiff-offset-size", "BigTIFF header with an invalid offset size (expected 8)"),
    ("error.raster.tiff-no-first-dir", "{label} header has no valid first directory offset ({offset})"),
    ("error.raster.tiff-empty-dir", "{label} first directory (offset {offset}) is empty"),
    ("error.raster.tiff-dir-cut", "{label} first directory at offset {offset} is cut off by the end of the file"),
    ("error.raster.tiff-dir-past-end", "{label} header points to its first directory at offset {offset}, past the end of the file ({bytes} bytes)"),
    ("error.raster.tiff-no-size", "{label} first directory has no ImageWidth/ImageLength"),
    ("note.zip-not-in-place", "not opened: this zip could not be read in place"),
    ("note.archive-not-opened", "not opened: only zip archives are looked inside; unpack this {what} and add its files"),
    ("note.junk", "junk: left by the operating system, not part of the records"),
    ("note.symlink", "links are not followed, so a folder is never scanned twice"),
    ("note.session-limit", "session-limit-hit: {why}"),
    ("part.limit.files", "over the limit of {max} files in one check"),
    ("part.limit.depth", "a folder nested more than {max} levels deep"),
    ("note.truncated.pixels", "truncated-file: pixel data needs {length} bytes from byte {offset}, the file has {available}"),
    ("note.truncated.no-pixels", "truncated-file: an image object without pixel data; the file is probably cut short"),
    ("note.truncated.fragments", "truncated-file: {problem}"),
    ("part.fragments.cut-in-header", "the compressed pixel data is cut short: the file ends {bytes} bytes into a fragment header"),
    ("part.fragments.cut-in-fragment", "the compressed pixel data is cut short: a fragment needs {bytes} more bytes than the file has"),
    ("part.fragments.malformed", "the compressed pixel data is malformed at byte {offset}"),
    ("note.charset-repaired", "charset-repaired: {note}"),
    ("part.charset.repairs", "{repairs|; }"),
    ("part.charset.absent", "no character set was declared"),
    ("part.charset.default", "declared {charset} (ASCII only) but the bytes are not ASCII"),
    ("part.charset.unknown", "unknown character set '{charset}'"),
    ("part.charset.name", "name"),
    ("part.charset.text", "text"),
    ("part.charset.read-2022", "{why}; the {what} uses ISO 2022 escape sequences and was read as {used}"),
    ("part.charset.read-utf8", "{why}; the {what} was read as UTF-8 (ISO_IR 192)"),
    ("part.charset.read-gb", "{why}; the {what} was read as GB18030 (Chinese)"),
    ("part.charset.read-latin", "{why}; the {what} is neither UTF-8 nor Chinese and was read as ISO_IR 100 (Latin-1), which may be wrong"),
    ("part.charset.lossy", "declared {charset} but some bytes are not valid in it; they are shown as \u{FFFD}"),
    ("part.charset.utf8", "declared {charset} but the bytes are UTF-8; read as UTF-8"),
    ("part.charset.gb", "declared {charset} but the bytes are GB18030 Chinese; read as Chinese"),
    ("part.charset.bad-utf8", "declared ISO_IR 192 (UTF-8) but the bytes are not valid UTF-8; the unreadable bytes are shown as \u{FFFD}"),
    ("part.charset.no-escapes", "declared {charset} but the bytes lack the escape sequences it requires; read as {used} without them"),
    ("note.zip-entries-limit", "the zip lists {count} entries; only the first {limit} were looked at (limit)"),
    ("note.archive-limit.ratio", "archive-limit-hit: compression ratio"),
    ("note.archive-limit.total-read", "archive-limit-hit: total bytes read"),
    ("note.archive-limit.depth", "archive-limit-hit: zips nested more than {depth} deep are not opened"),
    ("note.archive-limit.nested-size", "archive-limit-hit: a compressed nested zip larger than {mib} MiB is not opened"),
    ("note.name-gb18030", "member name read as GB18030 (Chinese Windows zip)"),
    ("note.name-cut", "member name cut to {max} characters"),
    ("note.unsafe-name", "unsafe name {original} ({problems}) neutralised to {name}"),
    ("part.unsafe.backslashes", "backslashes"),
    ("part.unsafe.absolute", "an absolute path"),
    ("part.unsafe.traversal", "path traversal (..)"),
    ("part.unsafe.drive", "a drive letter"),
    ("part.unsafe.control", "control characters"),
];

/// Simplified Chinese.
pub const ZH: &[(&str, &str)] = &[
    ("label.title", "第二诊疗意见 病历资料自查报告"),
    ("label.subtitle", "根据您提供的文件，说明会诊专家能看到什么、还缺什么。本报告不是医疗建议。"),
    ("label.generated", "由 {generated_by} 在本机生成。文件只在本机读取，没有上传。"),
    ("label.summary", "概要"),
    ("label.patients", "患者"),
    ("label.studies", "影像检查"),
    ("label.files", "文件"),
    ("label.key-findings", "最重要的问题"),
    ("label.no-key-findings", "文件中没有发现严重问题。"),
    ("label.review-fit", "适合的会诊方式"),
    ("label.next-steps", "下一步怎么做"),
    ("label.no-next-steps", "没有需要补充的资料：清单中没有影响会诊的缺项。"),
    ("label.findings", "发现的问题"),
    ("label.no-findings", "文件中没有发现问题。"),
    ("label.severity", "程度"),
    ("label.files-involved", "相关文件"),
    ("label.and-more", "另有 {count} 个"),
    ("label.checklist", "第二诊疗意见资料清单"),
    ("label.item", "项目"),
    ("label.status", "状态"),
    ("label.impact", "对会诊的影响"),
    ("label.details", "说明"),
    ("label.evidence", "依据"),
    ("label.you-told-us", "您提供的信息"),
    ("label.cancer-case", "是否肿瘤病例"),
    ("label.slides", "病理切片或蜡块"),
    ("label.translation", "翻译"),
    ("label.not-said", "未说明"),
    ("label.timeline", "病程时间线"),
    ("label.questions", "想请专家回答的问题"),
    ("label.not-written", "尚未填写。"),
    ("label.file-list", "全部文件"),
    ("label.path", "文件"),
    ("label.kind", "文件类型"),
    ("label.reason", "识别依据"),
    ("label.file-list-capped", "共 {total} 个文件，此处只列出前 {shown} 个；JSON 报告中有完整列表。"),
    ("label.no-files", "没有文件。"),
    ("label.patient", "患者"),
    ("label.patient-id", "患者 ID"),
    ("label.birth-date", "出生日期"),
    ("label.sex", "性别"),
    ("label.unnamed-patient", "无姓名"),
    ("label.no-studies", "没有找到原始影像检查。"),
    ("label.date", "日期"),
    ("label.modalities", "检查类型"),
    ("label.description", "描述"),
    ("label.institution", "医院"),
    ("label.images", "图像数"),
    ("label.series", "序列"),
    ("label.body-part", "部位"),
    ("label.series-notes", "备注"),
    ("label.localizer", "定位像"),
    ("label.derived", "后处理图像"),
    ("label.lossy", "有损压缩"),
    ("label.study-images", "{studies} 次检查，{series} 个序列，共 {images} 幅图像"),
    ("label.series-images", "{series} 个序列，{images} 幅图像"),
    ("label.study-ref", "{date} 的“{description}”"),
    ("label.series-ref", "{number}“{description}”"),
    ("label.no-description", "无描述"),
    ("label.unknown-date", "日期不明"),
    ("label.unnamed-series", "无编号"),
    ("label.unknown-modality", "影像"),
    ("label.unattributed", "没有患者姓名或 ID 的 DICOM 文件：{count} 个"),
    ("label.technical", "技术细节（供会诊方技术人员参考）"),
    ("label.technical-intro", "以下为 DICOM 术语，供导入影像的技术人员参考。"),
    ("label.sop-classes", "DICOM 对象类型（SOP Class）"),
    ("label.transfer-syntaxes", "传输语法（图像编码方式）"),
    ("label.charsets", "字符集（Specific Character Set）"),
    ("label.charset-absent", "（未设置）"),
    ("label.charset-notes", "字符集修复说明"),
    ("label.legacy", "没有前导码或文件元信息头的 DICOM 文件"),
    ("label.equipment", "设备"),
    ("label.dicomdir-missing", "DICOMDIR 中列出但缺失的文件"),
    ("label.count", "文件数"),
    ("label.value", "值"),
    ("label.inferred", "根据文件内容推断"),
    ("label.none", "无"),
    ("label.fact", "{label}：{value}"),
    ("label.with-facts", "{name}（{facts}）"),
    ("label.sep", "，"),
    ("label.count-photos", "照片 {count} 张"),
    ("label.count-screenshots", "截图 {count} 张"),
    ("label.count-captures", "DICOM 格式的屏幕截图 {count} 个"),
    ("label.report-format", "报告格式：JSON schema_version {schema_version}。"),
    ("level.ready", "可以提交会诊"),
    ("level.ready.explain", "资料基本齐全：会诊专家可以查看您提供的影像和报告。"),
    ("level.reviewable-with-gaps", "可以会诊，但有缺项"),
    ("level.reviewable-with-gaps.explain", "专家可以查看现有资料，但部分资料缺失或不完整。下面的清单说明应先补充什么。"),
    ("level.not-yet-reviewable", "暂时还不能会诊"),
    ("level.not-yet-reviewable.explain", "缺少关键资料，专家目前能看的东西太少。请先按“下一步怎么做”补齐资料。"),
    ("fit.remote-record-review", "现有资料都可以用文件形式发送，适合远程书面会诊。"),
    ("fit.remote-with-physical-slides", "适合远程会诊，但病理切片或蜡块是实物，需要寄送或带到会诊医院。"),
    ("fit.not-yet", "目前资料还不足以会诊，请先补齐缺少的资料。"),
    ("severity.info", "提示"),
    ("severity.warning", "注意"),
    ("severity.serious", "严重"),
    ("status.present", "已有"),
    ("status.partial", "部分齐全"),
    ("status.missing", "缺少"),
    ("status.declared", "您已说明有"),
    ("status.not-needed", "不需要"),
    ("impact.none", "不影响会诊"),
    ("impact.low", "对会诊影响较小"),
    ("impact.medium", "会影响会诊"),
    ("impact.high", "严重影响会诊"),
    ("finding.multiple-patients", "这些文件属于 {count} 个不同的人（{names}）。他人的文件不能和您的病历一起发送。"),
    ("finding.unattributed-dicom", "有 {count} 个 DICOM 文件没有患者姓名或 ID，无法确认属于谁。"),
    ("finding.series-incomplete", "{modality} 序列 {series} 看起来不完整（现有 {present} 幅图像）。"),
    ("finding.series-incomplete.gaps", "图像编号 {first} 到 {last} 之间缺少 {missing} 幅。"),
    ("finding.series-incomplete.starts-late", "序列从第 {first} 幅开始，前面的图像不在这里。"),
    ("finding.series-incomplete.fewer-than-acquired", "扫描设备记录该序列共有 {expected} 幅图像，这里只有 {present} 幅。"),
    ("finding.series-incomplete.few-images", "断层扫描只有少数几幅图像（CT 或磁共振的一个序列通常有几十到几百幅）：可能只是挑选出的关键图像，而不是完整序列。"),
    ("finding.localizer-only", "检查 {study} 只有定位像（用于规划扫描），没有诊断用的图像。"),
    ("finding.derived-only", "检查 {study} 只有后处理图像（重建图或投影图），没有生成它们的原始图像。"),
    ("finding.no-original-imaging", "这些文件中没有原始影像，只有影像的图片（{pictures}）。专家无法根据图片重新阅片。"),
    ("finding.no-original-imaging.none", "这些文件中完全没有影像：既没有原始 DICOM 影像，也没有影像的图片。"),
    ("finding.secondary-capture", "有 {count} 个 DICOM 文件是屏幕截图或扫描的图片（二次采集），不是原始影像。"),
    ("finding.photo-of-screen", "这些图片（{pictures}）拍的是屏幕或胶片上的影像：可以用来指出位置，但专家无法据此测量或重新阅片。"),
    ("finding.dicomdir-missing-files", "光盘目录（DICOMDIR）列出了 {referenced} 个文件，其中 {missing} 个不在这里：光盘可能没有完整拷贝。"),
    ("finding.duplicate-instance", "有 {instances} 幅图像重复出现（完全相同的副本）；每幅保留一份即可。"),
    ("finding.lossy-only", "序列 {series} 只有有损压缩的拷贝，图像细节有损失。"),
    ("finding.truncated-file", "有 {count} 个 DICOM 文件不完整（可能拷贝中断），其中的图像无法完整显示。"),
    ("finding.charset-repaired", "有 {count} 个文件的姓名或描述使用了错误或缺失的字符集设置，已按中文重新识别：请核对显示的姓名是否正确。"),
    ("finding.report-in-dicom", "有 {count} 份报告以 DICOM 文件形式保存（结构化报告或 PDF），按报告而不是影像计算。"),
    ("finding.viewer-software-set-aside", "有 {count} 个文件是光盘自带的看图软件，不属于病历资料，已排除。"),
    ("finding.archive-limit-hit", "有 {count} 个压缩包过大或嵌套过深，无法完全打开：其中部分内容没有检查。"),
    ("finding.session-limit-hit", "有 {count} 个文件或文件夹没有检查：所选内容超出了本工具一次能检查的范围（文件过多或文件夹嵌套过深）。请分批再检查一次。"),
    ("finding.unreadable-file", "有 {count} 个文件是空的或已损坏，无法读取。"),
    ("finding.archive-not-opened", "有 {count} 个压缩包无法打开（已加密或格式不支持），其中的内容没有检查。"),
    ("item.diagnosis-report", "书面诊断报告"),
    ("item.diagnosis-report.present", "文件中有诊断报告或出院小结。"),
    ("item.diagnosis-report.partial", "没有识别出诊断报告，但有 {uncategorised} 份资料未能分类：如果诊断在其中，请把它标注出来。"),
    ("item.diagnosis-report.missing", "没有找到诊断报告：专家将看不到主治医生自己的诊断结论。"),
    ("item.imaging-dicom", "原始影像 DICOM 文件"),
    ("item.imaging-dicom.present", "有原始影像 DICOM 文件：{studies} 次检查、{series} 个序列、{images} 幅图像。专家可以自己重新阅片。"),
    ("item.imaging-dicom.partial", "有原始影像 DICOM 文件（{studies} 次检查、{series} 个序列、{images} 幅图像），但部分看起来不完整或画质降低（见“发现的问题”）。"),
    ("item.imaging-dicom.missing", "没有原始影像 DICOM 文件：专家无法自己阅片，只能参考书面报告。"),
    ("item.radiology-report", "影像检查报告"),
    ("item.radiology-report.present", "文件中有书面影像报告。"),
    ("item.radiology-report.missing", "没有找到书面影像报告：专家将看不到原医院对影像的解读。"),
    ("item.pathology-slides", "病理切片或蜡块（肿瘤病例）"),
    ("item.pathology-slides.present", "文件中有病理切片的数字图像。"),
    ("item.pathology-slides.declared", "您已拿到病理切片或蜡块：它们是实物，需要寄送或带去。"),
    ("item.pathology-slides.not-needed", "不需要：您说明这不是肿瘤病例。"),
    ("item.pathology-slides.missing", "没有病理切片或蜡块：如果是肿瘤病例，专家没有它们就无法复核病理组织。"),
    ("item.pathology-lab-reports", "病理报告和检验报告"),
    ("item.pathology-lab-reports.present", "文件中有病理报告（{pathology} 份）和检验结果（{lab} 份）。"),
    ("item.pathology-lab-reports.partial", "只有部分资料：病理报告 {pathology} 份，检验结果 {lab} 份。"),
    ("item.pathology-lab-reports.missing", "没有找到病理报告或检验结果。"),
    ("item.treatment-history", "治疗经过（日期、药物、剂量）"),
    ("item.treatment-history.present", "文件中有治疗记录或出院小结。"),
    ("item.treatment-history.declared", "您说明已写好治疗经过。"),
    ("item.treatment-history.missing", "没有找到治疗经过：专家将不知道做过哪些治疗、什么时候做的、剂量多少。"),
    ("item.blood-work", "近期血液检查和肿瘤标志物"),
    ("item.blood-work.present", "文件中有检验结果。"),
    ("item.blood-work.missing", "没有找到近期的血液检查结果。"),
    ("item.timeline", "一页纸病程时间线"),
    ("item.timeline.present", "您已写好时间线。"),
    ("item.timeline.partial", "您的时间线很短（{characters} 个字）；写满一页、带上日期，病历会更容易看懂。"),
    ("item.timeline.missing", "还没有写时间线。"),
    ("item.questions", "3–5 个具体问题"),
    ("item.questions.present", "您已写了 {count} 个具体问题。"),
    ("item.questions.partial", "您写的 {written} 条中有 {count} 条是具体问题；3 到 5 个最合适。"),
    ("item.questions.missing", "还没有写问题。"),
    ("item.translation", "必要的英文翻译或摘要"),
    ("item.translation.declared", "您说明已有英文翻译或摘要。"),
    ("item.translation.not-needed", "看来不需要翻译。"),
    ("item.translation.missing", "有 {chinese_documents} 份资料看起来是中文的，且没有说明已有英文翻译或摘要。"),
    ("evidence.slides-have", "您说明已拿到病理切片或蜡块。"),
    ("evidence.slides-requested", "您说明已向医院申请病理切片或蜡块。"),
    ("evidence.slides-not-available", "您说明医院无法提供病理切片或蜡块。"),
    ("evidence.not-cancer", "您说明这不是肿瘤病例。"),
    ("evidence.treatment-history", "您说明已写好治疗经过。"),
    ("evidence.timeline", "您写的时间线"),
    ("evidence.question", "您的问题 {n}"),
    ("evidence.translation", "您说明已有翻译或摘要。"),
    ("step.remove-other-patient-files", "发送任何资料之前，请先移除属于他人的 {files} 个文件。"),
    ("step.request-imaging-dicom", "请到医院影像科（放射科）申请每次检查的原始影像 DICOM 文件（刻录光盘或下载）。影像的照片或截图不能代替原始文件。"),
    ("step.request-complete-series", "请向医院影像科申请看起来不完整的那次检查的完整序列（这里有 {files} 个文件）：要该序列全部原始 DICOM 图像，而不是关键图像。"),
    ("step.request-original-series", "请向影像科申请原始图像序列（薄层原始图像），而不只是定位像或后处理图像。"),
    ("step.request-lossless-copy", "请向影像科申请原始画质的影像拷贝（未压缩或无损压缩的 DICOM）。"),
    ("step.recopy-truncated-files", "请重新拷贝光盘或重新下载：部分文件不完整，可能是拷贝中断造成的。"),
    ("step.request-pathology-slides", "请到医院病理科借取活检或手术的病理切片或蜡块。这一项通常耗时最长，请最先办理。"),
    ("step.request-pathology-slides.if-cancer", "如果是肿瘤病例，请到医院病理科借取活检或手术的病理切片或蜡块。这一项通常耗时最长，请最先办理。"),
    ("step.follow-up-slides-request", "请跟进病理切片或蜡块的借取申请：向病理科确认何时、以什么方式提供。"),
    ("step.ask-for-recut-slides-or-blocks", "如果原切片不能借出，请向病理科申请用蜡块重新切片（染色切片和白片）。"),
    ("step.copy-whole-cd", "请重新拷贝整张光盘，包括所有文件夹：光盘目录中列出的一些文件不在您的文件里。"),
    ("step.request-radiology-report", "请向影像科索取各次检查的书面影像报告。"),
    ("step.request-pathology-lab-reports", "请补充病理报告和近期检验结果；手上没有的，请向病理科和检验科索取。"),
    ("step.add-diagnosis-report", "请补充书面诊断（出院小结、门诊病历或诊断证明）；如果已在文件中，请把它标为“诊断报告”。"),
    ("step.add-treatment-history", "请写明或补充治疗经过：日期、药物和剂量、手术和放疗情况。"),
    ("step.add-recent-blood-work", "请补充近期的血液检查结果；如果查过肿瘤标志物，也请一并提供。"),
    ("step.write-timeline", "请写一页病程时间线：症状什么时候出现、每次检查及日期、每次治疗及效果。"),
    ("step.write-questions", "请写下 3 到 5 个希望专家回答的具体问题。"),
    ("step.get-translation", "请为中文资料准备英文翻译或简短的英文摘要。"),
    ("category.diagnosis-report", "诊断报告"),
    ("category.radiology-report", "影像报告"),
    ("category.pathology-report", "病理报告"),
    ("category.lab-results", "检验结果"),
    ("category.treatment-history", "治疗记录"),
    ("category.discharge-summary", "出院小结"),
    ("category.other", "其他资料"),
    ("kind.dicom", "DICOM 文件"),
    ("kind.dicomdir", "光盘目录（DICOMDIR）"),
    ("kind.screenshot", "截图"),
    ("kind.photo", "照片"),
    ("kind.slide", "病理切片数字图像"),
    ("kind.pdf", "PDF 文档"),
    ("kind.document", "文档"),
    ("kind.archive", "压缩包"),
    ("kind.software", "看图软件"),
    ("kind.other", "其他文件"),
    ("kind.empty", "空文件"),
    ("kind.corrupt", "损坏的文件"),
    ("answer.yes", "是"),
    ("answer.no", "否"),
    ("answer.unsure", "不确定"),
    ("slides.have", "已拿到"),
    ("slides.requested", "已申请"),
    ("slides.not-available", "无法提供"),
    ("translation.have", "已有"),
    ("translation.not-needed", "不需要"),
    ("sex.m", "男"),
    ("sex.f", "女"),
    ("sex.o", "其他"),
    ("reason.empty", "0 字节"),
    ("reason.unreadable", "无法读取"),
    ("reason.unreadable-folder", "无法读取的文件夹"),
    ("reason.could-not-be-read", "未能读取"),
    ("reason.unrecognised", "无法识别的内容"),
    ("reason.viewer-folder", "光盘看图软件文件夹中的文件"),
    ("reason.symlink", "符号链接（未跟随）"),
    ("reason.not-scanned", "未检查：{why}"),
    ("reason.pdf", "PDF 签名（%PDF-）"),
    ("reason.zip", "zip 压缩包（PK 签名）"),
    ("reason.zip-with-files", "zip 压缩包，含 {count} 个文件"),
    ("reason.zip-unreadable", "有 zip 签名，但压缩包无法读取"),
    ("reason.zip-member", "压缩包内的文件"),
    ("reason.zip-member-encrypted", "加密的压缩包内文件"),
    ("reason.zip-member-ratio", "压缩比不合常理的压缩包内文件"),
    ("reason.zip-member-not-read", "未读取的压缩包内文件"),
    ("reason.zip-member-inflate", "无法解压的压缩包内文件"),
    ("reason.archive.rar", "RAR 压缩包"),
    ("reason.archive.7z", "7-Zip 压缩包"),
    ("reason.archive.gzip", "gzip 压缩包"),
    ("reason.archive.bzip2", "bzip2 压缩包"),
    ("reason.archive.xz", "xz 压缩包"),
    ("reason.archive.zstd", "zstd 压缩包"),
    ("reason.archive.tar", "tar 归档包"),
    ("reason.document.docx", "Word 文档（DOCX）"),
    ("reason.document.xlsx", "Excel 工作簿（XLSX）"),
    ("reason.document.pptx", "PowerPoint 演示文稿（PPTX）"),
    ("reason.document.ooxml", "Office Open XML 文档"),
    ("reason.document.odf", "OpenDocument 文件（ODT/ODS）"),
    ("reason.document.ole", "旧版 Microsoft Office 文件（OLE 复合文档）"),
    ("reason.document.rtf", "RTF 富文本（{signature}）"),
    ("reason.document.html", "HTML 网页"),
    ("reason.document.xml", "XML 文本"),
    ("reason.document.text", "纯文本"),
    ("reason.program.windows", "Windows 程序（MZ 文件头）"),
    ("reason.program.linux", "Linux 程序（ELF）"),
    ("reason.program.macos", "macOS 程序（Mach-O）"),
    ("reason.program.macos-universal", "macOS 通用程序或 Java 类文件"),
    ("reason.program.cab", "Windows 安装包（.cab）"),
    ("reason.program.msi", "Windows 安装程序（MSI）"),
    ("reason.program.script", "脚本（#!）"),
    ("reason.program.jar", "Java 程序（JAR）"),
    ("reason.program.apk", "安卓应用（APK）"),
    ("reason.program.autorun", "光盘自动运行文件（用于启动看图软件）"),
    ("reason.program.settings", "程序设置或脚本"),
    ("reason.junk.macosx", "macOS 压缩时留下的附属文件（__MACOSX）"),
    ("reason.junk.thumbs", "Windows 缩略图缓存（Thumbs.db）"),
    ("reason.junk.ds-store", "macOS 文件夹设置（.DS_Store）"),
    ("reason.junk.desktop-ini", "Windows 文件夹设置（desktop.ini）"),
    ("reason.junk.appledouble", "macOS 资源分支文件（AppleDouble）"),
    ("reason.media.mp4", "视频（MP4/QuickTime）"),
    ("reason.media.matroska", "视频（Matroska/WebM）"),
    ("reason.media.avi", "视频（AVI）"),
    ("reason.media.audio", "音频"),
    ("reason.media.ogg", "音频或视频（Ogg）"),
    ("reason.media.font", "字体文件"),
    ("reason.dicom-named", "文件名像 DICOM 文件，但没有 DICOM 结构"),
    ("reason.dicom.preamble", "第 128 字节处有 DICM 标记"),
    ("reason.dicom.no-preamble", "第 0 字节处有 DICM 标记（无前导码）"),
    ("reason.dicom.legacy-explicit-little", "没有前导码和文件元信息的 DICOM 数据集（显式 VR，小端字节序）"),
    ("reason.dicom.legacy-implicit-little", "没有前导码和文件元信息的 DICOM 数据集（隐式 VR，小端字节序）"),
    ("reason.dicom.legacy-explicit-big", "没有前导码和文件元信息的 DICOM 数据集（显式 VR，大端字节序）"),
    ("reason.dicom.legacy-implicit-big", "没有前导码和文件元信息的 DICOM 数据集（隐式 VR，大端字节序）"),
    ("reason.dicom.tiff", "{start}，前导码是 TIFF 文件头"),
    ("reason.dicom.class", "{start}，{class}"),
    ("reason.dicom.tiff-class", "{start}，前导码是 TIFF 文件头，{class}"),
    ("reason.dicom.dicomdir", "{start}，光盘目录 DICOMDIR（Media Storage Directory），列出 {files} 个文件"),
    ("reason.dicom.unreadable", "{start}，但无法读取：{problem}"),
    ("part.dicom.unreadable", "DICOM 文件，无法读取"),
    ("part.dicom.no-parse", "有 DICOM 结构，但文件头无法解析"),
    ("part.dicom.no-meta", "有 DICM 标记，但文件元信息组无法读取"),
    ("part.dicom.malformed", "有 DICOM 结构，但{what}格式错误"),
    ("part.dicom.cut-short", "有 DICOM 结构，但{what}不完整"),
    ("part.dicom.over-limit", "有 DICOM 结构，但{what}超出了限制"),
    ("part.dicom.meta-group", "文件元信息组"),
    ("part.dicom.header", "文件头"),
    ("reason.raster-unreadable", "有 {format} 签名，但无法读取"),
    ("reason.raster.aperio", "{label}，含 Aperio 图像描述（数字病理全切片图像）"),
    ("reason.raster.ndpi", "{label}，含滨松（Hamamatsu）NDPI 私有标签（数字病理全切片图像）"),
    ("reason.raster.slide-vendor", "{label} 元数据中有 {vendor} 和切片扫描仪用语（“{word}”）（数字病理全切片图像）"),
    ("reason.raster.slide-dir-unread", "{label} 文件，扩展名为 .{ext}，第一个目录不在前 {read} 内（文件名表明是数字病理全切片图像）"),
    ("reason.raster.tiff-dir-unread", "{label} 文件，第一个目录不在前 {read} 内，未读到相机 EXIF（扫描件或导出的图像）"),
    ("reason.raster.pyramid", "分块存储的 {label} {dims}，含 {levels}（金字塔结构的数字病理全切片图像）"),
    ("reason.raster.tiled-named", "分块存储的 {label} {dims}，扩展名为 .{ext}（数字病理全切片图像）"),
    ("reason.raster.scanner", "{label} {dims}，来自 {camera}，没有相机曝光数据（扫描件或导出的图像）"),
    ("reason.raster.shot-name-exif", "{label} {dims}，文件名像截图；EXIF 有 {camera}，但没有曝光或 GPS 数据"),
    ("reason.raster.camera", "{label}，含相机 EXIF（{camera}）"),
    ("reason.raster.gps", "{label}，EXIF 中有 GPS 位置（相机拍摄的照片）"),
    ("reason.raster.exposure", "{label}，含相机 EXIF（拍摄时间和曝光数据）"),
    ("reason.raster.phone-format", "{label}（手机相机格式）"),
    ("reason.raster.messenger", "JPEG {width}×{height}（{aspect}，{mp} 百万像素），文件名来自聊天软件（{name}）；没有 EXIF，因为聊天软件会去掉它"),
    ("reason.raster.phone-name", "JPEG {width}×{height}（{aspect}，{mp} 百万像素），文件名像手机相机拍摄的照片（{name}）；没有 EXIF，可能经过聊天软件或其他应用处理"),
    ("reason.raster.shot-name", "{label} {dims}，没有相机 EXIF，文件名像截图"),
    ("reason.raster.screenshot-tool", "{label} {dims}，由截图工具生成（Software={software}）"),
    ("reason.raster.xmp-screenshot", "{label} {dims}，XMP 元数据标记为“Screenshot”（截图）"),
    ("reason.raster.screen-sized", "{label} {dims}，没有相机 EXIF，尺寸与屏幕一致"),
    ("reason.raster.tiff-export", "{label} {dims}，没有相机 EXIF（扫描件或导出的图像）"),
    ("reason.raster.no-exif", "{label} {dims}，没有相机 EXIF（视为导出的图像或截图，不是原始影像）"),
    ("part.raster.unknown-size", "尺寸不明"),
    ("part.raster.levels-subifd", "SubIFD 分辨率层级"),
    ("part.raster.levels-one", "1 个目录"),
    ("part.raster.levels", "{count} 个目录"),
    ("part.raster.levels-at-least", "至少 {count} 个目录"),
    ("part.kib", "{count} KiB"),
    ("part.bytes", "{count} 字节"),
    ("error.read", "无法读取文件：{detail}"),
    ("error.open", "无法打开文件：{detail}"),
    ("error.read-entry", "无法读取该条目：{detail}"),
    ("error.read-folder", "无法读取文件夹：{detail}"),
    ("error.drop", "无法从拖放的内容中读取：{detail}"),
    ("error.scanner-stopped", "检查程序在这个文件上中止了（{detail}）；其他文件已检查"),
    ("error.dicom-named", "文件名是 DICOM 文件，但既没有 DICM 标记，也没有可读取的数据集"),
    ("error.dicom.registry", "无法加载传输语法注册表"),
    ("error.dicom.parse", "无法解析 DICOM 文件头：{detail}"),
    ("error.dicom.meta", "无法读取文件元信息组：{detail}"),
    ("error.walk.invalid-vr", "数据元素 {tag} 的值表示（VR）{vr} 无效"),
    ("error.walk.header-eof", "文件在文件头中途结束"),
    ("error.walk.past-end", "有数据元素超出了 {tag} 的结尾（第 {offset} 字节）"),
    ("error.walk.eof-in-sequence", "文件在序列 {tag} 内部结束"),
    ("error.walk.eof-in-element", "文件在第 {offset} 字节处的数据元素头中途结束"),
    ("error.walk.too-long", "数据元素 {tag} 声明有 {length} 字节，但{container}只剩 {left} 字节"),
    ("part.walk.item", "所在的序列项"),
    ("part.walk.file", "文件"),
    ("error.walk.stray-sequence-end", "第 {offset} 字节处的序列结束符没有对应的序列"),
    ("error.walk.stray-item-end", "第 {offset} 字节处的序列项结束符没有对应的序列项"),
    ("error.walk.item-outside", "第 {offset} 字节处的序列项不在任何序列中"),
    ("error.walk.outside-item", "第 {offset} 字节处的数据元素 {tag} 直接位于序列中，不在序列项内"),
    ("error.walk.undefined-length", "数据元素 {tag}（{vr}）的长度未定义，只有序列和像素数据可以这样"),
    ("error.walk.too-deep", "序列嵌套超过 {depth} 层"),
    ("error.walk.too-large", "文件头超过了本工具读取的上限 {mib} MiB"),
    ("error.zip.directory", "无法读取 zip 目录：{detail}"),
    ("error.zip.member", "无法打开压缩包内的这个文件：{detail}"),
    ("error.zip.encrypted", "该文件有密码保护，无法读取"),
    ("error.zip.ratio", "声称由 {compressed} 字节压缩数据解压为 {size} 字节（超过 {ratio}:1）；为防范“压缩炸弹”，没有解压"),
    ("error.zip.total-read", "从一个 zip 压缩包读取的数据已达上限 {mib} MiB"),
    ("error.zip.inflate", "无法解压这个文件：{detail}"),
    ("error.zip.nested", "无法解压内层 zip 压缩包：{detail}"),
    ("error.raster.no-signature", "不是位图图像：没有 PNG、JPEG、GIF、BMP、WebP、TIFF 或 HEIF 签名"),
    ("error.raster.png-short", "有 PNG 签名，但文件在 {bytes} 字节后就结束了，没有 IHDR 数据块"),
    ("error.raster.png-no-ihdr", "有 PNG 签名，但缺少 IHDR 数据块"),
    ("error.raster.png-ihdr-length", "PNG 的 IHDR 数据块长度为 {length}，应为 13"),
    ("error.raster.png-ihdr-cut", "PNG 的 IHDR 数据块不完整"),
    ("error.raster.png-empty", "PNG 的 IHDR 声明图像为空（{width}×{height}）"),
    ("error.raster.png-too-large", "PNG 的 IHDR 声明的宽度或高度超过 2^31-1"),
    ("error.raster.jpeg-truncated", "JPEG 开头正常，但在 {bytes} 字节后就结束了，没有帧头（文件不完整）"),
    ("error.raster.jpeg-no-frame", "JPEG 开头正常，但前 {read} 中没有帧头"),
    ("error.raster.jpeg-damaged", "JPEG 开头正常，但帧头之前的标记段已损坏"),
    ("error.raster.gif-cut", "有 GIF 签名，但文件在 {bytes} 字节后中断，读不到画面尺寸"),
    ("error.raster.webp", "有 WebP RIFF 文件头，但读不到 VP8/VP8L/VP8X 图像尺寸（文件不完整或已损坏）"),
    ("error.raster.bmp-cut", "有 BMP 签名，但文件头在 {bytes} 字节后中断"),
    ("error.raster.heif-no-size", "{label} 文件有 ftyp 盒，但没有图像尺寸（meta/iprp/ipco/ispe）；文件似乎不完整或已损坏"),
    ("error.raster.tiff-header-cut", "有 {label} 签名，但文件头在 {bytes} 字节后中断"),
    ("error.raster.bigtiff-offset-size", "BigTIFF 文件头的偏移量长度无效（应为 8）"),
    ("error.raster.tiff-no-first-dir", "{label} 文件头中没有有效的第一个目录偏移量（{offset}）"),
    ("error.raster.tiff-empty-dir", "{label} 的第一个目录（偏移量 {offset}）是空的"),
    ("error.raster.tiff-dir-cut", "{label} 位于偏移量 {offset} 的第一个目录被文件结尾截断"),
    ("error.raster.tiff-dir-past-end", "{label} 文件头指向偏移量 {offset} 处的第一个目录，超出了文件结尾（{bytes} 字节）"),
    ("error.raster.tiff-no-size", "{label} 的第一个目录中没有 ImageWidth/ImageLength（宽度/高度）"),
    ("note.zip-not-in-place", "未打开：无法直接读取这个 zip 压缩包"),
    ("note.archive-not-opened", "未打开：本工具只查看 zip 压缩包里的内容；这是 {what}，请先解压，再添加解压出的文件"),
    ("note.junk", "系统垃圾文件：由操作系统自动生成，不属于病历资料"),
    ("note.symlink", "不跟随链接，以免同一文件夹被检查两次"),
    ("note.session-limit", "超出单次检查范围：{why}"),
    ("part.limit.files", "超过单次检查 {max} 个文件的上限"),
    ("part.limit.depth", "文件夹嵌套超过 {max} 层"),
    ("note.truncated.pixels", "文件不完整：像素数据从第 {offset} 字节起需要 {length} 字节，文件只剩 {available} 字节"),
    ("note.truncated.no-pixels", "文件不完整：图像对象中没有像素数据，文件可能被截断了"),
    ("note.truncated.fragments", "文件不完整：{problem}"),
    ("part.fragments.cut-in-header", "压缩像素数据不完整：文件结束时片段头只有 {bytes} 字节"),
    ("part.fragments.cut-in-fragment", "压缩像素数据不完整：某个片段比文件剩余内容多需要 {bytes} 字节"),
    ("part.fragments.malformed", "压缩像素数据在第 {offset} 字节处格式错误"),
    ("note.charset-repaired", "字符集已修复：{note}"),
    ("part.charset.repairs", "{repairs|；}"),
    ("part.charset.absent", "未声明字符集"),
    ("part.charset.default", "声明为 {charset}（仅 ASCII），但字节不是 ASCII"),
    ("part.charset.unknown", "未知字符集“{charset}”"),
    ("part.charset.name", "姓名"),
    ("part.charset.text", "文字"),
    ("part.charset.read-2022", "{why}；{what}使用了 ISO 2022 转义序列，已按 {used} 读取"),
    ("part.charset.read-utf8", "{why}；{what}已按 UTF-8（ISO_IR 192）读取"),
    ("part.charset.read-gb", "{why}；{what}已按 GB18030（中文）读取"),
    ("part.charset.read-latin", "{why}；{what}既不是 UTF-8 也不是中文，已按 ISO_IR 100（Latin-1）读取，可能不正确"),
    ("part.charset.lossy", "声明为 {charset}，但部分字节在该字符集中无效，显示为 \u{FFFD}"),
    ("part.charset.utf8", "声明为 {charset}，但字节是 UTF-8；已按 UTF-8 读取"),
    ("part.charset.gb", "声明为 {charset}，但字节是 GB18030 中文；已按中文读取"),
    ("part.charset.bad-utf8", "声明为 ISO_IR 192（UTF-8），但字节不是有效的 UTF-8；无法读取的字节显示为 \u{FFFD}"),
    ("part.charset.no-escapes", "声明为 {charset}，但字节缺少该字符集要求的转义序列；已按 {used} 读取（不带转义序列）"),
    ("note.zip-entries-limit", "该 zip 列出 {count} 个条目，只查看了前 {limit} 个（已达上限）"),
    ("note.archive-limit.ratio", "压缩包超出限制：压缩比异常"),
    ("note.archive-limit.total-read", "压缩包超出限制：读取总量已达上限"),
    ("note.archive-limit.depth", "压缩包超出限制：嵌套超过 {depth} 层的 zip 不会打开"),
    ("note.archive-limit.nested-size", "压缩包超出限制：大于 {mib} MiB 的内层压缩 zip 不会打开"),
    ("note.name-gb18030", "文件名按 GB18030 读取（中文 Windows 系统创建的 zip）"),
    ("note.name-cut", "文件名被截短为 {max} 个字符"),
    ("note.unsafe-name", "不安全的文件名 {original}（{problems|、}）已改为 {name}"),
    ("part.unsafe.backslashes", "反斜杠"),
    ("part.unsafe.absolute", "绝对路径"),
    ("part.unsafe.traversal", "路径穿越（..）"),
    ("part.unsafe.drive", "盘符"),
    ("part.unsafe.control", "控制字符"),
];

// What the code can produce. Each list sits next to the tables so a new code is translated in
// the same change; `tests/report.rs` also reads case.rs and readiness.rs for codes missing here.

/// Every finding code of [`crate::case`].
pub const FINDING_CODES: &[&str] = &[
    "multiple-patients",
    "unattributed-dicom",
    "series-incomplete",
    "localizer-only",
    "derived-only",
    "no-original-imaging",
    "secondary-capture",
    "photo-of-screen",
    "dicomdir-missing-files",
    "duplicate-instance",
    "lossy-only",
    "truncated-file",
    "charset-repaired",
    "report-in-dicom",
    "viewer-software-set-aside",
    "archive-limit-hit",
    "session-limit-hit",
    "unreadable-file",
    "archive-not-opened",
];

/// The reason kinds of `series-incomplete`.
pub const SERIES_REASONS: &[&str] = &["gaps", "starts-late", "fewer-than-acquired", "few-images"];

/// Every checklist item id and the statuses [`crate::readiness::judge`] gives it.
pub const ITEM_STATUSES: &[(&str, &[Status])] = {
    use Status::*;
    &[
        ("diagnosis-report", &[Present, Partial, Missing]),
        ("imaging-dicom", &[Present, Partial, Missing]),
        ("radiology-report", &[Present, Missing]),
        ("pathology-slides", &[Present, Declared, NotNeeded, Missing]),
        ("pathology-lab-reports", &[Present, Partial, Missing]),
        ("treatment-history", &[Present, Declared, Missing]),
        ("blood-work", &[Present, Missing]),
        ("timeline", &[Present, Partial, Missing]),
        ("questions", &[Present, Partial, Missing]),
        ("translation", &[Declared, NotNeeded, Missing]),
    ]
};

/// Every next-step id.
pub const STEP_IDS: &[&str] = &[
    "remove-other-patient-files",
    "request-imaging-dicom",
    "request-complete-series",
    "request-original-series",
    "request-lossless-copy",
    "recopy-truncated-files",
    "request-pathology-slides",
    "follow-up-slides-request",
    "ask-for-recut-slides-or-blocks",
    "copy-whole-cd",
    "request-radiology-report",
    "request-pathology-lab-reports",
    "add-diagnosis-report",
    "add-treatment-history",
    "add-recent-blood-work",
    "write-timeline",
    "write-questions",
    "get-translation",
];

/// The `declared:…` evidence entries (`question-N` is `evidence.question`).
pub const EVIDENCE_IDS: &[&str] = &[
    "slides-have",
    "slides-requested",
    "slides-not-available",
    "not-cancer",
    "treatment-history",
    "timeline",
    "question",
    "translation",
];

pub const STATUSES: [Status; 5] = [
    Status::Present,
    Status::Partial,
    Status::Missing,
    Status::Declared,
    Status::NotNeeded,
];
pub const IMPACTS: [Impact; 4] = [Impact::None, Impact::Low, Impact::Medium, Impact::High];
pub const LEVELS: [Level; 3] = [
    Level::Ready,
    Level::ReviewableWithGaps,
    Level::NotYetReviewable,
];
pub const FITS: [ReviewFit; 3] = [
    ReviewFit::RemoteRecordReview,
    ReviewFit::RemoteWithPhysicalSlides,
    ReviewFit::NotYet,
];
pub const SEVERITIES: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Serious];
pub const KINDS: [FileKind; 12] = [
    FileKind::Dicom,
    FileKind::Dicomdir,
    FileKind::Screenshot,
    FileKind::Photo,
    FileKind::Slide,
    FileKind::Pdf,
    FileKind::Document,
    FileKind::Archive,
    FileKind::Software,
    FileKind::Other,
    FileKind::Empty,
    FileKind::Corrupt,
];

// The JSON names of the enums. The matches are exhaustive, so a new variant does not compile
// until it is named here (and added to the list above); the tests check them against serde.

pub fn status_id(s: Status) -> &'static str {
    match s {
        Status::Present => "present",
        Status::Partial => "partial",
        Status::Missing => "missing",
        Status::Declared => "declared",
        Status::NotNeeded => "not-needed",
    }
}

pub fn impact_id(i: Impact) -> &'static str {
    match i {
        Impact::None => "none",
        Impact::Low => "low",
        Impact::Medium => "medium",
        Impact::High => "high",
    }
}

pub fn level_id(l: Level) -> &'static str {
    match l {
        Level::Ready => "ready",
        Level::ReviewableWithGaps => "reviewable-with-gaps",
        Level::NotYetReviewable => "not-yet-reviewable",
    }
}

pub fn fit_id(f: ReviewFit) -> &'static str {
    match f {
        ReviewFit::RemoteRecordReview => "remote-record-review",
        ReviewFit::RemoteWithPhysicalSlides => "remote-with-physical-slides",
        ReviewFit::NotYet => "not-yet",
    }
}

pub fn severity_id(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Serious => "serious",
    }
}

pub fn answer_id(a: Answer) -> &'static str {
    match a {
        Answer::Yes => "yes",
        Answer::No => "no",
        Answer::Unsure => "unsure",
    }
}

pub fn slides_id(s: Slides) -> &'static str {
    match s {
        Slides::Have => "have",
        Slides::Requested => "requested",
        Slides::NotAvailable => "not-available",
    }
}

pub fn translation_id(t: Translation) -> &'static str {
    match t {
        Translation::Have => "have",
        Translation::NotNeeded => "not-needed",
    }
}

/// Every id the renderers can ask for, besides `label.*` (which the tests find in the output).
pub fn required_ids() -> Vec<String> {
    let mut ids = Vec::new();
    let mut add = |family: &str, names: &[&str]| {
        ids.extend(names.iter().map(|n| format!("{family}.{n}")));
    };
    add("finding", FINDING_CODES);
    add("finding.series-incomplete", SERIES_REASONS);
    for (id, statuses) in ITEM_STATUSES {
        add("item", &[id]);
        let statuses: Vec<&str> = statuses.iter().map(|s| status_id(*s)).collect();
        add(&format!("item.{id}"), &statuses);
    }
    add("step", STEP_IDS);
    add("step", &["request-pathology-slides.if-cancer"]);
    add("evidence", EVIDENCE_IDS);
    for level in LEVELS.map(level_id) {
        add("level", &[level, &format!("{level}.explain")]);
    }
    add("status", &STATUSES.map(status_id));
    add("impact", &IMPACTS.map(impact_id));
    add("fit", &FITS.map(fit_id));
    add("severity", &SEVERITIES.map(severity_id));
    add("category", &Category::ALL.map(Category::as_str));
    add("kind", &KINDS.map(FileKind::as_str));
    add(
        "answer",
        &[Answer::Yes, Answer::No, Answer::Unsure].map(answer_id),
    );
    add(
        "slides",
        &[Slides::Have, Slides::Requested, Slides::NotAvailable].map(slides_id),
    );
    add(
        "translation",
        &[Translation::Have, Translation::NotNeeded].map(translation_id),
    );
    add("sex", &["m", "f", "o"]);
    ids
}

/// The table of a language.
pub fn table(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::En => EN,
        Lang::Zh => ZH,
    }
}

/// The text of an id in a language, if that language has it. The tables are indexed once:
/// every scanned file's reason goes through here.
pub fn get(lang: Lang, id: &str) -> Option<&'static str> {
    type Index = HashMap<&'static str, &'static str>;
    static INDEX: OnceLock<[Index; 2]> = OnceLock::new();
    let [en, zh] = INDEX.get_or_init(|| [EN, ZH].map(|t| t.iter().copied().collect()));
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
    .get(id)
    .copied()
}

/// The text of an id: the language's, else English, else the id itself (tests make sure it
/// never comes to that).
pub fn t(lang: Lang, id: &str) -> String {
    get(lang, id)
        .or_else(|| get(Lang::En, id))
        .map_or_else(|| id.to_string(), str::to_string)
}

/// The text of an id with its placeholders filled. A value that is itself a message
/// (`{ "id", "values" }`, see [`crate::message::Message`]), alone or in an array, is put in as
/// its text in the same language.
pub fn message(lang: Lang, id: &str, values: &BTreeMap<String, Value>) -> String {
    let values: BTreeMap<String, Value> = values
        .iter()
        .map(|(k, v)| (k.clone(), in_words(lang, v)))
        .collect();
    fill(&t(lang, id), &values)
}

/// A value with the messages in it replaced by their text.
fn in_words(lang: Lang, v: &Value) -> Value {
    match v {
        Value::Object(m) if is_message(m) => {
            let id = m["id"].as_str().unwrap_or_default();
            let values = match m.get("values") {
                Some(Value::Object(values)) => values.clone().into_iter().collect(),
                _ => BTreeMap::new(),
            };
            Value::String(message(lang, id, &values))
        }
        Value::Array(items) => Value::Array(items.iter().map(|x| in_words(lang, x)).collect()),
        other => other.clone(),
    }
}

/// `{ "id": "…" }` or `{ "id": "…", "values": {…} }`.
fn is_message(m: &serde_json::Map<String, Value>) -> bool {
    m.get("id").is_some_and(Value::is_string)
        && m.keys().all(|k| k == "id" || k == "values")
        && m.get("values").is_none_or(Value::is_object)
}

/// Values for [`message`] from a `json!({...})` object.
pub fn vals(v: Value) -> BTreeMap<String, Value> {
    match v {
        Value::Object(m) => m.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

/// Replaces each `{name}` in `template` with `values[name]`: strings as they are, numbers and
/// booleans as JSON writes them, arrays joined with ", " (`{name|sep}` joins with `sep`).
/// `{name|one|other}` writes `one` when the value is 1 and `other` otherwise (English plurals).
/// A missing or null value leaves the placeholder as it is, so tests catch it. Hand-written:
/// too small to need a template crate.
pub fn fill(template: &str, values: &BTreeMap<String, Value>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inner = &after[..close];
        let mut parts = inner.split('|');
        let name = parts.next().unwrap_or_default();
        let forms: Vec<&str> = parts.collect();
        match values.get(name).filter(|v| !v.is_null()) {
            Some(v) if forms.len() == 2 => {
                let one = v.as_i64() == Some(1);
                out.push_str(if one { forms[0] } else { forms[1] });
            }
            Some(Value::Array(items)) if forms.len() == 1 => {
                let items: Vec<String> = items.iter().map(plain).collect();
                out.push_str(&items.join(forms[0]));
            }
            Some(v) if forms.is_empty() => out.push_str(&plain(v)),
            _ => {
                out.push('{');
                out.push_str(inner);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The placeholder names of a template, for the tests.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split('}').next())
        .map(|s| s.split('|').next().unwrap_or(s))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

// Turning codes and values into sentences.

/// A DICOM person name for people: `Wang^XiaoDong=王^小东` → `Wang XiaoDong / 王小东`.
pub fn display_name(raw: &str) -> String {
    raw.split('=')
        .map(|group| {
            if group.chars().any(is_cjk) {
                group.replace('^', "")
            } else {
                group
                    .split('^')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        })
        .map(|g| g.trim().to_string())
        .filter(|g| !g.is_empty())
        .collect::<Vec<_>>()
        .join(" / ")
}

fn is_cjk(c: char) -> bool {
    ('\u{3400}'..='\u{9FFF}').contains(&c) || ('\u{F900}'..='\u{FAFF}').contains(&c)
}

/// A DICOM date `YYYYMMDD` as `YYYY-MM-DD`; anything else as it is.
pub fn display_date(raw: &str) -> String {
    let d = raw.trim();
    if d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..])
    } else {
        d.to_string()
    }
}

/// A patient's sex (`M`, `F`, `O`) in words.
pub fn display_sex(raw: &str, lang: Lang) -> String {
    match raw.trim().to_ascii_lowercase().as_str() {
        s @ ("m" | "f" | "o") => t(lang, &format!("sex.{s}")),
        other => other.to_string(),
    }
}

/// "series 5 “Chest”" as the sentences name a series.
pub fn series_ref(number: Option<i64>, description: Option<&str>, lang: Lang) -> String {
    let description = description.map(str::trim).filter(|d| !d.is_empty());
    match (number, description) {
        (Some(n), Some(d)) => message(
            lang,
            "label.series-ref",
            &vals(json!({ "number": n, "description": d })),
        ),
        (Some(n), None) => n.to_string(),
        (None, Some(d)) => format!("“{d}”"),
        (None, None) => t(lang, "label.unnamed-series"),
    }
}

/// "“Chest CT” of 2024-01-17" as the sentences name a study.
pub fn study_ref(description: Option<&str>, date: Option<&str>, lang: Lang) -> String {
    let description = description
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map_or_else(|| t(lang, "label.no-description"), str::to_string);
    let date = date
        .map(display_date)
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| t(lang, "label.unknown-date"));
    message(
        lang,
        "label.study-ref",
        &vals(json!({ "description": description, "date": date })),
    )
}

fn str_value<'a>(values: &'a BTreeMap<String, Value>, key: &str) -> Option<&'a str> {
    values.get(key).and_then(Value::as_str)
}

/// The sentences of a finding: one for most codes; for `series-incomplete` a lead sentence and
/// one per reason.
pub fn finding_sentences(f: &Finding, lang: Lang) -> Vec<String> {
    let mut values = f.values.clone();
    let series = series_ref(
        values.get("series_number").and_then(Value::as_i64),
        str_value(&values, "series_description"),
        lang,
    );
    values.insert("series".into(), json!(series));
    let study = study_ref(
        str_value(&values, "study_description"),
        str_value(&values, "study_date"),
        lang,
    );
    values.insert("study".into(), json!(study));
    if str_value(&values, "modality").is_none() {
        values.insert("modality".into(), json!(t(lang, "label.unknown-modality")));
    }
    if let Some(people) = values.get("patients").and_then(Value::as_array) {
        let names: Vec<String> = people
            .iter()
            .map(|p| {
                p["name"]
                    .as_str()
                    .map(display_name)
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| t(lang, "label.unnamed-patient"))
            })
            .collect();
        values.insert("names".into(), json!(join(lang, &names)));
    }
    // Only the kinds of picture there are: "2 photos, 1 screenshot", never "0 screenshots".
    let counted = [
        ("photos", "label.count-photos"),
        ("screenshots", "label.count-screenshots"),
        ("secondary_captures", "label.count-captures"),
    ];
    let pictures: Vec<String> = counted
        .iter()
        .filter_map(|(key, id)| {
            let n = values
                .get(*key)
                .and_then(Value::as_u64)
                .filter(|n| *n > 0)?;
            Some(message(lang, id, &vals(json!({ "count": n }))))
        })
        .collect();
    let mut id = format!("finding.{}", f.code);
    if f.code == "no-original-imaging" && pictures.is_empty() {
        id.push_str(".none");
    }
    values.insert("pictures".into(), json!(join(lang, &pictures)));
    let mut out = vec![message(lang, &id, &values)];
    if f.code == "series-incomplete" {
        for reason in f
            .values
            .get("reasons")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(kind) = reason["kind"].as_str() else {
                continue;
            };
            let id = format!("finding.series-incomplete.{kind}");
            if get(Lang::En, &id).is_none() {
                continue;
            }
            let mut v = values.clone();
            if let Value::Object(m) = reason {
                v.extend(m.iter().map(|(k, x)| (k.clone(), x.clone())));
            }
            out.push(message(lang, &id, &v));
        }
    }
    out
}

/// A finding as one line of text.
pub fn finding_text(f: &Finding, lang: Lang) -> String {
    let sep = if lang == Lang::Zh { "" } else { " " };
    finding_sentences(f, lang).join(sep)
}

/// The name of a checklist item.
pub fn item_name(id: &str, lang: Lang) -> String {
    t(lang, &format!("item.{id}"))
}

/// What an item's status means, in a sentence; the status word when there is no sentence.
pub fn item_sentence(item: &Item, lang: Lang) -> String {
    let id = format!("item.{}.{}", item.id, status_id(item.status));
    match get(Lang::En, &id) {
        Some(_) => message(lang, &id, &item.values),
        None => t(lang, &format!("status.{}", status_id(item.status))),
    }
}

/// A next step in a sentence.
pub fn step_sentence(step: &NextStep, lang: Lang) -> String {
    let mut id = format!("step.{}", step.id);
    // When the patient is not sure it is cancer, slides are asked for conditionally.
    let unsure = step.values.get("cancer").and_then(Value::as_str) == Some("unsure");
    if unsure && get(Lang::En, &format!("{id}.if-cancer")).is_some() {
        id.push_str(".if-cancer");
    }
    message(lang, &id, &step.values)
}

/// `label: value` in the language's punctuation.
pub fn fact(lang: Lang, label: &str, value: &str) -> String {
    message(
        lang,
        "label.fact",
        &vals(json!({ "label": t(lang, label), "value": value })),
    )
}

/// Items joined with the language's comma.
pub fn join(lang: Lang, items: &[String]) -> String {
    items.join(&t(lang, "label.sep"))
}

/// A patient in one line: name (ID, birth date, sex).
pub fn patient_line(p: &crate::case::Patient, lang: Lang) -> String {
    let name = p
        .name
        .as_deref()
        .map(display_name)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| t(lang, "label.unnamed-patient"));
    let mut facts = Vec::new();
    if !p.patient_ids.is_empty() {
        facts.push(fact(lang, "label.patient-id", &p.patient_ids.join(", ")));
    }
    if let Some(b) = &p.birth_date {
        facts.push(fact(lang, "label.birth-date", &display_date(b)));
    }
    if let Some(s) = &p.sex {
        facts.push(fact(lang, "label.sex", &display_sex(s, lang)));
    }
    if facts.is_empty() {
        return name;
    }
    message(
        lang,
        "label.with-facts",
        &vals(json!({ "name": name, "facts": join(lang, &facts) })),
    )
}

/// An evidence entry for people: `declared:…` in words, a file path as it is.
pub fn evidence_text(evidence: &str, lang: Lang) -> String {
    let Some(what) = evidence.strip_prefix("declared:") else {
        return evidence.to_string();
    };
    if let Some(n) = what.strip_prefix("question-") {
        return message(lang, "evidence.question", &vals(json!({ "n": n })));
    }
    let id = format!("evidence.{what}");
    match get(Lang::En, &id) {
        Some(_) => t(lang, &id),
        None => what.to_string(),
    }
}

/// Whether an evidence entry is a file (rather than something the patient said).
pub fn is_file_evidence(evidence: &str) -> bool {
    !evidence.starts_with("declared:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_values_and_keeps_unknown_placeholders() {
        let v = vals(json!({ "count": 1, "name": "王小东", "list": ["a", "b"], "none": null }));
        assert_eq!(
            fill("{count} {count|file|files} of {name}: {list}", &v),
            "1 file of 王小东: a, b"
        );
        assert_eq!(fill("{missing} {none} {", &v), "{missing} {none} {");
        let two = vals(json!({ "count": 2 }));
        assert_eq!(fill("{count|is|are}", &two), "are");
    }

    #[test]
    fn languages_parse() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("ZH_hans"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
    }

    #[test]
    fn names_and_dates_read_well() {
        assert_eq!(
            display_name("Wang^XiaoDong=王^小东="),
            "Wang XiaoDong / 王小东"
        );
        assert_eq!(display_name("DOE^JANE"), "DOE JANE");
        assert_eq!(display_date("20240117"), "2024-01-17");
        assert_eq!(display_date("2024"), "2024");
    }

    #[test]
    fn tables_have_the_same_ids_and_placeholders() {
        for (lang, other) in [(EN, ZH), (ZH, EN)] {
            for (id, text) in lang {
                let twin = other.iter().find(|(k, _)| k == id);
                let (_, twin) = twin.unwrap_or_else(|| panic!("{id} is in one table only"));
                assert!(!text.trim().is_empty(), "{id} is empty");
                assert_eq!(placeholders(text), placeholders(twin), "{id}");
            }
            let mut ids: Vec<&str> = lang.iter().map(|(k, _)| *k).collect();
            ids.sort_unstable();
            let n = ids.len();
            ids.dedup();
            assert_eq!(ids.len(), n, "an id is listed twice");
        }
    }

    #[test]
    fn every_required_id_is_translated() {
        for id in required_ids() {
            for lang in Lang::ALL {
                let text = get(lang, &id).unwrap_or_else(|| panic!("{id} lacks {lang:?}"));
                assert!(!text.trim().is_empty(), "{id} is empty in {lang:?}");
            }
        }
    }

    #[test]
    fn enum_ids_are_the_json_names() {
        let json = |v: Value| v.as_str().unwrap().to_string();
        for s in STATUSES {
            assert_eq!(status_id(s), json(serde_json::to_value(s).unwrap()));
        }
        for i in IMPACTS {
            assert_eq!(impact_id(i), json(serde_json::to_value(i).unwrap()));
        }
        for l in LEVELS {
            assert_eq!(level_id(l), json(serde_json::to_value(l).unwrap()));
        }
        for f in FITS {
            assert_eq!(fit_id(f), json(serde_json::to_value(f).unwrap()));
        }
        for s in SEVERITIES {
            assert_eq!(severity_id(s), json(serde_json::to_value(s).unwrap()));
        }
        for k in KINDS {
            assert_eq!(k.as_str(), json(serde_json::to_value(k).unwrap()));
        }
    }
}
