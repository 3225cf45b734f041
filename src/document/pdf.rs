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
//! | candidate | ratio mean / min | recall min | time, 16 PDFs | wasm alone (gzip) | bounds |
//! |---|---|---|---|---|---|
//! | `lopdf` 0.47 `extract_text` (content-stream order) | 0.890 / 0.750 | 1.000 | 17 ms | 1,555 KB (638 KB) | every inflation capped |
//! | `pdf-extract` 0.12 (on lopdf) | 0.824 / 0.010 | 0.005 | 185 ms | 1,118 KB (482 KB) | **panics** on the STSong-Light (UniGB-UCS2-H) file |
//! | `hayro-syntax` 0.9 (parser only; the text walk would be this file's) | | | | 265 KB (109 KB) | object and content streams inflated **without a cap** |
//! | **`lopdf` 0.47 + this walk** | **0.979 / 0.925** | **1.000** | 11.5 ms | +1,544 KB (+648 KB) | every inflation capped |
//!
//! (Times: 20 runs each over the 16 PDFs, 1.15 MB; the last row's wasm figure is what
//! `read_text` adds to a cdylib that already scans files, so `zip`, `flate2`, `encoding` and
//! `sha2` are shared.) Of those 1,544 KB, 533 KB are one function, `lopdf`'s
//! `Glyph::from_name` (the Adobe Glyph List as a `match`, reached through
//! `get_font_encoding_with_limit`), and the data section grows by 453 KB (the Brotli
//! dictionary, glyph names, SASLprep tables for passwords). Parsing `ToUnicode` maps and simple
//! encodings here instead would drop the first; the rest comes with `lopdf`'s parser.
//! `pdftotext` (poppler) on the same files: ratio 0.852–1.000, recall 1.000 (corpus README).
//! `pdf` (pdf-rs) 0.10 was not built: its text needs the same own walk and it has no inflation
//! cap either. `hayro-syntax` is six times smaller, but a crafted object stream can make it
//! inflate without bound before any of our code runs; `lopdf` caps every stream it inflates
//! (`LoadOptions::max_decompressed_size`, `get_page_content_with_limit`,
//! `get_font_encoding_with_limit`), and it read all 3,024 truncated or byte-flipped variants
//! of the corpus PDFs without a panic, the slowest in 6 ms (as did hayro-syntax). Its size
//! is paid only by the document reader, which issue 14 loads after the first scan, not by
//! the page's first load. `lopdf`'s
//! own `extract_text` keeps the content-stream order (the labels' first lines came last) and
//! reads a font's `/Encoding` before its `ToUnicode`, hence this walk.

use std::collections::HashMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

use super::pdf_font::{Decoder, Font};
use super::{mib_text, DocumentText, TextSource};
use crate::text::{msg, Message};
use crate::Limits;

/// Deepest `q` nesting kept (deeper saves are ignored, like renderers do).
const MAX_SAVES: usize = 64;

pub(super) fn read(bytes: &[u8], limits: &Limits) -> Result<DocumentText, Message> {
    let doc = load(bytes, limits)?;
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
    let mut fonts = Fonts {
        doc: &doc,
        at: HashMap::new(),
        list: Vec::new(),
        warned: Vec::new(),
        max_stream: limits.max_stream_bytes,
    };
    let mut budget = limits.max_document_inflated;
    let mut text = String::new();
    for (number, id) in pages.into_iter().take(limits.max_pages as usize) {
        let cap = usize::try_from(budget)
            .unwrap_or(usize::MAX)
            .min(limits.max_stream_bytes);
        let content = match doc.get_page_content_with_limit(id, cap) {
            Ok(c) => c,
            Err(lopdf::Error::Decompress(_)) if cap < limits.max_stream_bytes => {
                notes.push(msg!(
                    "note.document.inflate-limit",
                    page = number,
                    limit = mib_text(limits.max_document_inflated)
                ));
                break;
            }
            Err(e) => {
                notes.push(msg!(
                    "note.document.stream-skipped",
                    page = number,
                    detail = e.to_string()
                ));
                continue;
            }
        };
        budget = budget.saturating_sub(content.len() as u64);
        let mut walk = Walk::new(&mut fonts, &mut budget, limits);
        let resources = page_resources(&doc, id);
        walk.content(&content, &resources, 0);
        for problem in walk.problems.drain(..) {
            notes.push(msg!(
                "note.document.stream-skipped",
                page = number,
                detail = problem
            ));
        }
        let items = std::mem::take(&mut walk.items);
        drop(walk);
        for font in fonts.newly_unmapped() {
            notes.push(msg!(
                "note.document.unmapped-font",
                page = number,
                font = font
            ));
        }
        let page = layout(items, page_rotation(&doc, id));
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

/// The pictures of the pages of a PDF without text (a scanner's or a phone app's), for OCR:
/// of each page (at most [`Limits::max_pages`]) its largest image stored as JPEG (`DCTDecode`),
/// the JPEG file's bytes as stored. Pages without one are skipped.
pub fn page_jpegs(bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<u8>>, Message> {
    let doc = load(bytes, limits)?;
    let mut out = Vec::new();
    for (_, id) in doc.get_pages().into_iter().take(limits.max_pages as usize) {
        let mut best: Option<(i64, &[u8])> = None;
        for resources in page_resources(&doc, id) {
            let Ok(group) = resources
                .get_deref(b"XObject", &doc)
                .and_then(Object::as_dict)
            else {
                continue;
            };
            for (_, object) in group.iter() {
                let Ok(image) = doc.dereference(object).and_then(|(_, o)| o.as_stream()) else {
                    continue;
                };
                let dict = &image.dict;
                let is = |key: &[u8], value: &[u8]| match dict.get_deref(key, &doc) {
                    Ok(Object::Name(n)) => n == value,
                    Ok(Object::Array(a)) => {
                        a.len() == 1 && a[0].as_name().is_ok_and(|n| n == value)
                    }
                    _ => false,
                };
                if !is(b"Subtype", b"Image") || !is(b"Filter", b"DCTDecode") {
                    continue;
                }
                let side = |key: &[u8]| {
                    dict.get_deref(key, &doc)
                        .and_then(Object::as_i64)
                        .unwrap_or(0)
                };
                let area = side(b"Width").saturating_mul(side(b"Height"));
                if best.is_none_or(|(a, _)| area > a) {
                    best = Some((area, &image.content));
                }
            }
        }
        out.extend(best.map(|(_, jpeg)| jpeg.to_vec()));
    }
    Ok(out)
}

/// The document, loaded within the limits: not encrypted, not too many objects.
fn load(bytes: &[u8], limits: &Limits) -> Result<Document, Message> {
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
    Ok(doc)
}

/// The fonts met so far, each read once for the whole document (keyed by where its
/// dictionary lives), so that a map shared by every page is parsed once.
struct Fonts<'a> {
    doc: &'a Document,
    at: HashMap<*const Dictionary, usize>,
    list: Vec<Font<'a>>,
    /// Per font: shown without a Unicode map (`Some(false)`), and already said (`Some(true)`).
    warned: Vec<Option<bool>>,
    max_stream: usize,
}

impl<'a> Fonts<'a> {
    fn index(&mut self, dict: &'a Dictionary) -> usize {
        let (doc, max) = (self.doc, self.max_stream);
        let list = &mut self.list;
        let warned = &mut self.warned;
        *self.at.entry(dict as *const _).or_insert_with(|| {
            list.push(Font::new(doc, dict, max));
            warned.push(None);
            list.len() - 1
        })
    }

    /// The names of fonts shown without a map since the last call.
    fn newly_unmapped(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        for (w, font) in self.warned.iter_mut().zip(&self.list) {
            if *w == Some(false) {
                *w = Some(true);
                out.push(font.name.clone());
            }
        }
        out
    }
}

/// The resource dictionaries of a page, nearest first (inherited ones from the page tree).
fn page_resources(doc: &Document, page: ObjectId) -> Vec<&Dictionary> {
    let Ok((direct, ids)) = doc.get_page_resources(page) else {
        return Vec::new();
    };
    direct
        .into_iter()
        .chain(ids.into_iter().filter_map(|id| doc.get_dictionary(id).ok()))
        .collect()
}

/// The entry `name` of the `kind` (`/Font`, `/XObject`) dictionary of the nearest resources.
fn resource<'a>(
    doc: &'a Document,
    resources: &[&'a Dictionary],
    kind: &[u8],
    name: &[u8],
) -> Option<&'a Object> {
    resources.iter().find_map(|r| {
        let group = r.get_deref(kind, doc).and_then(Object::as_dict).ok()?;
        group.get_deref(name, doc).ok()
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

struct Walk<'w, 'a> {
    fonts: &'w mut Fonts<'a>,
    /// Bytes still allowed to inflate (forms' contents).
    budget: &'w mut u64,
    max_stream: usize,
    max_chars: usize,
    state: State,
    saved: Vec<State>,
    tm: Matrix,
    tlm: Matrix,
    items: Vec<Item>,
    chars: usize,
    /// Parts not read (a damaged content stream, a form over the limits).
    problems: Vec<String>,
}

/// Most problems noted for one page.
const MAX_PROBLEMS: usize = 4;

/// Deepest nesting of forms drawn inside forms.
const MAX_FORM_DEPTH: usize = 8;

fn num(o: Option<&Object>) -> f32 {
    o.and_then(|o| o.as_float().ok())
        .filter(|v| v.is_finite())
        .unwrap_or(0.0)
}

impl<'w, 'a> Walk<'w, 'a> {
    fn new(fonts: &'w mut Fonts<'a>, budget: &'w mut u64, limits: &Limits) -> Self {
        Walk {
            fonts,
            budget,
            max_stream: limits.max_stream_bytes,
            max_chars: limits.max_text_chars.saturating_mul(4),
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
            problems: Vec::new(),
        }
    }

    /// Walks a content stream drawn with `resources` at form depth `depth`.
    fn content(&mut self, content: &[u8], resources: &[&'a Dictionary], depth: usize) {
        for op in Content::decode_iter(content) {
            match op {
                Ok(op) => self.op(&op.operator, &op.operands, resources, depth),
                Err(e) => {
                    self.problem(e.to_string());
                    break;
                }
            }
            if self.chars > self.max_chars {
                break;
            }
        }
    }

    /// Keeps the first few problems of a page (a form drawn a million times fails as often).
    fn problem(&mut self, what: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(what);
        }
    }

    /// `Do` of a form XObject: its content under its matrix, with its own resources (or the
    /// drawing ones), the graphics state restored after (ISO 32000-1, 8.10).
    fn form(&mut self, name: &[u8], resources: &[&'a Dictionary], depth: usize) {
        let doc = self.fonts.doc;
        let Some(Ok(form)) = resource(doc, resources, b"XObject", name).map(Object::as_stream)
        else {
            return;
        };
        if form.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            return;
        }
        if depth >= MAX_FORM_DEPTH {
            self.problems
                .push(format!("forms nested over {MAX_FORM_DEPTH} deep"));
            return;
        }
        let cap = usize::try_from(*self.budget)
            .unwrap_or(usize::MAX)
            .min(self.max_stream);
        let content = match form.get_plain_content_with_limit(cap) {
            Ok(c) => c,
            Err(e) => {
                self.problem(e.to_string());
                return;
            }
        };
        *self.budget = self.budget.saturating_sub(content.len() as u64);
        let own: Vec<&'a Dictionary> = form
            .dict
            .get_deref(b"Resources", doc)
            .and_then(Object::as_dict)
            .into_iter()
            .collect();
        let matrix = form
            .dict
            .get_deref(b"Matrix", doc)
            .and_then(Object::as_array)
            .ok()
            .filter(|m| m.len() == 6)
            .map(|m| {
                let n = |i| num(m.get(i));
                [n(0), n(1), n(2), n(3), n(4), n(5)]
            })
            .unwrap_or(IDENTITY);
        let (saved, depth_saved, tm, tlm) = (self.state, self.saved.len(), self.tm, self.tlm);
        self.state.ctm = mul(&matrix, &self.state.ctm);
        self.content(
            &content,
            if own.is_empty() { resources } else { &own },
            depth + 1,
        );
        self.saved.truncate(depth_saved);
        (self.state, self.tm, self.tlm) = (saved, tm, tlm);
    }

    fn op(&mut self, operator: &str, ops: &[Object], resources: &[&'a Dictionary], depth: usize) {
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
                let doc = self.fonts.doc;
                let dict = ops.first().and_then(|o| o.as_name().ok()).and_then(|name| {
                    resource(doc, resources, b"Font", name).and_then(|f| f.as_dict().ok())
                });
                self.state.font = dict.map(|d| self.fonts.index(d));
                self.state.size = n(1);
            }
            "Do" => {
                if let Some(Ok(name)) = ops.first().map(Object::as_name) {
                    self.form(name, resources, depth);
                }
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
        let Some(f) = self.state.font else {
            return;
        };
        let Some(font) = self.fonts.list.get(f) else {
            return;
        };
        let s = self.state;
        let text = font.decode(bytes);
        if matches!(font.decoder, Decoder::Unmapped) && !bytes.is_empty() {
            if let Some(w @ None) = self.fonts.warned.get_mut(f) {
                *w = Some(false);
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

#[cfg(test)]
#[path = "pdf_tests.rs"]
mod tests;
