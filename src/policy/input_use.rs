//! Which part of the input a pack's Rego reads, found in its sources: a machine check
//! skips the packs that judge only `input.files`, a file check the packs that never
//! read them. The build scans the built-in packs with this same code (`build.rs`
//! includes this file), so a run does not compile these patterns or scan a megabyte
//! of Rego to learn what it already knew.

use std::sync::LazyLock;

/// What a pack's rule and library sources read of the input.
/// The default reads nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InputUse {
    /// Some source reads `input.files`.
    pub reads_files: bool,
    /// The sources read `input.files` or `input.files_summary`, and nothing else of
    /// the input.
    pub only_files: bool,
}

/// `input.X` or `input["X"]`: the part of the input a pack reads. Rego's names are
/// ASCII, so are the word boundaries and spaces here (`(?-u:…)`): Unicode ones took a
/// tenth of a doctor run's start to compile.
static INPUT_FIELD: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r#"(?-u:\b)input[ \t\r\n]*(?:\.[ \t\r\n]*([A-Za-z_][A-Za-z0-9_]*)|\[[ \t\r\n]*"([^"]*)"[ \t\r\n]*\])"#,
    )
    .expect("valid regex")
});

impl InputUse {
    /// Scans the sources (the text of each rule and library file).
    pub fn of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let (mut reads_files, mut reads_summary, mut reads_other) = (false, false, false);
        for text in texts {
            for captures in INPUT_FIELD.captures_iter(text) {
                match captures
                    .get(1)
                    .or_else(|| captures.get(2))
                    .map(|m| m.as_str())
                {
                    Some("files") => reads_files = true,
                    Some("files_summary") => reads_summary = true,
                    _ => reads_other = true,
                }
            }
        }
        InputUse {
            reads_files,
            only_files: (reads_files || reads_summary) && !reads_other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::InputUse;

    fn used(texts: &[&str]) -> (bool, bool) {
        let used = InputUse::of(texts.iter().copied());
        (used.reads_files, used.only_files)
    }

    #[test]
    fn finds_what_the_sources_read() {
        assert_eq!(used(&[]), (false, false));
        assert_eq!(
            used(&["deny contains m if { m := input.files[_].path }"]),
            (true, true)
        );
        // Spaces and the bracket form are the same field; `files_summary` is files'.
        assert_eq!(
            used(&["x := input [ \"files\" ]", "y := input.\n files_summary"]),
            (true, true)
        );
        assert_eq!(used(&["y := input.files_summary.count"]), (false, true));
        // Any other field, in any file of the pack, makes it a machine pack too.
        assert_eq!(
            used(&["a := input.files", "b := input.env.HOME"]),
            (true, false)
        );
        assert_eq!(used(&["b := input[\"go\"]"]), (false, false));
        // A name that merely ends in `input` is not the input.
        assert_eq!(
            used(&["a := my_input.env", "b := input.files"]),
            (true, true)
        );
    }

    #[test]
    fn the_build_stored_what_a_run_would_find() {
        for pack in crate::policy::builtin_packs().expect("built-in packs load") {
            let scanned = InputUse::of(pack.modules.iter().map(|m| m.text.as_ref()));
            assert_eq!(pack.input_use, scanned, "pack {}", pack.name);
        }
    }
}
