//! libFuzzer target `parse`: any bytes, decoded as the CLI decodes them (or viewed lossily
//! when they do not decode), must parse without a panic into a tree whose item spans tile
//! the input, whose inner spans stay inside their items, whose BuildKit dump can be
//! produced, and which is the same when parsed twice. The checks are the stable harness's
//! own (`tests/common/invariants.rs`), included by path so that both fuzzers agree.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    if let Err(problem) = invariants::check_bytes(data) {
        panic!("{problem}");
    }
});
