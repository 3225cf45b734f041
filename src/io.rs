//! Readers that know nothing about file formats: [`ReadSeek`] (a seekable reader as one trait
//! object), [`Counting`] (how many bytes went through), [`Budget`] (a reader that stops at a
//! budget), [`Window`] (a part of a file as a file of its own) and the windowed reader behind [`crate::scan_windows`] (a file known only by its
//! first and last bytes).

use std::io::{Read, Seek, SeekFrom};

/// A reader that can also seek, as a trait object: nested zips are opened through it, so the
/// reader type does not grow with each level of nesting.
pub trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// Counts the bytes pulled through a reader.
pub struct Counting<R> {
    pub inner: R,
    pub count: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// A reader that gives at most `limit` bytes and then fails, remembering that it did: a zip
/// member is read through one, so that the zip's read budget holds inside a member too.
pub(crate) struct Budget<R> {
    pub inner: R,
    /// Bytes read so far.
    pub count: u64,
    limit: u64,
    spent: bool,
}

impl<R: Read> Budget<R> {
    pub(crate) fn new(inner: R, limit: u64) -> Self {
        Budget {
            inner,
            count: 0,
            limit,
            spent: false,
        }
    }

    /// Whether a read wanted more than the budget.
    pub(crate) fn spent(&self) -> bool {
        self.spent
    }
}

impl<R: Read> Read for Budget<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.limit - self.count;
        if left == 0 && !buf.is_empty() {
            // A reader that ends exactly at the budget has not overspent it: look one byte on.
            if self.inner.read(&mut [0u8])? == 0 {
                return Ok(0);
            }
            self.spent = true;
            return Err(std::io::Error::other("the read budget is spent"));
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.count += n as u64;
        Ok(n)
    }
}

/// `len` bytes of `inner` from `start`, read and seeked as a file of their own (a stored zip
/// member, opened as a zip in place).
pub(crate) struct Window<R> {
    inner: R,
    start: u64,
    len: u64,
    pos: u64,
    /// Whether `inner` is at `pos` (the window has it to itself): a seek only after a seek.
    synced: bool,
}

impl<R> Window<R> {
    pub(crate) fn new(inner: R, start: u64, len: u64) -> Self {
        Window {
            inner,
            start,
            len,
            pos: 0,
            synced: false,
        }
    }
}

impl<R: Read + Seek> Read for Window<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.len.saturating_sub(self.pos);
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        if want == 0 {
            return Ok(0);
        }
        if !self.synced {
            self.inner.seek(SeekFrom::Start(self.start + self.pos))?;
            self.synced = true;
        }
        let n = self.inner.read(&mut buf[..want])?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R> Seek for Window<R> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| std::io::Error::other("seek before the start"))?;
        self.synced = false;
        Ok(self.pos)
    }
}

/// A file known only by two windows; reading anywhere else is recorded as a miss.
pub(crate) struct Windows<'a> {
    head: &'a [u8],
    tail: &'a [u8],
    size: u64,
    pos: u64,
    missed: bool,
}

impl<'a> Windows<'a> {
    /// A file of `size` bytes that begins with `head` and ends with `tail`.
    pub(crate) fn new(head: &'a [u8], tail: &'a [u8], size: u64) -> Self {
        Windows {
            head,
            tail,
            size,
            pos: 0,
            missed: false,
        }
    }

    /// Whether a read fell outside both windows.
    pub(crate) fn missed(&self) -> bool {
        self.missed
    }
}

impl Read for Windows<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let tail_start = self.size.saturating_sub(self.tail.len() as u64);
        // The end first: past it, the tail window's offsets would be past the tail's end.
        let (window, start) = if self.pos >= self.size {
            return Ok(0);
        } else if self.pos < self.head.len() as u64 {
            (self.head, 0)
        } else if self.pos >= tail_start && !self.tail.is_empty() {
            (self.tail, tail_start)
        } else {
            self.missed = true;
            return Err(std::io::Error::other("outside the bytes read ahead"));
        };
        let from = &window[(self.pos - start) as usize..];
        // A head longer than the declared size gives no more than the size.
        let n = (from.len().min(out.len()) as u64).min(self.size - self.pos) as usize;
        out[..n].copy_from_slice(&from[..n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Windows<'_> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.size.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| std::io::Error::other("seek before the start"))?;
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_read_nothing_past_the_end() {
        // A seek past the end with a tail window: reading there once sliced the tail from
        // beyond its end and panicked (issue 20).
        let mut w = Windows::new(b"head", b"tail", 10);
        w.seek(SeekFrom::Start(20)).unwrap();
        let mut buf = [0u8; 4];
        assert_eq!(w.read(&mut buf).unwrap(), 0);
        w.seek(SeekFrom::End(-2)).unwrap();
        assert_eq!(w.read(&mut buf).unwrap(), 2);
        assert_eq!(&buf[..2], b"il");
        assert!(!w.missed());
        let mut short = Windows::new(b"head", b"", 2);
        assert_eq!(short.read(&mut buf).unwrap(), 2);
        assert_eq!(short.read(&mut buf).unwrap(), 0);
    }
}
