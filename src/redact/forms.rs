//! Secrets recognised by their form wherever they appear, whatever the name beside
//! them: GitHub, GitLab, AWS, Slack… tokens, JSON Web Tokens, PEM private keys, Slack
//! webhook URLs.
//!
//! The list is the k8s pack's `secret_value_patterns` (policies/k8s/data.json), read
//! from the pack data built into envgate: one list for the redactor and for K8S014,
//! which reports what the redactor hid. Each match becomes `[REDACTED:<id>]`, so a
//! rule still knows what was there (K8S014 matches the marker as well as the
//! pattern). A PEM private key keeps its BEGIN line and loses everything up to its END
//! line. `url-password` is not matched here: URLs are taken apart by `url.rs`, which
//! also knows the tokens that stand in a URL's user part.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use regex::Regex;

/// The k8s pack's data, where the list lives.
const PACK_DATA: &str = include_str!("../../policies/k8s/data.json");

/// The id of the form redacted by `url.rs`, not here.
const URL_PASSWORD: &str = "url-password";

/// The one form whose match keeps its first line (the BEGIN line says what it was).
pub const PEM_PRIVATE_KEY: &str = "pem-private-key";

/// Every pattern needs at least this many characters; most values are shorter.
const SHORTEST_SECRET: usize = 16;

pub struct Forms {
    /// The patterns as one alternation of groups `s0`, `s1`, … in list order.
    regex: Regex,
    /// The id of each group.
    pub ids: Vec<String>,
}

/// One form the redactor matches: its id, pattern and literals.
struct Entry {
    id: String,
    pattern: String,
    literals: Vec<String>,
}

/// The forms the redactor matches (all but `url-password`), read once from the pack
/// data for both the literals and the alternation.
static ENTRIES: LazyLock<Vec<Entry>> = LazyLock::new(|| {
    let data: serde_json::Value =
        serde_json::from_str(PACK_DATA).expect("policies/k8s/data.json is JSON");
    let mut entries = Vec::new();
    for entry in data["secret_value_patterns"]
        .as_array()
        .expect("secret_value_patterns is a list")
    {
        let (Some(id), Some(pattern)) = (entry["id"].as_str(), entry["pattern"].as_str()) else {
            continue;
        };
        if id == URL_PASSWORD {
            continue;
        }
        let literals = entry["literals"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        entries.push(Entry {
            id: id.to_string(),
            pattern: pattern.to_string(),
            literals,
        });
    }
    entries
});

/// The pack data's patterns, compiled once. The data is part of the binary and a test
/// compiles it, so a broken list cannot ship.
pub static FORMS: LazyLock<Forms> = LazyLock::new(|| {
    let mut ids = Vec::new();
    let mut groups = Vec::new();
    for Entry { id, pattern, .. } in ENTRIES.iter() {
        groups.push(format!("(?P<s{}>{pattern})", ids.len()));
        ids.push(id.clone());
    }
    Forms {
        regex: Regex::new(&groups.join("|")).expect("secret_value_patterns compile"),
        ids,
    }
});

/// Strings every match of a form contains (each pattern's `literals` in the pack data;
/// a test proves them against the patterns' own prefixes). A text holding none of them
/// holds no secret form, and most texts a run redacts hold none: the alternation, the
/// redactor's costliest pattern to compile (~0.4 ms, paid by every doctor run), is
/// compiled only for a text that may match. `None` when a form declares no literal.
static LITERALS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    let mut all = Vec::new();
    for entry in ENTRIES.iter() {
        if entry.literals.is_empty() {
            return None;
        }
        all.extend(&entry.literals);
    }
    // One pass over a text for all the literals (19 `contains` calls were most of the
    // snapshot's redaction pass); the contiguous NFA builds in microseconds.
    Some(
        AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(all)
            .expect("the forms' literals build an automaton"),
    )
});

/// Whether `text` may hold a secret form.
fn may_match(text: &str) -> bool {
    LITERALS
        .as_ref()
        .is_none_or(|literals| literals.is_match(text))
}

pub(super) fn prepare() {
    LazyLock::force(&LITERALS);
}

/// Replaces every token or key recognised by its form with `[REDACTED:<id>]`, a PEM
/// private key's body with the marker after its BEGIN line.
pub fn redact_secret_values(text: &str) -> String {
    secret_values(text).into_owned()
}

/// [`redact_secret_values`], borrowing `text` back when it holds no secret form.
pub(super) fn secret_values(text: &str) -> Cow<'_, str> {
    if text.len() < SHORTEST_SECRET || !may_match(text) {
        return Cow::Borrowed(text);
    }
    let forms = &*FORMS;
    forms.regex.replace_all(text, |caps: &regex::Captures| {
        let i = (0..forms.ids.len())
            .find(|i| caps.name(&format!("s{i}")).is_some())
            .unwrap_or(0);
        let id = &forms.ids[i];
        let marker = format!("[REDACTED:{id}]");
        if id == PEM_PRIVATE_KEY {
            let whole = &caps[0];
            // The BEGIN line ends at the first `-----` after `-----BEGIN`.
            let begin = "-----BEGIN".len();
            let header = whole[begin..].find("-----").map_or(0, |n| begin + n + 5);
            // Redacted before: the pattern ran on to the end of the text, whose
            // rest is what followed the key.
            if let Some(rest) = whole[header..].strip_prefix(marker.as_str()) {
                return format!("{}{marker}{}", &whole[..header], redact_secret_values(rest));
            }
            format!("{}{marker}", &whole[..header])
        } else {
            marker
        }
    })
}

/// The marker of the first secret recognised by its form in `text` (or already
/// redacted there), e.g. `[REDACTED:github-token]`.
pub fn first_marker(text: &str) -> Option<String> {
    let formed = redact_secret_values(text);
    let start = formed.find("[REDACTED:")?;
    let end = formed[start..].find(']')?;
    Some(formed[start..=start + end].to_string())
}
