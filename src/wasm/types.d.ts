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
  /** Why we think so, in a few words ("DICM at byte 128"). */
  reason: string;
  /** For corrupt or unreadable files: what is wrong. */
  error: string | null;
  /** Bytes actually read to recognise the file. */
  bytes_read: number;
  dicom?: DicomInfo;
  dicomdir?: DicomDirInfo;
  image?: RasterFacts;
  /** Archives only: what is inside. */
  members?: FileEntry[];
  /** Things worth telling that do not change the kind; absent when there are none. */
  notes?: string[];
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
