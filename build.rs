//! Embeds the built-in policy packs (`policies/`) in the binary, so envgate needs no
//! files beside it at run time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let policies = root.join("policies");
    println!("cargo:rerun-if-changed=policies");

    let mut files = Vec::new();
    collect(&policies, &mut files);
    files.sort();

    let mut out = String::from(
        "/// (path relative to `policies/`, contents)\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for file in files {
        let relative = file
            .strip_prefix(&policies)
            .expect("under policies/")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            out,
            "    ({relative:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .expect("write to string");
    }
    out.push_str("];\n");
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("builtin_policies.rs");
    std::fs::write(dest, out).expect("write generated file");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("rego" | "yaml" | "json")
        ) {
            files.push(path);
        }
    }
}
