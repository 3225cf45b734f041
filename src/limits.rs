//! Every hard limit the tool enforces, in one place, so that no input can make it read, allocate
//! or loop without bound. Hitting one is reported for the file concerned, never a crash.

/// The limits for one scan. [`Limits::default`] is what the CLI and the browser use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Bytes read first from every file to recognise it.
    pub sniff_bytes: usize,
    /// Bytes read from an image file to find its dimensions and EXIF.
    pub raster_bytes: usize,
    /// Read granularity while walking a DICOM header.
    pub read_chunk: usize,
    /// Most header bytes kept for one DICOM file (everything before Pixel Data).
    pub header_cap: u64,
    /// Most bytes kept for a DICOMDIR, whose records can be many.
    pub dicomdir_cap: u64,
    /// Top-level text values longer than this are skipped, not read.
    pub max_text_value: u32,
    /// Deepest nesting of sequences and items (counted as frames: a sequence and its item are 2).
    pub max_nesting: usize,
    /// Most pixel data fragments walked (by seeking) to check that compressed pixel data ends
    /// inside the file.
    pub max_fragments: usize,
    /// Deepest zip inside a zip that is opened (1 = only the patient's own zips).
    pub max_zip_depth: u32,
    /// Most entries listed in one zip.
    pub max_zip_entries: usize,
    /// Most uncompressed bytes read from all members of one top-level zip together.
    pub max_zip_total_read: u64,
    /// A member whose declared size is more than this many times its compressed size is not
    /// inflated (zip-bomb guard).
    pub max_compression_ratio: u64,
    /// Most bytes of nested zips held in memory at once, all levels together: a compressed zip
    /// inside a zip is inflated into memory to be opened (a stored one is read in place), so
    /// this is the ceiling on the scan's zip buffers; a nested zip that does not fit is kept
    /// packed, unopened.
    pub max_nested_zip_bytes: u64,
    /// Longest member name accepted as is; longer ones are cut.
    pub max_name_len: usize,
    /// Most files scanned in one session (a DVD of several studies has ~20,000); the rest are
    /// listed as not scanned.
    pub max_files: usize,
    /// Deepest folder nesting walked; deeper folders are listed as not scanned.
    pub max_path_depth: usize,
    /// Most bytes of one document (PDF, DOCX, text) whose text is read; a bigger one is refused.
    pub max_document_bytes: u64,
    /// Most objects in one PDF; a PDF with more is refused (its objects are all parsed at once).
    pub max_pdf_objects: usize,
    /// Most bytes one stream of a document may inflate to (PDF content, fonts' maps, object
    /// streams; DOCX's document.xml). A stream over it is not read.
    pub max_stream_bytes: usize,
    /// Most bytes inflated from one document's page contents and fonts' maps together.
    pub max_document_inflated: u64,
    /// Most pages of one PDF whose text is read; the text of the pages before is kept.
    pub max_pages: u32,
    /// Most characters of text kept from one document; the text is cut there.
    pub max_text_chars: usize,
    /// Bytes of a document's text read to tell what it is and says (`document::facts`); a
    /// record is a few pages, 1 MiB is hundreds.
    pub facts_text_bytes: usize,
    /// Most dates, people and tumour markers kept from one document.
    pub facts_max_items: usize,
    /// Most content items of a DICOM Structured Report whose text is read (its tree is walked
    /// no deeper than [`Limits::max_nesting`] allows the header to be).
    pub max_sr_items: usize,
    /// Whether a document's text is kept on its entry (`document.text`, the CLI's
    /// `scan --with-text`), at most [`Limits::max_text_chars`] of it. Off by default: the text
    /// is dropped once its facts are read, so a scan holds one document's text at a time.
    pub keep_document_text: bool,
    /// Most samples (rows × columns × samples per pixel) of the one frame decoded for a preview
    /// or thumbnail (src/pixels/). Checked on the header before any pixel byte is read or
    /// allocated; the encoded frame may be no larger than this many 16-bit samples either. 40 Mi
    /// samples holds the largest single frames on CDs (a 4,096 × 5,120 mammogram is 21 Mi, a
    /// 3,000 × 3,000 RGB photograph 27 Mi) and bounds a frame's decoding to ~300 MiB (the JPEG 2000
    /// decoder works in 32-bit floats, ×4, plus our 32-bit samples), in a browser worker too.
    pub max_frame_samples: u64,
    /// Most pixels of a picture whose content is looked at (`picture`): a 50 MP phone photo
    /// fits; a bigger picture (or a header claiming one) is not decoded.
    pub max_picture_pixels: u64,
    /// Most bytes of a picture file decoded (the CLI's `pictures` feature, and the page); a zip
    /// member, which cannot seek, is read whole into memory to be decoded.
    pub max_picture_bytes: u64,
    /// Most bytes the picture decoder may allocate for one picture (a decompression bomb stops
    /// here).
    pub max_picture_alloc: u64,
    /// Most text lines read by OCR in one picture (src/ocr/; a dense A4 page has ~60, a table
    /// cut into cells a few hundred): the surest are read, and a note says the rest were not.
    pub max_ocr_lines: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            sniff_bytes: 8 << 10,
            raster_bytes: 256 << 10,
            read_chunk: 8 << 10,
            header_cap: 8 << 20,
            dicomdir_cap: 64 << 20,
            max_text_value: 1 << 20,
            max_nesting: 32,
            max_fragments: 100_000,
            max_zip_depth: 3,
            max_zip_entries: 100_000,
            max_zip_total_read: 1 << 30,
            max_compression_ratio: 200,
            max_nested_zip_bytes: 64 << 20,
            max_name_len: 1024,
            max_files: 100_000,
            max_path_depth: 64,
            max_document_bytes: 64 << 20,
            max_pdf_objects: 500_000,
            max_stream_bytes: 32 << 20,
            max_document_inflated: 256 << 20,
            max_pages: 2_000,
            max_text_chars: 2_000_000,
            facts_text_bytes: 1 << 20,
            facts_max_items: 200,
            max_sr_items: 10_000,
            keep_document_text: false,
            max_frame_samples: 40 << 20,
            max_picture_pixels: 50_000_000,
            max_picture_bytes: 64 << 20,
            max_picture_alloc: 512 << 20,
            max_ocr_lines: 1_000,
        }
    }
}
