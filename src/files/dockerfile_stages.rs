//! A Dockerfile's build stages, from its instructions: each `FROM` with the image's
//! repository, tag and digest (or the earlier stage it builds on), the `ENV` settings
//! the stage has (its own and those of the stage it starts from), its last `USER`, and
//! the `RUN` lines that turn cgo on. The `repo` pack judges these facts.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// An image reference taken apart: `registry/repo:tag@digest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImageRef {
    /// Without the tag and digest (`golang`, `gcr.io/distroless/static`).
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// The last path component of the repository (`golang`, `static`).
    pub name: String,
}

impl ImageRef {
    pub fn parse(image: &str) -> Self {
        let (rest, digest) = match image.split_once('@') {
            Some((rest, digest)) => (rest, Some(digest.to_string())),
            None => (image, None),
        };
        // A `:` after the last `/` starts the tag (`host:5000/app` has none).
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (
                &rest[..last_slash + i],
                Some(rest[last_slash + i + 1..].to_string()),
            ),
            None => (rest, None),
        };
        let name = repository.rsplit('/').next().unwrap_or(repository);
        Self {
            repository: repository.to_string(),
            tag,
            digest,
            name: name.to_ascii_lowercase(),
        }
    }
}

/// A setting with the line that made it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Setting {
    pub value: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage {
    pub index: usize,
    /// `AS name`, lowercased as docker compares it.
    pub name: Option<String>,
    /// The `FROM` argument as written (`golang:1.22`, `${BASE}`, `build`).
    pub from: String,
    pub line: usize,
    pub image: ImageRef,
    /// Builds on an earlier stage of this file.
    pub from_stage: Option<usize>,
    /// The image names a build argument (`${BASE}`): its tag is not known here.
    pub variable: bool,
    /// `scratch`, or a distroless image without a C library (`static`).
    pub no_libc: bool,
    pub env: BTreeMap<String, Setting>,
    /// The last `USER` (inherited from the stage it builds on).
    pub user: Option<Setting>,
    /// Lines of `RUN` instructions that set `CGO_ENABLED=1`.
    pub cgo_runs: Vec<usize>,
    /// `ADD` instructions whose source is a URL.
    pub add_urls: Vec<Setting>,
}

/// The stages of a parsed Dockerfile (`{"instructions": [{cmd, args, line}]}`).
pub fn stages(content: &Value) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    let Some(instructions) = content.get("instructions").and_then(Value::as_array) else {
        return stages;
    };
    for instruction in instructions {
        let cmd = instruction["cmd"].as_str().unwrap_or("");
        let args = instruction["args"].as_str().unwrap_or("");
        let line = instruction["line"].as_u64().unwrap_or(1) as usize;
        if cmd == "FROM" {
            stages.push(new_stage(&stages, args, line));
            continue;
        }
        let Some(stage) = stages.last_mut() else {
            continue;
        };
        match cmd {
            "ENV" => {
                for (name, value) in env_pairs(args) {
                    stage.env.insert(name, Setting { value, line });
                }
            }
            "USER" => {
                stage.user = Some(Setting {
                    value: args.trim().to_string(),
                    line,
                });
            }
            "RUN" if args.contains("CGO_ENABLED=1") => stage.cgo_runs.push(line),
            "ADD" => {
                for word in args.split_whitespace().filter(|w| !w.starts_with("--")) {
                    if word.starts_with("http://") || word.starts_with("https://") {
                        stage.add_urls.push(Setting {
                            value: word.to_string(),
                            line,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    stages
}

fn new_stage(earlier: &[Stage], args: &str, line: usize) -> Stage {
    let words: Vec<&str> = args
        .split_whitespace()
        .filter(|w| !w.starts_with("--"))
        .collect();
    let from = words.first().copied().unwrap_or("").to_string();
    let name = match words.as_slice() {
        [_, as_, name, ..] if as_.eq_ignore_ascii_case("as") => Some(name.to_ascii_lowercase()),
        _ => None,
    };
    let from_stage = earlier
        .iter()
        .rposition(|s| s.name.as_deref() == Some(from.to_ascii_lowercase().as_str()));
    let image = ImageRef::parse(&from);
    let no_libc = from.eq_ignore_ascii_case("scratch")
        || (image.repository.contains("distroless/") && image.name.starts_with("static"));
    let parent = from_stage.map(|i| &earlier[i]);
    Stage {
        index: earlier.len(),
        name,
        line,
        variable: from.contains('$'),
        no_libc: parent.map_or(no_libc, |p| p.no_libc),
        env: parent.map(|p| p.env.clone()).unwrap_or_default(),
        user: parent.and_then(|p| p.user.clone()),
        image: parent.map_or(image, |p| p.image.clone()),
        from,
        from_stage,
        cgo_runs: Vec::new(),
        add_urls: Vec::new(),
    }
}

/// `ENV A=1 B="two words"` and the legacy `ENV A one value`.
fn env_pairs(args: &str) -> Vec<(String, String)> {
    let args = args.trim();
    let first = args.split_whitespace().next().unwrap_or("");
    if !first.contains('=') {
        let value = args[first.len()..].trim();
        return vec![(first.to_string(), value.to_string())];
    }
    let mut pairs = Vec::new();
    let mut chars = args.chars().peekable();
    while chars.peek().is_some() {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let name: String = chars.by_ref().take_while(|&c| c != '=').collect();
        if name.is_empty() {
            break;
        }
        let mut value = String::new();
        let mut quote = None;
        while let Some(&c) = chars.peek() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, c) if c.is_whitespace() => break,
                (_, '\\') => {
                    chars.next();
                    if let Some(&escaped) = chars.peek() {
                        value.push(escaped);
                    }
                }
                _ => value.push(c),
            }
            chars.next();
        }
        pairs.push((name, value));
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn instructions(list: &[(&str, &str, usize)]) -> Value {
        let list: Vec<Value> = list
            .iter()
            .map(|(cmd, args, line)| json!({"cmd": cmd, "args": args, "line": line}))
            .collect();
        json!({ "instructions": list })
    }

    #[test]
    fn image_references() {
        let r = ImageRef::parse("registry.example:5000/team/golang:1.22-alpine@sha256:abc");
        assert_eq!(r.repository, "registry.example:5000/team/golang");
        assert_eq!(r.tag.as_deref(), Some("1.22-alpine"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        assert_eq!(r.name, "golang");
        let r = ImageRef::parse("host:5000/app");
        assert_eq!((r.repository.as_str(), r.tag), ("host:5000/app", None));
    }

    #[test]
    fn stages_inherit_from_the_stage_they_build_on() {
        let content = instructions(&[
            ("FROM", "--platform=$BUILDPLATFORM golang:1.22 AS build", 1),
            ("ENV", "CGO_ENABLED=1 GOFLAGS=\"-mod=mod -x\"", 2),
            ("USER", "root", 3),
            ("FROM", "build AS test", 4),
            ("RUN", "CGO_ENABLED=1 go test ./...", 5),
            ("FROM", "gcr.io/distroless/static-debian12:nonroot", 6),
            ("ADD", "--chmod=644 https://example.com/a.tgz /a", 7),
        ]);
        let stages = stages(&content);
        assert_eq!(stages.len(), 3);
        assert_eq!(stages[0].env["GOFLAGS"].value, "-mod=mod -x");
        assert_eq!(stages[1].from_stage, Some(0));
        assert_eq!(stages[1].image.name, "golang");
        assert_eq!(stages[1].user.as_ref().unwrap().line, 3);
        assert_eq!(stages[1].env["CGO_ENABLED"].line, 2);
        assert_eq!(stages[1].cgo_runs, vec![5]);
        assert!(stages[2].no_libc && stages[2].user.is_none());
        assert_eq!(stages[2].add_urls[0].value, "https://example.com/a.tgz");
    }

    #[test]
    fn legacy_env_form() {
        assert_eq!(
            env_pairs("GOPROXY https://proxy.example"),
            vec![("GOPROXY".into(), "https://proxy.example".into())]
        );
    }
}
