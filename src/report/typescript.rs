//! The TypeScript declarations of the JSON contract, generated from the Rust types (ts-rs) so
//! that they cannot drift: `src/wasm/report-types.d.ts` is compared with what the types say,
//! and `UPDATE_TYPES=1 cargo test --lib typescript` writes it again after a change. The page's
//! own API types (`Lang`, `BundleRequest`, …) stay hand-written in `src/wasm/types.d.ts`.

use std::path::Path;

use ts_rs::TS;

use crate::case::{DocumentMention, Finding, Patient, Series, Study};
use crate::codes::{
    Answer, Category, EventSource, FileKind, FindingCode, Impact, IncompleteReason, ItemId, Level,
    ReviewFit, Severity, Slides, Status, StepId, Translation,
};
use crate::codes::{Department, Purpose, RequestReason};
use crate::dicom::dicomdir::DirRecord;
use crate::dicom::{DicomClass, DicomDirInfo, DicomInfo};
use crate::document::facts::{DocumentFacts, PersonNamed};
use crate::document::{DocumentInfo, TextSource};
use crate::entry::FileEntry;
use crate::picture::{PictureInfo, Subject};
use crate::raster::RasterFacts;
use crate::readiness::{Declarations, Item, NextStep, Readiness};
use crate::report::requests::{PathologyNumber, RecordAsked, Request, RequestFacts, StudyAsked};
use crate::report::timeline::{TimelineDraft, TimelineEvent};
use crate::report::Report;
use crate::text::Message;

/// One declaration with its doc comment, exported.
fn declaration<T: TS>() -> String {
    let docs = T::docs().unwrap_or_default();
    format!("{docs}export {}\n", T::decl())
}

/// The whole file.
fn generated() -> String {
    let declarations = [
        declaration::<Report>(),
        declaration::<FileEntry>(),
        declaration::<FileKind>(),
        declaration::<Message>(),
        declaration::<DicomInfo>(),
        declaration::<DicomClass>(),
        declaration::<DicomDirInfo>(),
        declaration::<DirRecord>(),
        declaration::<RasterFacts>(),
        declaration::<PictureInfo>(),
        declaration::<Subject>(),
        declaration::<DocumentInfo>(),
        declaration::<TextSource>(),
        declaration::<DocumentFacts>(),
        declaration::<PersonNamed>(),
        declaration::<Patient>(),
        declaration::<DocumentMention>(),
        declaration::<Study>(),
        declaration::<Series>(),
        declaration::<Finding>(),
        declaration::<FindingCode>(),
        declaration::<IncompleteReason>(),
        declaration::<Severity>(),
        declaration::<Readiness>(),
        declaration::<Item>(),
        declaration::<ItemId>(),
        declaration::<Status>(),
        declaration::<Impact>(),
        declaration::<NextStep>(),
        declaration::<StepId>(),
        declaration::<Level>(),
        declaration::<ReviewFit>(),
        declaration::<Declarations>(),
        declaration::<Answer>(),
        declaration::<Slides>(),
        declaration::<Translation>(),
        declaration::<Category>(),
        declaration::<TimelineDraft>(),
        declaration::<TimelineEvent>(),
        declaration::<EventSource>(),
        // Issue 19: the purpose of the review and the request slips.
        declaration::<Purpose>(),
        declaration::<Request>(),
        declaration::<Department>(),
        declaration::<RequestReason>(),
        declaration::<RequestFacts>(),
        declaration::<StudyAsked>(),
        declaration::<PathologyNumber>(),
        declaration::<RecordAsked>(),
        // Issue 19 (profiles): the host's profile.
        declaration::<crate::profile::Profile>(),
        declaration::<crate::profile::RecentMonths>(),
        declaration::<crate::profile::ExtraItemText>(),
        declaration::<crate::profile::Bilingual>(),
        declaration::<crate::profile::ProfileName>(),
        declaration::<crate::readiness::ExtraItem>(),
        // Issue 17: the thumbnails the page makes.
        declaration::<crate::case::thumbnails::ThumbnailTarget>(),
    ];
    // serde_json writes 64-bit integers as JSON numbers, which JS reads as `number`.
    let body = declarations.join("\n").replace("bigint", "number");
    format!(
        "// Generated from the Rust types by src/report/typescript.rs: do not edit. After a change\n\
         // of the report types, `UPDATE_TYPES=1 cargo test --lib typescript` writes it again.\n\n{body}"
    )
}

#[test]
fn typescript_declarations_match_the_rust_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/wasm/report-types.d.ts");
    let now = generated();
    if std::env::var_os("UPDATE_TYPES").is_some() {
        std::fs::write(&path, &now).unwrap();
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == now,
        "{} is not what the Rust types say: run `UPDATE_TYPES=1 cargo test --lib typescript`",
        path.display()
    );
}
