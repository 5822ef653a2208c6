//! Renderers: pure functions from a Report to text, one per output format.

pub mod audit;
pub mod ci;
pub mod github;
pub mod human;
pub mod junit;
pub mod sarif;
mod snippet;

use crate::report::Report;

pub use human::{HumanOptions, Symbols};

/// The report as JSON (described by `schemas/report.schema.json`), with a final newline.
pub fn json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report always serializes");
    text.push('\n');
    text
}
