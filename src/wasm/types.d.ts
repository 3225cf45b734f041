/* The page's API types, hand-written: the language tag and what `BundleWriter` and
 * `bundleSetAside` take and give. The report's types (Report, FileEntry, Finding, …) are
 * generated from the Rust types into report-types.d.ts (src/report/typescript.rs). */

/** A language of the report's texts: "en" (English) or "zh" (Simplified Chinese); tags such
 * as "en-GB" or "zh-CN" are accepted too. */
export type Lang = "en" | "zh" | (string & {});

/** `ScannedFiles.reportsWithoutFiles`: the report and its redacted twin (`redacted: true`:
 * no names, IDs, dates, file names or free text), both with `files` empty. */
export interface Reports {
  report: Report;
  redacted: Report;
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
  /**
   * Write photos and screenshots as given. By default their GPS position, camera serial
   * numbers, maker notes and XMP are removed (the pixels untouched; manifest `metadata_removed`).
   */
  keepPictureMetadata?: boolean;
  /** The patient's consent to send the bundle abroad: recorded in manifest.json (`consent`). */
  consent?: Consent | null;
  /**
   * De-identify the imaging (DICOM PS3.15 Basic Profile; people named PATIENT-1… in the bundle).
   * Documents, photos and screenshots are not de-identified.
   */
  deidentify?: DeidentifyRequest;
}

/** The cross-border consent as the patient gave it (src/bundle/manifest.rs Consent). */
export interface Consent {
  cross_border: boolean;
  /** The destination's host (and port). */
  destination_host: string;
  /** The recipient's country, as the host page named it (ISO 3166-1 alpha-2). */
  country: string;
  recipient: string;
  purpose: string;
  /** UTC, ISO 8601. */
  given_at: string;
  /** The words the patient agreed to. */
  text: string;
}

/** The de-identification options (src/dicom/deidentify: Options). */
export interface DeidentifyRequest {
  /** 32 random bytes drawn for this bundle (`crypto.getRandomValues`), never stored. */
  secret: number[];
  /** Every date moved back by the same days (Retain Longitudinal Temporal Information). */
  modifiedDates?: boolean;
  /** Keep sex, age, size, weight and the like (Retain Patient Characteristics). */
  patientCharacteristics?: boolean;
  /** Keep descriptions with the names taken out (Clean Descriptors). */
  cleanDescriptors?: boolean;
}

/** Who a pseudonym of a de-identified bundle stands for (src/bundle/pseudonyms.rs KeyEntry). */
export interface PseudonymKey {
  pseudonym: string;
  names: string[];
  ids: string[];
  birth_dates: string[];
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
  /** Pictures written without the GPS position they held. */
  location_removed: number;
}

/** A file of a `BundleWriter`: one it reads itself (`readAheadList`), or one it references, whose
 * digest the page reads (`referenceInputs`) and which it copies into the zip (`nextPiece`). */
export interface ReadAhead {
  /** The input's place among all inputs (compare with `BundleProgress.inputs_done`). */
  index: number;
  path: string;
  size: number;
}
