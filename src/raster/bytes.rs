//! Bounds-checked byte readers and the metadata text cleaning shared by the format readers.

/// Longest text kept from any metadata string.
const MAX_TEXT_CHARS: usize = 200;
/// Bytes of a description/XMP searched for vendor words.
const MAX_SEARCH_BYTES: usize = 64 * 1024;

pub(super) fn be32(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at.checked_add(4)?)?
        .try_into()
        .ok()
        .map(u32::from_be_bytes)
}

pub(super) fn be64(d: &[u8], at: usize) -> Option<u64> {
    d.get(at..at.checked_add(8)?)?
        .try_into()
        .ok()
        .map(u64::from_be_bytes)
}

pub(super) fn le16(d: &[u8], at: usize) -> Option<u16> {
    d.get(at..at.checked_add(2)?)?
        .try_into()
        .ok()
        .map(u16::from_le_bytes)
}

pub(super) fn le32(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at.checked_add(4)?)?
        .try_into()
        .ok()
        .map(u32::from_le_bytes)
}

/// Unsigned integer of 1..=8 bytes in the given byte order.
pub(super) fn uint_bytes(b: &[u8], le: bool) -> u64 {
    let fold = |acc: u64, &x: &u8| (acc << 8) | u64::from(x);
    if le {
        b.iter().rev().fold(0, fold)
    } else {
        b.iter().fold(0, fold)
    }
}

pub(super) fn split_nul(d: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = d.iter().position(|&b| b == 0)?;
    Some((d.get(..i)?, d.get(i + 1..)?))
}

pub(super) fn search_prefix(b: &[u8]) -> &[u8] {
    &b[..b.len().min(MAX_SEARCH_BYTES)]
}

pub(super) fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

pub(super) fn truncate_chars(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// Text up to the first NUL, control characters and runs of whitespace
/// folded to one space, trimmed, at most `MAX_TEXT_CHARS` characters.
pub(super) fn clean_text(chars: impl Iterator<Item = char>) -> Option<String> {
    let mut out = String::new();
    let mut count = 0;
    let mut pending_space = false;
    for c in chars {
        if c == '\0' {
            break;
        }
        if c.is_whitespace() || c.is_control() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        if count >= MAX_TEXT_CHARS {
            break;
        }
        out.push(c);
        count += 1;
    }
    let out = out.chars().take(MAX_TEXT_CHARS).collect::<String>();
    (!out.is_empty()).then_some(out)
}

/// UTF-8 text; bytes that are not UTF-8 are read as Latin-1 (no U+FFFD).
pub(super) fn utf8_text(b: &[u8]) -> Option<String> {
    // A character is at most 4 bytes: this prefix holds enough text.
    let b = &b[..b.len().min(MAX_TEXT_CHARS * 8)];
    match std::str::from_utf8(b) {
        Ok(s) => clean_text(s.chars()),
        // Only the last character was cut by the prefix above.
        Err(e) if e.error_len().is_none() => {
            clean_text(String::from_utf8_lossy(b.get(..e.valid_up_to()).unwrap_or(&[])).chars())
        }
        Err(_) => latin1_text(b),
    }
}

pub(super) fn latin1_text(b: &[u8]) -> Option<String> {
    clean_text(b.iter().map(|&x| char::from(x)))
}
