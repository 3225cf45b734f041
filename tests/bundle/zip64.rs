//! Zip64 past 65,535 entries and 4 GiB, through a sink that checks the stream as it goes; the
//! same with the inputs referenced (their digests given, the bytes copied by `next_chunk`).

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read};

use record_precheck::bundle::{
    Action, BundleOptions, Bundler, FileSource, InputDigest, Plan, PlanItem, Source,
};
use record_precheck::io::ReadSeek;
use record_precheck::FileKind;
use sha2::{Digest, Sha256};

/// Inputs made up on the fly: a byte pattern (`(position + seed) % 251`, so "PK" never occurs
/// in the data) or zeros, never on disk or whole in memory.
struct Generated {
    files: HashMap<String, (u64, Option<u8>)>,
}

struct Pattern {
    left: u64,
    pos: u64,
    seed: Option<u8>,
}

/// The pattern over one period and 1 MiB more, to copy from.
fn period() -> &'static [u8] {
    static TABLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| (0..251 + (1 << 20)).map(|i| (i % 251) as u8).collect())
}

impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (buf.len() as u64).min(self.left).min(1 << 20) as usize;
        match self.seed {
            None => buf[..n].fill(0),
            Some(seed) => {
                let at = ((self.pos + u64::from(seed)) % 251) as usize;
                buf[..n].copy_from_slice(&period()[at..at + n]);
            }
        }
        self.pos += n as u64;
        self.left -= n as u64;
        Ok(n)
    }
}

impl FileSource for Generated {
    fn open(&mut self, path: &str) -> io::Result<Box<dyn Read>> {
        let &(len, seed) = self
            .files
            .get(path)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, path.to_string()))?;
        Ok(Box::new(Pattern {
            left: len,
            pos: 0,
            seed,
        }))
    }

    fn open_seekable(&mut self, _: &str) -> io::Result<Box<dyn ReadSeek>> {
        Err(io::Error::new(io::ErrorKind::Unsupported, "no zips here"))
    }
}

/// CRC-32 and SHA-256 of a generated input.
fn digests(len: u64, seed: Option<u8>) -> (u32, String) {
    let mut crc = flate2::Crc::new();
    let mut sha = Sha256::new();
    let mut r = Pattern {
        left: len,
        pos: 0,
        seed,
    };
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = r.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        crc.update(&buf[..n]);
        sha.update(&buf[..n]);
    }
    (
        crc.sum(),
        sha.finalize().iter().map(|b| format!("{b:02x}")).collect(),
    )
}

/// A local header seen in the stream, and the 24 bytes before it (the data descriptor of the
/// entry before).
struct Local {
    offset: u64,
    flags: u16,
    name: Vec<u8>,
    data_start: u64,
    before: Vec<u8>,
}

/// Consumes the zip as it streams: counts bytes, finds every local header (the generated data
/// never holds "PK"), keeps the last `TAIL` bytes for the central directory and end records.
struct CheckingSink {
    total: u64,
    window: Vec<u8>,
    window_start: u64,
    locals: Vec<Local>,
    tail: Vec<u8>,
    tail_start: u64,
    largest_chunk: usize,
}

const TAIL: usize = 48 << 20;

impl CheckingSink {
    fn new() -> Self {
        CheckingSink {
            total: 0,
            window: Vec::new(),
            window_start: 0,
            locals: Vec::new(),
            tail: Vec::new(),
            tail_start: 0,
            largest_chunk: 0,
        }
    }

    fn push(&mut self, chunk: &[u8]) {
        self.largest_chunk = self.largest_chunk.max(chunk.len());
        self.total += chunk.len() as u64;
        self.tail.extend_from_slice(chunk);
        if self.tail.len() > 2 * TAIL {
            let cut = self.tail.len() - TAIL;
            self.tail.drain(..cut);
            self.tail_start += cut as u64;
        }
        self.window.extend_from_slice(chunk);
        let w = &self.window;
        let mut i = 0;
        let mut keep_from = w.len().saturating_sub(27);
        while i + 4 <= w.len() {
            match w[i..].iter().position(|&b| b == b'P') {
                None => break,
                Some(p) => i += p,
            }
            if i + 4 > w.len() {
                break;
            }
            if &w[i..i + 4] == b"PK\x03\x04" {
                if i + 30 > w.len() {
                    keep_from = keep_from.min(i.saturating_sub(24));
                    break;
                }
                let n = u16::from_le_bytes([w[i + 26], w[i + 27]]) as usize;
                let m = u16::from_le_bytes([w[i + 28], w[i + 29]]) as usize;
                if i + 30 + n + m > w.len() {
                    keep_from = keep_from.min(i.saturating_sub(24));
                    break;
                }
                let offset = self.window_start + i as u64;
                if self.locals.last().is_none_or(|l| l.offset < offset) {
                    self.locals.push(Local {
                        offset,
                        flags: u16::from_le_bytes([w[i + 6], w[i + 7]]),
                        name: w[i + 30..i + 30 + n].to_vec(),
                        data_start: offset + (30 + n + m) as u64,
                        before: w[i.saturating_sub(24)..i].to_vec(),
                    });
                }
                i += 30 + n + m;
            } else {
                i += 1;
            }
        }
        self.window.drain(..keep_from);
        self.window_start += keep_from as u64;
    }

    /// The stream's bytes from `offset` (which must still be in the tail).
    fn at(&self, offset: u64, len: usize) -> &[u8] {
        assert!(
            offset >= self.tail_start,
            "byte {offset} is no longer in the tail"
        );
        let i = (offset - self.tail_start) as usize;
        &self.tail[i..i + len]
    }
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes(b[i..i + 2].try_into().unwrap())
}
fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(b[i..i + 4].try_into().unwrap())
}
fn u64_at(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[i..i + 8].try_into().unwrap())
}

/// One central directory record, with Zip64 values resolved.
struct Central {
    name: Vec<u8>,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

/// Parses the end records and the central directory, checks them against the local headers
/// and data descriptors seen in the stream; returns the records by name.
fn check_structure(sink: &CheckingSink, entries: usize) -> HashMap<Vec<u8>, Central> {
    let end = sink.total;
    let eocd = sink.at(end - 22, 22);
    assert_eq!(&eocd[..4], b"PK\x05\x06", "end of central directory");
    assert_eq!(
        u16_at(eocd, 10),
        0xFFFF,
        "more than 65,535 entries: the count is in Zip64"
    );
    let locator = sink.at(end - 42, 20);
    assert_eq!(
        &locator[..4],
        b"PK\x06\x07",
        "Zip64 end of central directory locator"
    );
    let z64_offset = u64_at(locator, 8);
    assert_eq!(u32_at(locator, 16), 1, "one disk");
    let z64 = sink.at(z64_offset, 56);
    assert_eq!(
        &z64[..4],
        b"PK\x06\x06",
        "Zip64 end of central directory record"
    );
    assert_eq!(u64_at(z64, 4), 44, "record size");
    assert_eq!(u64_at(z64, 24), entries as u64, "entries on this disk");
    assert_eq!(u64_at(z64, 32), entries as u64, "entries in all");
    let cd_size = u64_at(z64, 40);
    let cd_offset = u64_at(z64, 48);
    assert_eq!(
        cd_offset + cd_size,
        z64_offset,
        "the directory ends where the Zip64 record starts"
    );
    assert_eq!(
        z64_offset + 56 + 20 + 22,
        end,
        "nothing after the end records"
    );

    let cd = sink.at(cd_offset, cd_size as usize);
    let mut records = Vec::new();
    let mut i = 0;
    while i < cd.len() {
        assert_eq!(
            &cd[i..i + 4],
            b"PK\x01\x02",
            "central directory record at {i}"
        );
        let (n, m, k) = (
            u16_at(cd, i + 28) as usize,
            u16_at(cd, i + 30) as usize,
            u16_at(cd, i + 32) as usize,
        );
        let mut c = Central {
            crc: u32_at(cd, i + 16),
            compressed: u64::from(u32_at(cd, i + 20)),
            size: u64::from(u32_at(cd, i + 24)),
            offset: u64::from(u32_at(cd, i + 42)),
            name: cd[i + 46..i + 46 + n].to_vec(),
        };
        let extra = &cd[i + 46 + n..i + 46 + n + m];
        let mut j = 0;
        while j + 4 <= extra.len() {
            let (id, len) = (u16_at(extra, j), u16_at(extra, j + 2) as usize);
            if id == 1 {
                let mut at = j + 4;
                for field in [&mut c.size, &mut c.compressed, &mut c.offset] {
                    if *field == 0xFFFF_FFFF {
                        *field = u64_at(extra, at);
                        at += 8;
                    }
                }
                assert!(at <= j + 4 + len, "Zip64 extra field too short");
            }
            j += 4 + len;
        }
        for (what, v) in [
            ("size", c.size),
            ("compressed size", c.compressed),
            ("offset", c.offset),
        ] {
            assert_ne!(
                v,
                0xFFFF_FFFF,
                "{what} of {:?} left at the Zip64 marker",
                String::from_utf8_lossy(&c.name)
            );
        }
        records.push(c);
        i += 46 + n + m + k;
    }
    assert_eq!(records.len(), entries, "central directory records");
    assert_eq!(
        sink.locals.len(),
        entries,
        "local headers seen in the stream"
    );

    // Each record points at its local header; the bytes up to the next header are the data
    // and a data descriptor that repeats the CRC and sizes.
    for (idx, (c, l)) in records.iter().zip(&sink.locals).enumerate() {
        let name = String::from_utf8_lossy(&c.name);
        assert_eq!(c.offset, l.offset, "{name}: local header offset");
        assert_eq!(c.name, l.name, "{name}: the local header's name");
        assert_ne!(
            l.flags & 0x08,
            0,
            "{name}: streamed entries use a data descriptor"
        );
        let next = sink.locals.get(idx + 1).map_or(cd_offset, |n| n.offset);
        let before: Vec<u8> = match sink.locals.get(idx + 1) {
            Some(n) => n.before.clone(),
            None => sink.at(cd_offset - 24, 24).to_vec(),
        };
        let descriptor_len = next - l.data_start - c.compressed;
        let d = &before[24 - descriptor_len as usize..];
        assert_eq!(&d[..4], b"PK\x07\x08", "{name}: data descriptor");
        assert_eq!(u32_at(d, 4), c.crc, "{name}: descriptor CRC");
        let (csize, size) = match descriptor_len {
            24 => (u64_at(d, 8), u64_at(d, 16)),
            16 => (u64::from(u32_at(d, 8)), u64::from(u32_at(d, 12))),
            other => panic!("{name}: a {other}-byte data descriptor"),
        };
        assert_eq!(
            (csize, size),
            (c.compressed, c.size),
            "{name}: descriptor sizes"
        );
        if c.size >= 0xFFFF_FFFF {
            assert_eq!(descriptor_len, 24, "{name}: a Zip64 data descriptor");
        }
    }
    records.into_iter().map(|c| (c.name.clone(), c)).collect()
}

/// Highest resident memory of this process so far, in KiB (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Streams `inputs` (path, length, seed) through the bundler into a checking sink and checks
/// everything: structure, CRCs, SHA-256 in the manifest, chunk sizes.
/// `referencing`: the inputs are referenced ([`Bundler::reference_inputs`]), their digests
/// given a thousand at a time when the bundler waits for them.
fn stream_and_check(inputs: Vec<(String, u64, Option<u8>)>, referencing: bool) {
    let items: Vec<PlanItem> = inputs
        .iter()
        .map(|(path, len, _)| PlanItem {
            path: path.clone(),
            size: *len,
            kind: FileKind::Other,
            source: Source::File(path.clone()),
            action: Action::Copy {
                destination: format!("data/{path}"),
                compressible: false,
            },
            duplicate_key: None,
            note: None,
            person: None,
        })
        .collect();
    let mut source = Generated {
        files: inputs
            .iter()
            .map(|(p, len, seed)| (p.clone(), (*len, *seed)))
            .collect(),
    };
    let options = BundleOptions::default();
    let chunk_bound = options.chunk + options.piece + (64 << 10);
    let mut bundler = Bundler::new(Plan::new(items), options);
    let mut digest_cache: HashMap<(u64, Option<u8>), (u32, String)> = HashMap::new();
    let mut digest_of = |len: u64, seed: Option<u8>| {
        digest_cache
            .entry((len, seed))
            .or_insert_with(|| digests(len, seed))
            .clone()
    };
    let mut due = 0..0;
    if referencing {
        bundler.reference_inputs();
        due = 0..bundler.referenced().len();
        assert_eq!(due.len(), inputs.len());
    }
    let mut sink = CheckingSink::new();
    let rss_before = peak_rss_kib();
    let started = std::time::Instant::now();
    while let Some(chunk) = bundler.next_chunk(&mut source).unwrap() {
        sink.push(&chunk);
        if bundler.waiting() {
            for item in due.by_ref().take(1000) {
                let (_, len, seed) = &inputs[item];
                let (crc32, sha256) = digest_of(*len, *seed);
                let digest = InputDigest::Read {
                    size: *len,
                    crc32,
                    sha256,
                };
                bundler.set_input_digest(item, digest);
            }
        }
    }
    let elapsed = started.elapsed();
    let rss_after = peak_rss_kib();
    println!(
        "streamed {} entries, {:.2} GB in {:.1} s; largest chunk {} B; peak RSS {:?} -> {:?} KiB",
        inputs.len(),
        sink.total as f64 / 1e9,
        elapsed.as_secs_f64(),
        sink.largest_chunk,
        rss_before,
        rss_after
    );
    assert!(
        sink.largest_chunk <= chunk_bound,
        "a chunk of {} B",
        sink.largest_chunk
    );
    if let (Some(a), Some(b)) = (rss_before, rss_after) {
        // The manifest of 70,000 inputs is the only thing that grows; file bytes never pile up.
        assert!(
            b.saturating_sub(a) < 400 << 10,
            "peak memory grew by {} KiB",
            b - a
        );
    }
    let manifest = bundler.manifest().unwrap();
    assert_eq!(manifest.totals.copied, inputs.len());
    // The inputs plus manifest.csv and manifest.json.
    let central = check_structure(&sink, inputs.len() + 2);
    for ((path, len, seed), r) in inputs.iter().zip(&manifest.inputs) {
        assert_eq!(&r.path, path);
        let (crc, sha) = digest_of(*len, *seed);
        let c = &central[format!("data/{path}").as_bytes()];
        assert_eq!((c.size, c.compressed, c.crc), (*len, *len, crc), "{path}");
        assert_eq!(r.sha256.as_deref(), Some(sha.as_str()), "{path}");
        assert_eq!(r.size, *len);
    }
}

fn small_inputs(count: usize) -> Vec<(String, u64, Option<u8>)> {
    (0..count)
        .map(|i| {
            (
                format!("f{:03}/{i:06}.bin", i / 1000),
                (i % 97) as u64 + 1,
                Some((i % 251) as u8),
            )
        })
        .collect()
}

/// More than 65,535 entries: the entry count moves to the Zip64 end record.
#[test]
fn zip64_more_than_65535_entries() {
    stream_and_check(small_inputs(70_000), false);
}

/// The same, every input referenced.
#[test]
fn zip64_more_than_65535_entries_referenced() {
    stream_and_check(small_inputs(70_000), true);
}

/// One entry over 4 GiB, then 70,000 more whose local headers sit past 4 GiB: Zip64 sizes in
/// the directory and the data descriptor, Zip64 offsets, Zip64 end records. 4.9 GB through the
/// writer and its checks: ~40 s in the debug build, whose SHA-256, CRC-32 and deflate are
/// optimised (Cargo.toml's dev profile), where at opt-level 0 it took 11 minutes.
#[test]
fn zip64_entry_over_4_gib_and_offsets_past_4_gib() {
    stream_and_check(big_inputs(), false);
}

/// The same, every input referenced.
#[test]
fn zip64_entry_over_4_gib_referenced() {
    stream_and_check(big_inputs(), true);
}

fn big_inputs() -> Vec<(String, u64, Option<u8>)> {
    let mut inputs = vec![("big/pattern.bin".to_string(), (9 << 29) + 12_345, Some(7))];
    inputs.push(("big/zeros.bin".to_string(), 64 << 20, None));
    inputs.extend(small_inputs(70_000));
    inputs
}
