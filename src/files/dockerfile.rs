//! Dockerfiles: one entry per instruction, with the line it starts on. Handles line
//! continuations (the `# escape=` parser directive included), comment lines inside a
//! continued instruction, and BuildKit heredocs (`RUN <<EOF … EOF`). An unknown
//! instruction is a syntax error, as `docker build` makes it one. Secret-like
//! `ENV`/`ARG` values are redacted.

use serde_json::{Value, json};

use super::ParsedDocument;
use super::source_map::{Positions, element, member};
use crate::redact::{REDACTED, is_secret_name, redact_line};
use crate::snapshot::FileParseError;

const INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// The document, and the pointers of the values that were redacted.
pub fn parse(text: &str) -> (ParsedDocument, Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let escape = escape_directive(&lines);
    let mut instructions = Vec::new();
    let mut positions = Positions::new();
    positions.insert(String::new(), [1, 1]);
    let mut redacted = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let number = i + 1;
        let raw = lines[i];
        i += 1;
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = raw.chars().count() - trimmed.chars().count();
        // Join continued lines; comment lines inside a continuation are dropped.
        let mut logical = String::new();
        let mut current = trimmed.trim_end();
        loop {
            match current.strip_suffix(escape) {
                Some(head) => {
                    logical.push_str(head);
                    logical.push(' ');
                    while i < lines.len() && lines[i].trim_start().starts_with('#') {
                        i += 1;
                    }
                    let Some(next) = lines.get(i) else { break };
                    i += 1;
                    current = next.trim();
                }
                None => {
                    logical.push_str(current);
                    break;
                }
            }
        }
        let (word, args) = match logical.split_once(char::is_whitespace) {
            Some((word, args)) => (word, args.trim()),
            None => (logical.as_str(), ""),
        };
        let cmd = word.to_ascii_uppercase();
        if !INSTRUCTIONS.contains(&cmd.as_str()) {
            return (
                ParsedDocument::failed(
                    1,
                    FileParseError {
                        message: format!("unknown instruction: {word}"),
                        line: number,
                        column: indent + 1,
                    },
                ),
                Vec::new(),
            );
        }
        let mut args = args.to_string();
        if let Some(word) = heredoc_word(&args) {
            let mut closed = false;
            while let Some(next) = lines.get(i) {
                i += 1;
                args.push('\n');
                args.push_str(next);
                if next.trim() == word {
                    closed = true;
                    break;
                }
            }
            if !closed {
                return (
                    ParsedDocument::failed(
                        1,
                        FileParseError {
                            message: format!("heredoc <<{word} is never closed"),
                            line: number,
                            column: indent + 1,
                        },
                    ),
                    Vec::new(),
                );
            }
        }
        let pointer = element("/instructions", instructions.len());
        let cmd_column = indent + 1;
        let args_column = cmd_column + word.chars().count() + 1;
        positions.insert(pointer.clone(), [number, cmd_column]);
        positions.insert(member(&pointer, "cmd"), [number, cmd_column]);
        positions.insert(member(&pointer, "args"), [number, args_column]);
        positions.insert(member(&pointer, "line"), [number, cmd_column]);
        let clean = redact_args(&cmd, &args);
        if clean != args {
            redacted.push(member(&pointer, "args"));
        }
        instructions.push(json!({"cmd": cmd, "args": clean, "line": number}));
    }
    if !instructions.is_empty() {
        positions.insert("/instructions".into(), positions["/instructions/0"]);
    }
    (
        ParsedDocument {
            line: 1,
            content: Some(json!({ "instructions": Value::Array(instructions) })),
            positions,
            error: None,
            warnings: Vec::new(),
            complex_key: false,
        },
        redacted,
    )
}

/// `# escape=`` ` `` changes the continuation character (parser directives come
/// first, before any instruction or other comment).
fn escape_directive(lines: &[&str]) -> char {
    for line in lines {
        let Some(directive) = line.trim().strip_prefix('#') else {
            break;
        };
        let directive = directive.trim();
        if let Some(value) = directive.strip_prefix("escape=") {
            if value.trim() == "`" {
                return '`';
            }
        } else if !directive.contains('=') {
            break;
        }
    }
    '\\'
}

/// The closing word of a heredoc (`<<EOF`, `<<-EOF`, `<<"EOF"`), if the arguments open one.
fn heredoc_word(args: &str) -> Option<String> {
    let start = args.find("<<")?;
    let rest = args[start + 2..].trim_start_matches('-');
    let rest = rest.trim_start_matches(['"', '\'']);
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}

/// `ENV DB_PASSWORD=x`, `ARG TOKEN=x` and the legacy `ENV API_KEY x` lose their values;
/// URL passwords go from every instruction.
fn redact_args(cmd: &str, args: &str) -> String {
    if matches!(cmd, "ENV" | "ARG")
        && let Some((name, _)) = args.split_once(char::is_whitespace)
        && !name.contains('=')
        && is_secret_name(name)
    {
        return format!("{name} {REDACTED}");
    }
    redact_line(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_with_continuations_and_heredocs() {
        let text = "# syntax=docker/dockerfile:1\nFROM golang:1.22 AS build\n\nRUN apt-get update && \\\n    # a comment\n    apt-get install -y git\nRUN <<EOF\necho hi\nEOF\nENV API_TOKEN=abc\nUSER app\n";
        let (doc, redacted) = parse(text);
        let content = doc.content.unwrap();
        let cmds: Vec<(&str, u64)> = content["instructions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["cmd"].as_str().unwrap(), i["line"].as_u64().unwrap()))
            .collect();
        assert_eq!(
            cmds,
            vec![
                ("FROM", 2),
                ("RUN", 4),
                ("RUN", 7),
                ("ENV", 10),
                ("USER", 11)
            ]
        );
        assert_eq!(
            content["instructions"][1]["args"],
            "apt-get update &&  apt-get install -y git"
        );
        assert_eq!(content["instructions"][3]["args"], "API_TOKEN=[REDACTED]");
        assert_eq!(redacted, vec!["/instructions/3/args"]);
        assert_eq!(doc.positions.get("/instructions/4/args"), Some(&[11, 6]));
    }

    #[test]
    fn unknown_instructions_are_errors() {
        let error = parse("FROM x\n  RUNN make\n").0.error.unwrap();
        assert_eq!((error.line, error.column), (2, 3));
        assert!(error.message.contains("RUNN"));
    }
}
