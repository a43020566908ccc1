//! dfslim: make container images shellless, binaryless and distroless, starting from the
//! Dockerfile, before anything is built.
//!
//! The library is text in, text out. Modules depend one way:
//! [`syntax`] (bytes → lossless tree) ← [`analysis`] (stages, images, expansion, levels)
//! ← [`rules`] (findings) and [`rewrite`] (edits) ← `cli` (the only place that touches
//! clap, files, stdout and exit codes). [`image`] reads a built image's root filesystem
//! (ELF facts, library closures) for `--build`, above `analysis`; [`engine`] drives
//! buildah, podman or docker through their command lines, and depends on nothing.
#![forbid(unsafe_code)]

pub mod analysis;
pub mod build;
pub mod ecosystems;
pub mod engine;
pub mod image;
pub mod rewrite;
pub mod rules;
pub mod syntax;
