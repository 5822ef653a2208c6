//! `.netrc` lines (`machine host login user password secret`, possibly one pair per
//! line): the word after `password` is hidden. Only a line shaped like netrc counts
//! (its first word is a netrc keyword), so prose that mentions a password is left as
//! it is. Findings quote netrc lines (the machine line whose credentials a host
//! refused).

use std::borrow::Cow;

use super::REDACTED;

const KEYWORDS: [&str; 6] = [
    "machine", "default", "login", "password", "account", "macdef",
];

/// Hides the word after `password` on netrc-shaped lines; `text` itself when it holds
/// no `password`.
pub fn redact_netrc(text: &str) -> Cow<'_, str> {
    if !text.contains("password") {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.split_inclusive('\n')
            .map(redact_line)
            .collect::<Vec<_>>()
            .concat(),
    )
}

fn redact_line(line: &str) -> String {
    let first = line.split_whitespace().next().unwrap_or("");
    if !KEYWORDS.contains(&first) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut hide_next = false;
    while !rest.is_empty() {
        let space = rest.len() - rest.trim_start().len();
        out.push_str(&rest[..space]);
        rest = &rest[space..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        if word.is_empty() {
            break;
        }
        if hide_next && !super::is_marker(word) {
            out.push_str(REDACTED);
        } else {
            out.push_str(word);
        }
        hide_next = word == "password";
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netrc_passwords_only() {
        assert_eq!(
            redact_netrc("machine a login u password s3cret\n  password two\n"),
            "machine a login u password [REDACTED]\n  password [REDACTED]\n"
        );
        let prose = "407: the proxy refused the user and password of its URL";
        assert_eq!(redact_netrc(prose), prose);
    }
}
