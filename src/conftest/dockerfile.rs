//! A Dockerfile as conftest hands it to policies: BuildKit's parse tree flattened to
//! `[[{Cmd, SubCmd, JSON, Flags, Value, Stage}, …]]` (conftest parser/docker), with
//! comments as `{"Cmd": "comment"}` entries before the instruction they precede.
//! Follows BuildKit's frontend/dockerfile/parser: directives, continuation lines,
//! `--flags`, each instruction's argument reading, heredocs skipped over.

use serde_json::{Value, json};

/// The configuration, or the message and line of what BuildKit refuses.
pub fn parse(text: &str) -> Result<Value, (String, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut escape = '\\';
    let mut directives_open = true;
    let mut comments: Vec<String> = Vec::new();
    let mut commands = Vec::new();
    let mut stages = 0usize;
    let mut i = 0;
    while i < lines.len() {
        let raw = lines[i].trim_end_matches(['\r', '\n']);
        i += 1;
        let start_line = i;
        let trimmed = raw.trim_start();
        if let Some(body) = trimmed.strip_prefix('#') {
            if directives_open && let Some((name, value)) = directive(body) {
                if name == "escape" {
                    escape = match value {
                        "`" => '`',
                        "\\" => '\\',
                        _ => {
                            return Err((
                                format!("invalid escape token '{value}' does not match ` or \\"),
                                i,
                            ));
                        }
                    };
                }
                continue;
            }
            directives_open = false;
            let comment = body.trim();
            if comment.is_empty() {
                comments.clear();
            } else {
                comments.push(comment.to_string());
            }
            continue;
        }
        directives_open = false;
        let (first, mut ended) = trim_continuation(trimmed, escape);
        if ended && first.is_empty() {
            continue;
        }
        let mut line = first.to_string();
        while !ended && i < lines.len() {
            let next = lines[i].trim_end_matches(['\r', '\n']);
            i += 1;
            if next.trim_start().starts_with('#') || next.trim().is_empty() {
                continue;
            }
            let (part, done) = trim_continuation(next, escape);
            line.push_str(part);
            ended = done;
        }
        let node = node_from_line(&line, escape).map_err(|m| (m, start_line))?;
        // Heredocs (`RUN <<EOF`): their bodies are not instructions.
        if matches!(
            node.cmd.to_ascii_lowercase().as_str(),
            "run" | "copy" | "add"
        ) {
            for terminator in heredoc_names(&line) {
                let mut closed = false;
                while i < lines.len() {
                    let body = lines[i].trim_end_matches(['\r', '\n']);
                    i += 1;
                    if body.trim_start_matches('\t') == terminator {
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    return Err(("unterminated heredoc".into(), start_line));
                }
            }
        }
        let lower = node.cmd.to_ascii_lowercase();
        if !KNOWN.contains(&lower.as_str()) {
            return Err((format!("unknown instruction: {}", node.cmd), start_line));
        }
        if lower == "from" {
            stages += 1;
        }
        let stage = stages.saturating_sub(1);
        for comment in comments.drain(..) {
            commands.push(json!({
                "Cmd": "comment", "SubCmd": "", "JSON": false, "Flags": null,
                "Value": [comment], "Stage": stage,
            }));
        }
        let (sub_cmd, args) = match node.sub {
            Some(sub) => (sub.cmd.clone(), *sub),
            None => (String::new(), node.clone_args()),
        };
        commands.push(json!({
            "Cmd": lower,
            "SubCmd": sub_cmd,
            "JSON": args.json,
            "Flags": node.flags,
            "Value": if args.values.is_empty() { Value::Null } else { json!(args.values) },
            "Stage": stage,
        }));
    }
    if commands.is_empty() {
        return Err(("file with no instructions".into(), lines.len().max(1)));
    }
    Ok(json!([commands]))
}

const KNOWN: &[&str] = &[
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

/// `# name=value` with a directive name BuildKit knows.
fn directive(body: &str) -> Option<(&str, &str)> {
    let (name, value) = body.split_once('=')?;
    let name = name.trim();
    let lower = name.to_ascii_lowercase();
    ["syntax", "escape", "check"]
        .iter()
        .find(|d| **d == lower)
        .map(|d| (*d, value.trim()))
}

/// The line without a trailing escape (and blanks after it); `true` when the
/// instruction ends here.
fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let stripped = line.trim_end_matches([' ', '\t']);
    match stripped.strip_suffix(escape) {
        Some(rest) => (rest, false),
        None => (line, true),
    }
}

#[derive(Debug, Clone, Default)]
struct Node {
    cmd: String,
    flags: Vec<String>,
    values: Vec<String>,
    json: bool,
    sub: Option<Box<Node>>,
}

impl Node {
    fn clone_args(&self) -> Node {
        Node {
            values: self.values.clone(),
            json: self.json,
            ..Node::default()
        }
    }
}

fn is_space(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

fn node_from_line(line: &str, escape: char) -> Result<Node, String> {
    let line = line.trim();
    let (cmd, rest) = match line.find(is_space) {
        Some(at) => (&line[..at], line[at..].trim_start_matches(is_space)),
        None => (line, ""),
    };
    let (rest, flags) = extract_flags(rest, escape);
    let rest = rest.trim();
    let mut node = Node {
        cmd: cmd.to_string(),
        flags,
        ..Node::default()
    };
    match cmd.to_ascii_lowercase().as_str() {
        "add" | "copy" | "volume" => match parse_json(rest)? {
            Some(values) => (node.values, node.json) = (values, true),
            None => node.values = split_whitespace(rest),
        },
        "cmd" | "entrypoint" | "run" | "shell" if !rest.is_empty() => match parse_json(rest)? {
            Some(values) => (node.values, node.json) = (values, true),
            None => node.values = vec![rest.to_string()],
        },
        "arg" => node.values = words(rest, escape),
        "env" | "label" => node.values = name_values(rest, cmd, escape)?,
        "expose" | "from" => node.values = split_whitespace(rest),
        "maintainer" | "stopsignal" | "user" | "workdir" if !rest.is_empty() => {
            node.values = vec![rest.to_string()];
        }
        "healthcheck" => {
            let sep = rest.find(char::is_whitespace).unwrap_or(rest.len());
            if sep > 0 {
                let after = rest[sep..].trim_start();
                node.values.push(rest[..sep].to_string());
                if !after.is_empty() {
                    match parse_json(after)? {
                        Some(values) => {
                            node.values.extend(values);
                            node.json = true;
                        }
                        None => node.values.push(after.to_string()),
                    }
                }
            }
        }
        "onbuild" if !rest.is_empty() => {
            node.sub = Some(Box::new(node_from_line(rest, escape)?));
        }
        _ => {}
    }
    Ok(node)
}

fn split_whitespace(rest: &str) -> Vec<String> {
    if rest.is_empty() {
        return Vec::new();
    }
    rest.split(is_space)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A JSON array of strings; `None` when `rest` is not a JSON array; an error for an
/// array holding something else.
fn parse_json(rest: &str) -> Result<Option<Vec<String>>, String> {
    let rest = rest.trim_start();
    if !rest.starts_with('[') {
        return Ok(None);
    }
    let Ok(items) = serde_json::from_str::<Vec<Value>>(rest) else {
        return Ok(None);
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::String(s) => Ok(s),
            _ => Err("dockerfile: JSON arrays must contain only strings".to_string()),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// BuildKit's `extractBuilderFlags`: leading `--name=value` words, quotes removed.
fn extract_flags(line: &str, escape: char) -> (&str, Vec<String>) {
    let mut flags = Vec::new();
    let bytes: Vec<char> = line.chars().collect();
    let mut offsets: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
    offsets.push(line.len());
    let mut pos = 0;
    loop {
        while pos < bytes.len() && bytes[pos].is_whitespace() {
            pos += 1;
        }
        if pos >= bytes.len() {
            return ("", flags);
        }
        if !(bytes[pos] == '-' && pos + 1 < bytes.len() && bytes[pos + 1] == '-') {
            return (&line[offsets[pos]..], flags);
        }
        let mut word = String::new();
        let mut quote: Option<char> = None;
        let mut blank_ok = false;
        while pos < bytes.len() {
            let c = bytes[pos];
            match quote {
                None if c.is_whitespace() => break,
                None if c == '\'' || c == '"' => {
                    quote = Some(c);
                    blank_ok = true;
                }
                Some(q) if c == q => quote = None,
                _ if c == escape => {
                    if pos + 1 < bytes.len() {
                        pos += 1;
                        word.push(bytes[pos]);
                    }
                }
                _ => word.push(c),
            }
            pos += 1;
        }
        if word == "--" {
            return (&line[offsets[pos]..], flags);
        }
        if blank_ok || !word.is_empty() {
            flags.push(word);
        }
    }
}

/// BuildKit's `parseWords`: whitespace-separated words, quotes kept.
fn words(rest: &str, escape: char) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut blank_ok = false;
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            if c == escape && q != '\'' {
                if chars.peek().is_none() {
                    quote = None;
                    continue;
                }
                word.push(c);
                word.push(chars.next().unwrap_or(c));
                continue;
            }
            word.push(c);
            continue;
        }
        if c.is_whitespace() {
            if in_word && (blank_ok || !word.is_empty()) {
                words.push(std::mem::take(&mut word));
            }
            word.clear();
            in_word = false;
            blank_ok = false;
            continue;
        }
        in_word = true;
        if c == '\'' || c == '"' {
            quote = Some(c);
            blank_ok = true;
        }
        if c == escape {
            if chars.peek().is_none() {
                continue;
            }
            word.push(c);
            word.push(chars.next().unwrap_or(c));
            continue;
        }
        word.push(c);
    }
    if in_word && (blank_ok || !word.is_empty()) {
        words.push(word);
    }
    words
}

/// ENV and LABEL: `key value` (legacy) or `k=v …`, each pair with its separator.
fn name_values(rest: &str, key: &str, escape: char) -> Result<Vec<String>, String> {
    let all = words(rest, escape);
    let Some(first) = all.first() else {
        return Ok(Vec::new());
    };
    if !first.contains('=') {
        let mut parts = rest.splitn(2, is_space);
        let name = parts.next().unwrap_or_default();
        let value = parts
            .next()
            .map(|v| v.trim_start_matches(is_space))
            .unwrap_or("");
        if value.is_empty() {
            return Err(format!(
                "{} must have two arguments",
                key.to_ascii_uppercase()
            ));
        }
        return Ok(vec![name.to_string(), value.to_string(), String::new()]);
    }
    let mut values = Vec::new();
    for word in all {
        let Some((name, value)) = word.split_once('=') else {
            return Err(format!(
                "Syntax error - can't find = in {word:?}. Must be of the form: name=value"
            ));
        };
        values.extend([name.to_string(), value.to_string(), "=".to_string()]);
    }
    Ok(values)
}

/// The terminators of `<<EOF` / `<<-EOF` / `<<"EOF"` heredocs on an instruction line.
fn heredoc_names(line: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("<<") {
        let after = rest[at + 2..].trim_start_matches('-');
        let name: String = after
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            names.push(name);
        }
        rest = &rest[at + 2..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_comments_stages_and_flags() {
        let text = "# syntax=docker/dockerfile:1\n# base\nFROM --platform=linux/amd64 golang:1.22 AS build\nRUN go build \\\n  ./...\nENV A=1 B=\"x y\"\nFROM scratch\nCOPY --from=build [\"/app\", \"/\"]\nCMD [\"/app\"]\n";
        let value = parse(text).unwrap();
        let cmds = value[0].as_array().unwrap();
        assert_eq!(
            cmds[0],
            json!({"Cmd": "comment", "SubCmd": "", "JSON": false, "Flags": null, "Value": ["base"], "Stage": 0})
        );
        assert_eq!(cmds[1]["Flags"], json!(["--platform=linux/amd64"]));
        assert_eq!(cmds[1]["Value"], json!(["golang:1.22", "AS", "build"]));
        assert_eq!(cmds[2]["Value"], json!(["go build   ./..."]));
        assert_eq!(
            cmds[3]["Value"],
            json!(["A", "1", "=", "B", "\"x y\"", "="])
        );
        assert_eq!(cmds[4]["Stage"], json!(1));
        assert_eq!(cmds[5]["JSON"], json!(true));
        assert_eq!(cmds[6]["Value"], json!(["/app"]));
        assert!(
            parse("FOO bar\n")
                .unwrap_err()
                .0
                .contains("unknown instruction")
        );
    }
}
