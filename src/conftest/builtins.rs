//! conftest's builtins, registered as regorus extensions: `opa.runtime()` with the
//! process environment (conftest's, not regorus's, which omits it),
//! `parse_config(parser, text)`, `parse_config_file(path)` and
//! `parse_combined_config_files(paths)`. conftest resolves relative paths against the
//! directory of the calling `.rego` file; an extension does not know its caller, so
//! a relative path is tried against each policy file's directory in load order, then
//! the working directory.

use std::path::{Path, PathBuf};

use regorus::Value;

use super::formats::{self, Format};
use super::policy::PolicyFile;
use crate::error::Error;

pub fn register(engine: &mut regorus::Engine, files: &[PolicyFile]) -> Result<(), Error> {
    let dirs: Vec<PathBuf> = {
        let mut dirs: Vec<PathBuf> = Vec::new();
        for file in files {
            let dir = Path::new(&file.path)
                .parent()
                .unwrap_or(Path::new(""))
                .to_path_buf();
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
        dirs
    };
    let runtime = runtime_value();
    let fail = |e: anyhow::Error| Error::Usage(format!("registering conftest builtins: {e}"));
    engine
        .add_extension(
            "opa.runtime".into(),
            0,
            Box::new(move |_: Vec<Value>| Ok(runtime.clone())),
        )
        .map_err(fail)?;
    engine
        .add_extension(
            "parse_config".into(),
            2,
            Box::new(|args: Vec<Value>| {
                let parser = args[0].as_string()?.to_string();
                let text = args[1].as_string()?.to_string();
                parse_with(&parser, &text)
            }),
        )
        .map_err(fail)?;
    let file_dirs = dirs.clone();
    engine
        .add_extension(
            "parse_config_file".into(),
            1,
            Box::new(move |args: Vec<Value>| {
                let path = args[0].as_string()?.to_string();
                let (_, value) = parse_file(&path, &file_dirs)?;
                Ok(value)
            }),
        )
        .map_err(fail)?;
    engine
        .add_extension(
            "parse_combined_config_files".into(),
            1,
            Box::new(move |args: Vec<Value>| {
                let mut entries: Vec<(String, serde_json::Value)> = Vec::new();
                for item in args[0].as_array()?.iter() {
                    let path = item.as_string()?.to_string();
                    let (shown, value) = parse_file(&path, &dirs)?;
                    let json: serde_json::Value = serde_json::to_value(&value)?;
                    match json {
                        serde_json::Value::Array(docs) => {
                            entries.extend(docs.into_iter().map(|d| (shown.clone(), d)));
                        }
                        other => entries.push((shown, other)),
                    }
                }
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                let list: Vec<serde_json::Value> = entries
                    .into_iter()
                    .map(|(path, contents)| serde_json::json!({"path": path, "contents": contents}))
                    .collect();
                Value::from_json_str(&serde_json::Value::Array(list).to_string())
            }),
        )
        .map_err(fail)?;
    Ok(())
}

/// `opa.runtime()` as conftest gives it: the environment, version and commit.
fn runtime_value() -> Value {
    let env: serde_json::Map<String, serde_json::Value> = std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                serde_json::Value::String(v.to_string_lossy().into_owned()),
            )
        })
        .collect();
    let json = serde_json::json!({
        "env": env,
        "version": env!("CARGO_PKG_VERSION"),
        "commit": "",
    });
    Value::from_json_str(&json.to_string()).unwrap_or(Value::Undefined)
}

fn parse_with(parser: &str, text: &str) -> anyhow::Result<Value> {
    let format = Format::by_parser_name(parser)
        .ok_or_else(|| anyhow::anyhow!("create config parser: unknown parser: {parser}"))?;
    let (value, _) =
        formats::parse(format, text).map_err(|e| anyhow::anyhow!("parse config: {}", e.message))?;
    Value::from_json_str(&value.to_string())
}

/// The file at `path` (resolved as the module doc says), parsed by its name.
fn parse_file(path: &str, dirs: &[PathBuf]) -> anyhow::Result<(String, Value)> {
    let candidates: Vec<PathBuf> = if Path::new(path).is_absolute() {
        vec![PathBuf::from(path)]
    } else {
        dirs.iter()
            .map(|d| d.join(path))
            .chain(std::iter::once(PathBuf::from(path)))
            .collect()
    };
    let found = candidates
        .iter()
        .find(|p| p.is_file())
        .ok_or_else(|| anyhow::anyhow!("read config file {path}: no such file"))?;
    let shown = found.to_string_lossy().into_owned();
    let format = Format::by_name(&shown)
        .ok_or_else(|| anyhow::anyhow!("create config parser: unknown parser for {path}"))?;
    let text = std::fs::read_to_string(found)?;
    let (value, _) = formats::parse(format, &text)
        .map_err(|e| anyhow::anyhow!("parse config {path}: {}", e.message))?;
    Ok((shown, Value::from_json_str(&value.to_string())?))
}
