//! GOFLAGS split as each installed toolchain splits it (Go 1.19 at white space, Go 1.20
//! and newer with quotes): for seeded GOFLAGS values made of `-tags` and `-trimpath`
//! words, quoted or not, broken or not, `go list -f {{context.BuildTags}}` of a tiny
//! package either prints the tags of the last `-tags` or stops with
//! `go: parsing $GOFLAGS: …` at the first word it cannot take. envgate's split
//! (`split_goflags` with the toolchain's version) must predict exactly which. Each
//! toolchain that is not installed is skipped with a printed reason.

use std::path::{Path, PathBuf};

use envgate::collect::quoted;
use envgate::collect::split_goflags;
use envgate::snapshot::GoFlag;

use super::{Rng, go_command, tiny_module};

const CASES: usize = 30;
const SEED: u64 = 0x60f1_a95e;

/// The toolchains to hold it to: Debian's Go 1.19, the machine's, and the one that
/// .ci/deps/20-go-toolchains.sh fetches by GOTOOLCHAIN switching.
fn toolchains() -> Vec<(String, Result<PathBuf, String>)> {
    let cache = std::env::var_os("ENVGATE_CI_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/envgate-ci"));
    [
        PathBuf::from("/usr/lib/go-1.19/bin/go"),
        PathBuf::from("/usr/local/go/bin/go"),
        cache.join("go/pkg/mod/golang.org/toolchain@v0.0.1-go1.27.3.linux-amd64/bin/go"),
    ]
    .into_iter()
    .map(|go| {
        let found = if go.is_file() {
            Ok(go.clone())
        } else {
            Err("not installed (run .ci/deps/20-go-toolchains.sh)".to_string())
        };
        (go.display().to_string(), found)
    })
    .collect()
}

/// What `go list` does with a GOFLAGS value.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// `go: parsing $GOFLAGS: …`, the rest of the line.
    Refused(String),
    /// The build tags it printed (`[a b]`).
    Tags(String),
    /// `go: invalid value "…" for flag -tags (from $GOFLAGS): …`, the error at the end.
    Invalid(String),
}

/// What envgate's split says go will do.
fn predicted(flags: &[GoFlag], error: Option<String>, minor: u32) -> Outcome {
    if let Some(error) = error {
        return Outcome::Refused(error);
    }
    for flag in flags {
        match flag.name.as_deref() {
            // go quotes the word as it took it: quotes that grouped it are gone.
            None => {
                let grouped = minor >= 20 && flag.raw.starts_with(['\'', '"']);
                let word = if grouped {
                    &flag.raw[1..flag.raw.len() - 1]
                } else {
                    &flag.raw
                };
                return Outcome::Refused(format!("non-flag {}", go_quote(word)));
            }
            Some("tags" | "trimpath") => {}
            Some(name) => return Outcome::Refused(format!("unknown flag -{name}")),
        }
    }
    // The flags are then set in order; the last -tags wins, the first bad one stops go.
    let mut tags = Vec::new();
    for flag in flags.iter().filter(|f| f.name.as_deref() == Some("tags")) {
        let value = flag.value.as_deref().unwrap_or_default();
        // cmd/go's tagsFlag: quoted.Split for a value with a space or `'`, else commas.
        tags = if value.contains([' ', '\'']) {
            match quoted::split(value) {
                Ok(tags) => tags,
                Err(error) => return Outcome::Invalid(error),
            }
        } else {
            value
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect()
        };
    }
    Outcome::Tags(format!("[{}]", tags.join(" ")))
}

/// strconv.Quote for the printable text the generator makes.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push_str(r"\t"),
            '\n' => out.push_str(r"\n"),
            '\u{a0}' => out.push_str(r"\u00a0"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn observed(go: &Path, dir: &Path, goflags: &str) -> Outcome {
    let out = go_command(go, dir)
        .args(["list", "-f", "{{context.BuildTags}}", "."])
        .env("GOFLAGS", goflags)
        .current_dir(dir.join("pkg"))
        .output()
        .expect("go runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let invalid = stderr.lines().find_map(|l| {
        let rest = l.strip_prefix("go: invalid value ")?;
        Some(rest[rest.find(" (from $GOFLAGS): ")? + 18..].to_string())
    });
    if let Some(error) = invalid {
        return Outcome::Invalid(error);
    }
    match stderr
        .lines()
        .find_map(|l| l.strip_prefix("go: parsing $GOFLAGS: "))
    {
        Some(rest) => Outcome::Refused(rest.to_string()),
        None if out.status.success() => {
            Outcome::Tags(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
        }
        None => Outcome::Refused(format!("(unexpected) {stderr}")),
    }
}

fn generate(rng: &mut Rng) -> String {
    let words = [
        "-tags=a",
        "-tags=b,c",
        "--tags=d",
        "-trimpath",
        "'-tags=e f'",
        "\"-tags=g h\"",
        "'-tags=i'",
        "\"-tags=j,k\"",
        "'-trimpath'",
        "-tags='l m'",
        "zq",
        "'-zq x'",
        "-zq'",
        "\"-tags=o\"p",
        "-",
        "--",
        "-=v",
        "---x",
        "-tags=é",
        "\"-tags=q",
        "'open",
    ];
    let seps = [" ", "\t", "\n", "  ", "\u{a0}"];
    let mut value = String::new();
    for i in 0..1 + rng.next() % 4 {
        if i > 0 || rng.chance(20) {
            value.push_str(rng.pick(&seps));
        }
        value.push_str(rng.pick(&words));
    }
    value
}

/// The version's minor number from `go env GOVERSION` (`go1.26.8` -> 26).
fn minor(go: &Path, dir: &Path) -> Result<u32, String> {
    let out = go_command(go, dir)
        .args(["env", "GOVERSION"])
        .output()
        .map_err(|e| e.to_string())?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let rest = version
        .strip_prefix("go1.")
        .ok_or(format!("version {version:?}"))?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().map_err(|_| format!("version {version:?}"))
}

#[test]
fn goflags_are_split_as_each_toolchain_splits_them() {
    let mut judged = 0;
    let mut minors = Vec::new();
    for (name, found) in toolchains() {
        let go = match found {
            Ok(go) => go,
            Err(reason) => {
                eprintln!("skipped {name}: {reason}");
                continue;
            }
        };
        let dir = tempfile::tempdir().unwrap();
        tiny_module(&dir.path().join("pkg"), false).unwrap();
        let minor = minor(&go, dir.path()).unwrap();
        let version = format!("go1.{minor}");
        let mut rng = Rng(SEED);
        let mut refused = 0;
        for case in 0..CASES {
            let goflags = generate(&mut rng);
            let (flags, error) = split_goflags(&goflags, Some(minor));
            let expected = predicted(&flags, error, minor);
            let seen = observed(&go, dir.path(), &goflags);
            assert_eq!(
                expected, seen,
                "{name} ({version}), seed {SEED:#x}, case {case}: GOFLAGS={goflags:?}\nenvgate's words: {flags:?}"
            );
            refused += usize::from(matches!(seen, Outcome::Refused(_)));
        }
        assert!(
            refused > 0 && refused < CASES,
            "{name}: {refused} of {CASES} refused: the cases do not reach both outcomes"
        );
        judged += 1;
        minors.push(minor);
    }
    if judged == 0 {
        eprintln!("skipped: no Go toolchain installed");
    }
    eprintln!("GOFLAGS held to Go 1.{minors:?}");
}
