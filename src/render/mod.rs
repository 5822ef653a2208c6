//! Renderers: pure functions from a Report to text, one per output format.

pub mod audit;
pub mod ci;
pub mod github;
pub mod human;
mod inputs;
mod json;
pub mod junit;
mod net_chain;
pub mod sarif;
mod snippet;
mod waivers;

use crate::report::Report;

pub use human::{HumanOptions, Symbols};

/// The report as JSON (described by `schemas/report.schema.json`), with a final newline.
pub fn json(report: &Report) -> String {
    to_string(|out| write_json(report, out))
}

/// What a streaming renderer writes, as a string (for tests and small outputs).
fn to_string(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("renderers write UTF-8")
}

/// [`json`], streamed to `out` (a large report's findings serialized on every core).
pub fn write_json(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    json::write(report, out)
}
