//! Secrets never leave the machine: values are redacted before they enter a snapshot
//! or a report, keeping only the fact that they were set.

use std::sync::LazyLock;

use regex::Regex;

use crate::snapshot::{Redaction, Snapshot};

/// What replaces a secret.
pub const REDACTED: &str = "[REDACTED]";

/// Parts of variable names that mark the whole value as a secret (upper case).
const SECRET_NAME_PARTS: &[&str] = &[
    "TOKEN",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "APIKEY",
    "API_KEY",
    "PRIVATEKEY",
    "PRIVATE_KEY",
    "CREDENTIAL",
];

/// The password part of `scheme://user:password@host`.
static URL_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<prefix>[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:)(?P<password>[^@\s/]*)@")
        .expect("valid regex")
});

/// `NAME=value` as written in shell files and env files, for redacting snippets.
static SECRET_ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?P<name>[A-Z0-9_]*(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL)[A-Z0-9_]*\s*[=:]\s*)(?P<value>"[^"]*"|'[^']*'|\S+)"#,
    )
    .expect("valid regex")
});

/// Secrets recognised by their form wherever they appear, whatever the name beside
/// them: (id, pattern). Each match becomes `[REDACTED:<id>]`, so a rule still knows
/// what was there (K8S014 matches the marker as well as the pattern); the ids are
/// those of the k8s pack data's `secret_value_patterns` (a test holds the two lists
/// together). A PEM private key keeps its BEGIN line and loses everything up to its
/// END line.
const SECRET_VALUE_PATTERNS: &[(&str, &str)] = &[
    (
        "pem-private-key",
        r"-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----(?s:.*?)(-----END ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----|\z)",
    ),
    ("aws-access-key-id", r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    (
        "github-token",
        r"\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})",
    ),
    ("gitlab-token", r"\bglpat-[A-Za-z0-9_-]{20,}"),
    ("slack-token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    ("stripe-key", r"\b[rs]k_live_[A-Za-z0-9]{16,}"),
    ("google-api-key", r"\bAIza[0-9A-Za-z_-]{35}"),
    (
        "openai-anthropic-key",
        r"\bsk-(proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_-]{32,}",
    ),
    ("npm-token", r"\bnpm_[A-Za-z0-9]{36}\b"),
    (
        "sendgrid-key",
        r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b",
    ),
    (
        "jwt",
        r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",
    ),
    ("azure-account-key", r"AccountKey=[A-Za-z0-9+/]{40,}={0,2}"),
];

/// [`SECRET_VALUE_PATTERNS`], compiled once, as one alternation of named groups.
static SECRET_VALUES: LazyLock<(Regex, Vec<&'static str>)> = LazyLock::new(|| {
    let ids: Vec<&str> = SECRET_VALUE_PATTERNS.iter().map(|(id, _)| *id).collect();
    let alternation: Vec<String> = SECRET_VALUE_PATTERNS
        .iter()
        .enumerate()
        .map(|(i, (_, pattern))| format!("(?P<s{i}>{pattern})"))
        .collect();
    (
        Regex::new(&alternation.join("|")).expect("valid regex"),
        ids,
    )
});

/// How a value was redacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redacted {
    /// The name says the whole value is secret.
    SecretName,
    /// A URL inside the value carried a password.
    UrlPassword,
    /// The value held a token or key recognised by its form.
    SecretValue,
}

impl Redacted {
    pub fn as_str(self) -> &'static str {
        match self {
            Redacted::SecretName => "secret-name",
            Redacted::UrlPassword => "url-password",
            Redacted::SecretValue => "secret-value",
        }
    }
}

/// Replaces every token or key recognised by its form (see [`SECRET_VALUE_PATTERNS`])
/// with `[REDACTED:<id>]`, a PEM private key's body with the marker after its BEGIN
/// line.
pub fn redact_secret_values(text: &str) -> String {
    // Every pattern needs at least 16 characters; most values are shorter.
    if text.len() < 16 {
        return text.to_string();
    }
    let (regex, ids) = &*SECRET_VALUES;
    regex
        .replace_all(text, |caps: &regex::Captures| {
            let i = (0..ids.len())
                .find(|i| caps.name(&format!("s{i}")).is_some())
                .unwrap_or(0);
            let marker = format!("[REDACTED:{}]", ids[i]);
            if ids[i] == "pem-private-key" {
                let whole = &caps[0];
                // The BEGIN line ends at the first `-----` after `-----BEGIN`.
                let begin = "-----BEGIN".len();
                let header = whole[begin..].find("-----").map_or(0, |n| begin + n + 5);
                format!("{}{marker}", &whole[..header])
            } else {
                marker
            }
        })
        .into_owned()
}

// Plain substring tests rather than a regex: this runs for every variable on every
// run, and compiling a regex costs more than the whole environment scan.
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_NAME_PARTS.iter().any(|part| upper.contains(part))
}

/// Redacts a variable's value by its name and content. PATH-like lists keep their
/// structure; only credentials inside URLs are cut out.
pub fn redact_value(name: &str, value: &str) -> (String, Option<Redacted>) {
    if is_secret_name(name) && !value.is_empty() {
        return (REDACTED.to_string(), Some(Redacted::SecretName));
    }
    let cleaned = redact_url_passwords(value);
    if cleaned != value {
        return (redact_secret_values(&cleaned), Some(Redacted::UrlPassword));
    }
    let cleaned = redact_secret_values(value);
    if cleaned != value {
        (cleaned, Some(Redacted::SecretValue))
    } else {
        (cleaned, None)
    }
}

/// A password that only refers to a variable (`$(DB_PASSWORD)`, Kubernetes' expansion
/// of another env entry, or `${DB_PASSWORD}`): it holds no secret, and keeping it
/// lets the k8s pack tell it from a literal password.
static VARIABLE_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\$(\([A-Za-z_][A-Za-z0-9_]*\)|\{[A-Za-z_][A-Za-z0-9_]*\})$").expect("valid regex")
});

/// Replaces the password of every `scheme://user:password@host` in `text`, unless the
/// password is only a variable reference.
pub fn redact_url_passwords(text: &str) -> String {
    // Most values hold no URL with credentials; skip the regex for them.
    if !text.contains("://") || !text.contains('@') {
        return text.to_string();
    }
    URL_PASSWORD
        .replace_all(text, |caps: &regex::Captures| {
            if VARIABLE_REFERENCE.is_match(&caps["password"]) {
                caps[0].to_string()
            } else {
                format!("{}{}@", &caps["prefix"], REDACTED)
            }
        })
        .into_owned()
}

/// Redacts a line of a file shown as a snippet: URL passwords and the values of
/// secret-named assignments.
pub fn redact_line(line: &str) -> String {
    let line = redact_secret_values(&redact_url_passwords(line));
    SECRET_ASSIGNMENT
        .replace_all(&line, |caps: &regex::Captures| {
            format!("{}{}", &caps["name"], REDACTED)
        })
        .into_owned()
}

/// Redacts every place a variable's value is stored in the snapshot: the environment,
/// the effective Go settings, the `go env -w` file and what the toolchain reported.
pub fn redact_snapshot(snapshot: &mut Snapshot) {
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
    if let Some(raw) = snapshot.path.raw.as_mut() {
        *raw = redact_url_passwords(raw);
    }
    redactions.sort_by(|a, b| a.subject.cmp(&b.subject));
    snapshot.redactions = redactions;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_are_redacted_whole() {
        for name in [
            "GITHUB_TOKEN",
            "aws_secret_access_key",
            "DB_PASSWORD",
            "MYSQL_PASSWD",
            "OPENAI_API_KEY",
            "APIKEY",
            "SSH_PRIVATE_KEY",
            "GOOGLE_APPLICATION_CREDENTIALS",
        ] {
            let (value, how) = redact_value(name, "hunter2");
            assert_eq!(value, REDACTED, "{name}");
            assert_eq!(how, Some(Redacted::SecretName));
        }
    }

    #[test]
    fn empty_secret_stays_empty() {
        assert_eq!(redact_value("GITHUB_TOKEN", ""), (String::new(), None));
    }

    #[test]
    fn url_passwords_are_cut_out_of_any_variable() {
        let (value, how) = redact_value(
            "GOPROXY",
            "https://bob:s3cr3t@proxy.corp.example/go,https://proxy.golang.org,direct",
        );
        assert_eq!(
            value,
            "https://bob:[REDACTED]@proxy.corp.example/go,https://proxy.golang.org,direct"
        );
        assert_eq!(how, Some(Redacted::UrlPassword));
        let (value, how) = redact_value("HTTPS_PROXY", "http://proxy:3128");
        assert_eq!(value, "http://proxy:3128");
        assert_eq!(how, None);
    }

    #[test]
    fn url_passwords_that_refer_to_a_variable_stay() {
        for url in [
            "postgres://app:$(DB_PASSWORD)@db:5432/shop",
            "redis://:${REDIS_PASSWORD}@redis:6379/0",
        ] {
            assert_eq!(redact_value("DATABASE_URL", url), (url.to_string(), None));
        }
        let (value, _) = redact_value("DATABASE_URL", "postgres://app:$(DB_PASSWORD)x@db/shop");
        assert_eq!(value, "postgres://app:[REDACTED]@db/shop");
    }

    #[test]
    fn tokens_and_keys_are_redacted_by_their_form_keeping_what_they_were() {
        let github = format!("ghp_{}", "a1B2".repeat(9));
        let (clean, how) = redact_value("SETTINGS", &format!("token={github} rest"));
        assert_eq!(clean, "token=[REDACTED:github-token] rest");
        assert_eq!(how, Some(Redacted::SecretValue));
        let pem =
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----\ntail";
        assert_eq!(
            redact_secret_values(pem),
            "-----BEGIN RSA PRIVATE KEY-----[REDACTED:pem-private-key]\ntail"
        );
        // A PGP key block keeps its whole BEGIN line too.
        assert_eq!(
            redact_secret_values(
                "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----"
            ),
            "-----BEGIN PGP PRIVATE KEY BLOCK-----[REDACTED:pem-private-key]"
        );
        // A key cut off before its END line loses everything after BEGIN.
        assert_eq!(
            redact_secret_values("-----BEGIN PRIVATE KEY-----\nMIIE"),
            "-----BEGIN PRIVATE KEY-----[REDACTED:pem-private-key]"
        );
        assert_eq!(
            redact_line(&format!("  key: AKIA{}", "ABCDEFGHIJKLMNOP")),
            "  key: [REDACTED:aws-access-key-id]"
        );
        // Short and ordinary values pass untouched.
        assert_eq!(redact_secret_values("ghp_short"), "ghp_short");
        assert_eq!(redact_value("PATH", "/usr/bin:/bin").1, None);
    }

    /// The k8s pack judges values by the same ids: every id of its
    /// `secret_value_patterns` but the URL password (redacted on its own) has a
    /// pattern here, and the reverse.
    #[test]
    fn the_k8s_pack_and_the_redactor_know_the_same_secret_forms() {
        let data: serde_json::Value =
            serde_json::from_str(include_str!("../policies/k8s/data.json")).unwrap();
        let mut pack: Vec<&str> = data["secret_value_patterns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .filter(|id| *id != "url-password")
            .collect();
        let mut here: Vec<&str> = SECRET_VALUE_PATTERNS.iter().map(|(id, _)| *id).collect();
        pack.sort_unstable();
        here.sort_unstable();
        assert_eq!(pack, here);
    }

    #[test]
    fn snippet_lines_lose_their_secrets() {
        assert_eq!(
            redact_line(r#"export GITHUB_TOKEN="ghp_abc123""#),
            "export GITHUB_TOKEN=[REDACTED]"
        );
        assert_eq!(
            redact_line("export GOPROXY=https://u:p@proxy/,direct"),
            "export GOPROXY=https://u:[REDACTED]@proxy/,direct"
        );
        assert_eq!(
            redact_line("export PATH=$PATH:$HOME/go/bin"),
            "export PATH=$PATH:$HOME/go/bin"
        );
    }
}
