//! Lossless Dockerfile syntax: the byte-exact tree and the parser that builds it.
//!
//! This module knows nothing about images, stages or rules. It turns bytes into a tree in
//! which every byte of the input belongs to exactly one top-level item, so that edits can be
//! expressed as spans of the original text.

mod ast;

pub use ast::*;
