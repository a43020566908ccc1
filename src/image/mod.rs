//! Facts read from a built image's root filesystem, for `rewrite --build` (issue 13): what
//! the Dockerfile alone cannot say. An ELF file's class, machine, loader (`PT_INTERP`),
//! needed libraries (`DT_NEEDED`) and search paths (RPATH, RUNPATH), and the closure of
//! libraries the loader would map, resolved the way the loader does: through the image's
//! `ld.so.conf` and the default folders, never through the host's.
//!
//! Which package put a program there, and which data files came with it ([`packages`]),
//! and what argv[0] of an image's command is ([`program`]); the files under a folder
//! ([`walk`]).
//!
//! Nothing here runs code from the image, and nothing here knows about engines: it reads a
//! folder that an engine mounted or exported. It uses `analysis` only for its path helper.

pub mod closure;
pub mod elf;
pub mod packages;
pub mod program;
pub mod walk;
