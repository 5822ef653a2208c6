//! Differential check of envgate's reading of Kubernetes YAML against kubectl's own
//! decoder: sigs.k8s.io/yaml (over go-yaml v2), built from the Go module proxy into a
//! tiny program that turns each generated manifest into JSON. Every manifest is
//! generated from a fixed seed: YAML 1.1 booleans, octal, underscores, floats, quoted
//! look-alikes, keys that resolve (`on:`), duplicate keys and JSON annotations whose
//! quoted lines continue at column 1. envgate's parsed document must equal the
//! oracle's JSON (numbers compared by value: Go writes the float 8 as `8`).
//!
//! Skipped, with the reason printed, when Go or the module proxy is not available.
//! Known, deliberate differences are not generated: `.inf`/`.nan` (no JSON form;
//! kubectl rejects them, envgate keeps the text) and float map keys.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use envgate::files::detect::Syntax;
use serde_json::Value;

const ORACLE_MAIN: &str = r#"package main

import (
	"encoding/json"
	"os"

	"sigs.k8s.io/yaml"
)

// Each input YAML document as kubectl decodes it (sigs.k8s.io/yaml.YAMLToJSON).
func main() {
	var inputs []string
	if err := json.NewDecoder(os.Stdin).Decode(&inputs); err != nil {
		panic(err)
	}
	out := make([]json.RawMessage, len(inputs))
	for i, in := range inputs {
		j, err := yaml.YAMLToJSON([]byte(in))
		if err != nil {
			e, _ := json.Marshal(map[string]string{"oracle_error": err.Error()})
			out[i] = e
			continue
		}
		out[i] = j
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
"#;

/// The sigs.k8s.io/yaml release kubectl 1.30–1.33 vendor.
const SIGS_YAML: &str = "sigs.k8s.io/yaml@v1.4.0";

/// Plain scalars whose meaning differs between YAML 1.1 and 1.2, and ones that do not.
const TOKENS: &[&str] = &[
    "yes",
    "Yes",
    "YES",
    "yEs",
    "no",
    "No",
    "NO",
    "on",
    "On",
    "ON",
    "off",
    "Off",
    "OFF",
    "y",
    "Y",
    "n",
    "N",
    "true",
    "True",
    "TRUE",
    "false",
    "FALSE",
    "fAlse",
    "~",
    "null",
    "Null",
    "NULL",
    "0",
    "00",
    "0777",
    "0778",
    "08",
    "09",
    "0o17",
    "0O17",
    "0x1F",
    "0X1f",
    "0b101",
    "-0b11",
    "+0x10",
    "1_000",
    "1__0",
    "_1",
    "1_0.5",
    "12",
    "+12",
    "-12",
    "1.",
    "1.5",
    ".5",
    "-.5",
    "1e3",
    "1E-2",
    "+1.5e+3",
    "1.5e",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "0xFFFFFFFFFFFFFFFF",
    "0x1FFFFFFFFFFFFFFFF",
    "2001-12-14",
    "2001-12-14T21:59:43.10-05:00",
    "1:20",
    "+",
    "nginx:1.25",
    "v1",
    "1.2.3",
    "0.0.0.0",
    "10m",
    "128Mi",
    "RuntimeDefault",
    "=",
    "x y",
];

/// Keys set to the tokens: real Kubernetes fields and annotations.
const FIELDS: &[&str] = &[
    "privileged",
    "allowPrivilegeEscalation",
    "readOnlyRootFilesystem",
    "runAsNonRoot",
    "runAsUser",
];

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

/// A token as a value: plain, or (sometimes) quoted, which must keep it a string.
fn scalar(rng: &mut Rng, token: &str) -> String {
    match rng.next() % 5 {
        0 => format!("'{token}'"),
        1 => format!("\"{token}\""),
        _ => token.to_string(),
    }
}

fn manifest(rng: &mut Rng) -> String {
    let mut text = String::from(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n",
    );
    for i in 0..3 {
        let token = rng.pick(TOKENS);
        text.push_str(&format!("    a{i}: {}\n", scalar(rng, token)));
    }
    if rng.chance(30) {
        // A JSON annotation spread over lines that kubectl reads.
        text.push_str("    config: '{\"retries\": 3,\n\"mode\": \"fast\"}'\n");
    }
    text.push_str("spec:\n");
    if rng.chance(30) {
        // A key that resolves too: `on:` is the boolean true, `0777:` the number 511.
        let key = rng.pick(&["on", "yes", "n", "0777", "12", "Off"]);
        text.push_str(&format!("  {key}: {}\n", rng.pick(TOKENS)));
    }
    text.push_str(&format!("  replicas: {}\n", rng.pick(TOKENS)));
    text.push_str(
        "  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.25\n          securityContext:\n",
    );
    for field in FIELDS {
        if rng.chance(70) {
            let token = rng.pick(TOKENS);
            text.push_str(&format!("            {field}: {}\n", scalar(rng, token)));
        }
    }
    if rng.chance(20) {
        // A duplicate key: the last one wins in both.
        text.push_str(&format!("            privileged: {}\n", rng.pick(TOKENS)));
    }
    text
}

/// Numbers by value (Go writes the float 8 as `8`), everything else exactly.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|other| same(v, other)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        _ => a == b,
    }
}

/// The first path where the two differ, for a minimal report.
fn first_difference(a: &Value, b: &Value, path: &str) -> String {
    if let (Value::Object(x), Value::Object(y)) = (a, b) {
        let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
        for key in keys {
            let (va, vb) = (x.get(key), y.get(key));
            if va.zip(vb).is_none_or(|(va, vb)| !same(va, vb)) {
                return match (va, vb) {
                    (Some(va), Some(vb)) => first_difference(va, vb, &format!("{path}/{key}")),
                    _ => format!("{path}/{key}: envgate {va:?}, kubectl {vb:?}"),
                };
            }
        }
    }
    format!("{path}: envgate {a}, kubectl {b}")
}

/// Runs `command`, killed after `limit` (a hung download must not hang the tests).
fn run(command: &mut Command, stdin: Option<&[u8]>, limit: Duration) -> Result<Vec<u8>, String> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    // Output is read while the input is written, so neither pipe fills up.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let mut input = child.stdin.take();
    if let (Some(pipe), Some(bytes)) = (input.as_mut(), stdin) {
        pipe.write_all(bytes).map_err(|e| e.to_string())?;
    }
    drop(input);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            return Err(format!("{command:?} did not finish within {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (stdout, stderr) = (out.join().unwrap(), err.join().unwrap());
    if !status.success() {
        return Err(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&stderr).trim()
        ));
    }
    Ok(stdout)
}

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

/// Builds the oracle once per target directory; `Err` says why it cannot be.
fn oracle(go: &Path) -> Result<PathBuf, String> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("k8s-yaml-oracle");
    let binary = dir.join("oracle");
    if binary.is_file() {
        return Ok(binary);
    }
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("main.go"), ORACLE_MAIN).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("go.mod"), "module oracle\n\ngo 1.21\n").map_err(|e| e.to_string())?;
    let go_cmd = |args: &[&str]| {
        let mut cmd = Command::new(go);
        cmd.args(args)
            .current_dir(&dir)
            .env("GOTOOLCHAIN", "local")
            .env("GOFLAGS", "-mod=mod");
        cmd
    };
    let limit = Duration::from_secs(300);
    run(&mut go_cmd(&["get", SIGS_YAML]), None, limit)?;
    run(&mut go_cmd(&["build", "-o", "oracle", "."]), None, limit)?;
    Ok(binary)
}

#[test]
fn kubernetes_documents_read_as_kubectl_reads_them() {
    let Some(go) = go_binary() else {
        eprintln!("skipped: no Go toolchain (go on PATH or /usr/local/go/bin/go)");
        return;
    };
    let oracle = match oracle(&go) {
        Ok(oracle) => oracle,
        Err(reason) => {
            eprintln!("skipped: cannot build the sigs.k8s.io/yaml oracle: {reason}");
            return;
        }
    };
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    let manifests: Vec<String> = (0..400).map(|_| manifest(&mut rng)).collect();
    let input = serde_json::to_vec(&manifests).unwrap();
    let output = run(
        &mut Command::new(&oracle),
        Some(&input),
        Duration::from_secs(120),
    )
    .expect("the oracle runs");
    let expected: Vec<Value> = serde_json::from_slice(&output).unwrap();
    assert_eq!(expected.len(), manifests.len());
    let mut compared = 0;
    let mut differ_from_core = 0;
    for (text, kubectl) in manifests.iter().zip(&expected) {
        if kubectl.get("oracle_error").is_some() {
            // Not every generated token is valid YAML everywhere; envgate must not
            // judge what kubectl cannot read either.
            let docs = envgate::files::parse_str("m.yaml", Syntax::Yaml, text);
            assert!(
                docs.iter().any(|d| d.error.is_some()),
                "kubectl refuses this manifest ({kubectl}), envgate read it:\n{text}"
            );
            continue;
        }
        let docs = envgate::files::parse_str("m.yaml", Syntax::Yaml, text);
        assert_eq!(docs.len(), 1, "{text}");
        let envgate = docs[0].content.clone().unwrap_or(Value::Null);
        assert!(
            same(&envgate, kubectl),
            "envgate and kubectl read this manifest differently at {}\n{text}",
            first_difference(&envgate, kubectl, "")
        );
        compared += 1;
        // Read as YAML 1.2 (a compose file's name keeps the core schema), most of
        // the manifests differ: the comparison above can tell the two apart.
        let core = envgate::files::parse_str("compose.yaml", Syntax::Yaml, text);
        if !same(core[0].content.as_ref().unwrap_or(&Value::Null), kubectl) {
            differ_from_core += 1;
        }
    }
    // The generator must not have produced only manifests the oracle refused.
    assert!(compared > 300, "only {compared} manifests compared");
    assert!(
        differ_from_core > compared / 2,
        "only {differ_from_core} of {compared} manifests exercise YAML 1.1"
    );
}
