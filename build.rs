//! Embeds the built-in policy packs (`policies/`) in the binary, so envgate needs no
//! files beside it at run time, and compiles them to regorus bytecode, so a run neither
//! parses nor prepares their Rego (see `src/policy/prebuilt.rs`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// The METADATA reader the run uses, so that what the build stores is what a run would
// have read.
#[path = "src/policy/metadata.rs"]
#[allow(dead_code)]
mod metadata;
// What each pack's sources read of the input, found as a run would find it.
#[path = "src/policy/input_use.rs"]
mod input_use;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let policies = root.join("policies");
    println!("cargo:rerun-if-changed=policies");

    let mut files = Vec::new();
    collect(&policies, &mut files);
    files.sort();
    // Each file once: (path relative to `policies/`, path, text).
    let read: Vec<(String, &PathBuf, String)> = files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).expect("read policy file");
            (relative_name(&policies, file), file, text)
        })
        .collect();
    let is_module =
        |relative: &str| relative.ends_with(".rego") && !relative.ends_with("_test.rego");

    let mut out = String::from(
        "/// (path relative to `policies/`, contents)\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for (relative, file, _) in &read {
        writeln!(
            out,
            "    ({relative:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .expect("write to string");
    }
    out.push_str("];\n");
    // Each rule file's METADATA as JSON, keyed by its path relative to `policies/`
    // (sorted, for a binary search).
    out.push_str("/// (path relative to `policies/`, METADATA block as JSON)\npub static METADATA: &[(&str, &str)] = &[\n");
    let mut blocks: Vec<(&str, String)> = read
        .iter()
        .filter(|(relative, _, _)| is_module(relative))
        .filter_map(|(relative, _, text)| {
            metadata::block_json(text).map(|json| (relative.as_str(), json))
        })
        .collect();
    blocks.sort();
    for (relative, json) in blocks {
        writeln!(out, "    ({relative:?}, {json:?}),").expect("write to string");
    }
    out.push_str("];\n");
    // Each pack's manifest.yaml as JSON (a run then needs no YAML parser to start).
    out.push_str("/// (pack, manifest.yaml as JSON)\npub static MANIFESTS: &[(&str, &str)] = &[\n");
    for (relative, _, text) in &read {
        if let Some(pack) = relative.strip_suffix("/manifest.yaml") {
            let value: serde_json::Value = yaml_serde::from_str(text)
                .unwrap_or_else(|e| panic!("policies/{relative} is not YAML: {e}"));
            writeln!(out, "    ({pack:?}, {:?}),", value.to_string()).expect("write to string");
        }
    }
    out.push_str("];\n");
    // Per pack (sorted by name): what its rule and library files read of the input.
    out.push_str("/// (pack, reads `input.files`, reads nothing else)\npub static INPUT_USE: &[(&str, bool, bool)] = &[\n");
    let mut sources: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for (relative, _, text) in &read {
        if let Some((pack, _)) = relative.split_once('/') {
            let texts = sources.entry(pack).or_default();
            if is_module(relative) {
                texts.push(text);
            }
        }
    }
    for (pack, texts) in &sources {
        let used = input_use::InputUse::of(texts.iter().copied());
        writeln!(
            out,
            "    ({pack:?}, {}, {}),",
            used.reads_files, used.only_files
        )
        .expect("write to string");
    }
    out.push_str("];\n");
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("builtin_policies.rs");
    std::fs::write(dest, out).expect("write generated file");
    prebuild(&policies);
}

fn relative_name(policies: &Path, file: &Path) -> String {
    file.strip_prefix(policies)
        .expect("under policies/")
        .to_string_lossy()
        .replace('\\', "/")
}

/// How many entry points each pack's program has: the rules are shared out over them
/// round robin, and each runs on its own thread (the machines envgate runs on have two
/// cores or more; more entries would compute the helpers rules share more often).
const ENTRIES_PER_PACK: usize = 2;

/// Compiles each built-in pack to an RVM program whose entry points
/// `data.envgate_prebuilt.g<k>` are objects `{package: deny}` for a share of its rules,
/// and writes `prebuilt_policies.rs` listing them. A pack the VM cannot compile is left
/// out with a warning: envgate then runs it on the interpreter (and a test fails).
fn prebuild(policies: &Path) {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    let mut packs: Vec<PathBuf> = std::fs::read_dir(policies)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.join("manifest.yaml").is_file())
                .collect()
        })
        .unwrap_or_default();
    packs.sort();
    let mut out = String::from("&[\n");
    for dir in packs {
        let Some(dir_name) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        match prebuild_pack(&dir, &dir_name) {
            Ok((name, program, entries)) => {
                let bin = out_dir.join(format!("prebuilt_{dir_name}.bin"));
                std::fs::write(&bin, program).expect("write prebuilt program");
                writeln!(
                    out,
                    "    PrebuiltPack {{ pack: {name:?}, program: include_bytes!({:?}), entries: &[",
                    bin.display().to_string()
                )
                .expect("write to string");
                for (entry, packages) in entries.shares {
                    writeln!(out, "        ({entry:?}, &{packages:?}),").expect("write to string");
                }
                out.push_str("    ], per_file: ");
                match entries.per_file {
                    Some((docs, packages)) => {
                        writeln!(out, "Some(({docs:?}, &{packages:?})) }},")
                    }
                    None => writeln!(out, "None }},"),
                }
                .expect("write to string");
            }
            Err(message) => println!(
                "cargo:warning=policies/{dir_name} is not precompiled, envgate will interpret it: {message}"
            ),
        }
    }
    out.push_str("]\n");
    std::fs::write(out_dir.join("prebuilt_policies.rs"), out).expect("write generated file");
}

type Entry = (String, Vec<String>);

struct Entries {
    /// The rules shared out over `ENTRIES_PER_PACK` entry points, for judging the
    /// whole input; in a pack with `per_file` rules, the others (which compare files)
    /// each in an entry point of its own.
    shares: Vec<Entry>,
    /// The pack's `per_file` rules, when it has some: one entry point for all of them,
    /// for judging a batch of files at a time (rules that compare files are judged
    /// once, through `shares`).
    per_file: Option<Entry>,
}

fn prebuild_pack(dir: &Path, dir_name: &str) -> Result<(String, Vec<u8>, Entries), String> {
    let manifest = std::fs::read_to_string(dir.join("manifest.yaml")).map_err(|e| e.to_string())?;
    let name = manifest
        .lines()
        .find_map(|line| line.strip_prefix("name:"))
        .map(|n| n.trim().trim_matches('"').to_string())
        .ok_or("manifest.yaml has no name")?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let file = p
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            file.ends_with(".rego") && !file.ends_with("_test.rego")
        })
        .collect();
    files.sort();

    let mut engine = regorus::Engine::new();
    let mut packages = Vec::new();
    let mut per_file = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
        let shown = format!(
            "policies/{dir_name}/{}",
            file.file_name().unwrap_or_default().to_string_lossy()
        );
        if text.lines().any(|l| l.starts_with("deny contains")) {
            let package = text
                .lines()
                .find_map(|l| l.strip_prefix("package "))
                .ok_or_else(|| format!("{shown} has no package line"))?;
            packages.push(package.trim().to_string());
            // `custom.per_file: true` in the rule's METADATA.
            if text.lines().any(|l| {
                l.strip_prefix('#')
                    .map(str::trim)
                    .is_some_and(|l| l.replace(' ', "") == "per_file:true")
            }) {
                per_file.push(package.trim().to_string());
            }
        }
        engine
            .add_policy(shown, text)
            .map_err(|e| format!("{e:#}"))?;
    }
    // Compiling needs no data: the VM is given the packs' data when it runs.
    let mut module = String::from("package envgate_prebuilt\n\n");
    let mut entries = Vec::new();
    // In a pack that judges files a batch at a time, the rules that compare files get
    // entry points of their own: they are judged once, over every document they read,
    // after the batches, and a share would make the VM judge the per-file rules beside
    // them on all those documents again.
    let (shared, alone): (Vec<String>, Vec<String>) = if per_file.is_empty() {
        (packages.clone(), Vec::new())
    } else {
        packages.iter().cloned().partition(|p| per_file.contains(p))
    };
    // One each, so they are judged on every core at once: over 10,000 documents each
    // takes a tenth of a second or more, after the batches, with the other cores idle
    // (each computes the helpers it needs again: more CPU time, less wall time).
    for (k, package) in alone.iter().enumerate() {
        module.push_str(&format!(
            "across{k} := {{{package:?}: data.{package}.deny}}\n\n"
        ));
        entries.push((
            format!("data.envgate_prebuilt.across{k}"),
            vec![package.clone()],
        ));
    }
    for k in 0..ENTRIES_PER_PACK.min(shared.len()) {
        let share: Vec<String> = shared
            .iter()
            .skip(k)
            .step_by(ENTRIES_PER_PACK)
            .cloned()
            .collect();
        module.push_str(&format!("g{k} := {{\n"));
        for package in &share {
            module.push_str(&format!("\t{package:?}: data.{package}.deny,\n"));
        }
        module.push_str("}\n\n");
        entries.push((format!("data.envgate_prebuilt.g{k}"), share));
    }
    let batched = (!per_file.is_empty()).then(|| {
        module.push_str("docs := {\n");
        for package in &per_file {
            module.push_str(&format!("\t{package:?}: data.{package}.deny,\n"));
        }
        module.push_str("}\n\n");
        ("data.envgate_prebuilt.docs".to_string(), per_file)
    });
    engine
        .add_policy("envgate_prebuilt.rego".into(), module)
        .map_err(|e| format!("{e:#}"))?;
    let first = entries.first().ok_or("the pack has no rules")?.0.clone();
    let compiled = engine
        .compile_with_entrypoint(&first.as_str().into())
        .map_err(|e| format!("{e:#}"))?;
    let mut names: Vec<&str> = entries.iter().map(|(e, _)| e.as_str()).collect();
    if let Some((docs, _)) = &batched {
        names.push(docs.as_str());
    }
    let mut program =
        regorus::languages::rego::compiler::Compiler::compile_from_policy(&compiled, &names)
            .map_err(|e| format!("{e:#}"))?;
    // The VM never reads the Rego text or the instructions' source spans (they serve
    // debugging tools); without them the go pack's program is a third of the size and a run
    // deserializes less. A VM error falls back to the interpreter, which has the text.
    let stripped = std::sync::Arc::make_mut(&mut program);
    for source in &mut stripped.sources {
        source.content = String::new();
    }
    stripped.instruction_spans = Vec::new();
    let bytes = program.serialize_binary()?;
    let entries = Entries {
        shares: entries,
        per_file: batched,
    };
    Ok((name, bytes, entries))
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
