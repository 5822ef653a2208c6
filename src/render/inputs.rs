//! The human report's list of machine inputs not read or not evaluated whole.

use std::fmt::Write;

use super::human::{HumanOptions, warning_mark};
use crate::report::inputs::InputNotice;

/// Nothing when every input was read whole.
pub fn render(notices: &[InputNotice], options: &HumanOptions) -> String {
    let mut out = String::new();
    if notices.is_empty() {
        return out;
    }
    let warning = warning_mark(options);
    let _ = writeln!(
        out,
        "[{warning}] Inputs not read whole ({}): the checks judged without them",
        notices.len()
    );
    for notice in notices {
        let at = match notice.line {
            Some(line) => format!("{}:{line}", notice.file),
            None => notice.file.clone(),
        };
        let _ = writeln!(out, "    {warning} {at}: {}", notice.message);
    }
    out
}
