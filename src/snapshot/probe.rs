//! The "does it really work" layer of `envgate doctor --probe`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Probe {
    /// The temp directory the module was built in (removed afterwards).
    pub dir: String,
    /// Each step in the order it ran.
    pub steps: Vec<ProbeStep>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ProbeStep {
    /// `version`, `env`, `mod-init`, `build`, `build-cgo`.
    pub name: String,
    /// The command line, as a person would type it.
    pub command: String,
    /// Whether it ran; a step is skipped when an earlier one failed or it does not apply.
    pub ran: bool,
    /// Exited 0.
    pub ok: bool,
    pub exit_code: Option<i32>,
    /// Why it did not run, or why it failed without an exit code (timeout, spawn error).
    pub note: Option<String>,
    /// The first lines of what it printed on failure, secrets redacted.
    pub output: Option<String>,
    pub duration_ms: u64,
}
