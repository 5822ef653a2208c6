//! From a report's findings to one change per file: the edits of every finding that
//! touch a file are grouped, deduplicated and applied together to its text, so
//! several findings editing one file give one coherent edit (and one diff).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::files::detect::{self, Syntax};
use crate::host::windows;

use super::edit::{Edit, Op};
use super::{json, lines, yaml};
use crate::report::Report;

/// Files larger than this are not edited (startup files, settings and manifests are
/// far smaller; a bigger one is not what a rule meant).
pub const MAX_FILE_BYTES: u64 = 4 << 20;

/// Where the files are and what may be written.
pub struct Scope<'a> {
    /// The image root (`--root`); files are named inside it.
    pub root: Option<&'a Path>,
    /// The checked user's home (named inside the image): the only place envgate
    /// writes on a machine. `None` for manifests, where the files given are the scope.
    pub home: Option<&'a str>,
    /// `--unsafe`: apply unsafe edits too.
    pub allow_unsafe: bool,
    /// Manifests given as files, not only directories: part of a repository, maybe.
    /// An edit that adds an object is held then, since one kept in a file not given
    /// was not seen (K8S033's budget would be a second one, and the eviction API
    /// refuses a pod two budgets select).
    pub files_given: bool,
}

/// Why an edit is shown but not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Held {
    /// Unsafe, and `--unsafe` was not given.
    Unsafe,
    /// The rule needs a value the snapshot does not have; the user fills it in.
    NeedsValue(String),
    /// Outside the user's home: never written by envgate (it never calls sudo).
    SystemFile,
    /// Part of a finding's fix whose other part is held: applied alone it would fix
    /// nothing.
    PartOfHeldFix,
    /// The file cannot take the edit (changed since the check, conflicting fixes,
    /// unreadable, not parsable as its format).
    Refused(String),
    /// A finding a waiver covers makes the same edit (these rules, joined): made for
    /// another finding it would undo what the waiver accepts.
    Waived(String),
}

/// The change to one file.
#[derive(Debug, Clone)]
pub struct FilePlan {
    /// As the report names it (inside the image for `--root`).
    pub file: String,
    /// Where it is on this machine.
    pub real: PathBuf,
    pub rules: BTreeSet<String>,
    /// Its text now (`None`: it does not exist).
    pub before: Option<String>,
    /// Its text after the applicable edits (`None`: no text change).
    pub after: Option<String>,
    /// The text that all edits but the held ones for missing values would give: what
    /// a system file's command writes, what an unsafe edit would do.
    pub proposed: Option<String>,
    pub chmod: Option<u32>,
    pub mkdir: Option<u32>,
    /// Edits applied, and edits only shown with why.
    pub applied: Vec<Edit>,
    pub held: Vec<(Edit, Held)>,
}

impl FilePlan {
    pub fn changes_anything(&self) -> bool {
        self.after.is_some() || self.chmod.is_some() || self.mkdir.is_some()
    }
}

/// Every fix of a report.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub files: Vec<FilePlan>,
    /// For each finding with edits (by index in the report): whether all of them are
    /// applied, i.e. the re-check must no longer show it.
    pub fixed: BTreeMap<usize, bool>,
    /// Findings with edits that a waiver of `.envgate.yaml` covers: left alone, as
    /// `check` does not report them (by index in the report).
    pub waived: Vec<usize>,
}

impl Plan {
    pub fn writes_anything(&self) -> bool {
        self.files.iter().any(FilePlan::changes_anything)
    }
}

/// The real path of `file` (named inside the image with a root): the image's own
/// symlinks are resolved inside it, never to the host.
pub fn real_path(root: Option<&Path>, file: &str) -> PathBuf {
    match root {
        // Absolute, so an undo from another directory finds the file.
        None => std::path::absolute(file).unwrap_or_else(|_| PathBuf::from(file)),
        Some(root) if windows::is_absolute(file) => {
            // A file of a Windows volume: each name matched without regard to case, the
            // directory's links resolved inside the image. A path the volume cannot hold
            // (another drive, a share) stays a name no file has, and reading it fails.
            let inside = crate::host::ImageHost::new(root)
                .map(crate::host::WindowsHost::new)
                .and_then(|host| host.inside(Path::new(file)))
                .map(|inside| real_path(Some(root), &inside.to_string_lossy()));
            inside.unwrap_or_else(|_| root.join("\u{0}not-on-the-volume"))
        }
        Some(root) => {
            let named = Path::new(file);
            let mut resolved = PathBuf::from("/");
            // Resolves the directory chroot-style; the file itself is refused later if it
            // is a link (regular files only are edited).
            if let Some(parent) = named.parent()
                && let Ok(host) = crate::host::ImageHost::new(root)
                && let Ok(canonical) = crate::host::Host::canonicalize(&host, parent)
            {
                resolved = canonical;
            } else if let Some(parent) = named.parent() {
                resolved = parent.to_path_buf();
            }
            let inside = resolved.join(named.file_name().unwrap_or_default());
            root.join(inside.strip_prefix("/").unwrap_or(&inside))
        }
    }
}

/// Why an edit has no place on a Windows volume: a Unix path, or a kind of edit only
/// Unix files take (shell lines: Windows keeps Path and the environment in the
/// registry; file modes: NTFS has none). `None` for the volume's settings files.
fn not_for_windows(edit: &Edit) -> Option<&'static str> {
    if !windows::is_absolute(&edit.file) {
        Some("it names a Unix path, and the target is a Windows volume")
    } else if matches!(
        edit.op,
        Op::AppendLine { .. } | Op::DeleteLine { .. } | Op::ReplaceLine { .. } | Op::Chmod { .. }
    ) {
        Some("a shell line or a file mode, and the target is a Windows volume")
    } else {
        None
    }
}

fn in_home(home: Option<&str>, file: &str) -> bool {
    match home {
        None => true,
        Some(home) if windows::is_absolute(home) => {
            windows::is_absolute(file) && windows::is_within(file, home)
        }
        Some(home) => {
            let home = home.trim_end_matches('/');
            !home.is_empty()
                && Path::new(file).starts_with(home)
                && !file.split('/').any(|c| c == "..")
        }
    }
}

/// Reads a file to edit: a regular file, bounded; missing is `None`.
fn read_existing(real: &Path) -> Result<Option<String>, String> {
    match crate::regular::read_named(real, MAX_FILE_BYTES) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| "it is not UTF-8 text".into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("it cannot be read: {e}")),
    }
}

/// The plan for `report`'s fixes.
pub fn plan(report: &Report, scope: &Scope<'_>) -> Plan {
    // File → (rule, finding index, edit), deduplicated, in report order.
    let mut by_file: BTreeMap<&str, Vec<(usize, &str, &Edit)>> = BTreeMap::new();
    let mut rules_of: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    // A waived finding was accepted by whoever wrote the waiver: its fix is not made.
    let planned = || {
        report
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.waiver.is_none())
    };
    for (i, finding) in planned() {
        for edit in &finding.fix {
            rules_of
                .entry(edit.file.as_str())
                .or_default()
                .insert(finding.id.to_string());
            let entry = by_file.entry(edit.file.as_str()).or_default();
            if !entry.iter().any(|(_, _, e)| *e == edit) {
                entry.push((i, finding.id.as_str(), edit));
            }
        }
    }
    // A finding whose fix cannot be applied whole (a system file's part, an unsafe
    // part without --unsafe) blocks its other edits too: half a move (the go env file
    // set, the environment.d line kept) fixes nothing. An edit several findings share
    // is applied when one of them is not blocked. Edits waiting for a value the user
    // supplies (a password in ~/.netrc) block nothing.
    // The edits of waived findings: not made by any finding (GO020 moving a waived
    // GOPROXY=off out of environment.d would drop it, as GO028's own fix does).
    let mut waived_edits: Vec<(&Edit, BTreeSet<&str>)> = Vec::new();
    for finding in report.findings.iter().filter(|f| f.waiver.is_some()) {
        for edit in &finding.fix {
            match waived_edits.iter_mut().find(|(e, _)| *e == edit) {
                Some((_, rules)) => {
                    rules.insert(finding.id.as_str());
                }
                None => waived_edits.push((edit, BTreeSet::from([finding.id.as_str()]))),
            }
        }
    }
    let held_reason = |edit: &Edit| -> Option<Held> {
        if let Some((_, rules)) = waived_edits.iter().find(|(e, _)| *e == edit) {
            Some(Held::Waived(
                rules.iter().copied().collect::<Vec<_>>().join(", "),
            ))
        } else if let Some(what) = edit.missing_value() {
            Some(Held::NeedsValue(what))
        } else if scope.home.is_some_and(windows::is_absolute)
            && let Some(why) = not_for_windows(edit)
        {
            // A rule's mistake, never a change the volume needs: refused, not guessed at.
            Some(Held::Refused(why.into()))
        } else if scope.files_given && matches!(edit.op, Op::YamlAddDocument { .. }) {
            Some(Held::Refused(
                "it adds an object, and fix was given files, not the directory that holds them all: one kept in a file not given was not seen; run envgate fix on that directory".into(),
            ))
        } else if !in_home(scope.home, &edit.file) {
            Some(Held::SystemFile)
        } else if !edit.safe && !scope.allow_unsafe {
            Some(Held::Unsafe)
        } else {
            None
        }
    };
    let unblocked: Vec<&Edit> = planned()
        .map(|(_, f)| f)
        .filter(|f| {
            f.fix
                .iter()
                .all(|e| matches!(held_reason(e), None | Some(Held::NeedsValue(_))))
        })
        .flat_map(|f| f.fix.iter())
        .collect();
    let mut plan = Plan {
        waived: report
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.waiver.is_some() && !f.fix.is_empty())
            .map(|(i, _)| i)
            .collect(),
        ..Plan::default()
    };
    let mut applied_edits: Vec<(&str, &Edit)> = Vec::new();
    for (file, edits) in by_file {
        let real = real_path(scope.root, file);
        let mut held: Vec<(Edit, Held)> = Vec::new();
        let mut chosen: Vec<&Edit> = Vec::new();
        let mut showable: Vec<&Edit> = Vec::new();
        for (_, _, edit) in &edits {
            match held_reason(edit) {
                Some(why @ Held::NeedsValue(_)) => held.push(((*edit).clone(), why)),
                Some(why) => {
                    showable.push(edit);
                    held.push(((*edit).clone(), why));
                }
                None if !unblocked.contains(edit) => {
                    showable.push(edit);
                    held.push(((*edit).clone(), Held::PartOfHeldFix));
                }
                None => {
                    showable.push(edit);
                    chosen.push(edit);
                }
            }
        }
        let rules = rules_of.remove(file).unwrap_or_default();
        let mut file_plan = FilePlan {
            file: file.to_string(),
            real: real.clone(),
            rules,
            before: None,
            after: None,
            proposed: None,
            chmod: None,
            mkdir: None,
            applied: Vec::new(),
            held,
        };
        let result = read_existing(&real).and_then(|before| {
            let after = edited(file, before.as_deref(), &chosen)?;
            let proposed = edited(file, before.as_deref(), &showable)?;
            Ok((before, after, proposed))
        });
        match result {
            Err(why) => {
                for edit in chosen {
                    file_plan
                        .held
                        .push((edit.clone(), Held::Refused(why.clone())));
                }
            }
            Ok((before, after, proposed)) => {
                file_plan.after = after.filter(|a| Some(a) != before.as_ref());
                file_plan.proposed = proposed.filter(|p| Some(p) != before.as_ref());
                file_plan.before = before;
                for edit in &chosen {
                    match edit.op {
                        Op::Chmod { mode } => file_plan.chmod = Some(mode),
                        Op::Mkdir { mode } => file_plan.mkdir = Some(mode),
                        _ => {}
                    }
                    applied_edits.push((file, edit));
                }
                file_plan.applied = chosen.into_iter().cloned().collect();
            }
        }
        plan.files.push(file_plan);
    }
    for (i, finding) in planned() {
        if finding.fix.is_empty() {
            continue;
        }
        let all = finding
            .fix
            .iter()
            .all(|e| applied_edits.iter().any(|(_, a)| *a == e));
        plan.fixed.insert(i, all);
    }
    plan
}

/// The text after `edits` (`None` when no edit changes text). Line edits are placed
/// by the snapshot's numbering first, then the structured ones on the result.
fn edited(file: &str, before: Option<&str>, edits: &[&Edit]) -> Result<Option<String>, String> {
    if !edits.iter().any(|e| e.changes_text()) {
        return Ok(None);
    }
    let mut text = before.unwrap_or("").to_string();
    let has = |f: fn(&Op) -> bool| edits.iter().any(|e| f(&e.op));
    if has(|op| {
        matches!(
            op,
            Op::AppendLine { .. } | Op::DeleteLine { .. } | Op::ReplaceLine { .. }
        )
    }) {
        if before.is_none()
            && has(|op| matches!(op, Op::DeleteLine { .. } | Op::ReplaceLine { .. }))
        {
            return Err("the file does not exist any more".into());
        }
        text = lines::apply_line_edits(&text, edits)?;
    }
    if has(|op| matches!(op, Op::GoEnvSet { .. } | Op::GoEnvUnset { .. })) {
        text = lines::apply_go_env_edits(&text, edits)?;
    }
    // JSON manifests take their YAML edits as JSON: the YAML editor keeps block style,
    // and JSON is all flow style.
    let json_file =
        detect::by_name(file).is_some_and(|d| matches!(d.syntax, Syntax::Json | Syntax::Jsonc));
    let yaml_edit = |op: &Op| {
        matches!(
            op,
            Op::YamlSet { .. } | Op::YamlDelete { .. } | Op::YamlAddDocument { .. }
        )
    };
    if has(|op| matches!(op, Op::JsonSet { .. })) || (json_file && has(yaml_edit)) {
        text = json::apply_json_edits(&text, edits)?;
    } else if has(yaml_edit) {
        if before.is_none() {
            return Err("the file does not exist any more".into());
        }
        text = yaml::apply_yaml_edits(&text, edits)?;
    }
    Ok(Some(text))
}

/// A unified diff of one file, secrets redacted and control characters escaped (it
/// goes to a terminal).
pub fn diff(file: &str, before: Option<&str>, after: &str) -> String {
    let old = before.unwrap_or("");
    let from = if before.is_some() {
        format!("a/{}", file.trim_start_matches('/'))
    } else {
        "/dev/null".into()
    };
    let text = similar::TextDiff::from_lines(old, after)
        .unified_diff()
        .context_radius(3)
        .header(&from, &format!("b/{}", file.trim_start_matches('/')))
        .to_string();
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(&crate::escape::line(&crate::redact::redact_line(line)));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::edit::Step;
    use super::*;

    fn edit(file: &str, op: Op) -> Edit {
        Edit {
            file: file.into(),
            op,
            safe: true,
            needs: None,
        }
    }

    /// A JSON manifest is edited as JSON whatever the case of its extension, as the
    /// check read it; a second document is refused there.
    #[test]
    fn json_manifests_are_edited_as_json() {
        let set = Op::YamlSet {
            document: 0,
            path: vec![Step::Key("b".into())],
            value: serde_json::json!(false),
        };
        for file in ["deploy/web.json", "deploy/WEB.JSON", "deploy/web.jsonc"] {
            let out = edited(file, Some("{\"a\": 1}\n"), &[&edit(file, set.clone())]);
            let out = out.unwrap().unwrap();
            let read: serde_json::Value = serde_json::from_str(&out).expect("still JSON");
            assert_eq!(read, serde_json::json!({"a": 1, "b": false}), "{file}");
        }
        let add = Op::YamlAddDocument {
            content: serde_json::json!({"kind": "PodDisruptionBudget"}),
        };
        let err = edited("web.json", Some("{}\n"), &[&edit("web.json", add)]).unwrap_err();
        assert!(err.contains("no other can be added"), "{err}");
    }

    #[test]
    fn a_windows_volume_takes_only_its_settings_files_edits() {
        let goenv = r"C:\Users\dev\AppData\Roaming\go\env";
        let set = Op::GoEnvSet {
            key: "GOPROXY".into(),
            value: "https://proxy.golang.org,direct".into(),
        };
        assert_eq!(not_for_windows(&edit(goenv, set.clone())), None);
        assert!(not_for_windows(&edit("/home/dev/.config/go/env", set)).is_some());
        let append = Op::AppendLine {
            text: "export PATH=\"$PATH:/x\"".into(),
        };
        assert!(not_for_windows(&edit(r"C:\Users\dev/.profile", append)).is_some());
        assert!(not_for_windows(&edit(goenv, Op::Chmod { mode: 0o600 })).is_some());
        assert!(in_home(Some(r"C:\Users\dev"), goenv));
        assert!(!in_home(
            Some(r"C:\Users\dev"),
            r"C:\Program Files\Go\VERSION"
        ));
        assert!(!in_home(Some(r"C:\Users\dev"), "/home/dev/.profile"));
    }
}
