//! The text layer of a PDF: `lopdf` parses the file (cross-reference tables and streams,
//! object streams, filters, every inflation bounded by [`Limits::max_stream_bytes`]); this
//! file walks each page's content stream (text operators, text and graphics matrices), turns
//! the shown strings into Unicode ([`super::pdf_font`]) and lays them out by position: runs
//! whose baselines are within half a font size form a line, lines go top to bottom and runs
//! left to right, a gap wider than a quarter of the font size is a space. That is the
//! structure every PDF writer has to respect (the page must look right); the order in which
//! a writer emits runs (Chromium writes headers and footers last) does not matter. Not
//! handled: text in form XObjects, vertical writing, multi-column flow (columns are read
//! across, as `pdftotext` without `-layout` does for tables).
//!
//! # Why `lopdf`, measured
//!
//! On the 15 text PDFs of the development corpus (shared/corpus-records; similarity of the
//! text to the labels' text: letters and digits only, NFKC, lower case; difflib ratio / share
//! of the label's characters found), on this machine (native, release), and the size a
//! `cdylib` for wasm32 calling only that crate has (`opt-level = "z"`, LTO, gzip -9):
//!
//! | candidate | ratio mean / min | recall min | time, 16 PDFs | wasm (gzip) | bounds |
//! |---|---|---|---|---|---|
//! | `lopdf` 0.47 `extract_text` (content-stream order) | 0.883 / 0.719 | 0.919 | 17 ms | 1,555 KB (638 KB) | every inflation capped |
//! | `pdf-extract` 0.12 (on lopdf) | 0.817 / 0.005 | 0.003 | 185 ms | 1,118 KB (482 KB) | **panics** on the STSong-Light (UniGB-UCS2-H) file |
//! | `hayro-syntax` 0.9 + own walk | (parser only; text would be this file's walk) | | | 265 KB (109 KB) | object and content streams inflated **without a cap** |
//! | **`lopdf` 0.47 + this walk** | see `tests/documents.rs` | | | | every inflation capped |
//!
//! `pdftotext` (poppler) on the same files: ratio 0.852–1.000, recall 1.000 (corpus README).
//! `pdf` (pdf-rs) 0.10 was not built: its text needs the same own walk and it has no inflation
//! cap either. `hayro-syntax` is six times smaller, but a crafted object stream can make it
//! inflate without bound before any of our code runs; `lopdf` caps every stream it inflates
//! (`LoadOptions::max_decompressed_size`, `get_page_content_with_limit`,
//! `get_font_encoding_with_limit`), and it read all 3,024 truncated or byte-flipped variants
//! of the corpus PDFs without a panic, the slowest in 6 ms (as did hayro-syntax). Its size
//! is paid only by the document reader, which issue 14 loads after the first scan. `lopdf`'s
//! own `extract_text` keeps the content-stream order (the labels' first lines came last) and
//! reads a font's `/Encoding` before its `ToUnicode`, hence this walk.

use std::collections::HashMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

use super::pdf_font::{lopdf_view, Decoder, Font};
use super::{mib_text, DocumentText, TextSource};
use crate::text::{msg, Message};
use crate::Limits;

/// Deepest `q` nesting kept (deeper saves are ignored, like renderers do).
const MAX_SAVES: usize = 64;

pub(super) fn read(bytes: &[u8], limits: &Limits) -> Result<DocumentText, Message> {
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => {
            msg!("error.document.pdf-encrypted")
        }
        e => msg!("error.document.pdf", detail = e.to_string()),
    })?;
    if doc.is_encrypted() {
        return Err(msg!("error.document.pdf-encrypted"));
    }
    if doc.objects.len() > limits.max_pdf_objects {
        return Err(msg!(
            "error.document.pdf-objects",
            count = doc.objects.len(),
            limit = limits.max_pdf_objects
        ));
    }
    let pages = doc.get_pages();
    let count = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    let mut notes = Vec::new();
    if count > limits.max_pages {
        notes.push(msg!(
            "note.document.pages-limit",
            limit = limits.max_pages,
            count = count
        ));
    }
    let read: Vec<(u32, ObjectId)> = pages.into_iter().take(limits.max_pages as usize).collect();

    // Fonts first, each once for the whole document (keyed by where its dictionary lives),
    // so that a map shared by every page is parsed once.
    let mut page_fonts: Vec<Vec<(Vec<u8>, usize)>> = Vec::with_capacity(read.len());
    let mut unique: Vec<&Dictionary> = Vec::new();
    let mut index: HashMap<*const Dictionary, usize> = HashMap::new();
    for (_, id) in &read {
        let fonts = doc.get_page_fonts(*id).unwrap_or_default();
        let names = fonts
            .into_iter()
            .map(|(name, dict)| {
                let at = *index.entry(dict as *const _).or_insert_with(|| {
                    unique.push(dict);
                    unique.len() - 1
                });
                (name, at)
            })
            .collect();
        page_fonts.push(names);
    }
    let views: Vec<Option<Dictionary>> = unique.iter().map(|f| lopdf_view(f)).collect();
    let fonts: Vec<Font> = unique
        .iter()
        .zip(&views)
        .map(|(f, v)| Font::new(&doc, f, v.as_ref(), limits.max_stream_bytes))
        .collect();

    let mut budget = limits.max_document_inflated;
    let mut text = String::new();
    let mut warned = vec![false; fonts.len()];
    for ((number, id), names) in read.iter().zip(&page_fonts) {
        let cap = usize::try_from(budget)
            .unwrap_or(usize::MAX)
            .min(limits.max_stream_bytes);
        let content = match doc.get_page_content_with_limit(*id, cap) {
            Ok(c) => c,
            Err(lopdf::Error::Decompress(_)) if cap < limits.max_stream_bytes => {
                notes.push(msg!(
                    "note.document.inflate-limit",
                    page = *number,
                    limit = mib_text(limits.max_document_inflated)
                ));
                break;
            }
            Err(e) => {
                notes.push(msg!(
                    "note.document.stream-skipped",
                    page = *number,
                    detail = e.to_string()
                ));
                continue;
            }
        };
        budget = budget.saturating_sub(content.len() as u64);
        let names: HashMap<&[u8], usize> = names.iter().map(|(n, i)| (n.as_slice(), *i)).collect();
        let mut walk = Walk::new(&fonts, &names);
        for op in Content::decode_iter(&content) {
            match op {
                Ok(op) => walk.op(&op.operator, &op.operands),
                Err(e) => {
                    notes.push(msg!(
                        "note.document.stream-skipped",
                        page = *number,
                        detail = e.to_string()
                    ));
                    break;
                }
            }
            if text.len() + walk.chars > limits.max_text_chars.saturating_mul(4) {
                break;
            }
        }
        for &f in &walk.unmapped {
            if let (Some(w @ false), Some(font)) = (warned.get_mut(f), fonts.get(f)) {
                *w = true;
                notes.push(msg!(
                    "note.document.unmapped-font",
                    page = *number,
                    font = font.name.clone()
                ));
            }
        }
        let rotate = page_rotation(&doc, *id);
        let page = layout(walk.items, rotate);
        if !page.is_empty() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&page);
        }
        if text.len() > limits.max_text_chars.saturating_mul(4) {
            break;
        }
    }
    let source = if text.chars().any(char::is_alphanumeric) {
        TextSource::TextLayer
    } else {
        notes.push(msg!("note.document.no-text"));
        text.clear();
        TextSource::None
    };
    Ok(DocumentText {
        text,
        source,
        pages: Some(count),
        notes,
    })
}

/// `/Rotate` of a page (inherited from the page tree), as 0, 90, 180 or 270.
fn page_rotation(doc: &Document, page: ObjectId) -> i64 {
    let mut id = page;
    for _ in 0..32 {
        let Ok(dict) = doc.get_dictionary(id) else {
            break;
        };
        if let Ok(r) = dict.get(b"Rotate").and_then(Object::as_i64) {
            return r.rem_euclid(360) / 90 * 90;
        }
        match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => id = parent,
            Err(_) => break,
        }
    }
    0
}

/// An affine matrix `[a b c d e f]` (ISO 32000-1, 8.3.3).
type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`.
fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    let [a, b, c, d, e, f] = *m;
    let [a2, b2, c2, d2, e2, f2] = *n;
    [
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    ]
}

fn translate(tx: f32, ty: f32, m: &Matrix) -> Matrix {
    mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], m)
}

/// A shown string, placed in page space.
struct Item {
    /// Where the run starts and where the next would (baseline points).
    at: (f32, f32),
    end: (f32, f32),
    size: f32,
    text: String,
}

/// A point as seen on the page turned by `/Rotate` (clockwise, in degrees).
fn turn((x, y): (f32, f32), rotate: i64) -> (f32, f32) {
    match rotate {
        90 => (y, -x),
        180 => (-x, -y),
        270 => (-y, x),
        _ => (x, y),
    }
}

/// The state that `q`/`Q` save: the CTM and the text state parameters.
#[derive(Clone, Copy)]
struct State {
    ctm: Matrix,
    font: Option<usize>,
    size: f32,
    char_space: f32,
    word_space: f32,
    scale: f32,
    leading: f32,
    rise: f32,
}

struct Walk<'f, 'a> {
    fonts: &'f [Font<'a>],
    names: &'f HashMap<&'f [u8], usize>,
    state: State,
    saved: Vec<State>,
    tm: Matrix,
    tlm: Matrix,
    items: Vec<Item>,
    chars: usize,
    unmapped: Vec<usize>,
}

fn num(o: Option<&Object>) -> f32 {
    o.and_then(|o| o.as_float().ok())
        .filter(|v| v.is_finite())
        .unwrap_or(0.0)
}

impl<'f, 'a> Walk<'f, 'a> {
    fn new(fonts: &'f [Font<'a>], names: &'f HashMap<&'f [u8], usize>) -> Self {
        Walk {
            fonts,
            names,
            state: State {
                ctm: IDENTITY,
                font: None,
                size: 0.0,
                char_space: 0.0,
                word_space: 0.0,
                scale: 1.0,
                leading: 0.0,
                rise: 0.0,
            },
            saved: Vec::new(),
            tm: IDENTITY,
            tlm: IDENTITY,
            items: Vec::new(),
            chars: 0,
            unmapped: Vec::new(),
        }
    }

    fn op(&mut self, operator: &str, ops: &[Object]) {
        let n = |i: usize| num(ops.get(i));
        match operator {
            "q" if self.saved.len() < MAX_SAVES => self.saved.push(self.state),
            "Q" => {
                if let Some(s) = self.saved.pop() {
                    self.state = s;
                }
            }
            "cm" if ops.len() == 6 => {
                self.state.ctm = mul(&[n(0), n(1), n(2), n(3), n(4), n(5)], &self.state.ctm);
            }
            "BT" => {
                self.tm = IDENTITY;
                self.tlm = IDENTITY;
            }
            "Tf" => {
                self.state.font = ops
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|name| self.names.get(name).copied());
                self.state.size = n(1);
            }
            "Tc" => self.state.char_space = n(0),
            "Tw" => self.state.word_space = n(0),
            "Tz" => self.state.scale = n(0) / 100.0,
            "TL" => self.state.leading = n(0),
            "Ts" => self.state.rise = n(0),
            "Td" => self.next_line(n(0), n(1)),
            "TD" => {
                self.state.leading = -n(1);
                self.next_line(n(0), n(1));
            }
            "Tm" if ops.len() == 6 => {
                self.tm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                self.tlm = self.tm;
            }
            "T*" => self.next_line(0.0, -self.state.leading),
            "Tj" => self.show(ops.first()),
            "'" => {
                self.next_line(0.0, -self.state.leading);
                self.show(ops.first());
            }
            "\"" => {
                self.state.word_space = n(0);
                self.state.char_space = n(1);
                self.next_line(0.0, -self.state.leading);
                self.show(ops.get(2));
            }
            "TJ" => {
                let Some(Ok(parts)) = ops.first().map(Object::as_array) else {
                    return;
                };
                for part in parts {
                    match part {
                        Object::String(..) => self.show(Some(part)),
                        o => {
                            let tx = -num(Some(o)) / 1000.0 * self.state.size * self.state.scale;
                            self.tm = translate(tx, 0.0, &self.tm);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn next_line(&mut self, tx: f32, ty: f32) {
        self.tlm = translate(tx, ty, &self.tlm);
        self.tm = self.tlm;
    }

    fn show(&mut self, string: Option<&Object>) {
        let Some(bytes) = string.and_then(|s| s.as_str().ok()) else {
            return;
        };
        let Some(font) = self.state.font.and_then(|f| self.fonts.get(f)) else {
            return;
        };
        let s = self.state;
        let text = font.decode(bytes);
        if matches!(font.decoder, Decoder::Unmapped) && !bytes.is_empty() {
            if let Some(f) = s.font.filter(|f| !self.unmapped.contains(f)) {
                self.unmapped.push(f);
            }
        }
        let advance: f32 = font
            .widths(bytes, &text)
            .iter()
            .map(|&(w, space)| {
                (w / 1000.0 * s.size + s.char_space + if space { s.word_space } else { 0.0 })
                    * s.scale
            })
            .sum();
        let start = mul(
            &[s.size * s.scale, 0.0, 0.0, s.size, 0.0, s.rise],
            &mul(&self.tm, &s.ctm),
        );
        self.tm = translate(advance, 0.0, &self.tm);
        let end = mul(&self.tm, &s.ctm);
        let size = start[2].hypot(start[3]).max(0.1);
        self.chars += text.len();
        if !text.is_empty() {
            self.items.push(Item {
                at: (start[4], start[5]),
                end: (end[4], end[5]),
                size,
                text,
            });
        }
    }
}

/// The runs of a page as lines in reading order.
fn layout(mut items: Vec<Item>, rotate: i64) -> String {
    for it in &mut items {
        it.at = turn(it.at, rotate);
        it.end = turn(it.end, rotate);
    }
    items.sort_by(|a, b| b.at.1.total_cmp(&a.at.1).then(a.at.0.total_cmp(&b.at.0)));
    let mut lines: Vec<Vec<Item>> = Vec::new();
    for it in items {
        match lines.last_mut() {
            Some(line)
                if line
                    .first()
                    .is_some_and(|f| (f.at.1 - it.at.1).abs() <= 0.5 * f.size.min(it.size)) =>
            {
                line.push(it)
            }
            _ => lines.push(vec![it]),
        }
    }
    let mut out = String::new();
    for mut line in lines {
        line.sort_by(|a, b| a.at.0.total_cmp(&b.at.0));
        let mut prev: Option<&Item> = None;
        for it in &line {
            if let Some(p) = prev {
                let gap = it.at.0 - p.end.0;
                let spaced = p.text.ends_with(char::is_whitespace)
                    || it.text.starts_with(char::is_whitespace);
                if gap > 0.25 * it.size.min(p.size) && !spaced {
                    out.push(' ');
                }
            }
            out.push_str(&it.text);
            prev = Some(it);
        }
        let keep = out.trim_end().len();
        out.truncate(keep);
        out.push('\n');
    }
    out.trim_end().to_owned()
}
