//! Documents: what a document's text is and says ([`facts`]).

pub mod facts;
