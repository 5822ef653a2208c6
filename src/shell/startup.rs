//! Which startup files a shell reads, in which order, for each way it is started
//! (login or not, interactive or not), as bash(1) INVOCATION, zsh(1) STARTUP/SHUTDOWN
//! FILES, dash(1) Invocation and fish's `config.fish` documentation describe them.
//!
//! The same function serves the snapshot's sessions and the oracle tests that compare
//! the model with the real shells (`tests/shell_oracle.rs`), so what those tests check
//! is what envgate reports.

use std::collections::BTreeMap;
use std::path::Path;

use super::eval::{Evaluator, Shell, Spec};
use super::files::Syntax;

/// Reads the startup files `eval.spec` reads, in order, into `eval.state`.
///
/// - bash, login: `/etc/profile`, then the first of `~/.bash_profile`, `~/.bash_login`,
///   `~/.profile` that exists. Non-login interactive: `/etc/bash.bashrc` (Debian,
///   Ubuntu and Arch build bash with it; elsewhere the file does not exist) and
///   `~/.bashrc`. Non-login non-interactive: the file `$BASH_ENV` names.
/// - zsh: `zshenv` always, `zprofile` and `zlogin` for a login, `zshrc` when
///   interactive; each from `/etc/zsh` (Debian's build) or `/etc`, then from
///   `$ZDOTDIR` (set by a zshenv) or `$HOME`.
/// - sh (dash): login: `/etc/profile`, `~/.profile`; interactive: then the file `$ENV`
///   names.
/// - fish: every `conf.d/*.fish` (the user's directory, the system's, the vendors'),
///   `/etc/fish/config.fish`, `~/.config/fish/config.fish`, whatever the mode (the
///   files test `status is-login` themselves).
pub fn read_startup_files(eval: &mut Evaluator<'_>) {
    let spec = eval.spec;
    let home = eval
        .home()
        .map(|h| h.trim_end_matches('/').to_string())
        .filter(|h| !h.is_empty());
    let user = |name: &str| home.as_ref().map(|h| format!("{h}/{name}"));
    match spec.shell {
        Shell::Bash if spec.login => {
            read_if_exists(eval, "/etc/profile", Syntax::Sh);
            // bash reads the first of these that exists, and only that one.
            for name in [".bash_profile", ".bash_login", ".profile"] {
                if let Some(path) = user(name)
                    && eval.file_exists(&path, Syntax::Sh)
                {
                    eval.read_startup_file(&path, Syntax::Sh);
                    break;
                }
            }
        }
        Shell::Bash if spec.interactive => {
            read_if_exists(eval, "/etc/bash.bashrc", Syntax::Sh);
            if let Some(path) = user(".bashrc") {
                read_if_exists(eval, &path, Syntax::Sh);
            }
        }
        Shell::Bash => read_named_by(eval, "BASH_ENV"),
        Shell::Sh => {
            if spec.login {
                read_if_exists(eval, "/etc/profile", Syntax::Sh);
                if let Some(path) = user(".profile") {
                    read_if_exists(eval, &path, Syntax::Sh);
                }
            }
            if spec.interactive {
                read_named_by(eval, "ENV");
            }
        }
        Shell::Zsh => read_zsh_files(eval, spec, home.as_deref()),
        Shell::Fish => read_fish_files(eval, home.as_deref()),
    }
}

fn read_zsh_files(eval: &mut Evaluator<'_>, spec: Spec, home: Option<&str>) {
    let steps: [(&str, bool); 4] = [
        ("zshenv", true),
        ("zprofile", spec.login),
        ("zshrc", spec.interactive),
        ("zlogin", spec.login),
    ];
    for (name, wanted) in steps {
        if !wanted || eval.exited {
            continue;
        }
        // Debian builds zsh with /etc/zsh; others use /etc directly.
        let debian = format!("/etc/zsh/{name}");
        let system = if eval.file_exists(&debian, Syntax::Sh) {
            debian
        } else {
            format!("/etc/{name}")
        };
        read_if_exists(eval, &system, Syntax::Sh);
        // $ZDOTDIR (set in a zshenv) moves the user's files.
        let dotdir = eval
            .state
            .vars
            .get("ZDOTDIR")
            .and_then(|v| v.value.clone())
            .filter(|v| !v.is_empty())
            .or_else(|| home.map(str::to_string));
        if let Some(dotdir) = dotdir {
            let path = format!("{}/.{name}", dotdir.trim_end_matches('/'));
            read_if_exists(eval, &path, Syntax::Sh);
        }
    }
}

fn read_fish_files(eval: &mut Evaluator<'_>, home: Option<&str>) {
    let host = eval.host;
    // fish's share/config.fish sources, directory by directory, the user's conf.d,
    // the system's, then the vendor directories (Debian's 00debian-profile.fish puts
    // /etc/profile's PATH on a login fish), each in name order, skipping a name an
    // earlier directory had: a user file masks the system file of the same name.
    let mut dirs: Vec<String> = home
        .map(|h| format!("{h}/.config/fish/conf.d"))
        .into_iter()
        .collect();
    dirs.push("/etc/fish/conf.d".to_string());
    dirs.extend(home.map(|h| format!("{h}/.local/share/fish/vendor_conf.d")));
    dirs.extend(
        [
            "/usr/local/share/fish/vendor_conf.d",
            "/usr/share/fish/vendor_conf.d",
        ]
        .map(str::to_string),
    );
    let mut seen = std::collections::BTreeSet::new();
    let mut snippets = Vec::new();
    for dir in dirs {
        let mut names = host.read_dir(Path::new(&dir)).unwrap_or_default();
        names.sort();
        for name in names {
            if name.ends_with(".fish") && seen.insert(name.clone()) {
                snippets.push(format!("{dir}/{name}"));
            }
        }
    }
    for path in snippets {
        read_if_exists(eval, &path, Syntax::Fish);
    }
    read_if_exists(eval, "/etc/fish/config.fish", Syntax::Fish);
    if let Some(home) = home {
        read_if_exists(
            eval,
            &format!("{home}/.config/fish/config.fish"),
            Syntax::Fish,
        );
    }
}

/// `$BASH_ENV` / `$ENV`: the shell expands the variable's value and reads that file.
/// Only an absolute path is followed (a relative one depends on the working directory).
fn read_named_by(eval: &mut Evaluator<'_>, variable: &str) {
    let Some(path) = eval
        .state
        .vars
        .get(variable)
        .and_then(|v| v.value.clone())
        .filter(|p| p.starts_with('/'))
    else {
        return;
    };
    read_if_exists(eval, &path, Syntax::Sh);
}

fn read_if_exists(eval: &mut Evaluator<'_>, path: &str, syntax: Syntax) {
    if eval.file_exists(path, syntax) {
        eval.read_startup_file(path, syntax);
    }
}

/// What a shell started with a given environment ends with, as the model sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modelled {
    /// PATH, entry by entry; `None` for an entry that could not be evaluated.
    pub path: Vec<Option<String>>,
    /// Exported variables other than PATH; `None` for a value not evaluated.
    pub exported: BTreeMap<String, Option<String>>,
    /// What the evaluator could not evaluate, as `file:line: what`.
    pub notes: Vec<String>,
    /// The shell ended while reading its startup files (`exit`, a fatal error): it
    /// never runs the command it was started for.
    pub ended: bool,
}

/// Starts `spec`'s shell on `env` (what `env -i NAME=VALUE… shell` gives it) and reads
/// its startup files: the entry point of the oracle tests, which run the real shell the
/// same way and compare.
pub fn model_shell(
    host: &dyn crate::host::Host,
    spec: Spec,
    identity: super::eval::Identity,
    env: &BTreeMap<String, String>,
) -> Modelled {
    use super::eval::{State, Var};
    use super::expand::{PathSeg, SegSource};
    let mut state = State::default();
    for (name, value) in env {
        if name == "PATH" {
            state.path = std::rc::Rc::new(
                value
                    .split(':')
                    .map(|d| PathSeg::known(d, None, SegSource::Default))
                    .collect(),
            );
        } else {
            let var = Var {
                value: Some(value.clone()),
                exported: true,
                origin: None,
                source: SegSource::Default,
                assumed: false,
            };
            state.vars.insert(name.clone(), var);
        }
    }
    let mut cache = super::files::FileCache::default();
    let mut eval = Evaluator::new(host, &mut cache, spec, identity, state);
    read_startup_files(&mut eval);
    Modelled {
        path: eval.state.path.iter().map(|s| s.dir.clone()).collect(),
        exported: eval
            .state
            .vars
            .iter()
            .filter(|(_, v)| v.exported)
            .map(|(name, v)| (name.clone(), v.value.clone()))
            .collect(),
        notes: eval
            .notes
            .iter()
            .map(|n| format!("{}:{}: {}", n.origin.file, n.origin.line, n.what))
            .collect(),
        ended: eval.exited,
    }
}
