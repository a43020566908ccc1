//! dfslim: make container images shellless, binaryless and distroless, starting from the
//! Dockerfile, before anything is built.
//!
//! The library is text in, text out. Modules depend one way:
//! [`syntax`] (bytes → lossless tree) ← [`analysis`] (stages, images, expansion, levels)
//! ← [`rules`] (findings) and [`rewrite`] (edits) ← `cli` (the only place that touches
//! clap, files, stdout and exit codes).
#![forbid(unsafe_code)]

pub mod analysis;
pub mod ecosystems;
pub mod image;
pub mod rewrite;
pub mod rules;
pub mod syntax;
