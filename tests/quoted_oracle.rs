//! envgate's splitting of CC (`collect::quoted::split`, Go's cmd/internal/quoted.Split)
//! held to the real go command. A fake C compiler, copied into directories whose names
//! hold a space, a `'`, a `"` and a `\`, logs the argv it is started with; for each of a
//! few dozen seeded CC values, `go build` of a tiny cgo package (CGO_ENABLED=1, no
//! network, caches in a temporary directory) starts it, or says why it cannot:
//! `go: CC environment variable could not be parsed: …` (an unclosed quote),
//! `… is relative; must be absolute path: P` or `cgo: C compiler "P" not found`. The
//! split must give exactly the program go started and the arguments go put before its
//! own, and Go's parse error exactly when split fails. A disagreement is minimized,
//! then printed with the seed. Skipped with a printed reason when go is not installed.
//!
//! tests/quoted_oracle/goflags.rs does the same for GOFLAGS against each installed
//! toolchain, whose split changed in Go 1.20.

#[path = "quoted_oracle/goflags.rs"]
mod goflags;

use std::path::{Path, PathBuf};
use std::process::Command;

use envgate::collect::quoted;

/// CC values tried; each is one `go build` (~0.1 s once the standard library is cached).
const CASES: usize = 40;
const SEED: u64 = 0x0c0f_fee5_9117;
/// At most this many more builds to minimize a disagreement.
const MINIMIZE_BUDGET: usize = 40;

/// A deterministic generator (xorshift64*), so a failure reproduces.
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
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The go on PATH, else the official archive's place.
fn go_binary() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("go"))
            .find(|p| p.is_file())
    });
    on_path.or_else(|| {
        let fallback = PathBuf::from("/usr/local/go/bin/go");
        fallback.is_file().then_some(fallback)
    })
}

/// A go command with nothing from this machine's Go settings: caches and temporary
/// files in `dir`, no network, no toolchain switch, no `go env -w` file.
fn go_command(go: &Path, dir: &Path) -> Command {
    let mut cmd = Command::new(go);
    cmd.env_clear()
        .env("HOME", dir)
        .env("TMPDIR", dir)
        .env("GOCACHE", dir.join("cache"))
        .env("GOPATH", dir.join("gopath"))
        .env("GOENV", "off")
        .env("GOTOOLCHAIN", "local")
        .env("GOPROXY", "off")
        .env("GOFLAGS", "-mod=mod -buildvcs=false")
        .env("PATH", "/usr/bin:/bin");
    cmd
}

/// A module of one package, `cgo` choosing whether it imports "C".
fn tiny_module(dir: &Path, cgo: bool) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("go.mod"), "module tiny\n\ngo 1.19\n").map_err(|e| e.to_string())?;
    let source = if cgo {
        "package tiny\n\n// int one(void) { return 1; }\nimport \"C\"\n\nfunc One() int { return int(C.one()) }\n"
    } else {
        "package tiny\n\nfunc One() int { return 1 }\n"
    };
    std::fs::write(dir.join("tiny.go"), source).map_err(|e| e.to_string())
}

const FAKE_CC: &str = r#"package main

import (
	"os"
	"strings"
)

// Logs its argv, one file per start, and fails: the build stops at the first C step.
func main() {
	if f, err := os.CreateTemp(os.Getenv("FAKE_CC_LOG"), "call-"); err == nil {
		f.WriteString(strings.Join(os.Args, "\x00"))
		f.Close()
	}
	os.Exit(1)
}
"#;

/// The temporary world of the CC oracle.
struct Lab {
    dir: tempfile::TempDir,
    go: PathBuf,
    /// Where the fake compiler is, spelled with a space, quotes and a backslash.
    spaced: String,
    single: String,
    double: String,
    backslash: String,
    /// The first word cgo puts after CC's words, learnt from a CC without arguments.
    cgo_first: String,
}

impl Lab {
    fn new(go: PathBuf) -> Result<Lab, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let root = dir
            .path()
            .to_str()
            .ok_or("temporary directory is not UTF-8")?
            .to_string();
        let src = dir.path().join("fake-src");
        std::fs::create_dir_all(&src).map_err(|e| e.to_string())?;
        std::fs::write(src.join("main.go"), FAKE_CC).map_err(|e| e.to_string())?;
        std::fs::write(src.join("go.mod"), "module fake\n\ngo 1.19\n")
            .map_err(|e| e.to_string())?;
        let built = dir.path().join("fakecc.bin");
        let out = go_command(&go, dir.path())
            .args(["build", "-o"])
            .arg(&built)
            .arg(".")
            .env("CGO_ENABLED", "0")
            .current_dir(&src)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!(
                "cannot build the fake compiler: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let place = |rel: &str| -> Result<String, String> {
            let path = Path::new(&root).join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).map_err(|e| e.to_string())?;
            std::fs::copy(&built, &path).map_err(|e| e.to_string())?;
            Ok(path.to_str().unwrap().to_string())
        };
        place("bin/fakecc")?;
        let mut lab = Lab {
            spaced: place("my tools/fake cc")?,
            single: place("o'neil/cc")?,
            double: place("say\"hi\"/cc")?,
            backslash: place("back\\slash/cc")?,
            dir,
            go,
            cgo_first: String::new(),
        };
        std::fs::create_dir_all(lab.dir.path().join("log")).map_err(|e| e.to_string())?;
        tiny_module(&lab.dir.path().join("pkg"), true)?;
        match lab.build("fakecc") {
            Seen::Ran(calls) => {
                let first = calls.iter().find(|c| c.get(1).is_some_and(|w| w != "-###"));
                lab.cgo_first = first.and_then(|c| c.get(1)).cloned().ok_or_else(|| {
                    format!("CC=fakecc: no call with cgo's own arguments: {calls:?}")
                })?;
            }
            other => return Err(format!("CC=fakecc: go did not start it: {other:?}")),
        }
        Ok(lab)
    }

    /// `go build` of the cgo package with this CC, and what came of it.
    fn build(&self, cc: &str) -> Seen {
        let log = self.dir.path().join("log");
        for entry in std::fs::read_dir(&log).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
        let path = format!("{}:/usr/bin:/bin", self.dir.path().join("bin").display());
        let out = go_command(&self.go, self.dir.path())
            .args(["build", "."])
            .env("CGO_ENABLED", "1")
            .env("CC", cc)
            .env("PATH", path)
            .env("FAKE_CC_LOG", &log)
            .current_dir(self.dir.path().join("pkg"))
            .output()
            .expect("go runs");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let mut calls: Vec<Vec<String>> = std::fs::read_dir(&log)
            .unwrap()
            .map(|e| {
                let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
                text.split('\0').map(str::to_string).collect()
            })
            .collect();
        calls.sort();
        if let Some(rest) = stderr
            .lines()
            .find_map(|l| l.strip_prefix("go: CC environment variable could not be parsed: "))
        {
            return Seen::Unparsed(rest.to_string());
        }
        if let Some(rest) = stderr.lines().find_map(|l| {
            l.strip_prefix("go: CC environment variable is relative; must be absolute path: ")
        }) {
            return Seen::Program(rest.to_string());
        }
        if let Some(quoted) = stderr.lines().find_map(|l| {
            let rest = l.strip_prefix("cgo: C compiler ")?;
            Some(rest[..rest.find(" not found")?].to_string())
        }) {
            return match go_unquote(&quoted) {
                Some(program) => Seen::Program(program),
                None => Seen::Other(stderr),
            };
        }
        if calls.is_empty() {
            Seen::Other(stderr)
        } else {
            Seen::Ran(calls)
        }
    }

    /// What go did with `cc`, and why envgate's split disagrees, if it does.
    fn judge(&self, cc: &str) -> (Seen, Option<String>) {
        let split = quoted::split(cc);
        let seen = self.build(cc);
        let agree = match (&split, &seen) {
            (Err(ours), Seen::Unparsed(go)) => ours == go,
            (Ok(args), Seen::Program(program)) => args.first() == Some(program),
            (Ok(args), Seen::Ran(calls)) => calls.iter().all(|call| {
                // cmd/go's compiler-identity probe (gccToolID) passes only the program.
                let tool_id = call.get(1).is_some_and(|w| w == "-###");
                if tool_id {
                    args.first() == call.first()
                } else {
                    call.len() > args.len()
                        && call[..args.len()] == args[..]
                        && call[args.len()] == self.cgo_first
                }
            }),
            _ => false,
        };
        let why = (!agree).then(|| format!("envgate split: {split:?}\ngo: {seen:?}"));
        (seen, why)
    }
}

#[derive(Debug)]
enum Seen {
    /// Go's error from quoted.Split.
    Unparsed(String),
    /// The program go would not start (relative or not found).
    Program(String),
    /// The argv of each start of the fake compiler.
    Ran(Vec<Vec<String>>),
    /// Anything else: go's stderr (read through Debug when a case fails).
    #[allow(dead_code)]
    Other(String),
}

/// The string of a Go `%q` literal (strconv.Quote's escapes).
fn go_unquote(quoted: &str) -> Option<String> {
    let inner = quoted.strip_prefix('"')?.strip_suffix('"')?;
    let mut bytes = Vec::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let hex = |chars: &mut std::str::Chars, n: usize| -> Option<u32> {
            let digits: String = chars.by_ref().take(n).collect();
            u32::from_str_radix(&digits, 16).ok()
        };
        match chars.next()? {
            'a' => bytes.push(7),
            'b' => bytes.push(8),
            'f' => bytes.push(12),
            'n' => bytes.push(b'\n'),
            'r' => bytes.push(b'\r'),
            't' => bytes.push(b'\t'),
            'v' => bytes.push(11),
            '\\' => bytes.push(b'\\'),
            '"' => bytes.push(b'"'),
            'x' => bytes.push(u8::try_from(hex(&mut chars, 2)?).ok()?),
            'u' => bytes.extend(char::from_u32(hex(&mut chars, 4)?)?.to_string().bytes()),
            'U' => bytes.extend(char::from_u32(hex(&mut chars, 8)?)?.to_string().bytes()),
            _ => return None,
        }
    }
    String::from_utf8(bytes).ok()
}

/// A CC value as pieces (the program, separators, arguments), so that a failing one
/// can be shrunk piece by piece.
fn generate(rng: &mut Rng, lab: &Lab) -> Vec<String> {
    let (sp, si, dq, bs) = (&lab.spaced, &lab.single, &lab.double, &lab.backslash);
    let programs = [
        "fakecc".to_string(),
        format!("\"{sp}\""),
        format!("'{sp}'"),
        // Unquoted, the space ends the program: go looks for `…/my`.
        sp.clone(),
        // A quote inside a field is an ordinary character.
        si.clone(),
        format!("\"{si}\""),
        dq.clone(),
        format!("'{dq}'"),
        bs.clone(),
        format!("\"{bs}\""),
        // Unclosed.
        format!("'{sp}"),
        format!("\"{bs}"),
        "nosuchcc".to_string(),
        "\"\"".to_string(),
    ];
    let args = [
        "-O2",
        "-I'x y'",
        "\"a b\"",
        r"'c\d'",
        "\"\"",
        "''",
        "x\"y",
        r"a\ b",
        "-DX=\"1\"",
        "'it\"s'",
        "\"it's\"",
        "é",
        "\"a\"b",
        "'a'\"b\"",
        "-m64",
        r"\",
        "'",
        "\"",
        "\"open",
        "'open",
    ];
    let seps = [" ", "\t", "  ", "\n", " \r\n "];
    let mut pieces = Vec::new();
    if rng.chance(30) {
        pieces.push(rng.pick(&seps).to_string());
    }
    pieces.push(programs[(rng.next() % programs.len() as u64) as usize].clone());
    for _ in 0..rng.next() % 5 {
        // Sometimes no separator: a field may start right after a closing quote.
        if !rng.chance(15) {
            pieces.push(rng.pick(&seps).to_string());
        }
        pieces.push(rng.pick(&args).to_string());
    }
    if rng.chance(30) {
        pieces.push(rng.pick(&seps).to_string());
    }
    pieces
}

/// Drops pieces while go and envgate still disagree, within the budget.
fn minimize(lab: &Lab, mut pieces: Vec<String>) -> Vec<String> {
    let mut budget = MINIMIZE_BUDGET;
    let mut i = 0;
    while i < pieces.len() && budget > 0 {
        let mut fewer = pieces.clone();
        fewer.remove(i);
        budget -= 1;
        if !fewer.concat().trim().is_empty() && lab.judge(&fewer.concat()).1.is_some() {
            pieces = fewer;
        } else {
            i += 1;
        }
    }
    pieces
}

#[test]
fn cc_is_split_as_the_go_command_splits_it() {
    let Some(go) = go_binary() else {
        eprintln!("skipped: no Go toolchain (go on PATH or /usr/local/go/bin/go)");
        return;
    };
    let lab = match Lab::new(go) {
        Ok(lab) => lab,
        Err(reason) => panic!("the oracle could not be set up: {reason}"),
    };
    let mut rng = Rng(SEED);
    let (mut unparsed, mut ran, mut refused) = (0, 0, 0);
    for case in 0..CASES {
        let pieces = generate(&mut rng, &lab);
        let cc = pieces.concat();
        let (seen, why) = lab.judge(&cc);
        if let Some(why) = why {
            let small = minimize(&lab, pieces).concat();
            let why_small = lab.judge(&small).1.unwrap_or(why);
            panic!("seed {SEED:#x}, case {case}: CC={cc:?}\nminimized: CC={small:?}\n{why_small}");
        }
        match seen {
            Seen::Unparsed(_) => unparsed += 1,
            Seen::Ran(_) => ran += 1,
            _ => refused += 1,
        }
    }
    eprintln!(
        "CC held to {}: {unparsed} unparsed, {ran} ran, {refused} refused",
        lab.go.display()
    );
    // The generator must reach each of go's three outcomes, or the test proves less.
    assert!(
        unparsed > 0 && ran > 0 && refused > 0,
        "unparsed {unparsed}, ran {ran}, refused {refused}"
    );
}
