//! [`BlobReader`]: a `Blob` (or `File`) as an ordinary `Read + Seek`, so the core can read a
//! patient's file in place, slice by slice, without copying it into wasm memory first.
//!
//! It reads with `FileReaderSync`, which exists only in Web Workers. Each read costs about the
//! same whatever its size (~0.7 ms in Chromium for up to a few KiB), so small reads are served
//! from a read-ahead buffer. Knows nothing about file formats.

use std::io::{self, Read, Seek, SeekFrom};

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, FileReaderSync};

/// Bytes fetched at least per slice read.
pub const READ_AHEAD: usize = 64 << 10;

/// A `Blob` read through `FileReaderSync` on `blob.slice(a, b)`.
pub struct BlobReader {
    blob: Blob,
    reader: FileReaderSync,
    size: u64,
    pos: u64,
    /// Bytes of the blob from `buf_start`, fetched ahead of need.
    buf: Vec<u8>,
    buf_start: u64,
    slices: u32,
}

impl BlobReader {
    /// Fails outside a Web Worker, where `FileReaderSync` does not exist.
    pub fn new(blob: Blob) -> Result<Self, String> {
        let reader = FileReaderSync::new().map_err(|e| {
            format!("could not create a FileReaderSync (it exists only in a Web Worker): {e:?}")
        })?;
        let size = blob.size() as u64;
        Ok(BlobReader {
            blob,
            reader,
            size,
            pos: 0,
            buf: Vec::new(),
            buf_start: 0,
            slices: 0,
        })
    }

    /// The blob's size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// How many slices were read so far (each is one `FileReaderSync` call).
    #[allow(dead_code)] // used by tests/web_worker.rs
    pub fn slices_read(&self) -> u32 {
        self.slices
    }

    /// `blob[start..end]`, read with one `FileReaderSync` call (the bytes stay in JS).
    fn read_slice(&mut self, start: u64, end: u64) -> io::Result<Uint8Array> {
        let slice = self
            .blob
            .slice_with_f64_and_f64(start as f64, end as f64)
            .map_err(|e| js_error("could not slice the file", &e))?;
        let buffer = self
            .reader
            .read_as_array_buffer(&slice)
            .map_err(|e| js_error("could not read the file", &e))?;
        self.slices += 1;
        Ok(Uint8Array::new(&buffer))
    }

    /// Reads `blob[start..end]` into a new vector.
    fn fetch(&mut self, start: u64, end: u64) -> io::Result<Vec<u8>> {
        Ok(self.read_slice(start, end)?.to_vec())
    }

    /// Reads `blob[start..end]` into the start of `out` (at least `end - start` long); returns
    /// how many bytes came.
    fn fetch_into(&mut self, start: u64, end: u64, out: &mut [u8]) -> io::Result<usize> {
        let bytes = self.read_slice(start, end)?;
        let n = (bytes.length() as usize).min(out.len());
        bytes.subarray(0, n as u32).copy_to(&mut out[..n]);
        Ok(n)
    }

    /// The buffered bytes from the current position on (empty when the position is outside).
    fn buffered(&self) -> &[u8] {
        let end = self.buf_start + self.buf.len() as u64;
        if self.pos >= self.buf_start && self.pos < end {
            &self.buf[(self.pos - self.buf_start) as usize..]
        } else {
            &[]
        }
    }
}

impl Read for BlobReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() || self.pos >= self.size {
            return Ok(0);
        }
        if self.buffered().is_empty() {
            if out.len() >= READ_AHEAD {
                // A big read (the bundle's 1 MiB pieces) goes straight into `out`.
                let end = self.size.min(self.pos + out.len() as u64);
                let n = self.fetch_into(self.pos, end, out)?;
                self.pos += n as u64;
                return Ok(n);
            }
            let want = out.len().max(READ_AHEAD) as u64;
            let end = self.size.min(self.pos + want);
            self.buf = self.fetch(self.pos, end)?;
            self.buf_start = self.pos;
            if self.buf.is_empty() {
                return Ok(0);
            }
        }
        let available = self.buffered();
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for BlobReader {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.size.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        match target {
            Some(n) => {
                self.pos = n;
                Ok(n)
            }
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "could not seek before the start of the file",
            )),
        }
    }
}

fn js_error(what: &str, e: &JsValue) -> io::Error {
    let detail = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"));
    io::Error::other(format!("{what}: {detail}"))
}
