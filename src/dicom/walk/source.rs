//! The bounded byte source the walker reads from.

use std::io::{self, Read};

/// A forward-only byte source over bytes already read (`head`) followed by a reader, that knows
/// the total size and counts what it really read.
pub struct Source<R> {
    inner: R,
    buf: Vec<u8>,
    /// Index in `buf` of the next unconsumed byte.
    at: usize,
    /// Position in the file of `buf[at]`.
    pos: u64,
    size: u64,
    bytes_read: u64,
    chunk: usize,
}

impl<R: Read> Source<R> {
    /// `head` holds the first bytes of the file, already read; `size` is the whole file's size.
    pub fn new(head: Vec<u8>, inner: R, size: u64, chunk: usize) -> Self {
        let bytes_read = head.len() as u64;
        Source {
            inner,
            buf: head,
            at: 0,
            pos: 0,
            size,
            bytes_read,
            chunk: chunk.max(64),
        }
    }

    pub fn pos(&self) -> u64 {
        self.pos
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn remaining(&self) -> u64 {
        self.size.saturating_sub(self.pos)
    }

    /// Bytes actually pulled from the underlying reader, head included.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Up to `n` bytes from the current position, without consuming them (fewer at end of file).
    pub fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.buf.len() - self.at < n {
            if self.at > 0 {
                self.buf.drain(..self.at);
                self.at = 0;
            }
            let have = self.buf.len();
            let want = n.max(self.chunk);
            self.buf.resize(have + want, 0);
            let got = match self.inner.read(&mut self.buf[have..]) {
                Ok(got) => got,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => 0,
                Err(e) => {
                    self.buf.truncate(have);
                    return Err(e);
                }
            };
            self.buf.truncate(have + got);
            self.bytes_read += got as u64;
            if got == 0 {
                break;
            }
        }
        let end = (self.at + n).min(self.buf.len());
        Ok(&self.buf[self.at..end])
    }

    /// Consumes `n` bytes, appending them to `out`. Fails with `UnexpectedEof` at the end.
    pub fn take_into(&mut self, n: usize, out: &mut Vec<u8>) -> io::Result<()> {
        let mut left = n;
        while left > 0 {
            let piece = self.peek(left.min(1 << 16))?;
            if piece.is_empty() {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            let len = piece.len();
            out.extend_from_slice(piece);
            self.consume(len);
            left -= len;
        }
        Ok(())
    }

    /// Consumes and discards `n` bytes.
    pub fn skip(&mut self, n: u64) -> io::Result<()> {
        let mut left = n;
        while left > 0 {
            let step = left.min(1 << 16) as usize;
            let got = self.peek(step)?.len();
            if got == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            self.consume(got);
            left -= got as u64;
        }
        Ok(())
    }

    fn consume(&mut self, n: usize) {
        self.at += n;
        self.pos += n as u64;
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let piece = self.peek(out.len())?;
        let n = piece.len();
        out[..n].copy_from_slice(piece);
        self.consume(n);
        Ok(n)
    }
}
