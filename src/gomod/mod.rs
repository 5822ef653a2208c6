//! Parser for `go.mod` and `go.work` that keeps line numbers, so a finding can point at
//! the `go 1.22` or `replace` line to fix.
//!
//! Follows the grammar of `golang.org/x/mod/modfile` (the go command's own parser):
//! one directive per line or a `verb ( … )` block with one entry per line, `//`
//! comments, `"…"` quoted tokens. It is deliberately lenient where the go command is
//! strict about *which* file a directive belongs in (`use` is accepted in go.mod,
//! `require` in go.work): callers know which file they asked for. Messages for broken
//! lines reuse the go command's wording so users can search for them.

mod lex;
pub(crate) mod pattern;
mod vendor;

pub use pattern::{matching_patterns, path_match};
pub use vendor::parse_modules_txt;

use crate::snapshot::{Directive, GoModFile, ParseProblem, Replace, Require};
use lex::{Token, tokenize};

/// Directives that are valid but whose contents the snapshot does not record.
const IGNORED_DIRECTIVES: [&str; 5] = ["exclude", "retract", "godebug", "ignore", "tool"];

/// Parses go.mod or go.work text. `file` is stored as given. Never fails: lines it
/// cannot understand go into `errors`.
pub fn parse(file: &str, text: &str) -> GoModFile {
    let mut parser = Parser {
        out: GoModFile {
            file: file.to_owned(),
            ..GoModFile::default()
        },
        block: None,
    };
    // The go command rejects a byte-order mark; report it, then read on as if absent so
    // the rest of the file still yields facts.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            parser.problem(1, "unexpected input character '\\ufeff'".to_owned());
            rest
        }
        None => text,
    };
    for (index, line) in text.split('\n').enumerate() {
        parser.line(index + 1, line.strip_suffix('\r').unwrap_or(line));
    }
    parser.finish()
}

/// A `verb (` block waiting for its `)`.
struct OpenBlock {
    verb: String,
    line: usize,
    /// Entries of an unknown block are skipped: its opener was already reported.
    known: bool,
}

struct Parser {
    out: GoModFile,
    block: Option<OpenBlock>,
}

impl Parser {
    fn line(&mut self, line: usize, text: &str) {
        let (tokens, comment) = match tokenize(text) {
            Ok(lexed) => lexed,
            Err(message) => return self.problem(line, message),
        };
        let Some(first) = tokens.first() else {
            return;
        };
        if let Some(block) = &self.block {
            if first.is_punct(')') {
                if tokens.len() > 1 {
                    self.problem(line, "unexpected text after ')'".to_owned());
                }
                self.block = None;
            } else if block.known {
                let verb = block.verb.clone();
                self.entry(&verb, &tokens, comment.as_deref(), line);
            }
            return;
        }
        let Some(Token::Word(verb)) = tokens.first() else {
            let shown = match first {
                Token::Punct(c) => c.to_string(),
                other => other.text().unwrap_or_default().to_owned(),
            };
            return self.problem(line, format!("unknown directive: {shown}"));
        };
        let args = &tokens[1..];
        // Only `verb (` alone on its line opens a block (`verb ()` is an empty one);
        // `require ( a v1` is a malformed single-line require, as for the go command.
        let opens_block = args.len() == 1 && args[0].is_punct('(');
        let empty_block = args.len() == 2 && args[0].is_punct('(') && args[1].is_punct(')');
        let known = is_known(verb);
        if opens_block || empty_block {
            if !known {
                self.problem(line, format!("unknown block type: {verb}"));
            }
            if opens_block {
                self.block = Some(OpenBlock {
                    verb: verb.clone(),
                    line,
                    known,
                });
            }
        } else if known {
            self.entry(verb, args, comment.as_deref(), line);
        } else {
            self.problem(line, format!("unknown directive: {verb}"));
        }
    }

    /// Applies one directive, given its arguments (from a single line or a block entry).
    fn entry(&mut self, verb: &str, args: &[Token], comment: Option<&str>, line: usize) {
        if IGNORED_DIRECTIVES.contains(&verb) {
            return;
        }
        let Some(words) = args.iter().map(Token::text).collect::<Option<Vec<_>>>() else {
            return self.problem(line, usage(verb).to_owned());
        };
        let directive = |value: &str| Directive {
            value: value.to_owned(),
            line,
        };
        match (verb, words.as_slice()) {
            ("module", [path]) => {
                if self.out.module.is_some() {
                    return self.problem(line, "repeated module statement".to_owned());
                }
                self.out.module = Some((*path).to_owned());
            }
            ("go", [version]) => {
                if self.out.go.is_some() {
                    return self.problem(line, "repeated go statement".to_owned());
                }
                self.out.go = Some(directive(version));
            }
            ("toolchain", [name]) => {
                if self.out.toolchain.is_some() {
                    return self.problem(line, "repeated toolchain statement".to_owned());
                }
                self.out.toolchain = Some(directive(name));
            }
            ("use", [dir]) => self.out.uses.push(directive(dir)),
            ("require", [path, version]) => self.out.requires.push(Require {
                path: (*path).to_owned(),
                version: (*version).to_owned(),
                indirect: comment.is_some_and(is_indirect),
                line,
            }),
            ("replace", words) => match parse_replace(args, words, line) {
                Ok(replace) => self.out.replaces.push(replace),
                Err(message) => self.problem(line, message),
            },
            _ => self.problem(line, usage(verb).to_owned()),
        }
    }

    /// Messages quote the file: a binary or NUL-filled go.mod would put a megabyte of
    /// it into the snapshot, so each is escaped and bounded.
    fn problem(&mut self, line: usize, message: String) {
        let message = crate::escape::bounded(&message, MAX_MESSAGE_CHARS);
        self.out.errors.push(ParseProblem { line, message });
    }

    fn finish(mut self) -> GoModFile {
        if let Some(block) = self.block.take() {
            let message = format!("unterminated {} block: missing ')'", block.verb);
            self.problem(block.line, message);
        }
        self.out
    }
}

/// The longest parse problem message, in characters once escaped.
pub const MAX_MESSAGE_CHARS: usize = 200;

fn is_known(verb: &str) -> bool {
    matches!(
        verb,
        "module" | "go" | "toolchain" | "require" | "replace" | "use"
    ) || IGNORED_DIRECTIVES.contains(&verb)
}

/// The go command's usage line for a directive with the wrong arguments.
fn usage(verb: &str) -> &'static str {
    match verb {
        "module" => "usage: module module/path",
        "go" => "usage: go 1.23",
        "toolchain" => "usage: toolchain go1.23.0",
        "require" => "usage: require module/path v1.2.3",
        "use" => "usage: use local/dir",
        _ => {
            "usage: replace module/path [v1.2.3] => other/module v1.4 \
             or replace module/path [v1.2.3] => ../local/directory"
        }
    }
}

/// `old [v] => new [v]`. Only an unquoted `=>` is the arrow.
fn parse_replace(tokens: &[Token], words: &[&str], line: usize) -> Result<Replace, String> {
    let arrow = tokens
        .iter()
        .position(|t| *t == Token::Word("=>".to_owned()))
        .ok_or_else(|| usage("replace").to_owned())?;
    let (old, new) = (&words[..arrow], &words[arrow + 1..]);
    let version = |v: Option<&&str>| v.map(|v| (*v).to_owned());
    match (old, new) {
        ([_] | [_, _], [_] | [_, _]) => {
            if new.len() == 1 && !is_local_path(new[0]) {
                return Err("replacement module without version must be directory path \
                            (rooted or starting with ./ or ../)"
                    .to_owned());
            }
            Ok(Replace {
                old_path: old[0].to_owned(),
                old_version: version(old.get(1)),
                new_path: new[0].to_owned(),
                new_version: version(new.get(1)),
                line,
            })
        }
        _ => Err(usage("replace").to_owned()),
    }
}

/// The go command's test for a replacement that is a directory, not a module.
fn is_local_path(path: &str) -> bool {
    path.starts_with("./")
        || path.starts_with("../")
        || path.starts_with('/')
        || path.starts_with(".\\")
        || path.starts_with("..\\")
        || path.starts_with('\\')
        || path == "."
        || path == ".."
        // Windows drive path, e.g. `C:\src` or `C:/src`.
        || path.as_bytes().get(1) == Some(&b':')
}

/// `// indirect`, optionally followed by `; other remarks`, as `modfile` defines it.
fn is_indirect(comment: &str) -> bool {
    let text = comment.trim();
    text == "indirect" || text.starts_with("indirect;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directive(value: &str, line: usize) -> Directive {
        Directive {
            value: value.to_owned(),
            line,
        }
    }

    fn require(path: &str, version: &str, indirect: bool, line: usize) -> Require {
        Require {
            path: path.to_owned(),
            version: version.to_owned(),
            indirect,
            line,
        }
    }

    fn replace(old: (&str, Option<&str>), new: (&str, Option<&str>), line: usize) -> Replace {
        Replace {
            old_path: old.0.to_owned(),
            old_version: old.1.map(str::to_owned),
            new_path: new.0.to_owned(),
            new_version: new.1.map(str::to_owned),
            line,
        }
    }

    const GO_MOD: &str = r#"// Module comment.
module "example.com/envgate/demo" // trailing

go 1.22.1

toolchain go1.22.3

godebug default=go1.21

require golang.org/x/mod v0.17.0

require (
	github.com/BurntSushi/toml v1.3.2 // indirect
	`golang.org/x/sync` v0.7.0
	golang.org/x/text v0.14.0 // indirect; needed by x/tools

	golang.org/x/tools v0.21.0 // not indirect
)

replace golang.org/x/text v0.14.0 => golang.org/x/text v0.15.0

replace (
	golang.org/x/sync => ../sync
	example.com/old v1.0.0 => example.com/new v1.1.0 // moved
	"example.com/quoted" => ./vendor/quoted
)

exclude golang.org/x/net v0.1.0

retract [v1.0.0, v1.0.5] // published by mistake

retract (
	v0.9.0
)

tool golang.org/x/tools/cmd/stringer

ignore ./testdata
"#;

    #[test]
    fn realistic_go_mod() {
        let parsed = parse("/repo/go.mod", GO_MOD);
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(parsed.file, "/repo/go.mod");
        assert_eq!(parsed.module.as_deref(), Some("example.com/envgate/demo"));
        assert_eq!(parsed.go, Some(directive("1.22.1", 4)));
        assert_eq!(parsed.toolchain, Some(directive("go1.22.3", 6)));
        assert_eq!(
            parsed.requires,
            vec![
                require("golang.org/x/mod", "v0.17.0", false, 10),
                require("github.com/BurntSushi/toml", "v1.3.2", true, 13),
                require("golang.org/x/sync", "v0.7.0", false, 14),
                require("golang.org/x/text", "v0.14.0", true, 15),
                require("golang.org/x/tools", "v0.21.0", false, 17),
            ]
        );
        assert_eq!(
            parsed.replaces,
            vec![
                replace(
                    ("golang.org/x/text", Some("v0.14.0")),
                    ("golang.org/x/text", Some("v0.15.0")),
                    20
                ),
                replace(("golang.org/x/sync", None), ("../sync", None), 23),
                replace(
                    ("example.com/old", Some("v1.0.0")),
                    ("example.com/new", Some("v1.1.0")),
                    24
                ),
                replace(("example.com/quoted", None), ("./vendor/quoted", None), 25),
            ]
        );
        assert!(parsed.uses.is_empty());
    }

    #[test]
    fn go_work() {
        let text = "go 1.23.0\n\ntoolchain go1.23.2\n\nuse ./tools\n\nuse (\n\t.\n\t./cmd/envgate // main\n)\n\nreplace example.com/a v1.0.0 => ../a\n";
        let parsed = parse("go.work", text);
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(parsed.module, None);
        assert_eq!(parsed.go, Some(directive("1.23.0", 1)));
        assert_eq!(parsed.toolchain, Some(directive("go1.23.2", 3)));
        assert_eq!(
            parsed.uses,
            vec![
                directive("./tools", 5),
                directive(".", 8),
                directive("./cmd/envgate", 9)
            ]
        );
        assert_eq!(
            parsed.replaces,
            vec![replace(
                ("example.com/a", Some("v1.0.0")),
                ("../a", None),
                12
            )]
        );
    }

    #[test]
    fn comments_are_not_tokens() {
        let text = "// go 1.1\nmodule m//c\ngo 1.21 // go 1.99\n//require x v1\nrequire x v1.0.0//indirect\n";
        let parsed = parse("go.mod", text);
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(parsed.module.as_deref(), Some("m"));
        assert_eq!(parsed.go, Some(directive("1.21", 3)));
        assert_eq!(parsed.requires, vec![require("x", "v1.0.0", true, 5)]);
    }

    #[test]
    fn quoted_slashes_are_not_comments_in_directives() {
        let parsed = parse("go.mod", "replace \"a//b\" => \"./c//d\" // note\n");
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(
            parsed.replaces,
            vec![replace(("a//b", None), ("./c//d", None), 1)]
        );
    }

    #[test]
    fn crlf_line_endings() {
        let text = "module m\r\n\r\ngo 1.21\r\nrequire (\r\n\ta v1.0.0 // indirect\r\n)\r\n";
        let parsed = parse("go.mod", text);
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(parsed.module.as_deref(), Some("m"));
        assert_eq!(parsed.go, Some(directive("1.21", 3)));
        assert_eq!(parsed.requires, vec![require("a", "v1.0.0", true, 5)]);
    }

    #[test]
    fn unknown_directive_and_block_are_reported_by_name() {
        let text = "module m\nfrobnicate x y\nwidgets (\n\tw v1\n)\ngo 1.21\n";
        let parsed = parse("go.mod", text);
        assert_eq!(
            parsed.errors,
            vec![
                ParseProblem {
                    line: 2,
                    message: "unknown directive: frobnicate".to_owned()
                },
                ParseProblem {
                    line: 3,
                    message: "unknown block type: widgets".to_owned()
                },
            ]
        );
        assert_eq!(
            parsed.go,
            Some(directive("1.21", 6)),
            "parsing continues after"
        );
    }

    #[test]
    fn unterminated_block_is_reported_at_its_opener() {
        let parsed = parse("go.mod", "module m\n\nrequire (\n\ta v1.0.0\n\tb v1.0.0\n");
        assert_eq!(
            parsed.errors,
            vec![ParseProblem {
                line: 3,
                message: "unterminated require block: missing ')'".to_owned()
            }]
        );
        assert_eq!(parsed.requires.len(), 2, "entries before the end are kept");
    }

    #[test]
    fn malformed_lines() {
        let text = "module m\nmodule n\ngo\nrequire a\nreplace a => b\nreplace a b c\nrequire ( a v1\n)\nuse \"unterminated\nrequire a v1 extra\n";
        let parsed = parse("go.mod", text);
        let lines: Vec<(usize, &str)> = parsed
            .errors
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (2, "repeated module statement"),
                (3, "usage: go 1.23"),
                (4, "usage: require module/path v1.2.3"),
                (
                    5,
                    "replacement module without version must be directory path (rooted or starting with ./ or ../)"
                ),
                (6, usage("replace")),
                (7, "usage: require module/path v1.2.3"),
                (8, "unknown directive: )"),
                (9, "invalid quoted string: missing closing quote"),
                (10, "usage: require module/path v1.2.3"),
            ]
        );
        assert_eq!(parsed.module.as_deref(), Some("m"), "first module wins");
    }

    #[test]
    fn empty_block_and_empty_text() {
        assert_eq!(
            parse("go.mod", ""),
            GoModFile {
                file: "go.mod".to_owned(),
                ..GoModFile::default()
            }
        );
        let parsed = parse("go.mod", "require ()\n\n   \n");
        assert_eq!(parsed.errors, vec![]);
        assert!(parsed.requires.is_empty());
    }

    #[test]
    fn a_nul_filled_go_mod_gives_a_bounded_escaped_message() {
        // Before: one "unknown directive" message quoting the whole megabyte.
        let parsed = parse("go.mod", &"\0".repeat(1 << 20));
        assert_eq!(parsed.errors.len(), 1);
        let message = &parsed.errors[0].message;
        assert!(message.len() < 300, "{} bytes", message.len());
        assert!(message.starts_with("unknown directive: \\x00"), "{message}");
        assert!(!message.contains('\0'));
    }

    #[test]
    fn byte_order_mark_is_reported_like_the_go_command() {
        let parsed = parse("go.mod", "\u{feff}module m\n");
        assert_eq!(
            parsed.errors,
            vec![ParseProblem {
                line: 1,
                message: "unexpected input character '\\ufeff'".to_owned()
            }]
        );
        assert_eq!(parsed.module.as_deref(), Some("m"));
    }

    #[test]
    fn binary_junk_does_not_panic() {
        let junk: String = (0u32..2000)
            .map(|i| char::from_u32((i * 7919) % 0x2_0000).unwrap_or('\u{fffd}'))
            .collect();
        let parsed = parse("go.mod", &junk);
        assert!(!parsed.errors.is_empty());
        let nasty = "require (\n\"\\\n`\n\"a\\\"\" v1\n)\n)\n((\n,,\n=>\nreplace => =>\nreplace\n";
        for end in 0..=nasty.len() {
            if nasty.is_char_boundary(end) {
                let _ = parse("go.mod", &nasty[..end]);
            }
        }
    }
}
