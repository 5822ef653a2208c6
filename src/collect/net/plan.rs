//! What the go command would do for a module path, before any packet is sent: the
//! GOPROXY list as cmd/go/internal/modfetch reads it (`,` falls to the next entry only
//! on 404/410, `|` on any error, `direct` and `off` end the list), the GONOPROXY /
//! GONOSUMDB / GOINSECURE patterns matching it (each falling back to GOPRIVATE as cmd/go
//! does), and the checksum database GOSUMDB names.

use std::collections::BTreeMap;

use crate::gomod::pattern::matching_patterns;
use crate::snapshot::GoEnvValue;

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// `direct`, `off`, or a proxy base URL (`https://` added to a bare host).
    pub url: String,
    /// `,` or `|` after it; None for the last.
    pub separator: Option<char>,
}

impl Entry {
    /// Whether the go command tries the next entry after any error (`|`).
    pub fn falls_back_on_error(&self) -> bool {
        self.separator == Some('|')
    }
}

/// `proxyList`: the entries in order, or why the list is unusable. An empty value is
/// Go's default (what a release's `$GOROOT/go.env` sets, and what envgate assumes when
/// no toolchain was found to read it from), as sumdb's empty value is sum.golang.org.
pub fn proxy_list(goproxy: &str) -> Result<Vec<Entry>, String> {
    let mut list = Vec::new();
    let mut rest = if goproxy.is_empty() {
        "https://proxy.golang.org,direct"
    } else {
        goproxy
    };
    while !rest.is_empty() {
        let (raw, separator) = match rest.find([',', '|']) {
            Some(i) => {
                let sep = rest.as_bytes()[i] as char;
                let raw = &rest[..i];
                rest = &rest[i + 1..];
                (raw, Some(sep))
            }
            None => {
                let raw = rest;
                rest = "";
                (raw, None)
            }
        };
        let url = raw.trim();
        if url.is_empty() {
            continue;
        }
        if url == "off" || url == "direct" {
            // "off" always fails hard and "direct" is the end of the line: cmd/go
            // ignores what follows either.
            list.push(Entry {
                url: url.to_string(),
                separator: None,
            });
            break;
        }
        let url = if url.contains(['.', ':', '/']) && !url.contains(":/") && !url.starts_with('/') {
            format!("https://{url}")
        } else {
            url.to_string()
        };
        match url::Url::parse(&url) {
            Ok(u) if matches!(u.scheme(), "http" | "https" | "file") => {}
            Ok(u) => {
                return Err(format!(
                    "invalid proxy URL scheme (must be https, http, file): {}",
                    u.scheme()
                ));
            }
            Err(e) => return Err(format!("invalid proxy URL {url:?}: {e}")),
        }
        list.push(Entry { url, separator });
    }
    // The separator after the last entry means nothing.
    if let Some(last) = list.last_mut() {
        last.separator = None;
    }
    if list.is_empty() {
        return Err("GOPROXY list is not the empty string, but contains no entries".into());
    }
    Ok(list)
}

/// The GONOPROXY/GONOSUMDB/GOINSECURE patterns of a module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matches {
    pub noproxy: Vec<String>,
    pub nosumdb: Vec<String>,
    pub insecure: Vec<String>,
}

pub fn value<'a>(go_env: &'a BTreeMap<String, GoEnvValue>, name: &str) -> &'a str {
    go_env.get(name).map(|v| v.value.as_str()).unwrap_or("")
}

/// cmd/go's fallback: GONOPROXY and GONOSUMDB default to GOPRIVATE.
pub fn effective<'a>(
    go_env: &'a BTreeMap<String, GoEnvValue>,
    name: &str,
) -> (&'a str, &'static str) {
    let own = value(go_env, name);
    if own.is_empty() && matches!(name, "GONOPROXY" | "GONOSUMDB") {
        (value(go_env, "GOPRIVATE"), "GOPRIVATE")
    } else {
        (own, static_name(name))
    }
}

fn static_name(name: &str) -> &'static str {
    match name {
        "GONOPROXY" => "GONOPROXY",
        "GONOSUMDB" => "GONOSUMDB",
        "GOINSECURE" => "GOINSECURE",
        _ => "GOPRIVATE",
    }
}

pub fn matches(go_env: &BTreeMap<String, GoEnvValue>, module: &str) -> Matches {
    Matches {
        noproxy: matching_patterns(effective(go_env, "GONOPROXY").0, module),
        nosumdb: matching_patterns(effective(go_env, "GONOSUMDB").0, module),
        insecure: matching_patterns(value(go_env, "GOINSECURE"), module),
    }
}

/// GOSUMDB read as cmd/go reads it: `off`, or `name[+key] [url]`; the URL defaults to
/// `https://<name>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sumdb {
    pub setting: String,
    pub name: String,
    /// The URL written in GOSUMDB, if any (else lookups may go through a proxy first).
    pub explicit_url: Option<String>,
}

pub fn sumdb(gosumdb: &str) -> Option<Sumdb> {
    let setting = gosumdb.trim();
    let setting = if setting.is_empty() {
        "sum.golang.org"
    } else {
        setting
    };
    if setting == "off" {
        return None;
    }
    let mut words = setting.split_whitespace();
    let first = words.next()?;
    let name = first.split('+').next().unwrap_or(first).to_string();
    Some(Sumdb {
        setting: setting.to_string(),
        name,
        explicit_url: words.next().map(|u| {
            if u.contains("://") {
                u.to_string()
            } else {
                format!("https://{u}")
            }
        }),
    })
}

/// module.EscapePath: upper-case letters become `!` + lower case.
pub fn escape_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The latest version of an `@v/list` answer: the highest release, else the highest
/// pre-release (semver order of the numeric parts; pre-releases compared as text).
pub fn latest_in_list(list: &str) -> Option<String> {
    type Key = (u64, u64, u64, bool, String);
    let key = |v: &str| -> Option<Key> {
        let rest = v.strip_prefix('v')?;
        let rest = rest.split('+').next()?;
        let (core, pre) = match rest.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (rest, None),
        };
        let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
        let (major, minor, patch) = (parts.next()??, parts.next()??, parts.next()??);
        if parts.next().is_some() {
            return None;
        }
        Some((
            major,
            minor,
            patch,
            pre.is_none(),
            pre.unwrap_or("").to_string(),
        ))
    };
    let versions: Vec<(Key, &str)> = list
        .lines()
        .map(str::trim)
        .filter_map(|v| key(v).map(|k| (k, v)))
        .collect();
    let best_release = versions
        .iter()
        .filter(|(k, _)| k.3)
        .max_by(|a, b| a.0.cmp(&b.0));
    best_release
        .or_else(|| versions.iter().max_by(|a, b| a.0.cmp(&b.0)))
        .map(|(_, v)| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(list: &[Entry]) -> Vec<(String, Option<char>)> {
        list.iter().map(|e| (e.url.clone(), e.separator)).collect()
    }

    #[test]
    fn separators_and_ends_of_the_list() {
        let list = proxy_list("corp.example/go|https://proxy.golang.org,direct,off").unwrap();
        assert_eq!(
            urls(&list),
            [
                ("https://corp.example/go".into(), Some('|')),
                ("https://proxy.golang.org".into(), Some(',')),
                ("direct".into(), None),
            ]
        );
        assert!(proxy_list(" , ").is_err());
        let default = proxy_list("").unwrap();
        assert_eq!(
            default.iter().map(|e| e.url.as_str()).collect::<Vec<_>>(),
            ["https://proxy.golang.org", "direct"]
        );
        assert!(proxy_list("ftp://x").is_err());
    }

    #[test]
    fn gosumdb_forms() {
        assert_eq!(sumdb("off"), None);
        let s = sumdb("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8 https://sum.example").unwrap();
        assert_eq!(s.name, "sum.golang.org");
        assert_eq!(s.explicit_url.as_deref(), Some("https://sum.example"));
        assert_eq!(sumdb("").unwrap().name, "sum.golang.org");
    }

    #[test]
    fn latest_of_a_list() {
        assert_eq!(
            latest_in_list("v0.3.0\nv0.10.0\nv0.11.0-rc.1\nv0.9.1\n").as_deref(),
            Some("v0.10.0")
        );
        assert_eq!(
            latest_in_list("v1.0.0-pre\n").as_deref(),
            Some("v1.0.0-pre")
        );
        assert_eq!(latest_in_list("\n"), None);
    }

    #[test]
    fn escapes_upper_case() {
        assert_eq!(
            escape_path("github.com/BurntSushi/toml"),
            "github.com/!burnt!sushi/toml"
        );
    }
}
