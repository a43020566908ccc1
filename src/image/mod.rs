//! Facts about a built image, read from its root filesystem: which program its command
//! runs, how that program is linked, the libraries its loader would map, the scripts and
//! interpreters in between, and the package files it ships with. This layer knows nothing
//! of Dockerfiles or engines: it reads a folder (an image mounted or exported by the engine
//! layer in `cli`) and never runs a file of the image.

pub mod elf;
pub mod facts;
pub mod libraries;
pub mod packages;
pub mod rootfs;
#[cfg(test)]
mod testing;

pub use facts::{AppFacts, FileFact, ImageConfig, Linking, Refusal, Role, analyse};
pub use rootfs::Rootfs;
