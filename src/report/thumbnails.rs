//! The thumbnails a report shows (the page's, or the CLI's from [`crate::pixels`]): PNG bytes by
//! file path, embedded in the HTML as `data:image/png;base64` images, so that the page stays one
//! self-contained file with no script and no URL. Only PNGs are taken (checked by signature), and
//! their total is bounded ([`Thumbnails::MAX_BYTES`]): a case of a thousand photos keeps a report
//! that opens and prints. Base64 by the `base64` crate.

use std::collections::BTreeMap;

use base64::Engine;

/// PNG bytes of the files shown, by path (`files[].path`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Thumbnails {
    pngs: BTreeMap<String, Vec<u8>>,
    bytes: usize,
}

/// The eight bytes every PNG starts with.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

impl Thumbnails {
    /// The PNG bytes all thumbnails of one report may take, together (about 200 grey CT
    /// thumbnails or 80 photos of 256 pixels).
    pub const MAX_BYTES: usize = 8 << 20;

    /// Adds the thumbnail of `path`; false (and nothing added) when `png` is not a PNG or the
    /// report's thumbnails would go over [`Self::MAX_BYTES`].
    pub fn insert(&mut self, path: impl Into<String>, png: Vec<u8>) -> bool {
        let path = path.into();
        let replaced = self.pngs.get(&path).map_or(0, Vec::len);
        if !png.starts_with(&PNG_SIGNATURE) || self.bytes - replaced + png.len() > Self::MAX_BYTES {
            return false;
        }
        self.bytes = self.bytes - replaced + png.len();
        self.pngs.insert(path, png);
        true
    }

    pub fn is_empty(&self) -> bool {
        self.pngs.is_empty()
    }

    pub fn len(&self) -> usize {
        self.pngs.len()
    }

    /// The thumbnail of `path` as a `data:` URL, if there is one.
    pub fn data_url(&self, path: &str) -> Option<String> {
        let png = self.pngs.get(path)?;
        Some(format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png)
        ))
    }

    /// The first of `paths` that has a thumbnail (a series: the file its thumbnail shows).
    pub fn first_of<'a>(&self, paths: &'a [String]) -> Option<&'a str> {
        paths
            .iter()
            .find(|p| self.pngs.contains_key(p.as_str()))
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(len: usize) -> Vec<u8> {
        let mut b = PNG_SIGNATURE.to_vec();
        b.resize(len, 0);
        b
    }

    #[test]
    fn only_pngs_within_the_total_are_taken() {
        let mut t = Thumbnails::default();
        assert!(!t.insert("a", b"GIF89a....".to_vec()));
        assert!(t.insert("a", png(Thumbnails::MAX_BYTES - 100)));
        assert!(!t.insert("b", png(200)));
        // Replacing a thumbnail counts only the new one.
        assert!(t.insert("a", png(100)));
        assert!(t.insert("b", png(200)));
        assert_eq!(t.len(), 2);
        assert!(t
            .data_url("b")
            .unwrap()
            .starts_with("data:image/png;base64,iVBORw0KGgo"));
        assert_eq!(t.first_of(&["x".into(), "b".into(), "a".into()]), Some("b"));
    }
}
