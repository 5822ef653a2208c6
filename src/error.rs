//! Everything that can stop a run, as miette diagnostics that say what was wrong,
//! where, and what to do. All of them map to exit code 2.

use std::path::PathBuf;
use std::sync::LazyLock;

use miette::{Diagnostic, SourceSpan};
use regex::Regex;

use crate::excerpt::Excerpt;
use crate::redact::redact_line;

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

    /// An output that is not a regular file (a device, a pipe, standard output) is
    /// written in place, so whatever went out before the error stays out.
    #[error("cannot write {}", path.display())]
    #[diagnostic(
        code(envgate::write),
        help(
            "it is not a regular file (a device, a pipe or standard output) and was written in place: what was written before the error stays there"
        )
    )]
    WriteInPlace {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// `-o FILE` names a file the user cannot or did not mean to overwrite.
    #[error("will not replace {}: {why}", path.display())]
    #[diagnostic(code(envgate::write))]
    ProtectedOutput {
        path: PathBuf,
        why: &'static str,
        #[help]
        help: &'static str,
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
        src: Option<Excerpt>,
        #[label("here")]
        span: Option<SourceSpan>,
    },

    #[error("{message}")]
    #[diagnostic(code(envgate::policy::contract), help("{help}"))]
    PolicyContract {
        message: String,
        help: String,
        #[source_code]
        src: Option<Excerpt>,
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
        src: Option<Excerpt>,
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
        src: Option<Excerpt>,
        #[label("{label}")]
        span: Option<SourceSpan>,
        label: String,
    },

    #[error("{0}")]
    #[diagnostic(code(envgate::usage))]
    Usage(String),

    /// The snapshot's last redaction pass could not be applied: rather than output what
    /// may hold a secret, the run stops.
    #[error("the snapshot could not be redacted ({0}); nothing was output")]
    #[diagnostic(
        code(envgate::redaction),
        help("this is a bug in envgate: please report it with the command that was run")
    )]
    Unredactable(String),
}

static REGORUS_LOCATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"-->\s*(?P<file>[^\n]*?):(?P<line>\d+):(?P<col>\d+)").expect("valid regex")
});

impl Error {
    /// A regorus parse or compile error: its text carries `--> file:line:col`, which is
    /// turned into a label on the source.
    pub fn from_regorus(file: &str, source: &str, detail: &str) -> Self {
        let detail = detail.to_string();
        let offset = REGORUS_LOCATION.captures(&detail).and_then(|caps| {
            let line: usize = caps["line"].parse().ok()?;
            let col: usize = caps["col"].parse().ok()?;
            offset_of(source, line, col)
        });
        let (src, span) = Excerpt::around(file, source, offset);
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
            src,
            span,
        }
    }

    /// The diagnostic as it may be printed: messages and help redacted by the one
    /// detector (a bad line of `.envgate.yaml`, a saved snapshot, a pack's `data.json`
    /// or a parser's message may hold a secret). The quoted source lines were redacted
    /// when the [`Excerpt`] was cut.
    pub fn redacted(self) -> Self {
        let text = |s: String| redact_line(&s);
        match self {
            Error::PolicySyntax {
                message,
                detail,
                src,
                span,
            } => Error::PolicySyntax {
                message: text(message),
                detail: text(detail),
                src,
                span,
            },
            Error::PolicyContract {
                message,
                help,
                src,
                span,
            } => Error::PolicyContract {
                message: text(message),
                help: text(help),
                src,
                span,
            },
            Error::PolicyEval { rule, message } => Error::PolicyEval {
                rule,
                message: text(message),
            },
            Error::BadInput {
                message,
                help,
                src,
                span,
            } => Error::BadInput {
                message: text(message),
                help: help.map(text),
                src,
                span,
            },
            Error::Config {
                message,
                help,
                src,
                span,
                label,
            } => Error::Config {
                message: text(message),
                help: text(help),
                src,
                span,
                label: text(label),
            },
            Error::Usage(message) => Error::Usage(text(message)),
            Error::Unredactable(message) => Error::Unredactable(text(message)),
            other @ (Error::Read { .. }
            | Error::Write { .. }
            | Error::WriteInPlace { .. }
            | Error::ProtectedOutput { .. }) => other,
        }
    }

    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Read {
            path: path.into(),
            source,
        }
    }
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

/// An error as printed: the diagnostic's text (message, help, labels, causes) with
/// control characters made visible. A message may quote the input (a key of
/// `.envgate.yaml` in a checked-out branch, a parser's view of a file), and the
/// diagnostic goes to a terminal; the source excerpts are escaped already (see
/// [`Excerpt`]).
pub fn printable(error: &Error) -> impl std::fmt::Debug + '_ {
    Printable::new(error)
}

struct Printable<'a> {
    inner: &'a Error,
    message: String,
    help: Option<String>,
    cause: Option<Box<Cause>>,
}

/// One cause of the chain, escaped.
#[derive(Debug)]
struct Cause {
    message: String,
    next: Option<Box<Cause>>,
}

impl<'a> Printable<'a> {
    fn new(inner: &'a Error) -> Self {
        let mut causes = Vec::new();
        let mut source = std::error::Error::source(inner);
        while let Some(cause) = source {
            causes.push(crate::escape::lines(&cause.to_string()).into_owned());
            source = cause.source();
        }
        let cause = causes.into_iter().rev().fold(None, |next, message| {
            Some(Box::new(Cause { message, next }))
        });
        Printable {
            inner,
            message: crate::escape::lines(&inner.to_string()).into_owned(),
            help: inner
                .help()
                .map(|help| crate::escape::lines(&help.to_string()).into_owned()),
            cause,
        }
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.next.as_deref().map(|c| c as _)
    }
}

impl std::fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// As miette's `Report` prints an error, with the hook's handler.
impl std::fmt::Debug for Printable<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use miette::ReportHandler;
        miette::MietteHandlerOpts::new().build().debug(self, f)
    }
}

impl std::error::Error for Printable<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_deref().map(|c| c as _)
    }
}

impl Diagnostic for Printable<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.inner.code()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.inner.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let labels = self.inner.labels()?.map(|label| {
            let text = label
                .label()
                .map(|text| crate::escape::line(text).into_owned());
            miette::LabeledSpan::new_with_span(text, *label.inner())
        });
        Some(Box::new(labels))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_lose_secrets_and_keep_their_labels_on_the_line() {
        let source = "fail-on: error\nbogus: {\"GITHUB_TOKEN\": \"hunter2\"}\nnext: 1\n";
        let (src, span) = Excerpt::around(".envgate.yaml", source, offset_of(source, 3, 1));
        let error = Error::Config {
            message: "invalid configuration: GITHUB_TOKEN=hunter2".into(),
            help: "fix it".into(),
            src,
            span,
            label: "here".into(),
        }
        .redacted();
        let printed = format!("{:?}", printable(&error));
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(
            printed.contains("invalid configuration: GITHUB_TOKEN=[REDACTED]"),
            "{printed}"
        );
        assert!(
            printed.contains(r#"bogus: {"GITHUB_TOKEN": "[REDACTED]"}"#),
            "{printed}"
        );
        // the label stays on line 3
        assert!(printed.contains(".envgate.yaml:3:1"), "{printed}");
    }

    #[test]
    fn offsets_count_bytes_per_line() {
        let source = "ab\ncde\nf";
        assert_eq!(offset_of(source, 1, 1), Some(0));
        assert_eq!(offset_of(source, 2, 2), Some(4));
        assert_eq!(offset_of(source, 3, 1), Some(7));
        assert_eq!(offset_of(source, 9, 1), None);
    }

    #[test]
    fn a_printed_error_shows_control_characters_escaped() {
        let source = "waivers:\n  - \"bo\x1b]0;pwned\x07gus\": 1\n";
        let (src, span) = Excerpt::around("cfg\x1b.yaml", source, source.find("\"bo"));
        let error = Error::Config {
            message: "unknown field `bo\x1b]0;pwned\x07gus`".into(),
            help: "remove \x1b[2J it".into(),
            src,
            span,
            label: "here \x07".into(),
        };
        let printed = format!("{:?}", printable(&error));
        let raw: Vec<char> = printed
            .chars()
            .filter(|&c| c != '\n' && crate::escape::is_escaped(c))
            .collect();
        // Colours are the handler's own, and only with a colour terminal.
        assert!(raw.iter().all(|&c| c == '\x1b'), "{printed:?}");
        for shown in [
            r"`bo\x1b]0;pwned\x07gus`",
            r"remove \x1b[2J it",
            r"here \x07",
            r"cfg\x1b.yaml:2:5",
        ] {
            assert!(printed.contains(shown), "{shown} in {printed}");
        }
        let write = Error::Write {
            path: "out".into(),
            source: std::io::Error::other("disk \x07full"),
        };
        assert!(format!("{:?}", printable(&write)).contains(r"disk \x07full"));
    }
}
