//! Test builds only (`--features test-trap`, made by `cargo xtask build-test-trap`; never in
//! `www/pkg`): a file whose bytes begin with [`MAGIC`] makes the scan entry points trap, as a bug
//! in the scanner would, and a question of the patient's that begins with it makes the report
//! (`buildReport`, `renderReportHtml`) trap, so the end-to-end tests (tests/e2e/hostile.mjs) can
//! check that a trapping worker costs one file and the batch goes on with a fresh worker, and
//! that the report worker is replaced after a trap. A file that begins with [`HANG`] makes the
//! scanner loop for ever, as a scanner caught in a loop would: the page must stop the worker
//! after its time bound and go on.

use std::io::{Read, Seek, SeekFrom};

/// The bytes a file begins with to make the scanner trap.
pub const MAGIC: &[u8] = b"RECORD-PRECHECK-TEST-TRAP";

/// The bytes a file begins with to make the scanner loop without end.
pub const HANG: &[u8] = b"RECORD-PRECHECK-TEST-HANG";

/// Traps (the wasm `unreachable` instruction: a real trap, not a panic or an exception thrown
/// by Rust) when `head` begins with [`MAGIC`].
pub fn check(head: &[u8]) {
    if head.starts_with(MAGIC) {
        core::arch::wasm32::unreachable();
    }
    if head.starts_with(HANG) {
        // A loop the optimiser cannot remove: it reads memory each turn.
        let mut turns = 0u64;
        while std::hint::black_box(head.len()) > 0 {
            turns = turns.wrapping_add(1);
            std::hint::black_box(turns);
        }
    }
}

/// [`check`] on the first bytes of a reader, given back at its start.
pub fn check_reader<R: Read + Seek>(mut reader: R) -> R {
    let mut head = [0u8; MAGIC.len()];
    let mut got = 0;
    while got < head.len() {
        match reader.read(&mut head[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    let _ = reader.seek(SeekFrom::Start(0));
    check(&head[..got]);
    reader
}
