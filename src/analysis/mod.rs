//! Semantic analysis over the syntax tree: stages, image references, variable expansion,
//! the image catalogue and the level of a final stage.

pub mod catalogue;
pub mod command;
pub mod copy;
pub mod dockerignore;
pub mod env;
pub mod expand;
pub mod glob;
pub mod image_ref;
pub mod level;
pub mod model;
pub mod retag;
pub mod shell;
pub mod stages;
