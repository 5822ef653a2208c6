//! Parser and evaluator tests on the shapes real startup files have.

use std::path::Path;

use super::ast::{AssignValue, Node, Part, Simple};
use super::eval::{Evaluator, Identity, ShProgram, Shell, Spec, State};
use super::expand::{PathSeg, SegSource};
use super::files::{FileCache, Syntax};
use super::{parse_fish, parse_sh};
use crate::host::ImageHost;

fn simple(node: &Node) -> &Simple {
    match node {
        Node::Simple(s) => s,
        other => panic!("not a simple command: {other:?}"),
    }
}

fn scalar(simple: &Simple, index: usize) -> (&str, &str) {
    let assign = &simple.assigns[index];
    match &assign.value {
        AssignValue::Scalar(word) => (assign.name.as_str(), word.raw.as_str()),
        AssignValue::Array(_) => panic!("array"),
    }
}

#[test]
fn quotes_and_escapes() {
    let script = parse_sh(r#"echo 'a b' "c $HOME d" e\ f $'g\n' "" x"$(id -u)"y"#);
    let words = &simple(&script.nodes[0]).words;
    assert_eq!(words.len(), 7);
    assert_eq!(words[1].literal().as_deref(), Some("a b"));
    assert!(matches!(&words[2].parts[1], Part::Param { name, .. } if name == "HOME"));
    assert_eq!(words[3].literal().as_deref(), Some("e f"));
    assert_eq!(words[4].literal().as_deref(), Some("g\n"));
    assert_eq!(words[5].literal().as_deref(), Some(""));
    assert!(matches!(&words[6].parts[1], Part::CmdSub { text } if text == "id -u"));
}

#[test]
fn assignments_and_exports() {
    let script = parse_sh(
        "export A=B C=D\nPATH=\"$HOME/go/bin:$PATH\"\nexport PATH=$PATH:/usr/local/go/bin\nX=1 cmd\n",
    );
    let export = simple(&script.nodes[0]);
    assert_eq!(export.words.len(), 3);
    assert_eq!(export.words[1].raw, "A=B");
    let path = simple(&script.nodes[1]);
    assert_eq!(scalar(path, 0), ("PATH", "\"$HOME/go/bin:$PATH\""));
    assert_eq!(path.line, 2);
    assert_eq!(simple(&script.nodes[2]).line, 3);
    let prefixed = simple(&script.nodes[3]);
    assert_eq!(scalar(prefixed, 0), ("X", "1"));
    assert_eq!(prefixed.words[0].literal().as_deref(), Some("cmd"));
}

#[test]
fn sourcing_forms() {
    let script = parse_sh(". ~/.bashrc\nsource \"$HOME/.cargo/env\"\n[ -f ~/.x ] && . ~/.x\n");
    assert_eq!(simple(&script.nodes[0]).words[1].raw, "~/.bashrc");
    assert_eq!(
        simple(&script.nodes[1]).words[1].raw,
        "\"$HOME/.cargo/env\""
    );
    assert!(matches!(&script.nodes[2], Node::AndOr { rest, .. } if rest.len() == 1));
}

#[test]
fn debian_bashrc_guard_and_control_flow() {
    let text = "# ~/.bashrc\ncase $- in\n    *i*) ;;\n      *) return;;\nesac\nHISTSIZE=1000\nif [ -f ~/.bash_aliases ]; then\n    . ~/.bash_aliases\nfi\nexport PATH=\"$PATH:$HOME/go/bin\"\n";
    let script = parse_sh(text);
    assert!(matches!(&script.nodes[0], Node::Case { line: 2, arms, .. } if arms.len() == 2));
    assert!(matches!(&script.nodes[2], Node::If { line: 7, .. }));
    assert_eq!(simple(&script.nodes[3]).line, 10);
}

#[test]
fn here_documents_and_functions_are_skipped_honestly() {
    let text = "cat <<EOF > /tmp/x\nPATH=/not/a/real/assignment\nEOF\nf() {\n  PATH=/inside/function\n}\nfunction g { echo hi; }\nexport GOPATH=$HOME/go\n";
    let script = parse_sh(text);
    assert_eq!(script.skipped.len(), 1);
    assert_eq!(script.skipped[0].line, 2);
    assert_eq!(script.skipped[0].end_line, 3);
    assert!(
        matches!(&script.nodes[1], Node::Function { name, line: 4, end_line: 6, .. } if name == "f")
    );
    assert!(matches!(&script.nodes[2], Node::Function { name, .. } if name == "g"));
    assert_eq!(simple(&script.nodes[3]).line, 8);
}

#[test]
fn broken_lines_are_recorded_and_parsing_goes_on() {
    let text = "export A=\"unterminated\nfi\nexport B=1\n";
    let script = parse_sh(text);
    let unparsed: Vec<usize> = script
        .nodes
        .iter()
        .filter_map(|n| match n {
            Node::Unparsed { line, .. } => Some(*line),
            _ => None,
        })
        .collect();
    assert!(!unparsed.is_empty(), "{script:?}");
    assert!(
        script
            .nodes
            .iter()
            .any(|n| matches!(n, Node::Simple(s) if s.line == 3))
    );
}

#[test]
fn zsh_arrays_and_double_brackets() {
    let script =
        parse_sh("path=($HOME/go/bin $path)\n[[ $- == *i* ]] || return\ntypeset -U path\n");
    let assign = &simple(&script.nodes[0]).assigns[0];
    assert!(matches!(&assign.value, AssignValue::Array(words) if words.len() == 2));
    assert!(matches!(&script.nodes[1], Node::AndOr { .. }));
}

#[test]
fn binary_junk_does_not_panic() {
    let junk: String = (0u8..=255).cycle().take(10_000).map(char::from).collect();
    let _ = parse_sh(&junk);
    let _ = parse_fish(&junk);
    let _ = parse_sh("$(((((((((((\n\"'`${{{{");
    let deep = "(".repeat(10_000);
    let _ = parse_sh(&deep);
    let _ = parse_sh(&"if true; then ".repeat(5_000));
}

#[test]
fn fish_config() {
    let text = "if status is-interactive\n    fish_add_path ~/go/bin\nend\nset -gx GOPATH $HOME/go\ngoenv init - | source\n";
    let script = parse_fish(text);
    assert!(matches!(&script.nodes[0], Node::If { line: 1, .. }));
    assert_eq!(simple(&script.nodes[1]).line, 4);
    assert!(matches!(&script.nodes[2], Node::Pipeline { line: 5, .. }));
}

/// An image root with the given files, for evaluator tests.
pub(super) fn image(files: &[(&str, &[u8])]) -> (tempfile::TempDir, ImageHost) {
    let dir = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let target = dir.path().join(path.trim_start_matches('/'));
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, contents).unwrap();
    }
    let host = ImageHost::new(dir.path()).unwrap();
    (dir, host)
}

pub(super) fn base_state() -> State {
    let mut state = State {
        path: ["/usr/local/bin", "/usr/bin", "/bin"]
            .iter()
            .map(|d| PathSeg::known(d, None, SegSource::Default))
            .collect::<Vec<_>>()
            .into(),
        ..State::default()
    };
    state.vars.insert(
        "HOME".into(),
        super::eval::Var {
            value: Some("/home/dev".into()),
            exported: true,
            origin: None,
            source: SegSource::Default,
            assumed: false,
        },
    );
    state
}

pub(super) fn identity() -> Identity {
    Identity {
        uid: Some(1000),
        user: Some("dev".into()),
        home: Some("/home/dev".into()),
    }
}

fn run(host: &ImageHost, spec: Spec, files: &[&str]) -> (State, Vec<super::eval::FileRead>) {
    let mut cache = FileCache::default();
    let mut eval = Evaluator::new(host, &mut cache, spec, identity(), base_state());
    for file in files {
        eval.read_startup_file(file, Syntax::Sh);
    }
    (eval.state, eval.files_read)
}

fn dirs(state: &State) -> Vec<String> {
    state
        .path
        .iter()
        .map(|s| s.dir.clone().unwrap_or_else(|| format!("?{}", s.raw)))
        .collect()
}

pub(super) const BASH_LOGIN: Spec = Spec {
    shell: Shell::Bash,
    login: true,
    interactive: false,
    sh: ShProgram::Dash,
};

/// The desktop session on Debian: ~/.profile read by /bin/sh, which is dash.
const DASH_LOGIN: Spec = Spec {
    shell: Shell::Sh,
    ..BASH_LOGIN
};

const STOCK_PROFILE: &[u8] = b"if [ -n \"$BASH_VERSION\" ]; then\n    if [ -f \"$HOME/.bashrc\" ]; then\n\t. \"$HOME/.bashrc\"\n    fi\nfi\nif [ -d \"$HOME/bin\" ] ; then\n    PATH=\"$HOME/bin:$PATH\"\nfi\n";

const STOCK_BASHRC: &[u8] =
    b"case $- in\n    *i*) ;;\n      *) return;;\nesac\nexport PATH=\"$PATH:$HOME/go/bin\"\n";

#[test]
fn the_guard_keeps_bashrc_lines_from_non_interactive_shells() {
    let (_dir, host) = image(&[
        ("/home/dev/.profile", STOCK_PROFILE),
        ("/home/dev/.bashrc", STOCK_BASHRC),
        ("/home/dev/bin/.keep", b""),
    ]);
    let (state, read) = run(&host, BASH_LOGIN, &["/home/dev/.profile"]);
    assert_eq!(
        dirs(&state),
        ["/home/dev/bin", "/usr/local/bin", "/usr/bin", "/bin"]
    );
    assert_eq!(read.len(), 2, "{read:?}");
    assert_eq!(read[1].via.as_ref().unwrap().line, 3);

    let interactive = Spec {
        interactive: true,
        ..BASH_LOGIN
    };
    let (state, _) = run(&host, interactive, &["/home/dev/.profile"]);
    let last = state.path.last().unwrap();
    assert_eq!(last.dir.as_deref(), Some("/home/dev/go/bin"));
    let origin = last.origin.as_ref().unwrap();
    assert_eq!(
        (origin.file.as_str(), origin.line),
        ("/home/dev/.bashrc", 5)
    );
    // The entry ~/.profile added keeps its own origin.
    assert_eq!(state.path[0].origin.as_ref().unwrap().line, 7);

    // sh (the desktop's Xsession) never reads ~/.bashrc from the stock ~/.profile.
    let sh = Spec {
        shell: Shell::Sh,
        ..BASH_LOGIN
    };
    let (_, read) = run(&host, sh, &["/home/dev/.profile"]);
    assert_eq!(read.len(), 1);
}

#[test]
fn exports_and_unknowns() {
    let (_dir, host) = image(&[(
        "/home/dev/.profile",
        b"export A=B C=D\nGOPATH=$HOME/go\nexport GOFLAGS\nGOFLAGS=-mod=mod\nexport PATH=$PATH:$(brew --prefix)/bin\nexport GOBIN=\"$(go env GOPATH)/bin\"\n[ \"$(id -u)\" -eq 1000 ] && export UID_OK=yes\n",
    )]);
    let (state, _) = run(&host, BASH_LOGIN, &["/home/dev/.profile"]);
    assert_eq!(state.vars["C"].value.as_deref(), Some("D"));
    assert!(state.vars["C"].exported);
    assert!(
        !state.vars["GOPATH"].exported,
        "assigned but never exported"
    );
    assert!(state.vars["GOFLAGS"].exported, "exported before it was set");
    let last = state.path.last().unwrap();
    assert_eq!(last.dir, None);
    assert_eq!(last.raw, "$(brew --prefix)/bin");
    // `go` is not on this PATH, so `$(go env GOPATH)` has no known answer.
    assert_eq!(state.vars["GOBIN"].value, None);
    assert_eq!(state.vars["UID_OK"].value.as_deref(), Some("yes"));
}

#[test]
fn profile_d_loop_and_functions() {
    let (_dir, host) = image(&[
        (
            "/etc/profile",
            b"pathmunge () {\n    case \":${PATH}:\" in\n        *:\"$1\":*) ;;\n        *) PATH=$PATH:$1 ;;\n    esac\n}\npathmunge /usr/sbin\npathmunge /bin\nif [ -d /etc/profile.d ]; then\n  for i in /etc/profile.d/*.sh; do\n    if [ -r $i ]; then\n      . $i\n    fi\n  done\n  unset i\nfi\n",
        ),
        ("/etc/profile.d/golang.sh", b"export PATH=$PATH:/usr/local/go/bin\n"),
        ("/etc/profile.d/z.txt", b"PATH=/wrong\n"),
    ]);
    let (state, read) = run(&host, BASH_LOGIN, &["/etc/profile"]);
    assert_eq!(
        dirs(&state),
        [
            "/usr/local/bin",
            "/usr/bin",
            "/bin",
            "/usr/sbin",
            "/usr/local/go/bin"
        ]
    );
    assert_eq!(read[1].path, "/etc/profile.d/golang.sh");
    assert_eq!(read[1].via.as_ref().unwrap().line, 12);
}

#[test]
fn profiles_sourcing_each_other_stop_at_the_cycle() {
    let (dir, host) = image(&[
        ("/home/dev/.profile", b". ~/.bash_profile\nexport A=1\n"),
        ("/home/dev/real_bash_profile", b". ~/.profile\nexport B=2\n"),
    ]);
    std::os::unix::fs::symlink(
        "real_bash_profile",
        dir.path().join("home/dev/.bash_profile"),
    )
    .unwrap();
    // And a link loop that cannot be read at all.
    std::os::unix::fs::symlink("loop_b", dir.path().join("home/dev/loop_a")).unwrap();
    std::os::unix::fs::symlink("loop_a", dir.path().join("home/dev/loop_b")).unwrap();
    let (state, read) = run(
        &host,
        BASH_LOGIN,
        &["/home/dev/.profile", "/home/dev/loop_a"],
    );
    let statuses: Vec<&str> = read.iter().map(|r| r.status).collect();
    assert_eq!(statuses, ["read", "read", "cycle", "unreadable"]);
    assert_eq!(state.vars["A"].value.as_deref(), Some("1"));
    assert_eq!(state.vars["B"].value.as_deref(), Some("2"));
}

#[test]
fn huge_and_binary_files_are_facts_not_failures() {
    let mut big = b"export GOPATH=$HOME/go\n".to_vec();
    big.extend(
        std::iter::repeat_n(b"# padding line of a two megabyte profile\n", 50_000).flatten(),
    );
    big.extend(b"export LATE=1\n");
    let (_dir, host) = image(&[
        ("/home/dev/.profile", &big),
        ("/home/dev/.bashrc", b"\x7fELF\x00\x00binary"),
    ]);
    assert!(big.len() > 2_000_000);
    let (state, read) = run(
        &host,
        BASH_LOGIN,
        &["/home/dev/.profile", "/home/dev/.bashrc"],
    );
    assert_eq!(read[0].status, "truncated");
    assert_eq!(read[1].status, "binary");
    assert!(state.vars.contains_key("GOPATH"));
    assert!(!state.vars.contains_key("LATE"));
}

#[test]
fn zsh_path_array_and_emulate() {
    let (_dir, host) = image(&[
        (
            "/home/dev/.zprofile",
            b"path=($HOME/go/bin $path)\nemulate sh -c '. ~/.profile'\n",
        ),
        (
            "/home/dev/.profile",
            b"export PATH=\"$PATH:/usr/local/go/bin\"\n",
        ),
    ]);
    let zsh = Spec {
        shell: Shell::Zsh,
        ..BASH_LOGIN
    };
    let (state, read) = run(&host, zsh, &["/home/dev/.zprofile"]);
    assert_eq!(
        dirs(&state),
        [
            "/home/dev/go/bin",
            "/usr/local/bin",
            "/usr/bin",
            "/bin",
            "/usr/local/go/bin"
        ]
    );
    assert_eq!(read[1].via.as_ref().unwrap().line, 2);
}

#[test]
fn activations_are_modelled() {
    let (_dir, host) = image(&[
        (
            "/home/dev/.bashrc",
            b"eval \"$(goenv init -)\"\n. \"$HOME/.asdf/asdf.sh\"\nGOENV_PATH_ORDER=front eval \"$(goenv init -)\"\n",
        ),
        ("/home/dev/.asdf/asdf.sh", b"PATH=/must/not/be/read\n"),
    ]);
    let mut cache = FileCache::default();
    let mut eval = Evaluator::new(&host, &mut cache, BASH_LOGIN, identity(), base_state());
    eval.read_startup_file("/home/dev/.bashrc", Syntax::Sh);
    let managers: Vec<&str> = eval
        .activations
        .iter()
        .map(|a| a.manager.as_str())
        .collect();
    assert_eq!(managers, ["goenv", "asdf", "goenv"]);
    assert_eq!(
        dirs(&eval.state),
        [
            "/home/dev/.asdf/shims",
            "/home/dev/.asdf/bin",
            "/usr/local/bin",
            "/usr/bin",
            "/bin",
            "/home/dev/.goenv/shims"
        ]
    );
    assert_eq!(eval.files_read.len(), 1, "asdf.sh itself is not read");
}

/// gvm's installer line, as bash and as dash read it.
const GVM_LINE: &[u8] =
    b"export A=1\n[[ -s \"/home/dev/.gvm/scripts/gvm\" ]] && source \"/home/dev/.gvm/scripts/gvm\"\nexport B=2\n";

fn gvm_image(profile: &[u8]) -> (tempfile::TempDir, ImageHost) {
    image(&[
        ("/home/dev/.profile", profile),
        ("/home/dev/.gvm/scripts/gvm", b"export GVM_ROOT=/home/dev/.gvm\n"),
        (
            "/home/dev/.gvm/environments/default",
            b"export GOROOT; GOROOT=\"/home/dev/.gvm/gos/go1.26.4\"\nexport PATH; PATH=\"/home/dev/.gvm/gos/go1.26.4/bin:${PATH}\"\n",
        ),
    ])
}

#[test]
fn gvm_activation_records_the_files_it_read() {
    let (_dir, host) = gvm_image(GVM_LINE);
    let mut cache = FileCache::default();
    let mut eval = Evaluator::new(&host, &mut cache, BASH_LOGIN, identity(), base_state());
    eval.read_startup_file("/home/dev/.profile", Syntax::Sh);
    assert_eq!(eval.activations.len(), 1);
    let activation = &eval.activations[0];
    assert_eq!(activation.origin.line, 2);
    assert_eq!(activation.reads, ["/home/dev/.gvm/environments/default"]);
    assert_eq!(dirs(&eval.state)[0], "/home/dev/.gvm/gos/go1.26.4/bin");
    assert!(eval.unsupported.is_empty());
}

#[test]
fn dash_has_no_source_nor_double_brackets() {
    let (_dir, host) = gvm_image(GVM_LINE);
    let mut cache = FileCache::default();
    let mut eval = Evaluator::new(&host, &mut cache, DASH_LOGIN, identity(), base_state());
    eval.read_startup_file("/home/dev/.profile", Syntax::Sh);
    assert!(
        eval.activations.is_empty(),
        "`[[` fails, so nothing is sourced"
    );
    assert_eq!(dirs(&eval.state), ["/usr/local/bin", "/usr/bin", "/bin"]);
    assert_eq!(
        eval.state.vars["B"].value.as_deref(),
        Some("2"),
        "dash goes on"
    );
    let failed: Vec<(usize, &str, bool)> = eval
        .unsupported
        .iter()
        .map(|u| (u.origin.line, u.command.as_str(), u.stops))
        .collect();
    assert_eq!(failed, [(2, "[[", false)]);

    // `source` alone is "not found" too, and `! shopt -oq posix` holds in dash.
    let (_dir, host) = image(&[
        (
            "/home/dev/.profile",
            b"source \"$HOME/.goenv.sh\"\nif ! shopt -oq posix; then\n  export NOT_POSIX=1\nfi\n",
        ),
        ("/home/dev/.goenv.sh", b"export GOPATH=/x\n"),
    ]);
    let mut cache = FileCache::default();
    let mut eval = Evaluator::new(&host, &mut cache, DASH_LOGIN, identity(), base_state());
    eval.read_startup_file("/home/dev/.profile", Syntax::Sh);
    assert!(!eval.state.vars.contains_key("GOPATH"));
    assert_eq!(eval.files_read.len(), 1, "{:?}", eval.files_read);
    assert!(eval.state.vars.contains_key("NOT_POSIX"));
    let commands: Vec<&str> = eval
        .unsupported
        .iter()
        .map(|u| u.command.as_str())
        .collect();
    assert_eq!(commands, ["source", "shopt"]);

    // bash started as sh keeps all three.
    let bash_as_sh = Spec {
        sh: ShProgram::Bash,
        ..DASH_LOGIN
    };
    let mut cache = FileCache::default();
    let mut eval = Evaluator::new(&host, &mut cache, bash_as_sh, identity(), base_state());
    eval.read_startup_file("/home/dev/.profile", Syntax::Sh);
    assert_eq!(eval.state.vars["GOPATH"].value.as_deref(), Some("/x"));
    assert!(!eval.state.vars.contains_key("NOT_POSIX"));
    assert!(eval.unsupported.is_empty());
}

#[test]
fn dash_sourcing_gvm_stops_at_its_bash_functions() {
    let (_dir, host) =
        gvm_image(b"export A=1\n[ -s \"$HOME/.gvm/scripts/gvm\" ] && . \"$HOME/.gvm/scripts/gvm\"\nexport B=2\n");
    let mut cache = FileCache::default();
    let mut eval = Evaluator::new(&host, &mut cache, DASH_LOGIN, identity(), base_state());
    eval.read_startup_file("/home/dev/.profile", Syntax::Sh);
    eval.read_startup_file("/home/dev/.xprofile", Syntax::Sh);
    assert!(eval.exited, "a syntax error in a sourced file ends dash");
    assert!(eval.activations.is_empty());
    assert!(!eval.state.vars.contains_key("B"));
    assert_eq!(eval.files_read.len(), 1, "nothing after it is read");
    let failed: Vec<(usize, &str, bool)> = eval
        .unsupported
        .iter()
        .map(|u| (u.origin.line, u.command.as_str(), u.stops))
        .collect();
    assert_eq!(failed, [(2, ".", true)]);
}

#[test]
fn fish_sessions() {
    let (_dir, host) = image(&[
        (
            "/home/dev/.config/fish/config.fish",
            b"if status is-interactive\n    fish_add_path ~/go/bin\nend\nset -gx PATH /opt/go/bin $PATH\nset -gx GOPROXY https://proxy.example,direct\n",
        ),
        ("/home/dev/go/bin/.keep", b""),
    ]);
    let fish = Spec {
        shell: Shell::Fish,
        login: true,
        interactive: true,
        sh: ShProgram::Dash,
    };
    let mut cache = FileCache::default();
    let mut eval = Evaluator::new(&host, &mut cache, fish, identity(), base_state());
    eval.read_startup_file("/home/dev/.config/fish/config.fish", Syntax::Fish);
    assert_eq!(
        dirs(&eval.state),
        [
            "/opt/go/bin",
            "/home/dev/go/bin",
            "/usr/local/bin",
            "/usr/bin",
            "/bin"
        ]
    );
    assert!(eval.state.vars["GOPROXY"].exported);
    assert!(Path::new("/").is_absolute());
}
