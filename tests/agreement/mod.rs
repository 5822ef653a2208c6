//! Input generators of the engine differential test (`tests/engine_agreement.rs`).

pub mod homes;
pub mod mutate;
pub mod rng;
