//! The rewrite: computes a slim final stage and expresses it as edits against the original
//! text, or declines with a reason.
