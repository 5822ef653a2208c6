//! Facts the `repo` pack judges beyond a document's content (`FileDocument::facts`):
//! every Go version a file names (the go.mod `go` and `toolchain` lines, go.work's, a
//! Dockerfile's `FROM golang:1.21` and `GOTOOLCHAIN`, `actions/setup-go`'s
//! `go-version` and its matrix values, GitLab's `image:`, asdf/goenv/mise pins, the
//! devcontainer's Go feature and image) with its line and role; a Dockerfile's stages;
//! whether git ignores a `.env` file; which `use` directories of a go.work are
//! missing. Reading these places is Rust's work, comparing them is the pack's.

use std::path::Path;

use serde_json::{Value, json};

use super::dockerfile_stages::{ImageRef, stages};
use super::source_map::{Positions, element, member};
use crate::snapshot::FileKind;

/// The facts of one document; `None` for kinds the pack reads from `content` alone.
pub fn facts(
    kind: FileKind,
    shown: &str,
    file: Option<&Path>,
    content: &Value,
    positions: &Positions,
) -> Option<Value> {
    let mut places = Places {
        found: Vec::new(),
        positions,
    };
    let mut facts = serde_json::Map::new();
    match kind {
        FileKind::GoMod | FileKind::GoWork => {
            for role in ["go", "toolchain"] {
                if let Some(d) = content.get(role) {
                    let line = d["line"].as_u64().unwrap_or(1) as usize;
                    places.add_at(d["value"].as_str().unwrap_or(""), role, "", line);
                }
            }
            if kind == FileKind::GoWork {
                facts.insert("missing_uses".into(), missing_uses(file, content));
            }
        }
        FileKind::Dockerfile => {
            let stages = stages(content);
            for stage in stages.iter().filter(|s| s.from_stage.is_none()) {
                if let Some(tag) = golang_tag(&stage.image) {
                    places.add_at(
                        &tag,
                        "container",
                        &format!("FROM {}", stage.from),
                        stage.line,
                    );
                }
            }
            for stage in &stages {
                if let Some(set) = stage.env.get("GOTOOLCHAIN") {
                    places.add_at(&set.value, "container", "ENV GOTOOLCHAIN", set.line);
                }
            }
            facts.insert("stages".into(), serde_json::to_value(&stages).ok()?);
        }
        FileKind::GithubWorkflow => workflow_versions(content, &mut places),
        FileKind::GitlabCi => {
            for (pointer, job) in jobs_and_top(content) {
                image_versions(
                    job.get("image"),
                    &member(&pointer, "image"),
                    "ci",
                    &mut places,
                );
                if let Some(value) = job.pointer("/variables/GOTOOLCHAIN") {
                    places.add(
                        value,
                        "ci",
                        "GOTOOLCHAIN",
                        &format!("{pointer}/variables/GOTOOLCHAIN"),
                    );
                }
            }
        }
        FileKind::ToolVersions | FileKind::GoVersion => {
            for (i, tool) in array(content.get("tools")).iter().enumerate() {
                if matches!(tool["tool"].as_str(), Some("golang" | "go")) {
                    let pointer = element("/tools", i);
                    places.add(&tool["versions"][0], "pin", "", &pointer);
                }
            }
        }
        FileKind::Mise => {
            for name in ["go", "golang"] {
                let pointer = format!("/tools/{name}");
                let value = match content.pointer(&pointer) {
                    Some(Value::Array(items)) => items.first(),
                    Some(Value::Object(table)) => table.get("version"),
                    other => other,
                };
                if let Some(value) = value {
                    places.add(value, "pin", "", &pointer);
                }
            }
        }
        FileKind::Devcontainer => {
            if let Some(Value::Object(features)) = content.get("features") {
                for (id, options) in features {
                    if id.starts_with("ghcr.io/devcontainers/features/go") {
                        let pointer = member("/features", id);
                        let version = options.get("version").unwrap_or(&Value::Null);
                        places.add(
                            version,
                            "devcontainer",
                            "Go feature",
                            &member(&pointer, "version"),
                        );
                    }
                }
            }
            image_versions(content.get("image"), "/image", "devcontainer", &mut places);
            for env in ["containerEnv", "remoteEnv"] {
                let pointer = format!("/{env}/GOTOOLCHAIN");
                if let Some(value) = content.pointer(&pointer) {
                    places.add(value, "devcontainer", "GOTOOLCHAIN", &pointer);
                }
            }
        }
        FileKind::Dotenv => {
            if let Some(file) = file {
                facts.insert(
                    "git_ignored".into(),
                    super::git_ignored::ignored(file).into(),
                );
            }
        }
        _ => {}
    }
    if !places.found.is_empty() || matches!(kind, FileKind::GoMod | FileKind::GoWork) {
        facts.insert("dir".into(), home_dir(kind, shown).into());
        facts.insert("go_versions".into(), Value::Array(places.found));
    }
    (!facts.is_empty()).then_some(Value::Object(facts))
}

/// The directory whose go.mod a file's versions are compared with, `""` or ending in
/// `/`: a workflow's and a devcontainer's are the repository's (above `.github/` or
/// `.devcontainer/`), everything else's its own directory.
fn home_dir(kind: FileKind, shown: &str) -> String {
    let dir = shown.rsplit_once('/').map_or("", |(dir, _)| dir);
    let dir = match kind {
        FileKind::GithubWorkflow => dir.strip_suffix(".github/workflows").unwrap_or(dir),
        FileKind::Devcontainer => match dir.rsplit_once(".devcontainer") {
            Some((above, _)) => above,
            None => dir,
        },
        _ => dir,
    };
    match dir.trim_end_matches('/') {
        "" | "." => String::new(),
        dir => format!("{dir}/"),
    }
}

struct Places<'a> {
    found: Vec<Value>,
    positions: &'a Positions,
}

impl Places<'_> {
    /// A version at a JSON Pointer of the content (numbers as the YAML reader read
    /// them: `go-version: 1.20` is the number 1.2, which is what setup-go is given).
    fn add(&mut self, value: &Value, role: &str, what: &str, pointer: &str) {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return,
        };
        let line = self.positions.get(pointer).map_or(1, |p| p[0]);
        self.add_at(&text, role, what, line);
    }

    fn add_at(&mut self, text: &str, role: &str, what: &str, line: usize) {
        let Some(version) = GoVersion::parse(text) else {
            return;
        };
        self.found.push(json!({
            "written": text,
            "version": version.shown(),
            "major": version.major,
            "minor": version.minor,
            "patch": version.patch.map_or(-1, i64::from),
            "prerelease": version.prerelease,
            "role": role,
            "what": what,
            "line": line,
        }));
    }
}

/// A Go version as places write it: `1.21`, `1.21.3`, `go1.22.1`, `1.21.x`, `^1.21`,
/// `1.21rc2`; `stable`, `latest`, `local`, `1` name no release and are skipped.
#[derive(Debug, PartialEq)]
struct GoVersion {
    major: u32,
    minor: u32,
    patch: Option<u32>,
    prerelease: String,
}

impl GoVersion {
    fn parse(text: &str) -> Option<Self> {
        let text = text
            .trim()
            .trim_start_matches(['^', '~', '>', '=', 'v', ' ']);
        let text = text.strip_prefix("go").unwrap_or(text);
        let text = text.split(['+', '-']).next()?;
        let mut parts = text.splitn(3, '.');
        let major = parts.next()?.parse().ok()?;
        let (minor_digits, minor_rest) = digits(parts.next()?);
        let minor = minor_digits.parse().ok()?;
        let (patch, rest) = match parts.next() {
            Some(p) => {
                let (d, rest) = digits(p);
                (d.parse().ok(), rest)
            }
            None => (None, minor_rest),
        };
        let prerelease = rest.to_string();
        if !(prerelease.is_empty() || prerelease == "x" || is_prerelease(&prerelease)) {
            return None;
        }
        Some(Self {
            major,
            minor,
            patch,
            prerelease: if prerelease == "x" {
                String::new()
            } else {
                prerelease
            },
        })
    }

    fn shown(&self) -> String {
        let mut out = format!("{}.{}", self.major, self.minor);
        if let Some(patch) = self.patch {
            out.push_str(&format!(".{patch}"));
        }
        out + &self.prerelease
    }
}

fn is_prerelease(rest: &str) -> bool {
    ["rc", "beta"].iter().any(|p| {
        rest.strip_prefix(p)
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
    })
}

fn digits(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    text.split_at(end)
}

/// The Go version of an official Go image's tag (`golang:1.22-alpine`, a devcontainer's
/// `mcr.microsoft.com/devcontainers/go:1-1.22-bookworm`).
fn golang_tag(image: &ImageRef) -> Option<String> {
    let go_image = image.name == "golang"
        || (image.name == "go" && image.repository.contains("devcontainers"));
    let tag = image.tag.as_deref().filter(|_| go_image)?;
    // The devcontainer images prefix the image's own major version: `1-1.22`.
    let tag = match tag.split_once('-') {
        Some((prefix, rest))
            if !prefix.contains('.') && rest.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            rest
        }
        _ => tag,
    };
    let version = tag.split('-').next()?;
    GoVersion::parse(version).map(|_| version.to_string())
}

fn image_versions(image: Option<&Value>, pointer: &str, role: &str, places: &mut Places<'_>) {
    let (text, pointer) = match image {
        Some(Value::String(s)) => (s.as_str(), pointer.to_string()),
        Some(Value::Object(o)) => match o.get("name").or_else(|| o.get("image")) {
            Some(Value::String(s)) => (s.as_str(), pointer.to_string()),
            _ => return,
        },
        _ => return,
    };
    if let Some(tag) = golang_tag(&ImageRef::parse(text)) {
        places.add(
            &Value::String(tag),
            role,
            &format!("image {text}"),
            &pointer,
        );
    }
}

/// GitLab: the top level (its `image:` is every job's default) and each job.
fn jobs_and_top(content: &Value) -> Vec<(String, &Value)> {
    let mut out = vec![(String::new(), content)];
    if let Some(Value::Object(map)) = content.get("default") {
        let _ = map;
        out.push(("/default".into(), &content["default"]));
    }
    if let Value::Object(map) = content {
        for (name, job) in map {
            if job.is_object() && name != "default" && name != "variables" {
                out.push((member("", name), job));
            }
        }
    }
    out
}

/// `actions/setup-go`'s `go-version` (or each value of the matrix variable it names),
/// job containers, `GOTOOLCHAIN` in `env:` at any level.
fn workflow_versions(content: &Value, places: &mut Places<'_>) {
    if let Some(value) = content.pointer("/env/GOTOOLCHAIN") {
        places.add(value, "ci", "GOTOOLCHAIN", "/env/GOTOOLCHAIN");
    }
    let Some(Value::Object(jobs)) = content.get("jobs") else {
        return;
    };
    for (name, job) in jobs {
        let job_pointer = member("/jobs", name);
        let container = job.get("container");
        image_versions(container, &member(&job_pointer, "container"), "ci", places);
        if let Some(Value::Object(c)) = container {
            let pointer = member(&job_pointer, "container");
            image_versions(c.get("image"), &member(&pointer, "image"), "ci", places);
        }
        if let Some(value) = job.pointer("/env/GOTOOLCHAIN") {
            places.add(
                value,
                "ci",
                "GOTOOLCHAIN",
                &format!("{job_pointer}/env/GOTOOLCHAIN"),
            );
        }
        for (i, step) in array(job.get("steps")).iter().enumerate() {
            let step_pointer = element(&member(&job_pointer, "steps"), i);
            let uses = step.get("uses").and_then(Value::as_str).unwrap_or("");
            if !uses.starts_with("actions/setup-go@") {
                continue;
            }
            let Some(version) = step.pointer("/with/go-version") else {
                continue;
            };
            let pointer = format!("{step_pointer}/with/go-version");
            let what = "actions/setup-go go-version";
            match matrix_variable(version) {
                Some(variable) => {
                    let matrix = member(&format!("{job_pointer}/strategy/matrix"), &variable);
                    for (k, value) in array(content.pointer(&matrix)).iter().enumerate() {
                        places.add(value, "ci", "actions/setup-go matrix", &element(&matrix, k));
                    }
                }
                None => places.add(version, "ci", what, &pointer),
            }
        }
    }
}

/// `${{ matrix.go }}` → `go`.
fn matrix_variable(value: &Value) -> Option<String> {
    let text = value.as_str()?.trim();
    let inner = text.strip_prefix("${{")?.strip_suffix("}}")?.trim();
    inner.strip_prefix("matrix.").map(str::to_string)
}

fn array(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The `use` directories of a go.work that do not exist beside it.
fn missing_uses(file: Option<&Path>, content: &Value) -> Value {
    let Some(dir) = file.and_then(Path::parent) else {
        return Value::Array(Vec::new());
    };
    let missing: Vec<Value> = array(content.get("uses"))
        .iter()
        .filter(|u| {
            let dir = dir.join(u["value"].as_str().unwrap_or(""));
            !dir.join("go.mod").is_file()
        })
        .cloned()
        .collect();
    Value::Array(missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_as_places_write_them() {
        let v = |t| GoVersion::parse(t).map(|v| v.shown());
        assert_eq!(v("1.21"), Some("1.21".into()));
        assert_eq!(v("go1.22.1"), Some("1.22.1".into()));
        assert_eq!(v("1.21.x"), Some("1.21".into()));
        assert_eq!(v("^1.23.4"), Some("1.23.4".into()));
        assert_eq!(v("1.21rc2"), Some("1.21rc2".into()));
        assert_eq!(v("go1.23.0+auto"), Some("1.23.0".into()));
        assert_eq!(v("stable"), None);
        assert_eq!(v("local"), None);
        assert_eq!(v("1"), None);
        assert_eq!(v("1.22-bookworm"), Some("1.22".into()));
    }

    #[test]
    fn go_image_tags() {
        let tag = |image| golang_tag(&ImageRef::parse(image));
        assert_eq!(tag("golang:1.21-alpine"), Some("1.21".into()));
        assert_eq!(
            tag("docker.io/library/golang:1.22.3"),
            Some("1.22.3".into())
        );
        assert_eq!(tag("golang:alpine"), None);
        assert_eq!(tag("golang"), None);
        assert_eq!(tag("ubuntu:22.04"), None);
        assert_eq!(
            tag("mcr.microsoft.com/devcontainers/go:1-1.22-bookworm"),
            Some("1.22".into())
        );
    }

    #[test]
    fn where_versions_are_compared() {
        assert_eq!(
            home_dir(FileKind::GithubWorkflow, ".github/workflows/ci.yml"),
            ""
        );
        assert_eq!(
            home_dir(FileKind::GithubWorkflow, "r/.github/workflows/ci.yml"),
            "r/"
        );
        assert_eq!(
            home_dir(
                FileKind::Devcontainer,
                "r/.devcontainer/go/devcontainer.json"
            ),
            "r/"
        );
        assert_eq!(home_dir(FileKind::Dockerfile, "svc/Dockerfile"), "svc/");
        assert_eq!(home_dir(FileKind::GoMod, "go.mod"), "");
    }
}
