//! Which names say that their whole value is a secret.
//!
//! Names are compared upper-cased with `-` and `.` read as `_`, so `stripe-api-key`,
//! `tls.key` and `STRIPE_API_KEY` are one name. Three kinds of rule:
//! - a part anywhere in the name: K8S014's own name test
//!   (`secret|passw(or)?d|token|api[_-]?key|private[_-]?key|credential`, which a test
//!   holds this list to) and `PASSPHRASE`;
//! - a whole `_`-separated segment: `PAT` (`GH_PAT`, not `PATH`), `JWT`, `DSN` (a
//!   Sentry or database DSN carries its key or password), `WEBHOOK` (a webhook URL is
//!   its own credential), `AUTHORIZATION`;
//! - a last segment: `KEY` after another segment (`TLS_KEY`, `SIGNING_KEY`; a bare
//!   `key`, as in `secretKeyRef: {key: …}` or tolerations, names no secret), `PWD`
//!   after another segment (`MYSQL_PWD`; `PWD` alone is the working directory),
//!   `AUTH` (npm's `_auth`, `NPM_AUTH`), and `ACCESS_KEY`, `CLIENT_KEY`, `KEY_DATA`,
//!   `AUTH_CONFIG` or `AUTH_HEADER` anywhere (`AWS_ACCESS_KEY_ID`, a kubeconfig's
//!   `client-key-data`, `DOCKER_AUTH_CONFIG`).
//!
//! Left readable on purpose: `GOFLAGS`, `KEYMAP`, `SSH_AUTH_SOCK` (a socket path),
//! `GOAUTH` (a list of commands), `XAUTHORITY`, `OLDPWD`, and camelCase keys that are
//! not secret words (`secretName`, `topologyKey`), which refer to secrets or name
//! things rather than hold a secret.

/// Parts that make a name secret wherever they appear (normalized names).
const SECRET_NAME_PARTS: &[&str] = &[
    "TOKEN",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "APIKEY",
    "API_KEY",
    "PRIVATEKEY",
    "PRIVATE_KEY",
    "CREDENTIAL",
];

/// Segments that make a name secret wherever they stand.
const SECRET_SEGMENTS: &[&str] = &["PAT", "JWT", "DSN", "WEBHOOK", "AUTHORIZATION"];

/// Object keys (lower case, without `_` and `-`) whose value is a secret, for keys
/// written in camelCase, where the name rules above would also catch references
/// (`secretName`, `tokenExpirationSeconds`).
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "privatekey",
    "clientsecret",
    "accesstoken",
    "authtoken",
    "refreshtoken",
    "secretkey",
    "accesskey",
    "secretaccesskey",
    "credentials",
    "auth",
];

// Plain string tests rather than a regex: this runs for every variable on every run.
/// Whether a variable (or key, or flag) called `name` holds a secret as a whole.
pub fn is_secret_name(name: &str) -> bool {
    let mut upper = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '-' | '.' => upper.push('_'),
            c if c.is_ascii() => upper.push(c.to_ascii_uppercase()),
            // Case-insensitive as K8S014's regex: the Kelvin sign is a `k`, `ſ` an `s`.
            c => upper.extend(c.to_lowercase().flat_map(char::to_uppercase)),
        }
    }
    if SECRET_NAME_PARTS.iter().any(|part| upper.contains(part)) {
        return true;
    }
    let segments: Vec<&str> = upper.split('_').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| SECRET_SEGMENTS.contains(s)) {
        return true;
    }
    if segments.windows(2).any(|w| {
        matches!(
            w,
            ["ACCESS" | "CLIENT", "KEY"] | ["KEY", "DATA"] | ["AUTH", "CONFIG" | "HEADER"]
        )
    }) {
        return true;
    }
    matches!(segments.as_slice(), [.., "AUTH"] | [_, .., "KEY" | "PWD"])
}

/// Whether the value of an object key is a secret as a whole: any name that
/// [`is_secret_name`] accepts unless it is written in camelCase, where only the secret
/// words count (`apiKey`, `clientSecret`, but not `secretName`).
pub fn is_secret_key(key: &str) -> bool {
    let camel = key
        .as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
    if !camel && is_secret_name(key) {
        return true;
    }
    let word: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_WORDS.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for name in [
            "GITHUB_TOKEN",
            "aws_secret_access_key",
            "DB_PASSWORD",
            "MYSQL_PASSWD",
            "OPENAI_API_KEY",
            "APIKEY",
            "SSH_PRIVATE_KEY",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "stripe-api-key",
            "private-key",
            "x-api-key",
            "main.githubToken",
            "AWS_ACCESS_KEY_ID",
            "TLS_KEY",
            "tls.key",
            "MYSQL_PWD",
            "GH_PAT",
            "ID_JWT",
            "SENTRY_DSN",
            "SLACK_WEBHOOK_URL",
            "DOCKER_AUTH_CONFIG",
            "_auth",
            "NPM_AUTH",
            "Authorization",
            "GPG_PASSPHRASE",
            "client-key-data",
            "API_\u{212A}EY",
            "\u{17F}ECRET",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn names_that_hold_no_secret() {
        for name in [
            "GOFLAGS",
            "KEYMAP",
            "SSH_AUTH_SOCK",
            "GOAUTH",
            "XAUTHORITY",
            "PWD",
            "OLDPWD",
            "PATH",
            "GOPATH",
            "PATCH_LEVEL",
            "key",
            "KEY",
            "HOME",
            "GOPROXY",
            "KEYBOARD_LAYOUT",
            "GPG_KEY_ID",
            "client-certificate-data",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn camel_case_keys_count_only_as_secret_words() {
        for key in ["apiKey", "clientSecret", "password", "auth", "DB_PASSWORD"] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in ["secretName", "tokenExpirationSeconds", "topologyKey", "key"] {
            assert!(!is_secret_key(key), "{key}");
        }
        for key in ["stripe-api-key", "db_password", "tls.key"] {
            assert!(is_secret_key(key), "{key}");
        }
    }
}
