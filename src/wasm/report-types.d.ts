// Generated from the Rust types by src/report/typescript.rs: do not edit. After a change
// of the report types, `UPDATE_TYPES=1 cargo test --lib typescript` writes it again.

/**
 * Everything the tool knows about a case, as the JSON contract (`schema_version` 2) names it.
 */
export type Report = { schema_version: number, 
/**
 * `record-precheck <version>`.
 */
generated_by: string, 
/**
 * Present and true only in the report a host page gets before the patient consents
 * ([`redact`]): names, IDs, dates, file names and free text left out.
 */
redacted?: boolean, files: Array<FileEntry>, patients: Array<Patient>, studies: Array<Study>, findings: Array<Finding>, readiness: Readiness, 
/**
 * The dates of the records in order, for the patient's timeline (never their own text).
 */
timeline_draft: TimelineDraft, declarations: Declarations, 
/**
 * The request slips for hospital departments, pre-filled with what the records show.
 */
requests: Array<RequestSlip>, 
/**
 * The host profile that judged the report (`declarations.profile`), when there was one.
 */
profile?: ProfileName | null, };

/**
 * One file (or zip member) and what was found in it.
 */
export type FileEntry = { 
/**
 * Relative to the folder given, `/`-separated; zip members as `x.zip!/DICOM/IM1`.
 */
path: string, size: number, kind: FileKind, 
/**
 * Why we think so, in a few words ("DICM at byte 128"), in English.
 */
reason: string, 
/**
 * `reason` as a message, to show in any language. `None` only in entries made elsewhere
 * (older JSON, the page's own entries for files it could not hand over).
 */
reason_message: Message | null, 
/**
 * For corrupt or unreadable files: what is wrong, in English.
 */
error: string | null, 
/**
 * `error` as a message.
 */
error_message: Message | null, 
/**
 * Bytes actually read to recognise the file.
 */
bytes_read: number, dicom?: DicomInfo | null, dicomdir?: DicomDirInfo | null, image?: RasterFacts | null, 
/**
 * Photos and screenshots whose pixels were looked at: what they show and their QR codes.
 */
picture?: PictureInfo | null, 
/**
 * Documents whose text was read (PDF text layers, DOCX, text files): what they are and say.
 */
document?: DocumentInfo | null, 
/**
 * Archives only: what is inside.
 */
members?: Array<FileEntry> | null, 
/**
 * Things worth telling about this file that do not change its kind (a neutralised zip
 * path, a limit reached, junk like `__MACOSX`).
 */
notes?: Array<string>, 
/**
 * `notes` as messages, in the same order.
 */
note_messages?: Array<Message>, };

/**
 * What a file is, decided from its content.
 */
export type FileKind = "dicom" | "dicomdir" | "screenshot" | "photo" | "slide" | "pdf" | "document" | "archive" | "software" | "other" | "empty" | "corrupt";

/**
 * A message id (`reason.*`, `error.*`, `note.*`, `part.*`) and the values of its placeholders.
 * In JSON: `{ "id": "reason.zip-with-files", "values": { "count": 12 } }`.
 */
export type Message = { id: string, values: Record<string, unknown>, };

/**
 * What the header of one DICOM file says. Field names are part of the JSON contract.
 */
export type DicomInfo = { class: DicomClass | null, sop_class_uid: string | null, sop_class_name: string | null, sop_instance_uid: string | null, modality: string | null, 
/**
 * Unicode, components as stored (`Wang^XiaoDong=王^小东=`).
 */
patient_name: string | null, patient_id: string | null, 
/**
 * Issuer of Patient ID (0010,0021): whose numbering `patient_id` is.
 */
issuer_of_patient_id: string | null, birth_date: string | null, sex: string | null, 
/**
 * Patient's Age (0010,1010) at the study, as stored (`060Y`, `008M`).
 */
patient_age: string | null, 
/**
 * Specific Character Set as stored (values joined by `\`), `None` when absent.
 */
charset: string | null, 
/**
 * Whether a name or description had to be read with another character set.
 */
charset_repaired: boolean, 
/**
 * What was repaired and how, for the user, in English.
 */
charset_note?: string | null, 
/**
 * `charset_note` as a message, to show in any language.
 */
charset_note_message?: Message | null, 
/**
 * The patient name as the declared character set would show it, when repaired.
 */
patient_name_as_declared?: string | null, study_instance_uid: string | null, study_date: string | null, study_time: string | null, study_description: string | null, accession_number: string | null, body_part: string | null, series_instance_uid: string | null, series_number: number | null, series_description: string | null, instance_number: number | null, acquisition_number: number | null, 
/**
 * Images in Acquisition (0020,1002), when the scanner wrote it.
 */
images_in_acquisition: number | null, image_type: Array<string>, 
/**
 * Image Type starts with DERIVED (reformats, MIPs, screen captures).
 */
derived: boolean, rows: number | null, columns: number | null, number_of_frames: number | null, slice_thickness: number | null, image_position: [number, number, number] | null, 
/**
 * Image Orientation (Patient) (0020,0037): the direction cosines of the first row and the
 * first column (whether a slice is axial, sagittal or coronal).
 */
image_orientation: [number, number, number, number, number, number] | null, 
/**
 * Spacing Between Slices (0018,0088), in mm.
 */
spacing_between_slices: number | null, transfer_syntax: string | null, transfer_syntax_name: string | null, 
/**
 * Lossy compression by transfer syntax or Lossy Image Compression = 01.
 */
lossy: boolean, institution: string | null, manufacturer: string | null, model: string | null, conversion_type: string | null, burned_in_annotation: string | null, has_preamble: boolean, has_file_meta: boolean, preamble_is_tiff_header: boolean, 
/**
 * The transfer syntax was inferred from the bytes (no file meta group).
 */
transfer_syntax_inferred: boolean, pixel_data_offset: number | null, 
/**
 * `None` when absent or encapsulated (undefined length).
 */
pixel_data_length: number | null, 
/**
 * The file ends before its pixel data does (or an image has no pixel data at all).
 */
truncated: boolean, 
/**
 * Bytes of the header (everything before Pixel Data).
 */
header_bytes: number, };

/**
 * The role of a DICOM object in a case.
 */
export type DicomClass = "image" | "secondary-capture" | "photograph" | "encapsulated-pdf" | "structured-report" | "key-object-selection" | "presentation-state" | "rt" | "whole-slide" | "waveform" | "other";

/**
 * What a DICOMDIR lists.
 */
export type DicomDirInfo = { file_set_id: string | null, patients: number, studies: number, series: number, 
/**
 * Records that reference a file (images, reports, …).
 */
instances: number, 
/**
 * Every Referenced File ID, in record order, `/`-separated.
 */
referenced_files: Array<string>, records: Array<DirRecord>, };

/**
 * One directory record, flattened.
 */
export type DirRecord = { 
/**
 * PATIENT, STUDY, SERIES, IMAGE, SR DOCUMENT, …
 */
record_type: string, 
/**
 * Referenced File ID joined with `/` (`IMAGES/SER00001/IM000001`).
 */
file_id?: string | null, sop_instance_uid?: string | null, patient_id?: string | null, patient_name?: string | null, study_instance_uid?: string | null, series_instance_uid?: string | null, modality?: string | null, };

/**
 * Metadata read from the image header.
 */
export type RasterFacts = { 
/**
 * "png" "jpeg" "gif" "bmp" "webp" "tiff" "heic" "heif" "avif"
 */
format: string, width: number | null, height: number | null, camera_make: string | null, camera_model: string | null, 
/**
 * EXIF/TIFF Software, PNG tEXt/iTXt "Software".
 */
software: string | null, has_gps: boolean, orientation: number | null, 
/**
 * EXIF DateTimeOriginal.
 */
date_taken: string | null, 
/**
 * TIFF/EXIF ImageDescription, at most 200 characters.
 */
description: string | null, 
/**
 * TIFF directory count when the whole chain lies in `head`.
 */
pages: number | null, };

/**
 * What a picture shows: `files[].picture` in the JSON.
 */
export type PictureInfo = { subject: Subject, 
/**
 * The text of every QR code found (a URL, usually), in the order found.
 */
qr: Array<string>, 
/**
 * Whether a QR code leads to the patient's images online (`cloud-film-link`).
 */
cloud_film: boolean, 
/**
 * Why this subject (or why the pixels were not looked at), in English.
 */
reason: string, 
/**
 * `reason` as a message.
 */
reason_message: Message | null, };

/**
 * What a picture shows, from its pixels: `files[].picture.subject`.
 */
export type Subject = "document" | "screen" | "film" | "clinical" | "qr" | "other" | "unknown";

/**
 * What the report says of a document (`files[].document`): where its text came from, its pages,
 * and what the text says ([`facts::DocumentFacts`], flattened into the same object).
 */
export type DocumentInfo = { 
/**
 * `text-layer`, or `ocr` when read from a picture; null when the file holds no text
 * (pictures of pages not read by OCR).
 */
text_source: TextSource | null, 
/**
 * Pages of a PDF; null for formats without pages.
 */
pages: number | null, 
/**
 * The plain text read, only when the scan was asked to keep it
 * ([`Limits::keep_document_text`], the CLI's `scan --json --with-text`); else dropped
 * once the facts are read.
 */
text?: string | null, 
/**
 * The kind of record, when the words say so clearly.
 */
category: Category | null, 
/**
 * BCP-47: `zh-Hans`, `zh-Hant`, `en`, `ru`, `ja`, `ko`…
 */
language: string | null, 
/**
 * The people the document names as its patient (usually one).
 */
patients: Array<PersonNamed>, 
/**
 * The institution in the letterhead.
 */
institution: string | null, 
/**
 * Event dates (`YYYY-MM-DD`), in order of first appearance, birth dates left out.
 */
dates: Array<string>, 
/**
 * Tumour markers measured, canonical names (`CEA`, `CA19-9`…).
 */
tumour_markers: Array<string>, 
/**
 * The pathology number (`病理号`, `Pathology No.`).
 */
pathology_number: string | null, };

/**
 * Where a document's text came from.
 */
export type TextSource = "text-layer" | "none" | "ocr";

/**
 * What a document is and says (`document` in the JSON report).
 */
export type DocumentFacts = { 
/**
 * The kind of record, when the words say so clearly.
 */
category: Category | null, 
/**
 * BCP-47: `zh-Hans`, `zh-Hant`, `en`, `ru`, `ja`, `ko`…
 */
language: string | null, 
/**
 * The people the document names as its patient (usually one).
 */
patients: Array<PersonNamed>, 
/**
 * The institution in the letterhead.
 */
institution: string | null, 
/**
 * Event dates (`YYYY-MM-DD`), in order of first appearance, birth dates left out.
 */
dates: Array<string>, 
/**
 * Tumour markers measured, canonical names (`CEA`, `CA19-9`…).
 */
tumour_markers: Array<string>, 
/**
 * The pathology number (`病理号`, `Pathology No.`).
 */
pathology_number: string | null, };

/**
 * A person a document names as its patient.
 */
export type PersonNamed = { 
/**
 * As written (`李秀英`, `LI, Xiuying`, `王 建国`).
 */
name: string, 
/**
 * `M` or `F`.
 */
sex: string | null, 
/**
 * `YYYY-MM-DD`.
 */
birth_date: string | null, 
/**
 * Years, as printed.
 */
age: number | null, 
/**
 * The hospital number printed with the name (`住院号`, `MRN`…).
 */
id: string | null, };

/**
 * One person, as told apart by name, ID and birth date: from DICOM headers and from the
 * documents that name a patient.
 */
export type Patient = { 
/**
 * `P1`, `P2`… in order of appearance.
 */
id: string, 
/**
 * The fullest name seen (`Wang^XiaoDong=王^小东`).
 */
name: string | null, 
/**
 * Every distinct spelling seen.
 */
names: Array<string>, 
/**
 * Every DICOM patient ID seen (hospitals give different IDs).
 */
patient_ids: Array<string>, 
/**
 * Each patient ID with whose numbering it is and the hospital whose files carry it.
 */
issued_ids: Array<IssuedId>, 
/**
 * `YYYYMMDD` from DICOM, `YYYY-MM-DD` when only a document gives it.
 */
birth_date: string | null, 
/**
 * Every birth date the DICOM files give (two is a conflict the patient can see).
 */
birth_dates: Array<string>, sex: string | null, 
/**
 * Every sex the DICOM files give (`M`, `F`, `O`).
 */
sexes: Array<string>, 
/**
 * The ages the DICOM files give, each at its study date.
 */
ages: Array<AgeAtStudy>, 
/**
 * Indices into [`Case::studies`].
 */
studies: Array<number>, 
/**
 * DICOM files and documents of this person.
 */
files: number, 
/**
 * The documents that name this person, with what each says of them.
 */
documents: Array<DocumentMention>, 
/**
 * The patient says this is not them (`declarations.identity.excluded`): their files are
 * left out of the bundle and out of the identity findings.
 */
excluded: boolean, };

/**
 * A document naming a person: the evidence that a document is this person's (or another's).
 */
export type DocumentMention = { 
/**
 * As in `files[].path`.
 */
path: string, 
/**
 * The name as the document writes it.
 */
name: string, sex: string | null, 
/**
 * `YYYY-MM-DD`.
 */
birth_date: string | null, 
/**
 * Years, as printed.
 */
age: number | null, 
/**
 * The hospital number printed with the name.
 */
id: string | null, };

/**
 * One study of one patient.
 */
export type Study = { study_instance_uid: string | null, 
/**
 * Index into [`Case::patients`].
 */
patient: number, date: string | null, description: string | null, accession_number: string | null, institution: string | null, modalities: Array<string>, series: Array<Series>, 
/**
 * Instances of original or derived imaging (not reports or captures).
 */
image_count: number, 
/**
 * Series of original or derived imaging, counted as `image_count` counts their images.
 */
image_series: number, };

/**
 * One series of a study.
 */
export type Series = { series_instance_uid: string | null, number: number | null, description: string | null, modality: string | null, body_part: string | null, class: DicomClass | null, 
/**
 * Every file of the series, in instance-number order.
 */
files: Array<string>, instance_numbers: Array<number>, localizer: boolean, derived: boolean, 
/**
 * Every instance's Image Type says SECONDARY (made after the scan: reformats, captures).
 */
secondary: boolean, lossy: boolean, slice_thickness: number | null, images_in_acquisition: number | null, frames: number, 
/**
 * Whether the slices are axial ([`adequacy::is_axial`]); null when the headers do not say.
 */
axial: boolean | null, 
/**
 * Spacing Between Slices, in mm, when the headers give it.
 */
spacing_between_slices: number | null, };

/**
 * One thing found about the case. `code` is stable; `values` feed the sentence the report
 * renders in the patient's language.
 */
export type Finding = { code: FindingCode, severity: Severity, 
/**
 * The files it is about, as in `files[].path`.
 */
files: Array<string>, values: Record<string, unknown>, };

/**
 * What a finding is about: the stable code of `findings[].code`.
 */
export type FindingCode = "multiple-patients" | "unattributed-dicom" | "series-incomplete" | "localizer-only" | "derived-only" | "no-original-imaging" | "secondary-capture" | "photo-of-screen" | "dicomdir-missing-files" | "duplicate-instance" | "lossy-only" | "truncated-file" | "charset-repaired" | "report-in-dicom" | "viewer-software-set-aside" | "archive-limit-hit" | "session-limit-hit" | "unreadable-file" | "archive-not-opened" | "identity-check" | "thick-slices-only" | "imaging-not-recent" | "single-timepoint" | "report-without-images" | "images-without-report" | "cloud-film-link";

/**
 * Why a series looks incomplete: `values.reasons[].kind` of `series-incomplete`.
 */
export type IncompleteReason = "gaps" | "starts-late" | "fewer-than-acquired" | "few-images";

/**
 * How much a finding matters.
 */
export type Severity = "info" | "warning" | "serious";

/**
 * The checklist result.
 */
export type Readiness = { level: Level, items: Array<ChecklistItem>, next_steps: Array<NextStep>, review_fit: ReviewFit, 
/**
 * The category each document ends up with (the patient's choice, else the suggestion).
 */
document_categories: Record<string, Category>, 
/**
 * The host profile's own items (none without a profile).
 */
extra_items?: Array<ExtraItem>, };

/**
 * One checklist item. `evidence` lists file paths or `declared:…` entries.
 */
export type ChecklistItem = { id: ItemId, status: ItemStatus, 
/**
 * File paths, or `declared:…` entries (`evidenceText` words them).
 */
evidence: string[], impact: Impact, 
/**
 * Facts for the sentence the report writes (counts, what is missing).
 */
values: Record<string, unknown>, 
/**
 * The host's profile does not require it: shown, but it does not lower the level.
 */
optional?: boolean, };

/**
 * The ten items of the second-opinion checklist (PRODUCT.md), in the report's order.
 */
export type ItemId = "diagnosis-report" | "imaging-dicom" | "radiology-report" | "pathology-slides" | "pathology-lab-reports" | "treatment-history" | "blood-work" | "timeline" | "questions" | "translation" | "written-opinions" | "baseline-and-latest-imaging" | "treatment-plan";

/**
 * A checklist item's state.
 */
export type ItemStatus = "present" | "partial" | "missing" | "declared" | "not-needed";

/**
 * How much a gap limits a review.
 */
export type Impact = "none" | "low" | "medium" | "high";

/**
 * One thing to do, most important first.
 */
export type NextStep = { id: StepId, values: Record<string, unknown>, 
/**
 * The host's profile requires none of the items this step is for: it comes after the
 * steps for required items.
 */
optional?: boolean, };

/**
 * What to do next: `readiness.next_steps[].id`.
 */
export type StepId = "remove-other-patient-files" | "request-imaging-dicom" | "request-complete-series" | "request-original-series" | "request-lossless-copy" | "recopy-truncated-files" | "request-pathology-slides" | "follow-up-slides-request" | "ask-for-recut-slides-or-blocks" | "copy-whole-cd" | "request-radiology-report" | "request-pathology-lab-reports" | "add-diagnosis-report" | "add-treatment-history" | "add-recent-blood-work" | "write-timeline" | "write-questions" | "get-translation" | "request-thin-slices" | "add-recent-imaging" | "request-earlier-imaging" | "request-images-of-report" | "request-report-of-images" | "request-records-copy" | "request-ultrasound-images" | "get-written-opinions" | "get-baseline-and-latest-imaging" | "get-treatment-plan" | "open-cloud-film" | "add-extra-item";

/**
 * The overall judgement.
 */
export type Level = "ready" | "reviewable-with-gaps" | "not-yet-reviewable";

/**
 * Which kind of review what is there fits.
 */
export type ReviewFit = "remote-record-review" | "remote-with-physical-slides" | "not-yet";

/**
 * What the patient tells the tool beside the files. Every field is optional in JSON.
 */
export type Declarations = { cancer: Answer, slides: Slides | null, 
/**
 * The patient says the timeline or a document lists treatments with dates, drugs and doses.
 */
treatment_history: boolean, translation: Translation | null, 
/**
 * The patient's category per document path (as in `files[].path`).
 */
document_categories: Record<string, Category>, 
/**
 * The language the reviewer reads (BCP-47: `en`, `zh-Hans`…); English when not said.
 */
reviewer_language: string | null, 
/**
 * The one-page disease timeline, as written.
 */
timeline: string, 
/**
 * The questions for the reviewer, as written.
 */
questions: Array<string>, 
/**
 * Who is in these files: people merged or left out on the patient's word.
 */
identity: IdentityDeclarations, 
/**
 * The date the patient gives for the review (`YYYY-MM-DD`, e.g. today or the appointment):
 * imaging more than 3 months older than it is not recent (`imaging-not-recent`).
 */
review_date: string | null, 
/**
 * Why the patient seeks a second opinion: orders the next steps and adds the items that
 * purpose needs.
 */
purpose: Purpose | null, 
/**
 * The host's profile ([`crate::profile`]): set by the host (`--profile`, the element's
 * `profile` attribute), not by the patient.
 */
profile?: Profile | null, 
/**
 * The ids of the profile's extra items the patient ticked as in hand.
 */
extra_items?: Array<string>, };

/**
 * A yes / no / not sure answer.
 */
export type Answer = "yes" | "no" | "unsure";

/**
 * Where the pathology slides are (lent by the hospital: 借片).
 */
export type Slides = "have" | "requested" | "not-available";

/**
 * Whether an English translation or summary exists.
 */
export type Translation = "have" | "not-needed";

/**
 * What a document is, as the patient tags it (or as its name suggests).
 */
export type Category = "diagnosis-report" | "radiology-report" | "pathology-report" | "lab-results" | "treatment-history" | "discharge-summary" | "operation-note" | "genetic-report" | "referral-letter" | "patient-notes" | "other" | "treatment-plan";

/**
 * The dates found, as a starting point for the patient's timeline.
 */
export type TimelineDraft = { 
/**
 * Oldest first.
 */
events: Array<TimelineEvent>, 
/**
 * Older events left out to keep the draft to [`MAX_EVENTS`].
 */
left_out: number, };

/**
 * One dated event of the records.
 */
export type TimelineEvent = { 
/**
 * `YYYY-MM-DD`.
 */
date: string, source: EventSource, 
/**
 * A document's category (as in `readiness.document_categories`); null for a study.
 */
category: Category | null, 
/**
 * A study's modalities (`CT`, `MR`…); empty for a document.
 */
modalities: Array<string>, 
/**
 * A study's description; null for a document.
 */
description: string | null, 
/**
 * The documents of the event, as in `files[].path` (at most 10); empty for a study.
 */
files: Array<string>, };

/**
 * Where an event of the draft timeline comes from: `timeline_draft.events[].source`.
 */
export type EventSource = "document" | "study";

/**
 * Why the patient seeks a second opinion (`declarations.purpose`): it orders the next
 * steps and adds the items that purpose needs.
 */
export type Purpose = "new-diagnosis" | "surgery-proposed" | "conflicting-advice" | "rare-condition" | "not-working";

/**
 * One slip: the department, why it is asked, and what the records already say. (`RequestSlip`
 * in TypeScript: `Request` is the DOM's.)
 */
export type RequestSlip = { department: Department, reasons: Array<RequestReason>, facts: RequestFacts, };

/**
 * The hospital department a request slip is for: `requests[].department`.
 */
export type Department = "imaging" | "pathology" | "records" | "laboratory";

/**
 * Why a request slip is made: `requests[].reasons[]`.
 */
export type RequestReason = "no-original-imaging" | "incomplete-series" | "original-series" | "lossy-copy" | "thin-slices" | "ultrasound-images" | "baseline-and-latest" | "slides-missing" | "slides-requested" | "slides-not-lent" | "diagnosis-missing" | "treatment-missing" | "pathology-report-missing" | "labs-missing" | "labs-old";

/**
 * What a slip is pre-filled with. Absent facts are printed as blanks.
 */
export type RequestFacts = { 
/**
 * The hospital, as its files or documents name it.
 */
hospital: string | null, 
/**
 * The patient, as the records name them (a DICOM person name: `Wang^XiaoDong=王^小东`).
 */
patient_name: string | null, 
/**
 * `YYYYMMDD` (DICOM) or `YYYY-MM-DD` (a document).
 */
birth_date: string | null, 
/**
 * `M`, `F` or `O`.
 */
sex: string | null, 
/**
 * The hospital's patient IDs.
 */
patient_ids: Array<string>, 
/**
 * Imaging: each study, as its headers give it.
 */
studies: Array<StudyAsked>, 
/**
 * Imaging: studies beyond the slip's rows (the report lists them).
 */
more_studies: number, 
/**
 * Pathology: each pathology number (病理号) the documents give.
 */
pathology_numbers: Array<PathologyNumber>, 
/**
 * Records: the dates of the stays the discharge summaries found give (`YYYY-MM-DD`).
 */
admissions: Array<string>, 
/**
 * Records: the kinds of record asked for, each with how many are among the files.
 */
records: Array<RecordAsked>, 
/**
 * Laboratory: the newest lab result's date (`YYYY-MM-DD`).
 */
newest_lab: string | null, 
/**
 * Laboratory: the tumour markers the documents give.
 */
markers: Array<string>, };

/**
 * A study to ask the imaging department for.
 */
export type StudyAsked = { 
/**
 * `YYYYMMDD`, as the header gives it.
 */
date: string | null, modalities: Array<string>, description: string | null, accession_number: string | null, 
/**
 * The thinnest slices (mm) of a CT or MR study that has only thick ones (the
 * `thick-slices-only` finding): its thin-slice source images are asked for.
 */
thick_slices_mm: number | null, };

/**
 * A pathology number and where it comes from.
 */
export type PathologyNumber = { number: string, hospital: string | null, 
/**
 * The first date of the report (`YYYY-MM-DD`).
 */
date: string | null, };

/**
 * A kind of record asked from the records office.
 */
export type RecordAsked = { category: Category, 
/**
 * How many are among the files already.
 */
found: number, };

/**
 * A host's profile, as the host writes it (`--profile FILE`, the element's `profile` attribute).
 */
export type Profile = { 
/**
 * Lower-case letters, digits and `-`; the redacted report keeps it.
 */
id: string, 
/**
 * Shown in the report ("Judged against the profile …").
 */
name: string, 
/**
 * The languages the host's reviewers read (BCP-47: `en`, `zh-Hans`); none: the patient's
 * answer, else English. A document in any of them needs no translation.
 */
reviewer_languages: Array<string>, 
/**
 * The items that lower the level when missing: checklist item ids (`imaging-dicom`…) and
 * extra item ids. None (absent): every checklist item, and no extra item.
 */
required: Array<string> | null, 
/**
 * How recent imaging and labs must be.
 */
recent_months: RecentMonths, 
/**
 * Items of the host's own, beside the checklist's.
 */
extra_items: Array<ExtraItemText>, };

/**
 * Recency windows in months (1–120), before the newest record or the patient's review date.
 */
export type RecentMonths = { 
/**
 * `imaging-not-recent` when the newest study is older than this.
 */
imaging: number, 
/**
 * The `blood-work` item is partial when the newest lab result is older than this.
 */
labs: number, };

/**
 * An extra item as the profile defines it.
 */
export type ExtraItemText = { id: string, title: Bilingual, description: Bilingual, };

/**
 * A text in both languages.
 */
export type Bilingual = { en: string, zh: string, };

/**
 * Which profile judged a report (`report.profile`).
 */
export type ProfileName = { id: string, name: string, };

/**
 * An extra item of the host's profile, with its texts: `declared` when the patient ticked
 * it, else `missing`; never judged from the files.
 */
export type ExtraItem = { id: string, title: Bilingual, description: Bilingual, status: ItemStatus, 
/**
 * The profile requires it: missing, it lowers the level.
 */
required: boolean, };

/**
 * One thumbnail to make.
 */
export type ThumbnailTarget = { 
/**
 * The file shown, as in `files[].path`.
 */
path: string, 
/**
 * A series' files by position (the quick look steps through them), `path` among them;
 * empty for a photo or screenshot.
 */
series_files: Array<string>, };
