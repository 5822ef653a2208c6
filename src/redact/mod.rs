//! Secrets never leave the machine: values are redacted before they enter a snapshot,
//! a report or a diagnostic, keeping only the fact that they were set. One detector
//! serves every path:
//! - names ([`is_secret_name`]): a secret-named variable or key loses its whole value;
//! - forms (`forms.rs`, the k8s pack's `secret_value_patterns`): tokens and keys
//!   recognised wherever they stand become `[REDACTED:<kind>]`;
//! - URLs (`url.rs`): passwords, and tokens written as a URL's user;
//! - assignments in text (`assign.rs`): `NAME=value`, `"NAME": "value"`, `NAME: value`
//!   with a secret name, in lines quoted from files, messages and values.
//!
//! [`redact_snapshot`] is the last step of collecting (and of reading a saved
//! snapshot), so the rules never see a secret and cannot print one; lines quoted from
//! files go through [`redact_line`]; diagnostics through `Error::redacted`.

mod assign;
mod forms;
mod json;
mod names;
mod netrc;
mod url;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

pub use forms::redact_secret_values;
pub use json::{Found, Numbers, redact_json};
pub use names::{is_secret_key, is_secret_name};
pub use url::redact_urls;

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::snapshot::{Redaction, Snapshot};

/// Makes ready now what redacting any text needs (the token forms' literals, the
/// assignment pattern's ASCII form): a doctor does it on a thread of its own while the
/// packs load and the machine is collected. Patterns only some texts need are left to
/// the first text that needs them: the token forms' alternation (a text holding one of
/// their literals), the URL patterns (a text with `://` and `@`; their Unicode classes
/// cost ~1 ms of CPU to compile, and a machine's texts seldom hold a URL with a user
/// part), the Unicode assignment pattern (a text that is not ASCII).
pub fn prepare() {
    assign::prepare();
    forms::prepare();
}

/// What replaces a secret.
pub const REDACTED: &str = "[REDACTED]";

/// How a value was redacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redacted {
    /// The name says the whole value is secret (or a secret-named `NAME=value` inside
    /// it lost its value).
    SecretName,
    /// A URL inside the value carried a password.
    UrlPassword,
    /// A URL inside the value carried a token as its user (`https://TOKEN@host`).
    UrlToken,
    /// The value held a token or key recognised by its form.
    SecretValue,
}

impl Redacted {
    pub fn as_str(self) -> &'static str {
        match self {
            Redacted::SecretName => "secret-name",
            Redacted::UrlPassword => "url-password",
            Redacted::UrlToken => "url-token",
            Redacted::SecretValue => "secret-value",
        }
    }
}

/// `[REDACTED]` or `[REDACTED:<kind>]`: what this module writes, left as it is.
pub fn is_marker(text: &str) -> bool {
    text == REDACTED
        || text.strip_prefix("[REDACTED:").is_some_and(|rest| {
            rest.strip_suffix(']')
                .is_some_and(|kind| !kind.is_empty() && !kind.contains([']', '[']))
        })
}

/// A value that is nothing but a reference to a variable: `${NAME}`, `$NAME`,
/// `$(NAME)` (Kubernetes). A default (`${NAME:-value}`) may hold a secret and is not one.
pub fn is_reference(text: &str) -> bool {
    let name = text
        .strip_prefix("${")
        .and_then(|t| t.strip_suffix('}'))
        .or_else(|| text.strip_prefix("$(").and_then(|t| t.strip_suffix(')')))
        .or_else(|| text.strip_prefix('$'));
    name.is_some_and(|n| {
        n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// What replaces a whole secret value: the marker of the token or key it holds when
/// one is recognised by its form (`[REDACTED:github-token]`, so K8S014 can still say
/// what it was), else `[REDACTED]`.
pub fn redact_whole(value: &str) -> String {
    forms::first_marker(value).unwrap_or_else(|| REDACTED.to_string())
}

/// Redacts text of any kind (a value, a line quoted from a file, a message): URL
/// credentials, tokens and keys known by their form, values of secret-named
/// assignments. Says how, the URL's reason first (GO032 reads it).
pub fn redact_text(text: &str) -> (String, Option<Redacted>) {
    let (clean, how) = redact_text_borrowed(text);
    (clean.into_owned(), how)
}

/// [`redact_text`], borrowing `text` back when nothing in it is hidden (nearly every
/// string of a snapshot): no step copies a text it leaves as it was.
pub fn redact_text_borrowed(text: &str) -> (Cow<'_, str>, Option<Redacted>) {
    let (urls, url_how) = url::urls(text);
    let (formed, formed_changed) = then(urls, forms::secret_values);
    let (assigned, assign_changed) = then(formed, assign::redact_assignments);
    let (clean, netrc_changed) = then(assigned, netrc::redact_netrc);
    let how = url_how
        .or(formed_changed.then_some(Redacted::SecretValue))
        .or((assign_changed || netrc_changed).then_some(Redacted::SecretName));
    (clean, how)
}

/// `text` after `step`, and whether the step changed it.
fn then<'a>(text: Cow<'a, str>, step: fn(&str) -> Cow<'_, str>) -> (Cow<'a, str>, bool) {
    let changed = match step(&text) {
        Cow::Borrowed(_) => None,
        Cow::Owned(out) => (out != *text).then_some(out),
    };
    match changed {
        Some(out) => (Cow::Owned(out), true),
        None => (text, false),
    }
}

/// [`redact_text`] without the reason: for lines shown as snippets and messages.
pub fn redact_line(line: &str) -> String {
    redact_text(line).0
}

/// The lines (1-based) of a private key's body in `text`: after a line that opens a
/// PEM private key block, up to its END line. A line quoted alone would not show what
/// it is; a caller that quotes lines one at a time hides these.
pub fn private_key_lines(text: &str) -> BTreeSet<usize> {
    let mut lines = BTreeSet::new();
    if !text.contains("PRIVATE KEY") {
        return lines;
    }
    let mut inside = false;
    for (index, line) in text.lines().enumerate() {
        let end = line.contains("-----END ") && line.contains("PRIVATE KEY");
        if inside {
            lines.insert(index + 1);
            inside = !end;
        } else if !end && redact_secret_values(line).contains(PEM_MARKER) {
            inside = true;
        }
    }
    lines
}

const PEM_MARKER: &str = "[REDACTED:pem-private-key]";

/// Redacts `text` line by line, keeping every line (a diagnostic's label points at
/// one): each line through [`redact_line`], a private key's body lines replaced by
/// the key's marker.
pub fn redact_lines(text: &str) -> String {
    let hidden = private_key_lines(text);
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        if hidden.contains(&(index + 1)) {
            let indent = body.len() - body.trim_start().len();
            out.push_str(&body[..indent]);
            out.push_str(PEM_MARKER);
        } else {
            out.push_str(&redact_line(body));
        }
        out.push_str(&line[body.len()..]);
    }
    out
}

/// Redacts a variable's value by its name and content. PATH-like lists keep their
/// structure; only what [`redact_text`] finds is cut out of them.
pub fn redact_value(name: &str, value: &str) -> (String, Option<Redacted>) {
    if value.is_empty() {
        return (String::new(), None);
    }
    if is_secret_name(name) {
        return (redact_whole(value), Some(Redacted::SecretName));
    }
    redact_text(value)
}

/// Redacts every place a variable's value is stored in the snapshot (the environment,
/// the effective Go settings, the `go env -w` file, what the toolchain reported), each
/// recorded in `redactions`; then every other string of the snapshot but its files'
/// documents (redacted as they are parsed), recorded by JSON path: facts derived from
/// a value before this step (GOFLAGS split into flags) lose the secret too.
/// Fails closed: when the last pass cannot put its redacted copy back (the snapshot
/// would keep what it found), the error is returned and nothing is output.
pub fn redact_snapshot(snapshot: &mut Snapshot) -> Result<(), crate::error::Error> {
    let mut redactions = Vec::new();
    let mut note = |subject: String, how: Option<Redacted>| {
        if let Some(how) = how {
            redactions.push(Redaction {
                subject,
                kind: how.as_str().to_string(),
            });
        }
    };
    for (name, value) in snapshot.env.iter_mut() {
        let (clean, how) = redact_value(name, value);
        *value = clean;
        note(format!("env.{name}"), how);
    }
    for (name, setting) in snapshot.go.env.iter_mut() {
        let (clean, how) = redact_value(name, &setting.value);
        setting.value = clean;
        note(format!("go.env.{name}"), how);
    }
    for (index, entry) in snapshot.go.goenv_file.entries.iter_mut().enumerate() {
        let (clean, how) = redact_value(&entry.name, &entry.value);
        entry.value = clean;
        note(format!("go.goenv_file.entries[{index}]"), how);
    }
    if let Some(reported) = snapshot.go.reported.as_mut() {
        for (name, value) in reported.vars.iter_mut() {
            let (clean, how) = redact_value(name, value);
            *value = clean;
            note(format!("go.reported.vars.{name}"), how);
        }
    }
    // Parsed documents were redacted as they were read, with their source lines.
    let files = std::mem::take(&mut snapshot.files);
    let found = redact_strings(snapshot);
    snapshot.files = files;
    redactions.extend(found?);
    redactions.sort_by(|a, b| a.subject.cmp(&b.subject));
    redactions.dedup();
    snapshot.redactions = redactions;
    Ok(())
}

/// A saved snapshot (`--snapshot FILE`) may have been written by hand or by an older
/// envgate: every string of it, documents included, goes through the detector before
/// it is judged or printed.
pub fn redact_saved_snapshot(snapshot: &mut Snapshot) -> Result<(), crate::error::Error> {
    let found = redact_strings(snapshot)?;
    snapshot.redactions.extend(found);
    Ok(())
}

/// Redacts every string of `snapshot` through its JSON form; returns the new
/// redactions. Only strings change (a number under a secret-like key stays a number),
/// so the JSON reads back into the same types; a test holds that no field of the
/// snapshot is a scalar with a secret-like name.
fn redact_strings(snapshot: &mut Snapshot) -> Result<Vec<Redaction>, crate::error::Error> {
    // serde's message may quote a value: the error goes out through `Error::redacted`.
    let unredactable =
        |e: serde_json::Error| crate::error::Error::Unredactable(e.to_string()).redacted();
    let mut value = serde_json::to_value(&*snapshot).map_err(unredactable)?;
    let found = redact_json(&mut value, Numbers::Keep);
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let clean = serde_json::from_value::<Snapshot>(value).map_err(unredactable)?;
    let kept = std::mem::take(&mut snapshot.redactions);
    *snapshot = clean;
    snapshot.redactions = kept;
    Ok(found
        .into_iter()
        .filter(|f| !f.pointer.starts_with("/redactions/"))
        .map(|f| Redaction {
            subject: subject_of(&f.pointer),
            kind: f.how.as_str().to_string(),
        })
        .collect())
}

/// `/go/settings/goflags/0/raw` → `go.settings.goflags[0].raw`, the form of subjects.
fn subject_of(pointer: &str) -> String {
    let mut subject = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            subject.push_str(&format!("[{token}]"));
        } else {
            if !subject.is_empty() {
                subject.push('.');
            }
            subject.push_str(&token);
        }
    }
    subject
}
