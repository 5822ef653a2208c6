//! The credentials the go command sends to an HTTPS host, as cmd/go/internal/auth and
//! net/http decide: GOAUTH's `netrc` method (the default) reads `$NETRC`, else
//! `~/.netrc`, and stores each machine line's login and password under the machine
//! name; a request gets the credentials of the longest `host[:port][/path]` prefix of
//! its URL that has some (`loadCredential`). A URL that carries `user:password@` gets
//! Basic auth from it instead (net/http sets it when no Authorization header was
//! added, and the netrc lookup never matches such a URL: its prefix starts with the
//! userinfo). GOAUTH's `git DIR` and command methods are never followed here: the probe
//! runs no program; they are reported as not followed. Secrets are kept only to be
//! sent, never in the snapshot.

use std::collections::BTreeMap;

use base64::Engine;
use url::Url;

use crate::snapshot::{HostCredentials, NetAuth};

/// Bound on a netrc file read.
const NETRC_LIMIT: u64 = 1 << 20;

/// One netrc machine line with all three fields, as `parseNetrc` keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct NetrcLine {
    pub machine: String,
    pub login: String,
    pub password: String,
    /// 1-based line of the `machine` word.
    pub line: usize,
}

/// cmd/go's `parseNetrc`: words in pairs; a line holding `machine`, `login` and
/// `password` (possibly over several lines) makes an entry; `macdef` skips to the next
/// blank line; `default` ends the file.
pub fn parse_netrc(data: &str) -> Vec<NetrcLine> {
    let mut out = Vec::new();
    let mut current: Option<NetrcLine> = None;
    let mut in_macro = false;
    for (index, line) in data.split('\n').enumerate() {
        if in_macro {
            if line.is_empty() {
                in_macro = false;
            }
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let mut i = 0;
        while i + 1 < words.len() {
            match words[i] {
                "machine" => {
                    current = Some(NetrcLine {
                        machine: words[i + 1].to_string(),
                        login: String::new(),
                        password: String::new(),
                        line: index + 1,
                    })
                }
                "login" => {
                    if let Some(c) = current.as_mut() {
                        c.login = words[i + 1].to_string();
                    }
                }
                "password" => {
                    if let Some(c) = current.as_mut() {
                        c.password = words[i + 1].to_string();
                    }
                }
                "macdef" => in_macro = true,
                _ => {}
            }
            if let Some(c) = &current
                && !c.machine.is_empty()
                && !c.login.is_empty()
                && !c.password.is_empty()
            {
                out.push(current.take().expect("checked above"));
            }
            i += 2;
        }
        if words.get(i) == Some(&"default") {
            break;
        }
    }
    out
}

/// What is sent to a host: the header value and where it came from.
#[derive(Debug, Clone)]
pub struct Credential {
    pub header: String,
    pub facts: HostCredentials,
}

/// The run's credential sources, read once before any host is contacted.
#[derive(Debug, Clone)]
pub struct Auth {
    pub facts: NetAuth,
    netrc: Vec<NetrcLine>,
    /// Whether the netrc method is in GOAUTH (the default) and not `off`.
    use_netrc: bool,
}

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

impl Auth {
    pub fn new(env: &BTreeMap<String, String>, goauth: &str) -> Self {
        let goauth = if goauth.trim().is_empty() {
            "netrc"
        } else {
            goauth.trim()
        };
        let mut facts = NetAuth {
            goauth: goauth.to_string(),
            netrc: None,
            netrc_state: "not-used".into(),
            netrc_machines: 0,
            not_followed: Vec::new(),
        };
        let mut use_netrc = false;
        for method in goauth.split(';').map(str::trim) {
            let first = method.split_whitespace().next().unwrap_or("");
            match first {
                "off" => {
                    use_netrc = false;
                    break;
                }
                "netrc" => use_netrc = true,
                "git" => facts
                    .not_followed
                    .push("git (runs `git credential fill`; envgate runs no program)".into()),
                "" => {}
                // The command's text can hold a token: only its program's name is kept.
                program => facts.not_followed.push(format!(
                    "command {} (envgate runs no program)",
                    crate::redact::redact_line(program)
                )),
            }
        }
        let mut netrc = Vec::new();
        if use_netrc {
            let path = env
                .get("NETRC")
                .filter(|v| !v.is_empty())
                .cloned()
                .or_else(|| {
                    env.get("HOME")
                        .filter(|h| !h.is_empty())
                        .map(|h| format!("{}/.netrc", h.trim_end_matches('/')))
                });
            facts.netrc_state = "missing".into();
            if let Some(path) = &path {
                match crate::regular::read_to_string(std::path::Path::new(path), NETRC_LIMIT) {
                    Ok(text) => {
                        netrc = parse_netrc(&text);
                        facts.netrc_state = "read".into();
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => facts.netrc_state = format!("unreadable: {e}"),
                }
            }
            facts.netrc = path;
            facts.netrc_machines = netrc.len();
        }
        Auth {
            facts,
            netrc,
            use_netrc,
        }
    }

    /// The netrc machine name that matches `url`'s host (with its port when not 443).
    pub fn machine_for(url: &Url) -> String {
        match url.port() {
            Some(p) => format!("{}:{p}", url.host_str().unwrap_or("")),
            None => url.host_str().unwrap_or("").to_string(),
        }
    }

    /// What the go command sends with a GET of `url` (https only; None for http).
    pub fn for_url(&self, url: &Url) -> Option<Credential> {
        if url.scheme() != "https" {
            return None;
        }
        let machine = Self::machine_for(url);
        if !url.username().is_empty() || url.password().is_some() {
            let decode = super::connect::percent_decode;
            return Some(Credential {
                header: basic(
                    &decode(url.username()),
                    &decode(url.password().unwrap_or("")),
                ),
                facts: HostCredentials {
                    source: "userinfo".into(),
                    file: None,
                    line: None,
                    machine,
                    note: None,
                },
            });
        }
        // loadCredential: the longest prefix of host[:port]/path that has credentials;
        // the first netrc line for a machine wins (cmd/go stores them in reverse).
        let mut prefix = format!("{machine}{}", url.path())
            .trim_end_matches('/')
            .to_string();
        if self.use_netrc {
            loop {
                if let Some(line) = self.netrc.iter().find(|l| l.machine == prefix) {
                    return Some(Credential {
                        header: basic(&line.login, &line.password),
                        facts: HostCredentials {
                            source: "netrc".into(),
                            file: self.facts.netrc.clone(),
                            line: Some(line.line),
                            machine: line.machine.clone(),
                            note: None,
                        },
                    });
                }
                match prefix.rfind('/') {
                    Some(i) => prefix.truncate(i),
                    None => break,
                }
            }
        }
        None
    }

    /// What a host that got no credentials would need (for findings and fixes).
    pub fn none_for(&self, url: &Url, note: Option<String>) -> HostCredentials {
        HostCredentials {
            source: "none".into(),
            file: self.use_netrc.then(|| self.facts.netrc.clone()).flatten(),
            line: None,
            machine: Self::machine_for(url),
            note,
        }
    }
}

/// net/http's `isDomainOrSubdomain` on hosts without their ports: whether an
/// Authorization header set on the first request is copied to a redirect's target.
pub fn same_or_subdomain(dest: &str, initial: &str) -> bool {
    if dest.eq_ignore_ascii_case(initial) {
        return true;
    }
    if dest.contains([':', '%']) {
        return false;
    }
    let (d, i) = (dest.to_ascii_lowercase(), initial.to_ascii_lowercase());
    d.len() > i.len() && d.ends_with(&i) && d.as_bytes()[d.len() - i.len() - 1] == b'.'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netrc_as_cmd_go_parses_it() {
        let text = "machine a.test login u password p\n\
                    machine b.test\n  login v\n  password q\n\
                    macdef init\nmachine hidden login x password y\n\n\
                    machine c.test login w\n\
                    default login d password e\n\
                    machine after login z password z\n\
                    default\n\
                    machine last login l password l\n";
        let lines = parse_netrc(text);
        let got: Vec<(&str, &str, usize)> = lines
            .iter()
            .map(|l| (l.machine.as_str(), l.login.as_str(), l.line))
            .collect();
        // `default` ends the file only as a line's odd last word (cmd/go's quirk, kept).
        assert_eq!(
            got,
            [("a.test", "u", 1), ("b.test", "v", 2), ("after", "z", 10)]
        );
    }

    fn auth_with(netrc: &str, goauth: &str) -> (tempfile::TempDir, Auth) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("netrc");
        std::fs::write(&path, netrc).unwrap();
        let env = BTreeMap::from([("NETRC".to_string(), path.display().to_string())]);
        let auth = Auth::new(&env, goauth);
        (dir, auth)
    }

    #[test]
    fn credentials_by_prefix_port_and_userinfo() {
        let (_d, auth) = auth_with(
            "machine proxy.test:8443 login u password p\nmachine proxy.test login h password k\nmachine proxy.test login second password x\nmachine corp.test/go login g password o\n",
            "",
        );
        let get = |u: &str| auth.for_url(&Url::parse(u).unwrap());
        let c = get("https://proxy.test:8443/mod/@v/list").unwrap();
        assert_eq!((c.facts.source.as_str(), c.facts.line), ("netrc", Some(1)));
        assert_eq!(c.header, basic("u", "p"));
        // The first line of a machine wins.
        assert_eq!(get("https://proxy.test/x").unwrap().header, basic("h", "k"));
        assert_eq!(
            get("https://corp.test/go/m/@v/list").unwrap().facts.line,
            Some(4)
        );
        assert!(get("https://corp.test/other").is_none());
        assert!(get("http://proxy.test/x").is_none());
        // Userinfo wins (the netrc lookup does not match a URL carrying it).
        let c = get("https://us%40er:p%3A@proxy.test/x").unwrap();
        assert_eq!(
            (c.facts.source.as_str(), c.header),
            ("userinfo", basic("us@er", "p:"))
        );

        let (_d, off) = auth_with("machine proxy.test login h password k\n", "off");
        assert!(
            off.for_url(&Url::parse("https://proxy.test/x").unwrap())
                .is_none()
        );
        assert_eq!(off.facts.netrc_state, "not-used");
    }

    #[test]
    fn goauth_commands_are_never_followed_and_not_shown_whole() {
        let (_d, auth) = auth_with("", "netrc; git /src/repo; /usr/bin/helper --token=abc123");
        assert_eq!(auth.facts.not_followed.len(), 2);
        assert!(
            auth.facts
                .not_followed
                .iter()
                .all(|t| !t.contains("abc123"))
        );
        assert_eq!(auth.facts.netrc_state, "read");
    }

    #[test]
    fn a_netrc_line_quoted_in_a_finding_hides_its_password() {
        for line in [
            "machine proxy.test login user password s3cret",
            "  password s3cret",
            "machine a login u password s3cret machine b login v password s3cret",
        ] {
            let shown = crate::redact::redact_line(line);
            assert!(!shown.contains("s3cret"), "{shown}");
        }
    }

    #[test]
    fn redirect_header_copy_rule() {
        assert!(same_or_subdomain("proxy.test", "proxy.test"));
        assert!(same_or_subdomain("cdn.proxy.test", "proxy.test"));
        assert!(!same_or_subdomain("cdn.test", "proxy.test"));
        assert!(!same_or_subdomain("xproxy.test", "proxy.test"));
    }
}
