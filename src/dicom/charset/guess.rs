//! What undeclared or wrongly declared bytes look like (valid UTF-8, Chinese in GB18030), and
//! the notes that say a reading was repaired.

use super::codec::decode_gb;
use crate::text::{msg, Message};

/// Valid UTF-8 that is not pure ASCII.
pub(super) fn utf8_non_ascii(raw: &[u8]) -> Option<&str> {
    if raw.is_ascii() {
        return None;
    }
    std::str::from_utf8(raw).ok()
}

fn is_ideograph(c: char) -> bool {
    matches!(u32::from(c),
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn is_cjk_punct(c: char) -> bool {
    matches!(u32::from(c),
        0x00B7 | 0x2010..=0x2027 | 0x3000..=0x303F | 0x30FB | 0xFF00..=0xFFEF)
}

/// The GB18030 reading of `raw` if it looks like Chinese (see module docs).
pub(super) fn gb_plausible(raw: &[u8]) -> Option<String> {
    let (mut pairs, mut ascii_trail) = (0usize, 0usize);
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        if b < 0x80 {
            i += 1;
            continue;
        }
        match (b, raw.get(i + 1).copied()) {
            (0x81..=0xFE, Some(0x30..=0x39)) => i += 4,
            (0x81..=0xFE, Some(t @ (0x40..=0x7E | 0x80..=0xFE))) => {
                pairs += 1;
                if t < 0x80 {
                    ascii_trail += 1;
                }
                i += 2;
            }
            _ => return None,
        }
    }
    if ascii_trail * 2 > pairs {
        return None;
    }
    let (text, bad) = decode_gb(raw);
    if bad {
        return None;
    }
    let mut ideographs = 0usize;
    for c in text.chars().filter(|c| !c.is_ascii()) {
        if is_ideograph(c) {
            ideographs += 1;
        } else if !is_cjk_punct(c) {
            return None;
        }
    }
    (ideographs >= 2).then_some(text)
}

pub(super) fn lossy_note(label: &str) -> Message {
    msg!("part.charset.lossy", charset = label)
}

pub(super) fn utf8_note(label: &str) -> Message {
    msg!("part.charset.utf8", charset = label)
}
