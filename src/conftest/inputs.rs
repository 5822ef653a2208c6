//! Which files `envgate test PATH…` reads and how each becomes conftest's
//! "configuration": the file list (directories walked, `-` for standard input,
//! `--ignore`), the parser chosen by name as conftest chooses it, and the documents a
//! configuration is checked as (a YAML file split on `\n---\n`, a top-level list split
//! into its elements).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde_json::Value;

use super::formats::{self, Format};
use crate::files::source_map::Positions;

/// One document to judge, with where its values are in the file.
#[derive(Debug, Clone)]
pub struct Document {
    pub value: Value,
    /// JSON pointer (relative to `value`) → [line, column]; empty when unknown.
    pub positions: Positions,
}

/// A configuration file as conftest holds it.
#[derive(Debug, Clone)]
pub struct Configuration {
    /// The path as given or as the walk found it (`-` for standard input).
    pub path: String,
    /// The parsed value: an array is checked element by element.
    pub value: Value,
    /// Per document: where its values are (see [`Configuration::documents`]).
    pub positions: Vec<Positions>,
    /// The file's text, for snippets.
    pub text: String,
}

impl Configuration {
    /// The documents conftest checks: each element of a top-level array, else the value.
    pub fn documents(&self) -> Vec<Document> {
        match &self.value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, value)| Document {
                    value: value.clone(),
                    positions: self.positions.get(i).cloned().unwrap_or_default(),
                })
                .collect(),
            value => vec![Document {
                value: value.clone(),
                positions: self.positions.first().cloned().unwrap_or_default(),
            }],
        }
    }
}

/// A file that could not be read or parsed: reported, and the rest still judged.
#[derive(Debug, Clone)]
pub struct InputError {
    pub path: String,
    pub message: String,
    /// 1-based line and column, when the parser knows them.
    pub at: Option<[usize; 2]>,
}

/// Every configuration of `args`, keyed and ordered by path, and the files that failed.
pub struct Inputs {
    pub configurations: BTreeMap<String, Configuration>,
    pub errors: Vec<InputError>,
}

/// The file list as conftest builds it: `""` skipped, `-` kept, directories walked
/// (symlinks followed, hidden entries kept) for files a parser is chosen for and
/// `ignore` does not match; a named file is always kept.
pub fn file_list(args: &[String], ignore: Option<&regex::Regex>) -> Result<Vec<String>, String> {
    let mut files = Vec::new();
    for arg in args {
        if arg.is_empty() {
            continue;
        }
        if arg == "-" {
            files.push(arg.clone());
            continue;
        }
        let meta = std::fs::metadata(arg).map_err(|e| format!("get file info: {arg}: {e}"))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            for entry in walkdir::WalkDir::new(arg)
                .follow_links(true)
                .sort_by_file_name()
            {
                let entry = entry.map_err(|e| format!("walk path: {e}"))?;
                if entry.file_type().is_dir() {
                    continue;
                }
                let shown = go_clean(&entry.path().to_string_lossy());
                if ignore.is_some_and(|re| re.is_match(&shown)) {
                    continue;
                }
                if Format::by_name(&shown).is_some() {
                    found.push(shown);
                }
            }
            files.extend(found);
        } else {
            files.push(arg.clone());
        }
    }
    if files.is_empty() {
        return Err("no files found".into());
    }
    Ok(files)
}

/// Reads and parses every file (standard input once, for `-`); `parser` forces one
/// format for all.
pub fn read_all(files: &[String], parser: Option<&str>, stdin: &mut dyn Read) -> Inputs {
    let mut inputs = Inputs {
        configurations: BTreeMap::new(),
        errors: Vec::new(),
    };
    let forced = match parser.map(Format::by_parser_name) {
        Some(None) => {
            inputs.errors.push(InputError {
                path: files.first().cloned().unwrap_or_default(),
                message: format!("new parser: unknown parser: {}", parser.unwrap_or_default()),
                at: None,
            });
            return inputs;
        }
        Some(Some(format)) => Some(format),
        None => None,
    };
    // Standard input is read once, before the files are parsed on every core.
    let stdin_text: Option<String> = files.iter().any(|f| f == "-").then(|| {
        let mut bytes = Vec::new();
        let _ = stdin.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    });
    let mut unique: Vec<&String> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for path in files {
        if seen.insert(path) {
            unique.push(path);
        }
    }
    const CHUNK: usize = 32;
    let chunks: Vec<&[&String]> = unique.chunks(CHUNK).collect();
    let parsed = crate::parallel::tasks(chunks.len(), |i| {
        chunks[i]
            .iter()
            .map(|path| read_one(path, forced, stdin_text.as_deref()))
            .collect::<Vec<_>>()
    });
    for outcome in parsed.into_iter().flatten() {
        match outcome {
            Ok(config) => {
                inputs.configurations.insert(config.path.clone(), config);
            }
            Err(error) => inputs.errors.push(error),
        }
    }
    inputs
}

/// Reads and parses one file (`-`: the text read from standard input).
fn read_one(
    path: &str,
    forced: Option<Format>,
    stdin: Option<&str>,
) -> Result<Configuration, InputError> {
    let fail = |message: String, at: Option<[usize; 2]>| InputError {
        path: path.to_string(),
        message,
        at,
    };
    let format = match forced {
        Some(format) => format,
        None if path == "-" => Format::Yaml,
        None => Format::by_name(path).ok_or_else(|| {
            fail(
                format!(
                    "new parser: unknown parser: {} (envgate reads YAML, JSON, JSONC, TOML, Dockerfile, dotenv and properties files)",
                    extension(path)
                ),
                None,
            )
        })?,
    };
    let text = if path == "-" {
        stdin.unwrap_or_default().to_string()
    } else {
        read_text(path).map_err(|message| fail(message, None))?
    };
    let (value, positions) = formats::parse(format, &text).map_err(|e| fail(e.message, e.at))?;
    Ok(Configuration {
        path: path.to_string(),
        value,
        positions,
        text,
    })
}

fn read_text(path: &str) -> Result<String, String> {
    let limit = crate::files::MAX_FILE_BYTES;
    let file = crate::regular::open(Path::new(path)).map_err(|e| format!("open file: {e}"))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("read file: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!("larger than {} MB: not read", limit >> 20));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
}

fn extension(path: &str) -> String {
    Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Go's `filepath.Clean` for the paths a walk produces (`./d//x` → `d/x`).
pub fn go_clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_like_go() {
        assert_eq!(go_clean("./d//x.yaml"), "d/x.yaml");
        assert_eq!(go_clean("d/../x"), "x");
        assert_eq!(go_clean("/a/./b"), "/a/b");
        assert_eq!(go_clean("."), ".");
    }

    #[test]
    fn a_directory_keeps_known_formats_and_skips_ignored() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.yaml", "b.txt", "c.json", "Dockerfile", "skip.yaml"] {
            std::fs::write(dir.path().join(name), "x: 1\n").unwrap();
        }
        let root = dir.path().to_string_lossy().into_owned();
        let ignore = regex::Regex::new("skip").unwrap();
        let files = file_list(std::slice::from_ref(&root), Some(&ignore)).unwrap();
        let names: Vec<&str> = files
            .iter()
            .map(|f| f.rsplit('/').next().unwrap())
            .collect();
        assert_eq!(names, ["Dockerfile", "a.yaml", "c.json"]);
        assert_eq!(
            file_list(&[String::new()], None).unwrap_err(),
            "no files found"
        );
    }
}
