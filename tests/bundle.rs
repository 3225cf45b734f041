//! The bundle end to end: every `../shared/corpus` case round-trips (our verifier, Python's
//! `zipfile`, `unzip -t`, and every input file and zip member accounted for by SHA-256); names
//! from hostile inputs stay safe; Zip64 past 65,535 entries and 4 GiB through a sink that checks
//! the stream as it goes; a damaged or incomplete bundle fails verification; the CLI's exit codes;
//! hashing handed elsewhere gives the same bundle; the plan's set-aside list agrees with it;
//! pictures lose where they were taken and keep their pixels; the consent to send abroad is
//! recorded; inputs referenced instead of copied (the page's way) give the same zip. One file per topic under `tests/bundle/`, the helpers they share in `common`.

#[path = "bundle/cli.rs"]
mod cli;
#[path = "bundle/common.rs"]
mod common;
#[path = "bundle/consent.rs"]
mod consent;
#[path = "bundle/corpus.rs"]
mod corpus;
#[path = "bundle/damaged.rs"]
mod damaged;
#[path = "bundle/deidentified.rs"]
mod deidentified;
#[path = "bundle/names.rs"]
mod names;
#[path = "bundle/offload.rs"]
mod offload;
#[path = "bundle/pacs.rs"]
mod pacs;
#[path = "bundle/pictures.rs"]
mod pictures;
#[path = "bundle/plan.rs"]
mod plan;
#[path = "bundle/references.rs"]
mod references;
#[path = "bundle/zip64.rs"]
mod zip64;
