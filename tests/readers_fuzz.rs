//! Hostile input for the readers `files_fuzz.rs` does not cover: the shell model
//! (sh/bash/zsh parse and evaluate, fish), go.mod/go.work, dotenv and Dockerfile
//! mutations, and the ELF/PE/Mach-O header and Go build-info readers.
//!
//! Each case is pseudo-random bytes or a real input mutated (cut short, bytes flipped,
//! shell-significant tokens inserted, a slice repeated), from a fixed seed so a failure
//! is reproducible: the message names the reader and the case. Nothing may panic, and
//! every case runs on a thread with a 2 MiB stack (the main and parsing threads have
//! 8), so a recursion that escaped the nesting limits crashes here rather than on a
//! user's machine. A case that never ends fails after a generous wait instead of
//! hanging the suite; nothing is asserted about how long a case takes.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use envgate::binary::synth::{Form, fake_go_elf, fake_go_elf_with, fake_pe};
use envgate::files::detect::Syntax;
use envgate::host::ImageHost;
use envgate::shell::eval::{Identity, ShProgram, Shell, Spec};
use envgate::shell::startup::model_shell;

/// Long enough for any case in a debug build on a busy machine; only a hang gets here.
const HANG: Duration = Duration::from_secs(120);

/// Runs `case` on a 2 MiB stack; a panic or a hang fails with `what`.
fn guarded<T: Send + 'static>(what: String, case: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, wait) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let _ = done.send(case());
        })
        .unwrap();
    match wait.recv_timeout(HANG) {
        Ok(value) => {
            thread.join().unwrap();
            value
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: did not finish"),
    }
}

/// xorshift64*: the same cases on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// Tokens that open or close something in one of the readers.
const TOKENS: &[&[u8]] = &[
    b"$(",
    b"`",
    b"${",
    b"}",
    b"((",
    b"))",
    b"[[",
    b"]]",
    b"\"",
    b"'",
    b"\\",
    b"<<EOF\n",
    b"\nEOF\n",
    b"$'",
    b"if ",
    b"; then",
    b"fi",
    b"case x in",
    b"esac",
    b"for i in a; do",
    b"done",
    b"function f {",
    b"end\n",
    b"begin",
    b"set -gx PATH ",
    b"export PATH=",
    b". ./x",
    b"source ~/.x",
    b"eval \"$x\"",
    b"\0",
    b"\xff\xfe",
    b"\n",
    b"(",
    b")",
    b"require (",
    b"replace a => b v1",
    b"\t",
    b"=",
    b"#",
    b"ARG X=$Y\n",
    b"RUN \\\n",
];

/// One mutation of `seed`: cut, flipped bytes, inserted tokens or a repeated slice.
fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 => bytes.truncate(at),
            1 => {
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
            2 | 3 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                bytes.splice(at..at, token.iter().copied());
            }
            _ => {
                let end = (at + rng.below(64)).min(bytes.len());
                let slice = bytes[at..end].to_vec();
                for _ in 0..rng.below(8) {
                    bytes.splice(at..at, slice.iter().copied());
                }
            }
        }
    }
    bytes
}

/// `count` inputs: mutations of the seeds, and every tenth one random bytes.
fn inputs(rng: &mut Rng, seeds: &[Vec<u8>], count: usize) -> Vec<Vec<u8>> {
    (0..count)
        .map(|i| {
            if i % 10 == 9 {
                let len = rng.below(512);
                rng.bytes(len)
            } else {
                mutate(rng, &seeds[i % seeds.len()])
            }
        })
        .collect()
}

const SH_SEEDS: &[&str] = &[
    "export PATH=\"$HOME/go/bin:$PATH\"\nexport GOPATH=$HOME/go\n",
    "if [ -d \"$HOME/.goenv\" ]; then\n  export GOENV_ROOT=\"$HOME/.goenv\"\n  PATH=\"$GOENV_ROOT/bin:$PATH\"\n  eval \"$(goenv init -)\"\nfi\n",
    "case \"$-\" in *i*) ;; *) return;; esac\nfor d in /usr/local/go/bin \"$HOME/bin\"; do\n  [ -d \"$d\" ] && PATH=\"$d:$PATH\"\ndone\n",
    "f() { local x=${1:-/opt/go}; PATH=${x}/bin:${PATH#/usr/bin:}; }\nf \"$GOROOT\"\n[[ -s \"$HOME/.gvm/scripts/gvm\" ]] && source \"$HOME/.gvm/scripts/gvm\"\n",
    "arr=(a b \"c d\")\nfor x in \"${arr[@]}\"; do PATH=$PATH:$x; done\ntypeset -U path\npath=(~/go/bin $path)\n",
    "cat <<EOF >/dev/null\n$(rm -rf /)\nEOF\nx=$((1 + 2 * (3 - 1)))\nwhile false; do :; done\nexport GOFLAGS='-mod=mod'\n",
    ". \"$HOME/.profile\"\nsource ~/.bashrc\nalias go='go1.21'\nexport PATH=$(echo $PATH | tr : '\\n' | grep -v snap | paste -sd:)\n",
];

const FISH_SEEDS: &[&str] = &[
    "set -gx PATH $HOME/go/bin $PATH\nset -x GOPATH ~/go\n",
    "if test -d ~/.goenv\n  set -gx GOENV_ROOT ~/.goenv\n  fish_add_path $GOENV_ROOT/bin\n  status --is-interactive; and source (goenv init -|psub)\nend\n",
    "function f\n  set -l x $argv[1]\n  set -gx PATH $x/bin $PATH\nend\nf /opt/go\nfor d in /usr/local/go/bin $HOME/bin\n  contains $d $PATH; or set PATH $d $PATH\nend\n",
    "switch (uname)\ncase Linux\n  set -gx GOFLAGS \"-mod=mod\"\ncase '*'\n  echo {a,b}\nend\nbegin; set -e GOROOT; end\n",
];

/// An image whose user `dev` logs in with every shell, all reading `text`.
fn image_with_startup_files(root: &Path, text: &[u8]) {
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(
        root.join("etc/passwd"),
        "dev:x:1000:1000::/home/dev:/bin/bash\n",
    )
    .unwrap();
    let home = root.join("home/dev");
    std::fs::create_dir_all(home.join(".config/fish")).unwrap();
    for name in [
        ".profile",
        ".bashrc",
        ".bash_profile",
        ".zshenv",
        ".zshrc",
        ".zprofile",
    ] {
        std::fs::write(home.join(name), text).unwrap();
    }
    std::fs::write(home.join(".config/fish/config.fish"), text).unwrap();
}

/// PATH as each shell ends with it, entry by entry.
fn model_every_shell(root: &Path) -> Vec<Vec<Option<String>>> {
    let host = ImageHost::new(root).unwrap();
    let identity = Identity {
        uid: Some(1000),
        user: Some("dev".into()),
        home: Some("/home/dev".into()),
    };
    let env = BTreeMap::from([
        ("HOME".to_string(), "/home/dev".to_string()),
        ("PATH".to_string(), "/usr/bin:/bin".to_string()),
    ]);
    let mut paths = Vec::new();
    for shell in [Shell::Bash, Shell::Zsh, Shell::Sh, Shell::Fish] {
        let spec = Spec {
            shell,
            login: true,
            interactive: shell != Shell::Sh,
            sh: ShProgram::Dash,
        };
        paths.push(model_shell(&host, spec, identity.clone(), &env).path);
    }
    paths
}

#[test]
fn the_shell_model_survives_mutated_and_random_startup_files() {
    let mut rng = Rng(0x5eed_0001);
    let seeds: Vec<Vec<u8>> = SH_SEEDS
        .iter()
        .chain(FISH_SEEDS)
        .map(|s| s.as_bytes().to_vec())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    // The unmutated seeds are modelled: the cases reach the evaluator, not only a
    // refusal.
    image_with_startup_files(&dir.path().join("seed"), SH_SEEDS[0].as_bytes());
    let paths = model_every_shell(&dir.path().join("seed"));
    assert_eq!(
        paths[0][0].as_deref(),
        Some("/home/dev/go/bin"),
        "{paths:?}"
    );
    image_with_startup_files(&dir.path().join("fish"), FISH_SEEDS[0].as_bytes());
    let paths = model_every_shell(&dir.path().join("fish"));
    assert_eq!(
        paths[3][0].as_deref(),
        Some("/home/dev/go/bin"),
        "{paths:?}"
    );
    for (case, text) in inputs(&mut rng, &seeds, 600).into_iter().enumerate() {
        let root = dir.path().join(case.to_string());
        image_with_startup_files(&root, &text);
        let shown = String::from_utf8_lossy(&text).into_owned();
        guarded(format!("shell case {case}: {shown:?}"), move || {
            model_every_shell(&root)
        });
    }
}

#[test]
fn the_shell_and_fish_parsers_survive_mutations_and_deep_nesting() {
    let mut rng = Rng(0x5eed_0002);
    let seeds: Vec<Vec<u8>> = SH_SEEDS
        .iter()
        .chain(FISH_SEEDS)
        .map(|s| s.as_bytes().to_vec())
        .collect();
    let mut texts: Vec<String> = inputs(&mut rng, &seeds, 4000)
        .iter()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    for open in [
        "$(",
        "(",
        "{ ",
        "${x:-",
        "\"$(",
        "`",
        "if true; then ",
        "begin\n",
        "f (",
        "[[ ",
    ] {
        texts.push(open.repeat(20_000));
    }
    for (case, text) in texts.into_iter().enumerate() {
        guarded(format!("parser case {case}"), move || {
            envgate::shell::parse_sh(&text);
            envgate::shell::parse_fish(&text);
        });
    }
}

const GO_MOD: &str = "module example.com/m\n\ngo 1.22.1\n\ntoolchain go1.22.3\n\nrequire (\n\tgolang.org/x/tools v0.20.0 // indirect\n\texample.com/a v1.0.0\n)\n\nreplace example.com/a => ../a\n\nreplace (\n\texample.com/b v1.2.3 => example.com/c v1.0.0\n)\n\nexclude example.com/d v0.1.0\n\nretract [v1.0.0, v1.0.5] // broken\n\ngodebug default=go1.21\n";
const GO_WORK: &str = "go 1.22\n\nuse (\n\t./a\n\t./b // comment\n)\n\nuse ./c\n\nreplace example.com/x v1.0.0 => ./x\n";

#[test]
fn go_mod_dotenv_and_dockerfile_readers_survive_mutations() {
    let mut rng = Rng(0x5eed_0003);
    let fixture = |name: &str| std::fs::read(format!("tests/fixtures/files/misc/{name}")).unwrap();
    let readers: [(Syntax, &str, Vec<Vec<u8>>); 4] = [
        (Syntax::GoMod, "go.mod", vec![GO_MOD.into()]),
        (Syntax::GoWork, "go.work", vec![GO_WORK.into()]),
        (Syntax::Dotenv, ".env", vec![fixture(".env")]),
        (
            Syntax::Dockerfile,
            "Dockerfile",
            vec![fixture("Dockerfile")],
        ),
    ];
    for (syntax, name, seeds) in readers {
        for (case, bytes) in inputs(&mut rng, &seeds, 2000).into_iter().enumerate() {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let what = format!("{name} case {case}: {text:?}");
            guarded(what, move || {
                let parsed = envgate::gomod::parse(name, &text);
                for problem in &parsed.errors {
                    // Messages are bounded whatever the file holds.
                    assert!(problem.message.chars().count() < 300, "{problem:?}");
                }
                for doc in envgate::files::parse_str(name, syntax, &text) {
                    if let Some(error) = doc.error {
                        assert!(error.line >= 1 && error.column >= 1, "{error:?}");
                    }
                }
            });
        }
    }
}

/// A thin 64-bit Mach-O with one `LC_SEGMENT_64` holding a `__go_buildinfo` section.
fn fake_macho() -> Vec<u8> {
    let mut out = Vec::new();
    let u32le = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    for v in [0xfeed_facf, 0x0100_0007, 3, 2, 1, 72 + 80, 0, 0] {
        u32le(&mut out, v);
    }
    u32le(&mut out, 0x19);
    u32le(&mut out, 72 + 80);
    let name = |out: &mut Vec<u8>, s: &str| {
        let mut field = [0u8; 16];
        field[..s.len()].copy_from_slice(s.as_bytes());
        out.extend_from_slice(&field);
    };
    name(&mut out, "__DATA");
    for v in [0x1000u64, 0x1000, 0x200, 0x100] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [3, 3, 1, 0] {
        u32le(&mut out, v);
    }
    name(&mut out, "__go_buildinfo");
    name(&mut out, "__DATA");
    for v in [0x1000u64, 0x100] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [0x200, 4, 0, 0, 0, 0, 0, 0] {
        u32le(&mut out, v);
    }
    out.resize(0x200, 0);
    let elf = fake_go_elf("amd64", "go1.22.1", None);
    // The ELF's build-info header, wherever the synthesizer put it.
    let magic = b"\xff Go buildinf:";
    if let Some(at) = elf.windows(magic.len()).position(|w| w == magic) {
        out.extend_from_slice(&elf[at..(at + 0x100).min(elf.len())]);
    }
    out.resize(0x300, 0);
    out
}

/// A fat Mach-O of two slices, both `thin`.
fn fake_fat(thin: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for v in [0xcafe_babe_u32, 2] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    for (i, cpu) in [0x0100_0007_u32, 0x0100_000c].into_iter().enumerate() {
        let offset = 0x1000 * (i as u32 + 1);
        for v in [cpu, 3, offset, thin.len() as u32, 12] {
            out.extend_from_slice(&v.to_be_bytes());
        }
    }
    for i in 1..=2 {
        out.resize(0x1000 * i, 0);
        out.extend_from_slice(thin);
    }
    out
}

#[test]
fn executable_and_build_info_readers_survive_mutations() {
    let mut rng = Rng(0x5eed_0004);
    let modinfo = "path\tcmd/go\nmod\tgolang.org/x/tools/gopls\tv0.15.2\th1:abc=\ndep\tgolang.org/x/mod\tv0.17.0\th1:def=\n";
    let macho = fake_macho();
    let mut seeds = vec![
        fake_go_elf("amd64", "go1.22.1", Some(modinfo)),
        fake_go_elf("386", "go1.20", Some(modinfo)),
        fake_go_elf_with("arm64", "go1.16", Some(modinfo), Form::Pointers, true),
        fake_go_elf_with("arm", "go1.17", Some(modinfo), Form::Pointers, false),
        fake_go_elf_with("riscv64", "go1.22.1", None, Form::Inline, false),
        fake_pe("amd64", "go1.22.1"),
        fake_pe("386", "go1.21.0"),
        fake_fat(&macho),
        macho,
    ];
    // Random bytes behind each magic reach the header readers themselves.
    for magic in [
        &b"\x7fELF\x02\x01\x01"[..],
        b"MZ",
        b"\xcf\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
    ] {
        let mut bytes = magic.to_vec();
        bytes.extend(rng.bytes(4096));
        seeds.push(bytes);
    }
    // Every seed reads, so the mutations start from real headers.
    for seed in &seeds[..9] {
        let info = envgate::binary::inspect(&mut Cursor::new(seed)).unwrap();
        assert_ne!(
            info,
            Default::default(),
            "a synthetic binary read as nothing"
        );
    }
    for (case, bytes) in inputs(&mut rng, &seeds, 6000).into_iter().enumerate() {
        guarded(format!("binary case {case}"), move || {
            // Err is a reader failure, which a Cursor never has; Ok is any answer.
            envgate::binary::inspect(&mut Cursor::new(bytes)).unwrap()
        });
    }
}
