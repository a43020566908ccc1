//! Lossless Dockerfile syntax: the byte-exact tree and the parser that builds it.
//!
//! This module knows nothing about images, stages or rules. It turns bytes into a tree in
//! which every byte of the input belongs to exactly one top-level item, so that edits can be
//! expressed as spans of the original text. Entry points: [`input::decode`] (bytes → text or
//! an error), [`parse`] (text → tree, total) and [`buildkit_dump`].

mod ast;
mod dump;
pub mod input;
mod json;
mod parser;

pub use ast::*;
pub use dump::{buildkit_dump, go_quote};
pub use parser::{
    MAX_ERRORS, MAX_INSTRUCTIONS, MAX_LINE_BYTES, MAX_ONBUILD_NESTING, edit_distance, parse,
    stage_name_error,
};
