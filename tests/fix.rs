//! `envgate fix` end to end: every rule's trigger fixture is fixed with `--apply`, the
//! re-check shows the rule's findings gone and nothing new, and `--undo` puts back the
//! original bytes; the coverage figure (rules with a structured safe fix) is measured
//! here, not written by hand, and must match what each rule's METADATA claims
//! (`autofix:`), which `envgate explain` shows.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use envgate::fix::run::{FixRun, Options, Target, run};
use envgate::policy::engine::PolicySet;

/// Every regular file under `root` with its bytes and mode: what an undo must restore.
fn tree(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            (
                e.path().to_path_buf(),
                (std::fs::read(e.path()).unwrap(), meta.mode() & 0o7777),
            )
        })
        .collect()
}

fn options(backups: &Path, apply: bool, allow_unsafe: bool) -> Options {
    Options {
        apply,
        allow_unsafe,
        backups: backups.to_path_buf(),
    }
}

/// Whether every finding of `rule` in the run's report has all its edits applied.
fn all_fixed(run: &FixRun, rule: &str) -> bool {
    let of_rule: Vec<usize> = run
        .before
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.id == rule)
        .map(|(i, _)| i)
        .collect();
    !of_rule.is_empty() && of_rule.iter().all(|i| run.plan.fixed.get(i) == Some(&true))
}

/// How a rule's trigger fixtures fared.
#[derive(Debug, Default, Clone, Copy)]
struct Fixable {
    /// Fixed by safe edits alone (no `--unsafe`).
    safe: bool,
    /// Fixed with `--unsafe`.
    any: bool,
}

/// Fixes `target` with `--apply --unsafe`, checks the re-check (nothing new, no fixed
/// finding left), that a second run proposes nothing, and that the undo restores the
/// original bytes; says for each rule with findings there whether all of them were
/// fixed (by safe edits alone, or with `--unsafe`).
fn fix_and_undo(
    policies: &PolicySet,
    target: &Target,
    root: &Path,
    name: &str,
) -> BTreeMap<String, Fixable> {
    let backups = tempfile::tempdir().unwrap();
    let dry = run(policies, target, &options(backups.path(), false, false)).unwrap();
    let original = tree(root);
    let applied = run(policies, target, &options(backups.path(), true, true)).unwrap();
    let rules: BTreeSet<String> = dry
        .before
        .findings
        .iter()
        .map(|f| f.id.to_string())
        .collect();
    let outcome: BTreeMap<String, Fixable> = rules
        .into_iter()
        .map(|rule| {
            let fixable = Fixable {
                safe: all_fixed(&dry, &rule),
                any: all_fixed(&applied, &rule),
            };
            (rule, fixable)
        })
        .collect();
    let Some(result) = &applied.applied else {
        assert!(
            outcome.values().all(|f| !f.any),
            "{name}: fixable findings but nothing was applied"
        );
        assert!(tree(root) == original, "{name}: a dry plan wrote files");
        return outcome;
    };
    if result.rolled_back {
        // The re-check caught a fix that was not right here: nothing is left changed,
        // and no rule of this image counts as fixed by it.
        println!(
            "{name}: the re-check rolled the fix back: {:?}",
            result.problems
        );
        assert!(tree(root) == original, "{name}: the rollback left changes");
        return outcome
            .into_keys()
            .map(|rule| (rule, Fixable::default()))
            .collect();
    }
    for (rule, fixable) in &outcome {
        let left: Vec<_> = result
            .after
            .findings
            .iter()
            .filter(|f| &f.id == rule)
            .collect();
        assert!(
            !fixable.any || left.is_empty(),
            "{name}: {rule} still reported after its fix: {left:?}"
        );
    }
    // Applying again proposes nothing: the fix reached a fixed point.
    let again = run(policies, target, &options(backups.path(), false, true)).unwrap();
    assert!(
        !again.plan.writes_anything(),
        "{name}: a second fix would change files again:\n{}",
        envgate::fix::render::render(&again, false)
    );
    envgate::fix::undo(backups.path(), Some(&result.id)).unwrap();
    assert!(
        tree(root) == original,
        "{name}: --undo did not restore the original bytes"
    );
    outcome
}

fn merge(measured: &mut BTreeMap<String, Fixable>, outcome: BTreeMap<String, Fixable>) {
    for (rule, fixable) in outcome {
        let entry = measured.entry(rule).or_default();
        entry.safe |= fixable.safe;
        entry.any |= fixable.any;
    }
}

fn claims(policies: &PolicySet, pack: &str) -> BTreeMap<String, Option<String>> {
    policies
        .rules()
        .filter(|r| r.pack == pack)
        .map(|r| (r.id.clone(), r.autofix.clone()))
        .collect()
}

/// Per pack: rules fixed by safe edits / all rules, and each rule's METADATA
/// `autofix:` must say what the fixtures show (`safe`, `unsafe`, or nothing).
fn check_coverage(pack: &str, policies: &PolicySet, measured: &BTreeMap<String, Fixable>) {
    let claims = claims(policies, pack);
    let mut wrong = Vec::new();
    for (id, claim) in &claims {
        let fixable = measured.get(id).copied().unwrap_or_default();
        let shown = match (fixable.safe, fixable.any) {
            (true, _) => Some("safe"),
            (false, true) => Some("unsafe"),
            _ => None,
        };
        if claim.as_deref() != shown {
            wrong.push(format!(
                "{id}: METADATA says autofix {claim:?}, the fixtures show {shown:?}"
            ));
        }
    }
    let safe = measured.values().filter(|f| f.safe).count();
    println!(
        "coverage: {pack}: {safe} of {} rules have a structured safe fix ({}%)",
        claims.len(),
        safe * 100 / claims.len().max(1)
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_fixable_go_rule_is_fixed_rechecked_and_undone() {
    let policies = envgate::load_machine_policies(&[]).unwrap();
    let mut measured: BTreeMap<String, Fixable> = BTreeMap::new();
    // Every scenario: the trigger fixtures, and the images that mix several rules
    // (broken-home), where fixes of different rules meet in one file.
    let mut scenarios: Vec<PathBuf> = support::all_scenarios();
    scenarios.sort();
    for path in scenarios {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let scenario = support::load(&path);
        let root = tempfile::tempdir().unwrap();
        support::materialize(&scenario, root.path());
        let target = Target::Machine {
            root: Some(root.path().to_path_buf()),
            user: scenario.user.clone(),
            workspace: scenario.workspace.clone().map(PathBuf::from),
            no_exec: true,
        };
        merge(
            &mut measured,
            fix_and_undo(&policies, &target, root.path(), &name),
        );
    }
    measured.retain(|_, f| f.any);
    check_coverage("go", &policies, &measured);
}

#[test]
fn every_fixable_k8s_rule_is_fixed_rechecked_and_undone() {
    let policies = envgate::load_policies_where(&[], envgate::keeps_file_pack).unwrap();
    let fixtures = support::repo_root().join("tests/fixtures/k8s");
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("k8s") || n.starts_with("hardened"))
        .collect();
    names.sort();
    let mut measured: BTreeMap<String, Fixable> = BTreeMap::new();
    for name in names {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(&name);
        std::fs::copy(fixtures.join(&name), &file).unwrap();
        let target = Target::Files {
            paths: vec![dir.path().to_path_buf()],
            exclude: Vec::new(),
        };
        merge(
            &mut measured,
            fix_and_undo(&policies, &target, dir.path(), &name),
        );
    }
    measured.retain(|_, f| f.any);
    check_coverage("k8s", &policies, &measured);
}

/// The README's sample image, fixed in a temp copy: with `--unsafe` everything with a
/// structured fix is gone, the re-check passes, and the undo restores it.
#[test]
fn broken_home_is_fixed_end_to_end() {
    let policies = envgate::load_machine_policies(&[]).unwrap();
    let root = tempfile::tempdir().unwrap();
    let example = support::repo_root().join("examples/broken-home");
    support::copy_tree(&example, root.path());
    let target = Target::Machine {
        root: Some(root.path().to_path_buf()),
        user: None,
        workspace: Some("/home/dev/project".into()),
        no_exec: true,
    };
    let backups = tempfile::tempdir().unwrap();
    let original = tree(root.path());
    let fixed = run(&policies, &target, &options(backups.path(), true, true)).unwrap();
    let applied = fixed.applied.as_ref().expect("broken-home has fixes");
    assert!(!applied.rolled_back, "{:?}", applied.problems);
    let before: BTreeSet<&str> = fixed
        .before
        .findings
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    let after: BTreeSet<&str> = applied
        .after
        .findings
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(
        before.difference(&after).copied().collect::<Vec<_>>(),
        [
            "GO003", "GO004", "GO013", "GO020", "GO027", "GO029", "GO030", "GO032"
        ]
    );
    // The proxy password never reaches the go env file, and no placeholder is written.
    let goenv = std::fs::read_to_string(root.path().join("home/dev/.config/go/env")).unwrap();
    assert_eq!(
        goenv,
        "GOPRIVATE=git.corp.example\nGOPROXY=https://goproxy.corp.example/,direct\n"
    );
    assert!(!root.path().join("home/dev/.netrc").exists());
    let profile = std::fs::read_to_string(root.path().join("home/dev/.profile")).unwrap();
    assert!(
        profile.ends_with("fi\nexport PATH=\"$PATH:/home/dev/go/bin\"\n"),
        "{profile}"
    );
    envgate::fix::undo(backups.path(), None).unwrap();
    assert!(
        tree(root.path()) == original,
        "--undo did not restore broken-home"
    );
}

/// Without `--unsafe` only the safe edits are written, and the dry run writes nothing.
#[test]
fn unsafe_edits_wait_for_the_flag_and_dry_runs_write_nothing() {
    let policies = envgate::load_machine_policies(&[]).unwrap();
    let root = tempfile::tempdir().unwrap();
    support::copy_tree(
        &support::repo_root().join("examples/broken-home"),
        root.path(),
    );
    let target = Target::Machine {
        root: Some(root.path().to_path_buf()),
        user: None,
        workspace: Some("/home/dev/project".into()),
        no_exec: true,
    };
    let backups = tempfile::tempdir().unwrap();
    let original = tree(root.path());
    let dry = run(&policies, &target, &options(backups.path(), false, false)).unwrap();
    assert!(dry.applied.is_none());
    assert!(tree(root.path()) == original);
    let text = envgate::fix::render::render(&dry, false);
    assert!(!text.contains("hunter2"), "a secret in the diff: {text}");
    assert!(
        text.contains("delete /home/dev/.config/environment.d/50-go.conf:2 (`GOSUMDB=off`)"),
        "{text}"
    );
    let safe = run(&policies, &target, &options(backups.path(), true, false)).unwrap();
    assert!(!safe.applied.as_ref().unwrap().rolled_back);
    let goenv = std::fs::read_to_string(root.path().join("home/dev/.config/go/env")).unwrap();
    assert_eq!(
        goenv, "GOROOT=/usr/local/go\nGOPRIVATE=git.corp.example\n",
        "GOROOT's removal is unsafe, naming the private host is safe"
    );
    let conf = std::fs::read_to_string(
        root.path()
            .join("home/dev/.config/environment.d/50-go.conf"),
    )
    .unwrap();
    assert!(
        conf.contains("GOSUMDB=off") && conf.contains("GOPROXY=https://dev:hunter2@"),
        "removing GOSUMDB=off and the proxy password is unsafe: {conf}"
    );
    let profile = std::fs::read_to_string(root.path().join("home/dev/.profile")).unwrap();
    assert!(
        profile.ends_with("export PATH=\"$PATH:/home/dev/go/bin\"\n"),
        "{profile}"
    );
}

/// A scenario made into an image root, and the fix target of its user.
fn scenario_image(name: &str) -> (tempfile::TempDir, Target) {
    let scenario = support::load(&support::scenarios_dir().join(name));
    let root = tempfile::tempdir().unwrap();
    support::materialize(&scenario, root.path());
    let target = Target::Machine {
        root: Some(root.path().to_path_buf()),
        user: scenario.user.clone(),
        workspace: None,
        no_exec: true,
    };
    (root, target)
}

/// An edit that adds an object (K8S033's budget) is held when fix is given a file
/// rather than the directory holding the manifests: a budget kept in a file not given
/// was not seen, and a second one would stop evictions of the pods.
#[test]
fn an_added_object_waits_for_the_whole_directory() {
    let policies = envgate::load_policies_where(&[], envgate::keeps_file_pack).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("web.yaml");
    let fixture = support::repo_root().join("tests/fixtures/k8s/k8s033-trigger.yaml");
    std::fs::copy(fixture, &file).unwrap();
    let run_on = |path: &Path| {
        let target = Target::Files {
            paths: vec![path.to_path_buf()],
            exclude: Vec::new(),
        };
        let backups = tempfile::tempdir().unwrap();
        run(&policies, &target, &options(backups.path(), false, false)).unwrap()
    };
    let adds = |run: &FixRun| {
        run.plan
            .files
            .iter()
            .flat_map(|f| f.applied.iter())
            .filter(|e| matches!(e.op, envgate::fix::edit::Op::YamlAddDocument { .. }))
            .count()
    };
    let on_file = run_on(&file);
    assert_eq!(adds(&on_file), 0);
    let text = envgate::fix::render::render(&on_file, false);
    assert!(
        text.contains("fix was given files, not the directory that holds them all"),
        "{text}"
    );
    assert_eq!(adds(&run_on(dir.path())), 2);
}

/// A setting in a system file: never written (envgate never runs sudo), shown as the
/// diff a root shell applies with `patch`, and the file stays as it was.
#[test]
fn system_files_get_a_diff_and_a_command() {
    let policies = envgate::load_machine_policies(&[]).unwrap();
    let (root, target) = scenario_image("go027-trigger.yaml");
    let backups = tempfile::tempdir().unwrap();
    let original = tree(root.path());
    let applied = run(&policies, &target, &options(backups.path(), true, true)).unwrap();
    let text = envgate::fix::render::render(&applied, true);
    assert!(
        text.contains("sudo patch /etc/environment <<'EOF'\n--- a/etc/environment\n+++ b/etc/environment\n@@ -1 +1 @@\n-GOPROXY=https://goproxy.corp.example.com\n+GOPROXY=https://goproxy.corp.example.com,direct\nEOF"),
        "{text}"
    );
    assert!(applied.applied.is_none(), "{text}");
    assert!(tree(root.path()) == original);
}

/// A waived finding's edit is made by no finding: GO020's move of a waived
/// `GOPROXY=off` out of environment.d would drop it as GO028's own fix does, so GO020
/// stays unfixed and the file as it was.
#[test]
fn an_edit_a_waived_finding_shares_is_not_made_for_another() {
    let policies = envgate::load_machine_policies(&[]).unwrap();
    let (root, target) = scenario_image("go028-trigger.yaml");
    let waive = |id: &'static str| {
        move |report: &mut envgate::report::Report| {
            for finding in report.findings.iter_mut().filter(|f| f.id == id) {
                finding.waiver = Some(Box::new(envgate::report::AppliedWaiver {
                    location: envgate::report::Location {
                        file: ".envgate.yaml".into(),
                        line: Some(2),
                        column: None,
                        snippet: None,
                        snippet_offset: None,
                    },
                    reason: "an offline build machine".into(),
                    expires: "2099-12-31".into(),
                    owner: None,
                    redirected_from: None,
                }));
            }
        }
    };
    let backups = tempfile::tempdir().unwrap();
    let original = tree(root.path());
    let applied = envgate::fix::run::run_configured(
        &policies,
        &target,
        &options(backups.path(), true, true),
        &waive("GO028"),
    )
    .unwrap();
    let text = envgate::fix::render::render(&applied, true);
    assert!(applied.applied.is_none(), "{text}");
    assert!(tree(root.path()) == original, "{text}");
    assert!(
        text.contains("the same edit fixes GO028, which a waiver covers: left alone"),
        "{text}"
    );
    assert!(
        text.contains("Left alone: 1 waived finding(s) (GO028)"),
        "{text}"
    );
    // Without the waiver the same run removes the line (GO020 and GO028 fixed).
    let applied = run(&policies, &target, &options(backups.path(), true, true)).unwrap();
    let result = applied.applied.expect("applied");
    assert!(!result.rolled_back, "{:?}", result.problems);
    assert!(tree(root.path()) != original);
}

/// xorshift64*: a seeded generator, so a failing case is printed with its seed and runs
/// again the same way.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn lines(&mut self, items: &[&str], max: u64) -> String {
        let n = self.next() % (max + 1);
        (0..n).map(|_| format!("{}\n", self.pick(items))).collect()
    }
}

/// Generated homes (startup files, environment.d, the go env file, VS Code settings,
/// a `go install`ed gopls): `fix --apply --unsafe` twice changes nothing the second
/// time, the re-check passes or rolls back whole, and the undo restores every byte.
/// `ENVGATE_FIX_SEED`, `ENVGATE_FIX_CASES` (default 16).
#[test]
fn applying_all_fixes_twice_changes_nothing_the_second_time() {
    let seed: u64 = std::env::var("ENVGATE_FIX_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_f1c5);
    let cases: u64 = std::env::var("ENVGATE_FIX_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(16);
    let policies = envgate::load_machine_policies(&[]).unwrap();
    let profile_lines = [
        "# a comment",
        "umask 022",
        "export EDITOR=vim",
        "export GOPROXY=https://proxy.example.com",
        "export GOPROXY='https://proxy.example.com|https://proxy2.example.com'",
        "GO111MODULE=off",
        "    export GOSUMDB=off",
        "export GOINSECURE=git.example.com",
        "export GONOSUMDB='*'",
        "if [ -d \"$HOME/bin\" ] ; then\n    PATH=\"$HOME/bin:$PATH\"\nfi",
        "export PATH=\"$PATH:/usr/local/go/bin\"",
        // GO018, GO019: one line mended for both rules
        "export PATH=\".:$PATH:~/.local/bin:\"",
        "export GOPATH=\"~/go\"",
        // GO024, GO033
        "export GOPATH=/home/dev/go:/home/dev/work",
        "export HTTPS_PROXY=http://proxy.corp.example:3128",
        "export NO_PROXY=localhost,127.0.0.1",
        // the same setting twice: the later line is the effective one
        "export GOPROXY=https://proxy2.example.com",
    ];
    let environment_d = [
        "GOSUMDB=off",
        "GOPROXY=https://proxy.example.com",
        "GOFLAGS=-mod=mod",
        "GOPROXY=https://dev:s3cret@proxy.example.com/",
        "GO111MODULE=auto",
    ];
    let go_env = [
        "GOPROXY=https://proxy.example.com",
        "GOSUMDB=off",
        "GO111MODULE=auto",
        "GOFLAGS=-mod=mod",
        "GOFLAGS=-trimpath -toolexec=/home/dev/.cache/run",
        "GOPRIVATE=git.corp.example/*",
        "GOROOT=/usr/lib/go",
        "GOTOOLCHAIN=local",
    ];
    let settings = [
        "{\n  // the editor\n  \"go.useLanguageServer\": false,\n}\n",
        "{\n  \"editor.tabSize\": 4, /* keep */\n  \"go.useLanguageServer\": false\n}\n",
        "{}\n",
        "{\n  \"go.goroot\": \"/usr/lib/go-1.19\", // pinned\n  \"go.useLanguageServer\": false\n}\n",
    ];
    let bash_profile = [
        "export CLOUDSDK_PYTHON=python3",
        "if [ -f ~/.bashrc ]; then . ~/.bashrc; fi",
    ];
    for case in 0..cases {
        let mut rng = Rng(seed ^ (case + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut scenario = support::load(&support::scenarios_dir().join("bases/debian-go119.yaml"));
        let files = &mut scenario.files;
        files.insert("/home/dev/.profile".into(), rng.lines(&profile_lines, 6));
        let env_d = rng.lines(&environment_d, 3);
        if !env_d.is_empty() {
            files.insert("/home/dev/.config/environment.d/50-go.conf".into(), env_d);
        }
        let goenv = rng.lines(&go_env, 2);
        if !goenv.is_empty() {
            files.insert("/home/dev/.config/go/env".into(), goenv);
        }
        if rng.next().is_multiple_of(2) {
            files.insert(
                "/home/dev/.config/Code/User/settings.json".into(),
                rng.pick(&settings).into(),
            );
        }
        let hider = rng.lines(&bash_profile, 2);
        if !hider.is_empty() {
            files.insert("/home/dev/.bash_profile".into(), hider);
        }
        if rng.next().is_multiple_of(3) {
            files.insert(
                "/home/dev/.netrc".into(),
                "machine git.corp.example login dev password hunter2\n".into(),
            );
            scenario
                .modes
                .insert("/home/dev/.netrc".into(), "0644".into());
        }
        if rng.next().is_multiple_of(4) {
            scenario
                .modes
                .insert("/home/dev/.config/go/env".into(), "0666".into());
            files
                .entry("/home/dev/.config/go/env".into())
                .or_insert_with(|| "GOPATH=/home/dev/go\n".into());
        }
        if rng.next().is_multiple_of(2) {
            scenario.go_binaries.insert(
                "/home/dev/go/bin/gopls".into(),
                support::GoBinary {
                    version: "go1.19.8".into(),
                    arch: "amd64".into(),
                    module: Some("golang.org/x/tools/gopls v0.15.2".into()),
                    format: None,
                },
            );
        }
        let root = tempfile::tempdir().unwrap();
        support::materialize(&scenario, root.path());
        let target = Target::Machine {
            root: Some(root.path().to_path_buf()),
            user: Some("dev".into()),
            workspace: None,
            no_exec: true,
        };
        let name = format!("seed {seed} case {case}: {:#?}", scenario.files);
        fix_and_undo(&policies, &target, root.path(), &name);
    }
}

/// Generated manifests (a Deployment whose pod and containers carry a random mix of
/// the settings the k8s pack fixes: block and flow lists of added capabilities,
/// duplicate env entries, host namespaces, unmasked /proc, writable hostPath mounts,
/// mutable tags, a NodePort Service beside it): `fix --apply --unsafe` twice changes
/// nothing the second time, the re-check passes or rolls back whole, the result still
/// parses, its comments stay, and the undo restores every byte.
/// `ENVGATE_FIX_SEED`, `ENVGATE_FIX_CASES` (default 16).
#[test]
fn applying_all_manifest_fixes_twice_changes_nothing_the_second_time() {
    let seed: u64 = std::env::var("ENVGATE_FIX_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_f1c5);
    let cases: u64 = std::env::var("ENVGATE_FIX_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(16);
    let policies = envgate::load_policies_where(&[], envgate::keeps_file_pack).unwrap();
    let pod_fields = [
        "      hostPID: true",
        "      hostIPC: yes",
        "      hostNetwork: true",
        "      automountServiceAccountToken: false",
    ];
    let container_fields = [
        "          imagePullPolicy: IfNotPresent",
        "          env:\n            - name: MODE # first\n              value: a\n            - name: PORT\n              value: \"8080\"\n            - name: MODE\n              value: b",
        "          env:\n            - {name: LEVEL, value: debug}\n            - {name: LEVEL, value: info}",
        "          volumeMounts:\n            - name: logs\n              mountPath: /logs",
        "          ports:\n            - containerPort: 9090\n              hostPort: 9090",
    ];
    let security = [
        "            privileged: true",
        "            procMount: Unmasked",
        "            allowPrivilegeEscalation: false",
        "            capabilities:\n              add: [NET_ADMIN, CHOWN, \"SYS_PTRACE\"]",
        "            capabilities:\n              drop:\n                - NET_RAW\n              add:\n                - SYS_ADMIN   # why?\n                - NET_BIND_SERVICE",
    ];
    for case in 0..cases {
        let mut rng = Rng(seed ^ (case + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
        let mut text = String::from(
            "# generated\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n",
        );
        let pod = rng.lines(&pod_fields, 3);
        text.push_str(&pod);
        text.push_str("      volumes:\n        - name: logs\n          hostPath:\n            path: /srv/logs\n      containers:\n");
        for name in ["app", "sidecar"] {
            text.push_str(&format!(
                "        - name: {name}\n          image: registry.example.com/shop/{name}:1.4.2\n"
            ));
            // One of each kind at most: YAML keeps the last of duplicate keys.
            let mut seen = std::collections::BTreeSet::new();
            for _ in 0..rng.next() % 3 {
                let field = rng.pick(&container_fields);
                let key = field.trim().split(':').next().unwrap().to_string();
                if seen.insert(key) {
                    text.push_str(field);
                    text.push('\n');
                }
            }
            let mut context = String::new();
            let mut seen = std::collections::BTreeSet::new();
            for _ in 0..rng.next() % 3 {
                let field = rng.pick(&security);
                let key = field.trim().split(':').next().unwrap().to_string();
                if seen.insert(key) {
                    context.push_str(field);
                    context.push('\n');
                }
            }
            if !context.is_empty() {
                text.push_str("          securityContext:\n");
                text.push_str(&context);
            }
        }
        if rng.next().is_multiple_of(2) {
            text.push_str("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n    - port: 80\n      nodePort: 30080\n");
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("deploy.yaml");
        std::fs::write(&file, &text).unwrap();
        let target = Target::Files {
            paths: vec![dir.path().to_path_buf()],
            exclude: Vec::new(),
        };
        let name = format!("seed {seed} case {case}:\n{text}");
        let backups = tempfile::tempdir().unwrap();
        let applied = run(&policies, &target, &options(backups.path(), true, true)).unwrap();
        if let Some(result) = &applied.applied
            && !result.rolled_back
        {
            let fixed = std::fs::read_to_string(&file).unwrap();
            assert!(fixed.starts_with("# generated\n"), "{name}\n{fixed}");
            let docs = envgate::files::parse_str(
                "deploy.yaml",
                envgate::files::detect::Syntax::Yaml,
                &fixed,
            );
            assert!(docs.iter().all(|d| d.error.is_none()), "{name}\n{fixed}");
            envgate::fix::undo(backups.path(), Some(&result.id)).unwrap();
        }
        fix_and_undo(&policies, &target, dir.path(), &name);
    }
}
