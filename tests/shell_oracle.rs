//! The shell model against the shells themselves.
//!
//! Seeded, generated startup-file sets (Debian's and Fedora-like skeletons, guards,
//! `source` chains, `[ -d ]` conditions, version-manager PATH lines, `$(go env …)`,
//! zsh's `emulate sh` and `path` array, fish's `fish_add_path`) are written into a
//! fresh temporary home per shell run. The real bash, zsh, fish and dash run there with
//! `env -i` (HOME, a fixed minimal PATH, USER/LOGNAME; stdin from /dev/null; killed
//! after a timeout) and print their environment; envgate's model
//! (`shell::startup::model_shell`) reads the same files for the same kind of shell
//! from the same starting environment, and PATH and the Go variables must be equal.
//!
//! Host: the live machine (`LiveHost`). The real shells read the machine's own
//! /etc/profile, /etc/bash.bashrc, /etc/zsh/* and fish's system files, and the model
//! reads the same files through the live Host, so both sides see one filesystem
//! (`[ -d "$HOME/…" ]` refers to directories the case creates in the temp home). An
//! ImageHost would need the shells chrooted into the image, which a test cannot do.
//!
//! Deliberately not generated: version-manager activation lines (`eval "$(goenv init
//! -)"`, `. ~/.asdf/asdf.sh`). envgate models their effect as if the manager were
//! installed and never runs them; in a temp home the real shell finds no goenv, so the
//! two would differ by design. Their PATH lines (`GOENV_ROOT`, `$GOENV_ROOT/bin`) are
//! generated.
//!
//! `ENVGATE_ORACLE_CASES` (default 300) and `ENVGATE_ORACLE_SEED` change the run; a
//! failure prints the seed, the case number and the case minimized (lines removed
//! while the difference stays).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use envgate::host::LiveHost;
use envgate::shell::eval::{Identity, ShProgram, Shell, Spec};
use envgate::shell::startup::model_shell;

const DEFAULT_CASES: usize = 300;
const DEFAULT_SEED: u64 = 20_261_205;
/// Only to kill a hung shell (one waiting on a terminal); never a timing assertion.
const KILL_AFTER: Duration = Duration::from_secs(30);
const START_PATH: &str = "/usr/bin:/bin";

/// SplitMix64: small, seeded, the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// One generated home: files as lists of snippets (a snippet may span lines; the
/// minimizer removes whole snippets), and directories to create.
#[derive(Clone, Debug)]
struct Case {
    files: BTreeMap<&'static str, Vec<String>>,
    dirs: Vec<&'static str>,
}

const DEBIAN_PROFILE: &str = r#"# ~/.profile: executed by the command interpreter for login shells.
# if running bash
if [ -n "$BASH_VERSION" ]; then
    # include .bashrc if it exists
    if [ -f "$HOME/.bashrc" ]; then
	. "$HOME/.bashrc"
    fi
fi

# set PATH so it includes user's private bin if it exists
if [ -d "$HOME/bin" ] ; then
    PATH="$HOME/bin:$PATH"
fi

# set PATH so it includes user's private bin if it exists
if [ -d "$HOME/.local/bin" ] ; then
    PATH="$HOME/.local/bin:$PATH"
fi"#;

const DEBIAN_BASHRC_GUARD: &str = r#"# If not running interactively, don't do anything
case $- in
    *i*) ;;
      *) return;;
esac
HISTCONTROL=ignoreboth
shopt -s histappend
if [ -z "${debian_chroot:-}" ] && [ -r /etc/debian_chroot ]; then
    debian_chroot=$(cat /etc/debian_chroot)
fi"#;

const FEDORA_BASH_PROFILE: &str = r#"# .bash_profile
# Get the aliases and functions
if [ -f ~/.bashrc ]; then
	. ~/.bashrc
fi
# User specific environment and startup programs"#;

const FEDORA_BASHRC: &str = r#"# .bashrc
# Source global definitions
if [ -f /etc/bashrc ]; then
	. /etc/bashrc
fi
# User specific environment
if ! [[ "$PATH" =~ "$HOME/.local/bin:$HOME/bin:" ]]
then
    PATH="$HOME/.local/bin:$HOME/bin:$PATH"
fi
export PATH"#;

const FISH_SKELETON: &str =
    "if status is-interactive\n    # Commands to run in interactive sessions can go here\nend";

/// Lines any sh-family file may hold (bash, zsh, dash all run them).
const SH_LINES: &[&str] = &[
    r#"export PATH="$PATH:/usr/local/go/bin""#,
    r#"export PATH="$HOME/go/bin:$PATH""#,
    r#"PATH="$HOME/bin:$PATH""#,
    r#"[ -d "$HOME/sdk/go1.22/bin" ] && PATH="$HOME/sdk/go1.22/bin:$PATH""#,
    "if [ -d \"$HOME/.local/bin\" ] ; then\n    PATH=\"$HOME/.local/bin:$PATH\"\nfi",
    r#"export GOPATH="$HOME/gopath""#,
    r#"export GOBIN="$GOPATH/bin""#,
    r#"export PATH="$PATH:$(go env GOPATH)/bin""#,
    r#"export PATH="$(go env GOROOT)/bin:$PATH""#,
    r#"export GOMODCACHE="$(go env GOPATH)/mod""#,
    "export GOPROXY=https://proxy.golang.org,direct",
    r#". "$HOME/.go.sh""#,
    "[ -f ~/.go.sh ] && . ~/.go.sh",
    "case $- in\n    *i*) ;;\n      *) return;;\nesac",
    r#"[ -z "$PS1" ] && return"#,
    "export GOENV_ROOT=\"$HOME/.goenv\"\nexport PATH=\"$GOENV_ROOT/bin:$PATH\"",
    "GOFLAGS=-mod=mod",
    "export CGO_ENABLED=0",
    "unset GOPATH",
    "export PATH=${PATH}:${HOME}/tools",
    "PATH=/usr/local/go/bin:$PATH; export PATH",
    "export GOPATH=${GOPATH:-$HOME/go}",
    "if [ -d \"$HOME/go/bin\" ]; then\n    export PATH=\"$PATH:$HOME/go/bin\"\nelse\n    export GOBIN=\"$HOME/bin\"\nfi",
    "[ -n \"$GOPATH\" ] || export GOPATH=\"$HOME/go\"",
];

/// bash-only lines (in bash's own files).
///
/// A bare `export GOFLAGS` (of a variable that may be unset) is here, not in
/// `SH_LINES`, deliberately: zsh creates an unset parameter as empty when it is
/// exported a second time (`emulate sh -c '. ~/.profile'` run twice), which the model
/// does not follow (a known limit: found with seed 4, the variable ends `GOFLAGS=`).
const BASH_LINES: &[&str] = &[
    "export GOFLAGS",
    r#"[[ -d ~/bashbin ]] && PATH=~/bashbin:$PATH"#,
    r#"source ~/.go.sh"#,
    "shopt -s histappend",
    r#"[[ $- == *i* ]] || return"#,
];

/// zsh-only lines (in zsh's files).
const ZSH_LINES: &[&str] = &[
    r#"path+=("$HOME/zbin")"#,
    r#"path=("$HOME/go/bin" $path)"#,
    "typeset -U path",
    "emulate sh -c '. ~/.profile'",
    r#"export PATH="$HOME/.zlocal:$PATH""#,
    "[[ -o login ]] && export GOPATH=$HOME/zgo",
];

const FISH_LINES: &[&str] = &[
    "fish_add_path -g ~/go/bin",
    "fish_add_path -gaP /usr/local/go/bin",
    "set -gx PATH $PATH /usr/local/go/bin",
    "set -gx GOPATH $HOME/gopath",
    "if test -d ~/sdk/go1.22/bin\n    fish_add_path -g ~/sdk/go1.22/bin\nend",
    "status is-login; and set -gx PATH ~/lbin $PATH",
    "status is-interactive; and set -gx GOPROXY direct",
    "set -gx GOBIN $HOME/bin",
    "fish_add_path -gP ~/bin",
];

/// Directories a case may create (the `[ -d ]` conditions test them).
const DIRS: &[&str] = &[
    "bin",
    ".local/bin",
    "go/bin",
    "sdk/go1.22/bin",
    "bashbin",
    "zbin",
];

fn generate(rng: &mut Rng) -> Case {
    let mut files: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    // Skeletons: Debian's (adduser copies /etc/skel) or Fedora's.
    if rng.chance(70) {
        files.insert(".profile", vec![DEBIAN_PROFILE.to_string()]);
        if rng.chance(70) {
            files.insert(".bashrc", vec![DEBIAN_BASHRC_GUARD.to_string()]);
        }
    } else {
        files.insert(".bash_profile", vec![FEDORA_BASH_PROFILE.to_string()]);
        files.insert(".bashrc", vec![FEDORA_BASHRC.to_string()]);
    }
    if rng.chance(50) {
        files.insert(".config/fish/config.fish", vec![FISH_SKELETON.to_string()]);
    }
    let targets: &[(&'static str, u8)] = &[
        (".profile", b's'),
        (".bashrc", b'b'),
        (".bash_profile", b'b'),
        (".bash_login", b'b'),
        (".zshenv", b'z'),
        (".zprofile", b'z'),
        (".zshrc", b'z'),
        (".zlogin", b'z'),
        (".shrc", b's'),
        (".go.sh", b's'),
        (".config/fish/config.fish", b'f'),
        (".config/fish/conf.d/go.fish", b'f'),
    ];
    let lines = 1 + rng.below(9);
    for _ in 0..lines {
        let (file, kind) = targets[rng.below(targets.len())];
        if file == ".bash_login" && !rng.chance(20) {
            continue;
        }
        let line = match kind {
            b'f' => rng.pick(FISH_LINES),
            b'b' if rng.chance(30) => rng.pick(BASH_LINES),
            b'z' if rng.chance(40) => rng.pick(ZSH_LINES),
            _ => rng.pick(SH_LINES),
        };
        // `.go.sh` sources nothing (no cycles through it).
        if file == ".go.sh" && line.contains(".go.sh") {
            continue;
        }
        let snippets = files.entry(file).or_default();
        let at = rng.below(snippets.len() + 1);
        snippets.insert(at, line.to_string());
    }
    let dirs = DIRS.iter().copied().filter(|_| rng.chance(50)).collect();
    Case { files, dirs }
}

/// A way of starting a shell: its name, the flags, and the model's spec.
#[derive(Clone, Copy, Debug)]
struct Run {
    program: &'static str,
    login: bool,
    interactive: bool,
}

impl Run {
    fn label(&self) -> String {
        let mut flags = String::from("-");
        if self.login {
            flags.push('l');
        }
        if self.interactive {
            flags.push('i');
        }
        flags.push('c');
        format!("{} {flags}", self.program)
    }

    fn spec(&self) -> Spec {
        let shell = match self.program {
            "bash" => Shell::Bash,
            "zsh" => Shell::Zsh,
            "fish" => Shell::Fish,
            _ => Shell::Sh,
        };
        Spec {
            shell,
            login: self.login,
            interactive: self.interactive,
            sh: ShProgram::Dash,
        }
    }
}

/// The sessions envgate models: login non-interactive (SSH commands, `bash -lc`),
/// login interactive (editors resolving the environment, macOS terminals, SSH
/// logins), non-login interactive (Linux desktop terminals); dash as a login shell and
/// as an interactive one reading `$ENV`.
const RUNS: &[Run] = &[
    Run {
        program: "bash",
        login: true,
        interactive: false,
    },
    Run {
        program: "bash",
        login: true,
        interactive: true,
    },
    Run {
        program: "bash",
        login: false,
        interactive: true,
    },
    Run {
        program: "zsh",
        login: true,
        interactive: false,
    },
    Run {
        program: "zsh",
        login: true,
        interactive: true,
    },
    Run {
        program: "zsh",
        login: false,
        interactive: true,
    },
    Run {
        program: "fish",
        login: true,
        interactive: false,
    },
    Run {
        program: "fish",
        login: true,
        interactive: true,
    },
    Run {
        program: "fish",
        login: false,
        interactive: true,
    },
    Run {
        program: "dash",
        login: true,
        interactive: false,
    },
    Run {
        program: "dash",
        login: false,
        interactive: true,
    },
];

/// PATH and the Go variables (what `shell::is_relevant` keeps), as one shell ended;
/// `None` when the shell ended while reading its startup files (`exit`, or dash's
/// `.` of a missing file) and never ran the command.
type Outcome = Option<BTreeMap<String, String>>;

fn relevant(name: &str) -> bool {
    envgate::shell::is_relevant(name)
}

fn which(program: &str) -> Option<String> {
    ["/usr/bin", "/bin", "/usr/local/bin"]
        .iter()
        .map(|d| format!("{d}/{program}"))
        .find(|p| Path::new(p).exists())
}

struct Context {
    uid: u32,
    user: String,
}

fn context() -> Context {
    let out = |args: &[&str]| {
        let output = Command::new("id").args(args).output().expect("id runs");
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    };
    Context {
        uid: out(&["-u"]).parse().expect("numeric uid"),
        user: out(&["-un"]),
    }
}

fn write_home(case: &Case, home: &Path) {
    for dir in &case.dirs {
        std::fs::create_dir_all(home.join(dir)).unwrap();
    }
    for (file, snippets) in &case.files {
        let path = home.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut text = snippets.join("\n");
        text.push('\n');
        std::fs::write(path, text).unwrap();
    }
}

fn start_env(run: &Run, home: &str, ctx: &Context) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    env.insert("HOME".to_string(), home.to_string());
    env.insert("PATH".to_string(), START_PATH.to_string());
    env.insert("USER".to_string(), ctx.user.clone());
    env.insert("LOGNAME".to_string(), ctx.user.clone());
    if run.program == "dash" {
        env.insert("ENV".to_string(), format!("{home}/.shrc"));
    }
    env
}

/// Runs the real shell; `Err` when it could not run or hung.
fn real(
    run: &Run,
    shell: &str,
    home: &Path,
    env: &BTreeMap<String, String>,
) -> Result<Outcome, String> {
    let mut command = Command::new("/usr/bin/env");
    command.arg("-i");
    for (name, value) in env {
        command.arg(format!("{name}={value}"));
    }
    command.arg(shell);
    if run.login {
        command.arg("-l");
    }
    if run.interactive {
        command.arg("-i");
    }
    command
        .args(["-c", "/usr/bin/env -0"])
        .current_dir(home)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = command.spawn().map_err(|e| format!("{shell}: {e}"))?;
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let started = Instant::now();
    loop {
        if child.try_wait().map_err(|e| e.to_string())?.is_some() {
            break;
        }
        if started.elapsed() > KILL_AFTER {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{} hung and was killed", run.label()));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let bytes = reader.join().unwrap();
    if bytes.is_empty() {
        return Ok(None);
    }
    let mut outcome = BTreeMap::new();
    for entry in bytes.split(|b| *b == 0) {
        let entry = String::from_utf8_lossy(entry);
        if let Some((name, value)) = entry.split_once('=')
            && relevant(name)
        {
            outcome.insert(name.to_string(), value.to_string());
        }
    }
    if !outcome.contains_key("PATH") {
        return Err(format!("{} printed no PATH", run.label()));
    }
    Ok(Some(outcome))
}

/// The model's outcome; `Err` lists what it could not evaluate.
fn modelled(
    run: &Run,
    home: &str,
    env: &BTreeMap<String, String>,
    ctx: &Context,
) -> Result<Outcome, String> {
    let host = LiveHost::with_env(env.clone(), false);
    let identity = Identity {
        uid: Some(ctx.uid),
        user: Some(ctx.user.clone()),
        home: Some(home.to_string()),
    };
    let model = model_shell(&host, run.spec(), identity, env);
    if model.ended {
        return Ok(None);
    }
    let mut outcome = BTreeMap::new();
    let mut unknown = Vec::new();
    let path: Vec<String> = model
        .path
        .iter()
        .map(|d| {
            d.clone().unwrap_or_else(|| {
                unknown.push("a PATH entry".to_string());
                "<unknown>".to_string()
            })
        })
        .collect();
    outcome.insert("PATH".to_string(), path.join(":"));
    for (name, value) in &model.exported {
        if !relevant(name) {
            continue;
        }
        match value {
            Some(value) => {
                outcome.insert(name.clone(), value.clone());
            }
            None => unknown.push(name.clone()),
        }
    }
    if unknown.is_empty() {
        Ok(Some(outcome))
    } else {
        Err(format!(
            "not evaluated: {} ({})",
            unknown.join(", "),
            model.notes.join("; ")
        ))
    }
}

/// `None` when the model and the shell agree; else what differs.
fn compare(case: &Case, run: &Run, shell: &str, ctx: &Context) -> Result<Option<String>, String> {
    let home_dir = tempdir();
    let home = home_dir.display().to_string();
    write_home(case, &home_dir);
    let env = start_env(run, &home, ctx);
    let result = real(run, shell, &home_dir, &env);
    // Real first: the model must not see files the shell creates (fish's
    // fish_variables, zsh's .zcompdump) that the shell itself did not read.
    let model = modelled(run, &home, &env, ctx);
    let _ = std::fs::remove_dir_all(&home_dir);
    let real = result?;
    let show = |o: &Outcome| match o {
        None => "    (ended before running the command)".to_string(),
        Some(o) => o
            .iter()
            .map(|(k, v)| format!("    {k}={}", v.replace(&home, "$HOME")))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    Ok(match model {
        Ok(model) if model == real => None,
        Ok(model) => Some(format!(
            "  real:\n{}\n  model:\n{}",
            show(&real),
            show(&model)
        )),
        Err(why) => Some(format!(
            "  real:\n{}\n  model: {}",
            show(&real),
            why.replace(&home, "$HOME")
        )),
    })
}

fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("envgate-oracle-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Removes snippets (then whole files and directories) while the difference stays.
fn minimize(case: &Case, run: &Run, shell: &str, ctx: &Context) -> (Case, String) {
    let fails = |c: &Case| matches!(compare(c, run, shell, ctx), Ok(Some(_)));
    let mut best = case.clone();
    let mut changed = true;
    while changed {
        changed = false;
        let files: Vec<&'static str> = best.files.keys().copied().collect();
        for file in files {
            let mut without = best.clone();
            without.files.remove(file);
            if fails(&without) {
                best = without;
                changed = true;
                continue;
            }
            let count = best.files[file].len();
            for index in (0..count).rev() {
                let mut without = best.clone();
                without.files.get_mut(file).unwrap().remove(index);
                if fails(&without) {
                    best = without;
                    changed = true;
                }
            }
        }
        for index in (0..best.dirs.len()).rev() {
            let mut without = best.clone();
            without.dirs.remove(index);
            if fails(&without) {
                best = without;
                changed = true;
            }
        }
    }
    let diff = compare(&best, run, shell, ctx)
        .ok()
        .flatten()
        .unwrap_or_default();
    (best, diff)
}

fn show_case(case: &Case) -> String {
    let mut out = String::new();
    for dir in &case.dirs {
        out.push_str(&format!("  mkdir -p $HOME/{dir}\n"));
    }
    for (file, snippets) in &case.files {
        out.push_str(&format!("  --- $HOME/{file}\n"));
        for line in snippets.join("\n").lines() {
            out.push_str(&format!("  | {line}\n"));
        }
    }
    out
}

#[test]
fn the_model_agrees_with_bash_zsh_fish_and_dash() {
    let cases: usize = std::env::var("ENVGATE_ORACLE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let seed: u64 = std::env::var("ENVGATE_ORACLE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    let mut shells = BTreeMap::new();
    for run in RUNS {
        match which(run.program) {
            Some(path) => {
                shells.insert(run.program, path);
            }
            None => eprintln!(
                "skipped: {} is not installed (.ci/deps/10-shells.sh installs it)",
                run.program
            ),
        }
    }
    if shells.is_empty() {
        eprintln!("skipped: none of bash, zsh, fish, dash is installed");
        return;
    }
    let ctx = context();
    let mut rng = Rng(seed);
    let generated: Vec<Case> = (0..cases).map(|_| generate(&mut rng)).collect();
    let runs: Vec<Run> = RUNS
        .iter()
        .copied()
        .filter(|r| shells.contains_key(r.program))
        .collect();
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 4);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    let compared = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(case) = generated.get(index) else { break };
                if !failures.lock().unwrap().is_empty() {
                    break;
                }
                for run in &runs {
                    let shell = &shells[run.program];
                    compared.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    match compare(case, run, shell, &ctx) {
                        Ok(None) => {}
                        Ok(Some(_)) => {
                            let (small, diff) = minimize(case, run, shell, &ctx);
                            failures.lock().unwrap().push(format!(
                                "case {index} (seed {seed}), `{}` disagrees with the model; minimized case:\n{}{diff}",
                                run.label(),
                                show_case(&small)
                            ));
                            break;
                        }
                        Err(error) => {
                            failures.lock().unwrap().push(format!("case {index}: {error}"));
                            break;
                        }
                    }
                }
            });
        }
    });
    let compared = compared.into_inner();
    let failures = failures.into_inner().unwrap();
    eprintln!(
        "shell oracle: {cases} generated cases, {} shell runs compared, {} shells ({}), seed {seed}",
        compared,
        shells.len(),
        shells.keys().copied().collect::<Vec<_>>().join(", ")
    );
    assert!(compared > 0, "nothing was compared");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
