//! PROVISIONAL: replaced by the full raster module.
use serde::Serialize;
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RasterKind { Screenshot, Photo, Slide }
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RasterFacts { pub format: &'static str, pub width: Option<u32>, pub height: Option<u32> }
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RasterVerdict { pub kind: RasterKind, pub reason: String, pub facts: RasterFacts }
pub fn detect_format(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"\x89PNG") { Some("png") } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) { Some("jpeg") } else { None }
}
pub fn inspect(_name: &str, head: &[u8], _size: u64) -> Result<RasterVerdict, String> {
    let format = detect_format(head).unwrap_or("png");
    Ok(RasterVerdict { kind: RasterKind::Screenshot, reason: "provisional".into(), facts: RasterFacts { format, ..Default::default() } })
}
