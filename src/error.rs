//! Everything that can stop a run, as miette diagnostics that say what was wrong,
//! where, and what to do. All of them map to exit code 2.

use std::path::PathBuf;
use std::sync::LazyLock;

use miette::{Diagnostic, NamedSource, SourceSpan};
use regex::Regex;

use crate::redact::{redact_line, redact_lines};

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    #[error("cannot read {}", path.display())]
    #[diagnostic(code(envgate::io), help("check that the path exists and is readable"))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot write {}", path.display())]
    #[diagnostic(
        code(envgate::write),
        help("check that the directory exists and is writable; nothing was written")
    )]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{message}")]
    #[diagnostic(
        code(envgate::policy::syntax),
        help("fix the policy source at the marked place")
    )]
    PolicySyntax {
        message: String,
        detail: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: Option<SourceSpan>,
    },

    #[error("{message}")]
    #[diagnostic(code(envgate::policy::contract), help("{help}"))]
    PolicyContract {
        message: String,
        help: String,
        #[source_code]
        src: Option<NamedSource<String>>,
        #[label("here")]
        span: Option<SourceSpan>,
    },

    #[error("policy rule {rule} failed to evaluate: {message}")]
    #[diagnostic(
        code(envgate::policy::eval),
        help(
            "an unknown builtin, a runtime error or the time limit; run `envgate verify` on the pack"
        )
    )]
    PolicyEval { rule: String, message: String },

    #[error("{message}")]
    #[diagnostic(code(envgate::input))]
    BadInput {
        message: String,
        #[help]
        help: Option<String>,
        #[source_code]
        src: Option<NamedSource<String>>,
        #[label("here")]
        span: Option<SourceSpan>,
    },

    /// A `.envgate.yaml` that cannot be used, pointing at the offending entry.
    #[error("{message}")]
    #[diagnostic(code(envgate::config), help("{help}"))]
    Config {
        message: String,
        help: String,
        #[source_code]
        src: Option<NamedSource<String>>,
        #[label("{label}")]
        span: Option<SourceSpan>,
        label: String,
    },

    #[error("{0}")]
    #[diagnostic(code(envgate::usage))]
    Usage(String),
}

static REGORUS_LOCATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"-->\s*(?P<file>[^\n]*?):(?P<line>\d+):(?P<col>\d+)").expect("valid regex")
});

impl Error {
    /// A regorus parse or compile error: its text carries `--> file:line:col`, which is
    /// turned into a label on the source.
    pub fn from_regorus(file: &str, source: &str, detail: &str) -> Self {
        let detail = detail.to_string();
        let span = REGORUS_LOCATION.captures(&detail).and_then(|caps| {
            let line: usize = caps["line"].parse().ok()?;
            let col: usize = caps["col"].parse().ok()?;
            offset_of(source, line, col).map(|offset| SourceSpan::from((offset, 1)))
        });
        let first_line = detail
            .lines()
            .find(|l| l.contains("error:"))
            .or_else(|| detail.lines().next())
            .unwrap_or("")
            .trim()
            .to_string();
        let message = match REGORUS_LOCATION.captures(&detail) {
            Some(caps) => format!(
                "policy error in {}:{}:{}: {}",
                file, &caps["line"], &caps["col"], first_line
            ),
            None => format!("policy error in {file}: {first_line}"),
        };
        Error::PolicySyntax {
            message,
            detail: first_line,
            src: NamedSource::new(file, source.to_string()),
            span,
        }
    }

    /// The diagnostic as it may be printed: messages, help and quoted source lines
    /// redacted by the one detector (a bad line of `.envgate.yaml`, a saved snapshot,
    /// a pack's `data.json` or a parser's message may hold a secret), each label kept
    /// on its line.
    pub fn redacted(self) -> Self {
        let text = |s: String| redact_line(&s);
        match self {
            Error::PolicySyntax {
                message,
                detail,
                src,
                span,
            } => {
                let (src, span) = redact_source(src, span);
                Error::PolicySyntax {
                    message: text(message),
                    detail: text(detail),
                    src,
                    span,
                }
            }
            Error::PolicyContract {
                message,
                help,
                src,
                span,
            } => {
                let (src, span) = redact_optional_source(src, span);
                Error::PolicyContract {
                    message: text(message),
                    help: text(help),
                    src,
                    span,
                }
            }
            Error::PolicyEval { rule, message } => Error::PolicyEval {
                rule,
                message: text(message),
            },
            Error::BadInput {
                message,
                help,
                src,
                span,
            } => {
                let (src, span) = redact_optional_source(src, span);
                Error::BadInput {
                    message: text(message),
                    help: help.map(text),
                    src,
                    span,
                }
            }
            Error::Config {
                message,
                help,
                src,
                span,
                label,
            } => {
                let (src, span) = redact_optional_source(src, span);
                Error::Config {
                    message: text(message),
                    help: text(help),
                    src,
                    span,
                    label: text(label),
                }
            }
            Error::Usage(message) => Error::Usage(text(message)),
            other @ (Error::Read { .. } | Error::Write { .. }) => other,
        }
    }

    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Read {
            path: path.into(),
            source,
        }
    }
}

fn redact_optional_source(
    src: Option<NamedSource<String>>,
    span: Option<SourceSpan>,
) -> (Option<NamedSource<String>>, Option<SourceSpan>) {
    match src {
        Some(src) => {
            let (src, span) = redact_source(src, span);
            (Some(src), span)
        }
        None => (None, span),
    }
}

/// The source with its lines redacted, and the span moved to the same line and
/// column (or the end of that line, when redaction shortened it).
fn redact_source(
    src: NamedSource<String>,
    span: Option<SourceSpan>,
) -> (NamedSource<String>, Option<SourceSpan>) {
    let original = src.inner();
    let clean = redact_lines(original);
    let span = span.and_then(|span| {
        let offset = span.offset().min(original.len());
        let before = &original[..offset];
        let line = before.matches('\n').count() + 1;
        let column = offset - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        let mut moved = offset_of(&clean, line, column)?;
        while !clean.is_char_boundary(moved) {
            moved -= 1;
        }
        // Within the line, without its line ending.
        let line_end = clean[moved..].find('\n').map_or(clean.len(), |i| moved + i);
        let mut end = (moved + span.len()).min(line_end);
        while !clean.is_char_boundary(end) {
            end -= 1;
        }
        Some(SourceSpan::from((moved, end - moved)))
    });
    (NamedSource::new(src.name(), clean), span)
}

/// The byte offset of a 1-based line and column.
pub fn offset_of(source: &str, line: usize, col: usize) -> Option<usize> {
    let mut offset = 0;
    for (index, text) in source.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            return Some(offset + col.saturating_sub(1).min(text.len()));
        }
        offset += text.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_lose_secrets_and_keep_their_labels_on_the_line() {
        let source = "fail-on: error\nbogus: {\"GITHUB_TOKEN\": \"hunter2\"}\nnext: 1\n";
        let error = Error::Config {
            message: "invalid configuration: GITHUB_TOKEN=hunter2".into(),
            help: "fix it".into(),
            src: Some(NamedSource::new(".envgate.yaml", source.to_string())),
            span: offset_of(source, 3, 1).map(|o| SourceSpan::from((o, 4))),
            label: "here".into(),
        }
        .redacted();
        let Error::Config {
            message, src, span, ..
        } = error
        else {
            unreachable!("redaction keeps the kind of error")
        };
        assert_eq!(message, "invalid configuration: GITHUB_TOKEN=[REDACTED]");
        let clean = src.unwrap().inner().clone();
        assert_eq!(
            clean,
            "fail-on: error\nbogus: {\"GITHUB_TOKEN\": \"[REDACTED]\"}\nnext: 1\n"
        );
        let span = span.unwrap();
        assert_eq!(&clean[span.offset()..span.offset() + span.len()], "next");
    }

    #[test]
    fn offsets_count_bytes_per_line() {
        let source = "ab\ncde\nf";
        assert_eq!(offset_of(source, 1, 1), Some(0));
        assert_eq!(offset_of(source, 2, 2), Some(4));
        assert_eq!(offset_of(source, 3, 1), Some(7));
        assert_eq!(offset_of(source, 9, 1), None);
    }
}
