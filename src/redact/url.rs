//! Credentials in a URL's user part: `scheme://user:password@host`, a token written as
//! the user (`https://glpat-…@host`, a Sentry DSN's key), `https://TOKEN:@host`.
//!
//! The user part runs from `://` to the last `@` before the host ends (the first `/`,
//! `?`, `#`, white space, quote or angle bracket), so a raw `@` in a password
//! (`https://u:p@ss@host`) stays inside it.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::{REDACTED, Redacted, is_marker, redact_whole};

/// Scheme and user part of a URL; greedy, so the user part ends at the last `@`.
/// Compiled by the first text with `://` and `@` (see `redact::prepare`).
static URL_USERINFO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/?#\s"'<>`]*)@"#)
        .expect("valid regex")
});

/// A value that only refers to a variable (`$(DB_PASSWORD)`, Kubernetes' expansion of
/// another env entry, or `${DB_PASSWORD}`): it holds no secret, and keeping it lets
/// the k8s pack tell it from a literal password.
static VARIABLE_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\$(\([A-Za-z_][A-Za-z0-9_]*\)|\{[A-Za-z_][A-Za-z0-9_]*\})$").expect("valid regex")
});

/// Token-like users are at least this long (a GitHub classic token has 40 characters,
/// a Sentry key 32); `git`, `oauth2`, `x-access-token` are shorter.
const SHORTEST_TOKEN_USER: usize = 20;

/// Redacts the credentials of every URL in `text`: a password always (unless it only
/// refers to a variable), the user when it is the credential (a token by its form or
/// its looks, or a user with an empty password). Says whether a password went
/// (`UrlPassword`) or only a user (`UrlToken`).
pub fn redact_urls(text: &str) -> (String, Option<Redacted>) {
    let (clean, how) = urls(text);
    (clean.into_owned(), how)
}

/// [`redact_urls`], borrowing `text` back when nothing in it changes.
pub(super) fn urls(text: &str) -> (Cow<'_, str>, Option<Redacted>) {
    // Most values hold no URL with credentials; skip the regex for them.
    if !text.contains("://") || !text.contains('@') {
        return (Cow::Borrowed(text), None);
    }
    let mut how = None;
    let clean = URL_USERINFO.replace_all(text, |caps: &regex::Captures| {
        let (userinfo, found) = userinfo(&caps["userinfo"]);
        if found == Some(Redacted::UrlPassword) || how.is_none() {
            how = found.or(how);
        }
        format!("{}{userinfo}@", &caps["scheme"])
    });
    (clean, how)
}

fn userinfo(text: &str) -> (String, Option<Redacted>) {
    let (user, password) = split_userinfo(text);
    match password {
        Some(password) if !password.is_empty() => {
            let keep_password = is_marker(password) || VARIABLE_REFERENCE.is_match(password);
            let user_clean = if token_like(user) {
                redact_whole(user)
            } else {
                user.to_string()
            };
            let how = if !keep_password {
                Some(Redacted::UrlPassword)
            } else if user_clean != user {
                Some(Redacted::UrlToken)
            } else {
                None
            };
            let password = if keep_password { password } else { REDACTED };
            (format!("{user_clean}:{password}"), how)
        }
        // `TOKEN:@host`: the user is all the credential there is.
        Some(_) if !user.is_empty() && !is_marker(user) && !VARIABLE_REFERENCE.is_match(user) => {
            (format!("{}:", redact_whole(user)), Some(Redacted::UrlToken))
        }
        None if token_like(user) => (redact_whole(user), Some(Redacted::UrlToken)),
        _ => (text.to_string(), None),
    }
}

/// `user:password` at the first `:`, a marker (`[REDACTED:gitlab-token]`) kept whole.
fn split_userinfo(text: &str) -> (&str, Option<&str>) {
    let user_end = text
        .find(']')
        .filter(|&i| is_marker(&text[..=i]))
        .map_or(0, |i| i + 1);
    match text[user_end..].find(':') {
        Some(i) => (&text[..user_end + i], Some(&text[user_end + i + 1..])),
        None => (text, None),
    }
}

/// A user that is a token: one of the known forms, or a long run of token characters
/// with letters and digits (a 40-hex GitHub classic token, a Sentry key).
fn token_like(user: &str) -> bool {
    if user.is_empty() || is_marker(user) || VARIABLE_REFERENCE.is_match(user) {
        return false;
    }
    if super::forms::first_marker(user).is_some() {
        return true;
    }
    user.len() >= SHORTEST_TOKEN_USER
        && user.bytes().any(|b| b.is_ascii_digit())
        && user.bytes().any(|b| b.is_ascii_alphabetic())
        && user
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%+=".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(text: &str) -> String {
        redact_urls(text).0
    }

    #[test]
    fn passwords_go_users_stay() {
        assert_eq!(
            redact_urls("https://bob:s3cr3t@proxy/go,direct"),
            (
                "https://bob:[REDACTED]@proxy/go,direct".to_string(),
                Some(Redacted::UrlPassword)
            )
        );
        assert_eq!(
            clean("redis://:pw@redis:6379"),
            "redis://:[REDACTED]@redis:6379"
        );
        assert_eq!(clean("http://proxy:3128"), "http://proxy:3128");
        assert_eq!(
            clean("ssh://git@github.com/o/r"),
            "ssh://git@github.com/o/r"
        );
        assert_eq!(
            clean("https://x-access-token:abc@github.com"),
            "https://x-access-token:[REDACTED]@github.com"
        );
    }

    #[test]
    fn an_at_sign_in_the_password_stays_inside_it() {
        assert_eq!(
            clean("https://u:p@ss@host/x"),
            "https://u:[REDACTED]@host/x"
        );
        assert_eq!(
            clean(r#"{"url": "https://u:p@ss@host", "mail": "a@b"}"#),
            r#"{"url": "https://u:[REDACTED]@host", "mail": "a@b"}"#
        );
    }

    #[test]
    fn tokens_written_as_the_user_go() {
        let glpat = format!("glpat-{}", "x1Y2".repeat(6));
        assert_eq!(
            redact_urls(&format!("https://{glpat}@gitlab.example/g.git")),
            (
                "https://[REDACTED:gitlab-token]@gitlab.example/g.git".to_string(),
                Some(Redacted::UrlToken)
            )
        );
        assert_eq!(clean("https://TOKEN:@host/x"), "https://[REDACTED]:@host/x");
        let hex = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            clean(&format!("https://{hex}@o1.ingest.sentry.io/1")),
            "https://[REDACTED]@o1.ingest.sentry.io/1"
        );
        assert_eq!(
            clean(&format!("https://{hex}{hex}:x-oauth-basic@github.com")),
            "https://[REDACTED]:[REDACTED]@github.com"
        );
    }

    #[test]
    fn references_and_markers_stay() {
        for url in [
            "postgres://app:$(DB_PASSWORD)@db:5432/shop",
            "redis://:${REDIS_PASSWORD}@redis:6379/0",
            "https://${GITHUB_TOKEN}:@github.com",
            "https://[REDACTED:gitlab-token]@host",
            "https://[REDACTED:gitlab-token]:[REDACTED]@host",
            "https://bob:[REDACTED]@host",
        ] {
            assert_eq!(redact_urls(url), (url.to_string(), None), "{url}");
        }
        assert_eq!(
            clean("postgres://app:$(DB_PASSWORD)x@db/shop"),
            "postgres://app:[REDACTED]@db/shop"
        );
    }
}
