//! Property tests: generated secrets of every known form, written into generated text
//! the way files and values hold them (quoted, JSON, `KEY=value`, URLs, YAML
//! `key: value`, shell `export`, a flag inside GOFLAGS), never survive redaction; and
//! redacting twice changes nothing. Seeded, so a run is reproducible.

use proptest::prelude::*;
use proptest::string::string_regex;
use proptest::test_runner::{Config, RngSeed};

use super::*;

/// The kinds generated below; a test holds them to the k8s pack's list.
pub const KINDS: &[&str] = &[
    "pem-private-key",
    "aws-access-key-id",
    "github-token",
    "gitlab-token",
    "slack-token",
    "stripe-key",
    "google-api-key",
    "openai-anthropic-key",
    "npm-token",
    "sendgrid-key",
    "jwt",
    "slack-webhook",
    "azure-account-key",
];

fn config() -> Config {
    Config {
        cases: 512,
        rng_seed: RngSeed::Fixed(0x5ec2e7),
        failure_persistence: None,
        ..Config::default()
    }
}

fn pattern(regex: &str) -> BoxedStrategy<String> {
    string_regex(regex).expect("valid generator").boxed()
}

/// A secret of `kind`: (the whole secret, the part of it that must never be printed).
fn secret(kind: &'static str) -> BoxedStrategy<(String, String)> {
    let with_prefix = |prefix: &'static str, body: &'static str| {
        (pattern(prefix), pattern(body)).prop_map(|(p, b)| (format!("{p}{b}"), b))
    };
    match kind {
        "pem-private-key" => (
            pattern("(RSA |EC |OPENSSH |ENCRYPTED |)"),
            pattern("[A-Za-z0-9+/]{16,40}"),
            pattern("[A-Za-z0-9+/]{1,40}={0,2}"),
            prop_oneof![Just("\n"), Just("\\n")],
        )
            .prop_map(|(label, first, last, newline)| {
                let body = format!("MII{first}{newline}{last}");
                let pem = format!(
                    "-----BEGIN {label}PRIVATE KEY-----{newline}{body}{newline}-----END {label}PRIVATE KEY-----"
                );
                (pem, format!("MII{first}"))
            })
            .boxed(),
        "aws-access-key-id" => with_prefix("(AKIA|ASIA)", "[0-9A-Z]{16}").boxed(),
        "github-token" => prop_oneof![
            with_prefix("gh[pousr]_", "[A-Za-z0-9]{36,40}"),
            with_prefix("github_pat_", "[A-Za-z0-9_]{22,60}"),
        ]
        .boxed(),
        "gitlab-token" => with_prefix("glpat-", "[A-Za-z0-9_-]{20,30}").boxed(),
        "slack-token" => with_prefix("xox[abposr]-", "[0-9]{4}-[A-Za-z0-9]{8,30}").boxed(),
        "stripe-key" => with_prefix("[rs]k_live_", "[A-Za-z0-9]{16,30}").boxed(),
        "google-api-key" => with_prefix("AIza", "[0-9A-Za-z_-]{35}").boxed(),
        "openai-anthropic-key" => {
            with_prefix("sk-(proj-|ant-api03-|)", "[A-Za-z0-9]{8}[A-Za-z0-9_-]{24,48}").boxed()
        }
        "npm-token" => with_prefix("npm_", "[A-Za-z0-9]{36}").boxed(),
        "sendgrid-key" => {
            with_prefix("SG\\.", "[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}").boxed()
        }
        "jwt" => with_prefix(
            "eyJ[A-Za-z0-9_-]{10,20}\\.",
            "eyJ[A-Za-z0-9_-]{6,30}\\.[A-Za-z0-9_-]{0,40}",
        )
        .boxed(),
        "slack-webhook" => with_prefix(
            "https://hooks\\.slack\\.com/services/",
            "T[A-Z0-9]{8}/B[A-Z0-9]{8}/[A-Za-z0-9]{24}",
        )
        .boxed(),
        "azure-account-key" => with_prefix(
            "AccountKey=",
            "[A-Za-z0-9+/]{8}[A-Za-z0-9]{4}[A-Za-z0-9+/]{32,60}={0,2}",
        )
        .boxed(),
        other => panic!("no generator for {other}"),
    }
}

fn any_secret() -> impl Strategy<Value = (String, String)> {
    proptest::sample::select(KINDS).prop_flat_map(secret)
}

/// Names beside the secret: ordinary ones, so only the secret's form can give it away.
fn name() -> impl Strategy<Value = String> {
    pattern("[A-Z][A-Z0-9]{0,6}(_[A-Z0-9]{1,6}){0,2}")
        .prop_filter("not a secret name", |n| !is_secret_name(n))
}

/// `secret` written into a line or a value the way files hold them.
fn embed(secret: String) -> impl Strategy<Value = String> {
    (name(), pattern("[a-z]{1,8}"), 0..12usize).prop_map(move |(name, word, how)| {
        let s = &secret;
        match how {
            0 => s.clone(),
            1 => format!("\"{s}\""),
            2 => format!("{{\"{name}\": \"{s}\", \"{word}\": 1}}"),
            3 => format!("{name}={s}"),
            4 => format!("export {name}=\"{s}\""),
            5 => format!("  {word}: {s}"),
            6 => format!("  {word}: '{s}' # {word}"),
            7 => format!("https://{word}.example/{word}?{word}={s}&x=1"),
            8 => format!("{word} {s} {word}"),
            9 => format!("-ldflags=-X=main.{word}={s} -trimpath"),
            10 => format!("{name}: \"{s}\","),
            _ => format!("[{word}]\n{word} = \"{s}\"\n"),
        }
    })
}

/// Secrets that stand in a URL's user part or password.
fn url_secret() -> impl Strategy<Value = (String, String)> {
    (
        pattern("[a-z]{1,8}"),
        pattern("[A-Za-z0-9]{8,12}[A-Za-z0-9!$&()*+,;=@-]{0,12}"),
        any_secret().prop_filter("fits in a URL's user part", |(s, _)| {
            !s.contains(['/', '\n', '\\', '?', '#', '"'])
        }),
        0..4usize,
    )
        .prop_map(|(host, password, (token, part), how)| match how {
            0 => (
                format!("https://{host}:{password}@{host}.example/x"),
                password,
            ),
            1 => (format!("https://{token}@{host}.example/x"), part),
            2 => (format!("https://{token}:@{host}.example/x"), part),
            _ => (
                format!("postgres://{host}:{password}@{host}:5432/db"),
                password,
            ),
        })
}

/// Lines of mixed text with or without secrets, for idempotence.
fn any_line() -> impl Strategy<Value = String> {
    prop_oneof![
        any_secret().prop_flat_map(|(s, _)| embed(s)),
        url_secret().prop_map(|(u, _)| u),
        pattern("[ -~]{0,80}"),
        pattern("[A-Za-z_\"': =@/.\\[\\]-]{0,60}"),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn secrets_of_every_form_never_survive((text, part) in any_secret()
        .prop_flat_map(|(s, part)| (embed(s), Just(part))))
    {
        prop_assert!(!redact_line(&text).contains(&part), "{}", redact_line(&text));
        prop_assert!(!redact_secret_values(&text).contains(&part));
        prop_assert!(!redact_value("SETTING", &text).0.contains(&part));
    }

    #[test]
    fn url_credentials_never_survive((url, part) in url_secret(), name in name()) {
        let line = format!("export {name}={url}");
        prop_assert!(!redact_line(&line).contains(&part), "{}", redact_line(&line));
        prop_assert!(!redact_value(&name, &url).0.contains(&part));
    }

    #[test]
    fn secret_named_values_never_survive(
        name in string_regex(&k8s014_names()).expect("valid generator"),
        value in pattern("[A-Za-z0-9+/!%^&*()-]{6,30}"),
        how in 0..5usize,
    ) {
        let line = match how {
            0 => format!("{name}={value}"),
            1 => format!("export {name}=\"{value}\""),
            2 => format!("{{\"{name}\": \"{value}\"}}"),
            3 => format!("  {name}: {value}"),
            _ => format!("{name} = '{value}'"),
        };
        prop_assert!(!redact_line(&line).contains(&value), "{}", redact_line(&line));
        prop_assert_eq!(redact_value(&name, &value).0, REDACTED);
    }

    #[test]
    fn redaction_is_idempotent(line in any_line(), name in name()) {
        let once = redact_line(&line);
        prop_assert_eq!(redact_line(&once), once.clone());
        let once = redact_secret_values(&line);
        prop_assert_eq!(redact_secret_values(&once), once.clone());
        let once = redact_value(&name, &line).0;
        prop_assert_eq!(redact_value(&name, &once).0, once.clone());
        let once = redact_value("GITHUB_TOKEN", &line).0;
        prop_assert_eq!(redact_value("GITHUB_TOKEN", &once).0, once.clone());
    }
}

/// Names K8S014 calls secrets: its own `secret_name_pattern`, with text around it.
fn k8s014_names() -> String {
    let rego = include_str!("../../policies/k8s/k8s014_plaintext_secret.rego");
    let pattern = rego
        .lines()
        .find_map(|l| l.strip_prefix("secret_name_pattern := `"))
        .and_then(|rest| rest.strip_suffix('`'))
        .expect("K8S014 declares secret_name_pattern");
    let core = pattern.strip_prefix("(?i)").unwrap_or(pattern);
    format!("(?i)[a-z]{{0,4}}[_.-]?{core}([_.-][a-z]{{1,4}})?")
}
