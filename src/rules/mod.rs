//! The rule engine: one rule per file, each with a stable `DFSnnn` code.
