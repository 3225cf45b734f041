/** What a file is, decided from its content (src/entry.rs FileKind). */
export type FileKind =
  | "dicom" | "dicomdir" | "screenshot" | "photo" | "slide" | "pdf" | "document"
  | "archive" | "software" | "other" | "empty" | "corrupt";

/** The role of a DICOM object in a case (src/dicom/classes.rs DicomClass). */
export type DicomClass =
  | "image" | "secondary-capture" | "photograph" | "encapsulated-pdf" | "structured-report"
  | "key-object-selection" | "presentation-state" | "rt" | "whole-slide" | "waveform" | "other";

/** One file (or zip member) and what was found in it: the `files[]` element of the JSON
 * contract, schema_version 1 (src/entry.rs FileEntry). */
export interface FileEntry {
  /** Relative to the folder given, `/`-separated; zip members as `x.zip!/DICOM/IM1`. */
  path: string;
  size: number;
  kind: FileKind;
  /** Why we think so, in a few words ("DICM at byte 128"), in English. */
  reason: string;
  /** `reason` as a message, for any language; absent only in entries made elsewhere. */
  reason_message?: Message | null;
  /** For corrupt or unreadable files: what is wrong, in English. */
  error: string | null;
  /** `error` as a message. */
  error_message?: Message | null;
  /** Bytes actually read to recognise the file. */
  bytes_read: number;
  dicom?: DicomInfo;
  dicomdir?: DicomDirInfo;
  image?: RasterFacts;
  /** Archives only: what is inside. */
  members?: FileEntry[];
  /** Things worth telling that do not change the kind; absent when there are none. */
  notes?: string[];
  /** `notes` as messages, in the same order. */
  note_messages?: Message[];
}

/** A text for people as a message id and the values of its placeholders (src/text/message.rs):
 * `fillMessage(m.id, m.values, lang)` gives it in a language. A value may itself be a
 * `Message`, shown in the same language; other values are data (names, paths). */
export interface Message {
  id: string;
  values: Record<string, unknown>;
}

/** What the header of one DICOM file says (src/dicom/mod.rs DicomInfo). */
export interface DicomInfo {
  class: DicomClass | null;
  sop_class_uid: string | null;
  sop_class_name: string | null;
  sop_instance_uid: string | null;
  modality: string | null;
  /** Unicode, components as stored (`Wang^XiaoDong=王^小东=`). */
  patient_name: string | null;
  patient_id: string | null;
  birth_date: string | null;
  sex: string | null;
  /** Specific Character Set as stored (values joined by `\`), null when absent. */
  charset: string | null;
  charset_repaired: boolean;
  charset_note?: string;
  /** `charset_note` as a message. */
  charset_note_message?: Message;
  patient_name_as_declared?: string;
  study_instance_uid: string | null;
  study_date: string | null;
  study_time: string | null;
  study_description: string | null;
  accession_number: string | null;
  body_part: string | null;
  series_instance_uid: string | null;
  series_number: number | null;
  series_description: string | null;
  instance_number: number | null;
  acquisition_number: number | null;
  images_in_acquisition: number | null;
  image_type: string[];
  derived: boolean;
  rows: number | null;
  columns: number | null;
  number_of_frames: number | null;
  slice_thickness: number | null;
  image_position: [number, number, number] | null;
  transfer_syntax: string | null;
  transfer_syntax_name: string | null;
  lossy: boolean;
  institution: string | null;
  manufacturer: string | null;
  model: string | null;
  conversion_type: string | null;
  burned_in_annotation: string | null;
  has_preamble: boolean;
  has_file_meta: boolean;
  preamble_is_tiff_header: boolean;
  transfer_syntax_inferred: boolean;
  pixel_data_offset: number | null;
  pixel_data_length: number | null;
  truncated: boolean;
  header_bytes: number;
}

/** What a DICOMDIR lists (src/dicom/dicomdir.rs DicomDirInfo). */
export interface DicomDirInfo {
  file_set_id: string | null;
  patients: number;
  studies: number;
  series: number;
  instances: number;
  referenced_files: string[];
  records: DirRecord[];
}

/** One DICOMDIR directory record, flattened (src/dicom/dicomdir.rs DirRecord). */
export interface DirRecord {
  record_type: string;
  file_id?: string;
  sop_instance_uid?: string;
  patient_id?: string;
  patient_name?: string;
  study_instance_uid?: string;
  series_instance_uid?: string;
  modality?: string;
}

/** Metadata read from a raster image's header (src/raster.rs RasterFacts). */
export interface RasterFacts {
  /** "png" "jpeg" "gif" "bmp" "webp" "tiff" "heic" "heif" "avif" */
  format: string;
  width: number | null;
  height: number | null;
  camera_make: string | null;
  camera_model: string | null;
  /** EXIF/TIFF Software, PNG tEXt/iTXt "Software". */
  software: string | null;
  has_gps: boolean;
  orientation: number | null;
  /** EXIF DateTimeOriginal. */
  date_taken: string | null;
  /** TIFF/EXIF ImageDescription, at most 200 characters. */
  description: string | null;
  /** TIFF directory count when the whole chain lies in the bytes read. */
  pages: number | null;
}

/** A language of the report's texts: "en" (English) or "zh" (Simplified Chinese); tags such
 * as "en-GB" or "zh-CN" are accepted too. */
export type Lang = "en" | "zh" | (string & {});

/** How much a finding matters (src/case.rs Severity). */
export type Severity = "info" | "warning" | "serious";

/** The report: the scan document extended with the case, the findings, the readiness
 * checklist and the declarations; the CLI's `--json` document, schema_version 1
 * (src/report/mod.rs Report, docs/report-schema.md). */
export interface Report {
  schema_version: number;
  /** `record-precheck <version>`. */
  generated_by: string;
  files: FileEntry[];
  patients: Patient[];
  studies: Study[];
  /** Most severe first. */
  findings: Finding[];
  readiness: Readiness;
  declarations: Declarations;
}

/** One person, as told apart by name, ID and birth date (src/case.rs Patient). */
export interface Patient {
  /** `P1`, `P2`… in order of appearance. */
  id: string;
  /** The fullest name seen (`Wang^XiaoDong=王^小东`). */
  name: string | null;
  names: string[];
  patient_ids: string[];
  birth_date: string | null;
  sex: string | null;
  /** Indices into `Report.studies`. */
  studies: number[];
  files: number;
}

/** One study of one patient (src/case.rs Study). */
export interface Study {
  study_instance_uid: string | null;
  /** Index into `Report.patients`. */
  patient: number;
  date: string | null;
  description: string | null;
  accession_number: string | null;
  institution: string | null;
  modalities: string[];
  series: Series[];
  /** Instances of original or derived imaging (not reports or captures). */
  image_count: number;
}

/** One series of a study (src/case.rs Series). */
export interface Series {
  series_instance_uid: string | null;
  number: number | null;
  description: string | null;
  modality: string | null;
  body_part: string | null;
  class: DicomClass | null;
  /** Every file of the series, in instance-number order. */
  files: string[];
  instance_numbers: number[];
  localizer: boolean;
  derived: boolean;
  lossy: boolean;
  slice_thickness: number | null;
  images_in_acquisition: number | null;
  frames: number;
}

/** One thing found about the case (src/case.rs Finding); `findingSentences` words it. */
export interface Finding {
  /** Stable: `multiple-patients`, `series-incomplete`, … (docs/report-schema.md). */
  code: string;
  severity: Severity;
  /** The files it is about, as in `files[].path`. */
  files: string[];
  values: Record<string, unknown>;
}

/** A checklist item's state (src/readiness.rs Status). */
export type ItemStatus = "present" | "partial" | "missing" | "declared" | "not-needed";
/** How much a gap limits a review (src/readiness.rs Impact). */
export type Impact = "none" | "low" | "medium" | "high";
/** The overall judgement (src/readiness.rs Level). */
export type Level = "ready" | "reviewable-with-gaps" | "not-yet-reviewable";
/** Which kind of review fits (src/readiness.rs ReviewFit). */
export type ReviewFit = "remote-record-review" | "remote-with-physical-slides" | "not-yet";
/** What a document is (src/readiness.rs Category). */
export type Category =
  | "diagnosis-report" | "radiology-report" | "pathology-report" | "lab-results"
  | "treatment-history" | "discharge-summary" | "other";

/** The checklist result (src/readiness.rs Readiness). */
export interface Readiness {
  level: Level;
  /** The ten checklist items, in the order of PRODUCT.md. */
  items: ChecklistItem[];
  /** Most important first. */
  next_steps: NextStep[];
  review_fit: ReviewFit;
  /** The category of every document: the patient's choice, else the suggestion. */
  document_categories: Record<string, Category>;
}

/** One checklist item (src/readiness.rs Item); `itemSentence` words it. */
export interface ChecklistItem {
  id: string;
  status: ItemStatus;
  /** File paths, or `declared:…` entries (`evidenceText` words them). */
  evidence: string[];
  impact: Impact;
  values: Record<string, unknown>;
}

/** One thing to do (src/readiness.rs NextStep); `stepSentence` words it. */
export interface NextStep {
  id: string;
  values: Record<string, unknown>;
}

/** What the patient tells the tool beside the files (src/readiness.rs Declarations). Every
 * field is optional on input; the report echoes all of them. */
export interface Declarations {
  cancer: "yes" | "no" | "unsure";
  slides: "have" | "requested" | "not-available" | null;
  treatment_history: boolean;
  translation: "have" | "not-needed" | null;
  /** The patient's category per document path (as in `files[].path`). */
  document_categories: Record<string, Category>;
  timeline: string;
  questions: string[];
}

/** An input the bundle leaves out by itself (`bundleSetAside`), with the manifest's reason. */
export interface SetAside {
  path: string;
  reason: string;
}

/** What the patient decides before `new BundleWriter(...)` (src/wasm/bundle.rs). */
export interface BundleRequest {
  /** Language of report.html, timeline.md and questions.md; default `"en"`. */
  lang?: Lang;
  /** Report paths (`files[].path`) left out; a zip leaves out all it holds. */
  exclude?: string[];
  /** Deflate uncompressed DICOM, text and PDF: a smaller zip, written more slowly. */
  deflate?: boolean;
}

/** How far a bundle is (src/bundle/mod.rs Progress). */
export interface BundleProgress {
  inputs_done: number;
  inputs_total: number;
  /** Input bytes read so far (a possible duplicate is read once more to be compared). */
  bytes_read: number;
  /** Input bytes the plan copies. */
  bytes_to_copy: number;
  /** Zip bytes handed out so far. */
  bytes_out: number;
  /** The input being read. */
  current: string | null;
  done: boolean;
}

/** The manifest's counts (src/bundle/manifest.rs Totals). */
export interface ManifestTotals {
  inputs: number;
  copied: number;
  incomplete: number;
  unpacked: number;
  left_out: number;
  /** Bytes of the inputs that are in the bundle. */
  bytes_copied: number;
}

/** A file a `BundleWriter` will copy, in its reading order (`readAheadList`). */
export interface ReadAhead {
  /** The input's place among all inputs (compare with `BundleProgress.inputs_done`). */
  index: number;
  path: string;
  size: number;
}
