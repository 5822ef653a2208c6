//! Which HTTP proxy the go command uses for a URL: a port of
//! `golang.org/x/net/http/httpproxy` (`FromEnvironment` + `ProxyFunc`), which Go's
//! `http.ProxyFromEnvironment` is. `tests/net_httpproxy_oracle.rs` compares it with the
//! real one on generated cases.

use std::collections::BTreeMap;
use std::net::IpAddr;

use url::Url;

/// The proxy settings read from an environment, as Go reads them.
#[derive(Debug, Clone, Default)]
pub struct ProxyEnv {
    /// (variable, value) of the first non-empty of HTTP_PROXY, http_proxy.
    pub http: Option<(String, String)>,
    pub https: Option<(String, String)>,
    pub no_proxy: Option<(String, String)>,
    /// REQUEST_METHOD set: a CGI environment, where HTTP_PROXY is refused.
    pub cgi: bool,
}

impl ProxyEnv {
    pub fn from_env(env: &BTreeMap<String, String>) -> Self {
        let any = |names: [&str; 2]| {
            names.iter().find_map(|n| {
                env.get(*n)
                    .filter(|v| !v.is_empty())
                    .map(|v| (n.to_string(), v.clone()))
            })
        };
        ProxyEnv {
            http: any(["HTTP_PROXY", "http_proxy"]),
            https: any(["HTTPS_PROXY", "https_proxy"]),
            no_proxy: any(["NO_PROXY", "no_proxy"]),
            cgi: env.get("REQUEST_METHOD").is_some_and(|v| !v.is_empty()),
        }
    }
}

/// Go's decision for one URL.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Connect straight to the host, and why.
    Direct(DirectReason),
    /// Through this proxy (the parsed URL), named by this variable.
    Proxy { url: Url, variable: String },
    /// Go returns an error (HTTP_PROXY in a CGI environment).
    Refused(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum DirectReason {
    /// No proxy variable for the scheme (or its value does not parse).
    NoVariable,
    /// localhost or a loopback address: never proxied.
    Loopback,
    /// This NO_PROXY entry (lower-cased, trimmed) matched; `*` included.
    NoProxy { entry: String, variable: String },
}

/// `parseProxy`: a value without a scheme or a host (`proxy.corp:8080` reads as
/// scheme `proxy.corp`) is read again as `http://value`. Any scheme is kept
/// (`socks5h://`); the transport judges it.
pub fn parse_proxy(value: &str) -> Option<Url> {
    if value.is_empty() {
        return None;
    }
    let first = go_url_parse(value);
    match &first {
        Some(u) if u.host_str().is_some_and(|h| !h.is_empty()) => first,
        _ => go_url_parse(&format!("http://{value}")).or(first),
    }
}

/// Go's url.Parse accepts what the WHATWG parser does for the forms that matter here;
/// a scheme-less `host:port` must read as scheme `host` (not http), as Go does.
fn go_url_parse(value: &str) -> Option<Url> {
    // Go refuses control characters and spaces in a URL.
    if value.chars().any(|c| c.is_control() || c == ' ') {
        return None;
    }
    Url::parse(value).ok()
}

struct Entry {
    kind: EntryKind,
    port: String,
    text: String,
}

enum EntryKind {
    All,
    Cidr(IpAddr, u8),
    Ip(IpAddr),
    /// `.domain` with whether the bare domain matches too.
    Domain(String, bool),
}

pub fn decide(env: &ProxyEnv, url: &Url) -> Decision {
    let (chosen, variable) = match url.scheme() {
        "https" => (&env.https, "HTTPS_PROXY"),
        "http" => (&env.http, "HTTP_PROXY"),
        _ => (&None, ""),
    };
    let Some((name, value)) = chosen else {
        return Decision::Direct(DirectReason::NoVariable);
    };
    let _ = variable;
    let Some(proxy) = parse_proxy(value) else {
        return Decision::Direct(DirectReason::NoVariable);
    };
    if url.scheme() == "http" && env.cgi {
        return Decision::Refused(
            "refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy"
                .into(),
        );
    }
    let host = url.host_str().unwrap_or("").to_string();
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = url
        .port()
        .map(|p| p.to_string())
        .unwrap_or_else(|| default_port(url.scheme()).to_string());
    match use_proxy(env, &host, &port) {
        None => Decision::Proxy {
            url: proxy,
            variable: name.clone(),
        },
        Some(reason) => Decision::Direct(reason),
    }
}

fn default_port(scheme: &str) -> &'static str {
    match scheme {
        "http" => "80",
        "https" => "443",
        "socks5" => "1080",
        _ => "",
    }
}

/// `useProxy`: None when the proxy is used, else why not.
fn use_proxy(env: &ProxyEnv, host: &str, port: &str) -> Option<DirectReason> {
    if host == "localhost" {
        return Some(DirectReason::Loopback);
    }
    let ip: Option<IpAddr> = host.parse().ok();
    if ip.is_some_and(|ip| is_loopback(&ip)) {
        return Some(DirectReason::Loopback);
    }
    let addr = host.trim().to_lowercase();
    let (variable, entries) = match &env.no_proxy {
        Some((name, value)) => (name.clone(), entries(value)),
        None => return None,
    };
    let hit = |e: &Entry| DirectReason::NoProxy {
        entry: e.text.clone(),
        variable: variable.clone(),
    };
    // Go checks every IP matcher, then every domain matcher.
    if let Some(ip) = ip {
        for e in &entries {
            let matched = match &e.kind {
                EntryKind::All => true,
                EntryKind::Cidr(net, bits) => cidr_contains(net, *bits, &ip),
                EntryKind::Ip(eip) => same_ip(eip, &ip) && (e.port.is_empty() || e.port == port),
                EntryKind::Domain(..) => false,
            };
            if matched {
                return Some(hit(e));
            }
        }
    }
    for e in &entries {
        let matched = match &e.kind {
            EntryKind::All => true,
            EntryKind::Domain(suffix, match_host) => {
                (addr.ends_with(suffix.as_str()) || (*match_host && addr == suffix[1..]))
                    && (e.port.is_empty() || e.port == port)
            }
            _ => false,
        };
        if matched {
            return Some(hit(e));
        }
    }
    None
}

fn is_loopback(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// net.IP.Equal: an IPv4 address equals its IPv4-mapped IPv6 form.
fn same_ip(a: &IpAddr, b: &IpAddr) -> bool {
    canonical(a) == canonical(b)
}

fn canonical(ip: &IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(*v6)),
        v4 => *v4,
    }
}

fn cidr_contains(net: &IpAddr, bits: u8, ip: &IpAddr) -> bool {
    match (net, canonical(ip)) {
        (IpAddr::V4(n), IpAddr::V4(i)) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(bits))
            };
            (u32::from(*n) & mask) == (u32::from(i) & mask)
        }
        (IpAddr::V6(n), IpAddr::V6(i)) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(bits))
            };
            (u128::from(*n) & mask) == (u128::from(i) & mask)
        }
        _ => false,
    }
}

/// `config.init`'s reading of NO_PROXY; a `*` entry ends the list.
fn entries(no_proxy: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    for raw in no_proxy.split(',') {
        let p = raw.trim().to_lowercase();
        if p.is_empty() {
            continue;
        }
        if p == "*" {
            return vec![Entry {
                kind: EntryKind::All,
                port: String::new(),
                text: p,
            }];
        }
        if let Some((net, bits)) = parse_cidr(&p) {
            out.push(Entry {
                kind: EntryKind::Cidr(net, bits),
                port: String::new(),
                text: p,
            });
            continue;
        }
        let (mut phost, pport) = match split_host_port(&p) {
            Some((h, port)) => {
                if h.is_empty() {
                    continue;
                }
                (h, port)
            }
            None => (p.clone(), String::new()),
        };
        if phost.starts_with('[') && phost.ends_with(']') && phost.len() >= 2 {
            phost = phost[1..phost.len() - 1].to_string();
        }
        if let Some(ip) = parse_go_ip(&phost) {
            out.push(Entry {
                kind: EntryKind::Ip(ip),
                port: pport,
                text: p,
            });
            continue;
        }
        if phost.is_empty() {
            continue;
        }
        if let Some(rest) = phost.strip_prefix("*.") {
            phost = format!(".{rest}");
        }
        let match_host = !phost.starts_with('.');
        if match_host {
            phost = format!(".{phost}");
        }
        out.push(Entry {
            kind: EntryKind::Domain(phost, match_host),
            port: pport,
            text: p,
        });
    }
    out
}

/// net.ParseIP: dotted IPv4 (no leading-zero octets) or IPv6 without a zone.
fn parse_go_ip(s: &str) -> Option<IpAddr> {
    if s.contains('%') {
        return None;
    }
    s.parse().ok()
}

/// net.ParseCIDR.
fn parse_cidr(s: &str) -> Option<(IpAddr, u8)> {
    let (ip, bits) = s.split_once('/')?;
    let ip = parse_go_ip(ip)?;
    if bits.is_empty() || bits.len() > 3 || !bits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Go refuses leading zeros in the prefix length ("/08").
    if bits.len() > 1 && bits.starts_with('0') {
        return None;
    }
    let bits: u8 = bits.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some((ip, bits))
}

/// net.SplitHostPort: `host:port` or `[host]:port`; None when it is not that form.
/// The returned host keeps no brackets.
fn split_host_port(s: &str) -> Option<(String, String)> {
    if let Some(rest) = s.strip_prefix('[') {
        let end = rest.find(']')?;
        let host = &rest[..end];
        let after = &rest[end + 1..];
        let port = after.strip_prefix(':')?;
        if port.contains(':') || host.contains('[') || port.contains('[') || port.contains(']') {
            return None;
        }
        return Some((host.to_string(), port.to_string()));
    }
    let colon = s.rfind(':')?;
    let host = &s[..colon];
    let port = &s[colon + 1..];
    if host.contains(':') || host.contains('[') || host.contains(']') || port.contains(']') {
        return None;
    }
    Some((host.to_string(), port.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> ProxyEnv {
        ProxyEnv::from_env(
            &pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn proxied(e: &ProxyEnv, url: &str) -> Option<String> {
        match decide(e, &Url::parse(url).unwrap()) {
            Decision::Proxy { url, .. } => Some(url.to_string()),
            _ => None,
        }
    }

    #[test]
    fn upper_case_wins_and_empty_falls_to_lower_case() {
        let e = env(&[("HTTPS_PROXY", ""), ("https_proxy", "proxy:3128")]);
        assert_eq!(
            proxied(&e, "https://proxy.golang.org").as_deref(),
            Some("http://proxy:3128/")
        );
    }

    #[test]
    fn no_proxy_forms() {
        let e = env(&[
            ("HTTPS_PROXY", "http://p:1"),
            (
                "NO_PROXY",
                "corp.example, .inner.example,10.0.0.0/8,host:8443",
            ),
        ]);
        assert!(proxied(&e, "https://corp.example").is_none());
        assert!(proxied(&e, "https://git.corp.example").is_none());
        assert!(proxied(&e, "https://inner.example").is_some());
        assert!(proxied(&e, "https://a.inner.example").is_none());
        assert!(proxied(&e, "https://10.1.2.3").is_none());
        assert!(proxied(&e, "https://host:8443").is_none());
        assert!(proxied(&e, "https://host").is_some());
        assert!(proxied(&e, "https://localhost").is_none());
        assert!(proxied(&e, "https://127.0.0.1").is_none());
    }
}
