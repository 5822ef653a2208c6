//! The evaluator's bounds on what a hostile startup file can make it do: PATH length,
//! value length (`expand.rs` holds those two), and the work of a session. Each bound
//! hit is noted ([`Evaluator::note_bound`]) and the report lists it.

use std::rc::Rc;

use super::eval::Evaluator;
use super::expand::{MAX_PATH_ENTRIES, MAX_VALUE_BYTES, PATH_CUT, cap_path, path_cut_note};
use crate::snapshot::Origin;

/// Work per session before giving up, in units: a PATH entry produced, 64 bytes of
/// variable text expanded, or [`SCAN_COST`] per PATH entry looked up on disk. A real
/// profile does thousands; 8,000 lines each prepending to a PATH already at
/// [`MAX_PATH_ENTRIES`] do ~30 million.
pub(super) const MAX_WORK: usize = 64 << 20;
/// Units of work per PATH entry a command lookup stats (`command -v go`).
pub(super) const SCAN_COST: usize = 256;

impl Evaluator<'_> {
    /// A value past [`MAX_VALUE_BYTES`] is unknown from here on, and says so.
    pub(super) fn note_too_long(&mut self, name: &str, origin: Origin) {
        self.note_bound(
            origin,
            format!("{name} longer than {MAX_VALUE_BYTES} bytes: not evaluated"),
        );
    }

    /// Holds PATH to [`MAX_PATH_ENTRIES`] after a change on `line`, noting the cut.
    pub(super) fn settle_path(&mut self, line: usize) {
        self.settle_path_at(self.origin(line));
    }

    pub(super) fn settle_path_at(&mut self, origin: Origin) {
        if self.state.path.len() <= MAX_PATH_ENTRIES {
            return;
        }
        cap_path(Rc::make_mut(&mut self.state.path), &origin);
        let cut_here = self
            .state
            .path
            .last()
            .is_some_and(|s| s.raw == PATH_CUT && s.origin.as_ref() == Some(&origin));
        if cut_here {
            self.note_bound(origin, path_cut_note());
        }
    }
}
