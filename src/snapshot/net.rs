//! `envgate doctor --probe net`: what the go command would do to download modules, and
//! each network layer of each host it would contact (DNS, TCP, proxy CONNECT, TLS,
//! HTTP), in order, with the first one that broke. Facts only; GO055–GO060 judge them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct NetProbe {
    /// The bound on each step (DNS, connect, TLS handshake, one HTTP answer).
    pub timeout_ms: u64,
    /// `nameserver` lines of /etc/resolv.conf, in order.
    pub nameservers: Vec<String>,
    /// What the go command would do for each module path asked about, in the order asked.
    pub modules: Vec<NetModule>,
    /// Every host contacted, sorted by URL; each module's attempts name these by URL.
    pub hosts: Vec<NetHost>,
    /// Where the credentials sent to HTTPS hosts come from (GOAUTH, the netrc file).
    #[serde(default)]
    pub logins: NetAuth,
}

/// GOAUTH as the probe followed it. Never holds a login or a password.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct NetAuth {
    /// GOAUTH (`netrc` when unset).
    pub goauth: String,
    /// The netrc file the go command reads (`$NETRC`, else `~/.netrc`), when GOAUTH
    /// includes `netrc`.
    pub netrc: Option<String>,
    /// `read`, `missing`, `unreadable: …`, or `not-used` (GOAUTH without `netrc`).
    pub netrc_state: String,
    /// How many complete machine lines (machine, login, password) it has.
    pub netrc_machines: usize,
    /// GOAUTH methods the go command would follow and the probe did not (`git DIR`, a
    /// command: envgate runs no program), by name only.
    pub not_followed: Vec<String>,
}

/// The credentials sent to a host with its first request, by source, never by value.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct HostCredentials {
    /// `userinfo` (the URL's `user:password@`), `netrc` (a machine line) or `none`.
    pub source: String,
    /// The netrc file (source `netrc`, or `none` when GOAUTH reads one).
    pub file: Option<String>,
    /// The machine line used (source `netrc`).
    pub line: Option<usize>,
    /// The netrc machine name for this host (`host`, or `host:port` off 443).
    pub machine: String,
    /// Why none were sent when the request came from a redirect (`redirect from
    /// https://a: Authorization is not sent to another host`).
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct NetModule {
    /// The module path (`golang.org/x/text`).
    pub path: String,
    /// Why it was asked about: `--module`, `go.mod` (a requirement of the checked
    /// go.mod) or `public-probe` (golang.org/x/text, always asked).
    pub reason: String,
    /// The GONOPROXY (or GOPRIVATE) patterns matching it: it is fetched `direct`.
    pub noproxy_patterns: Vec<String>,
    /// The GONOSUMDB (or GOPRIVATE) patterns matching it: no checksum database lookup.
    pub nosumdb_patterns: Vec<String>,
    /// The GOINSECURE patterns matching it: plain HTTP and unverified TLS allowed.
    pub insecure_patterns: Vec<String>,
    /// The GOPROXY entries the go command walks for it, in order.
    pub proxies: Vec<ProxyEntry>,
    /// The checksum database it would consult (`sum.golang.org https://…`), absent with
    /// GOSUMDB=off or a GONOSUMDB match.
    pub sumdb: Option<SumdbEntry>,
    /// What each proxy entry answered, in the go command's order, up to the entry where
    /// it stops.
    pub attempts: Vec<ProxyAttempt>,
    /// The outcome of the walk: `found` (a proxy listed it), `not-found` (every entry
    /// answered 404/410), `error` (an entry failed and the walk stopped there), `off`
    /// (GOPROXY=off reached), `direct` (the VCS would be asked; see `vcs`).
    pub outcome: String,
    /// For a module fetched `direct`: its repository's git-over-HTTPS URL, probed with
    /// `/info/refs?service=git-upload-pack`.
    pub vcs: Option<VcsAttempt>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ProxyEntry {
    /// The URL as written (credentials redacted), or `direct` / `off`.
    pub url: String,
    /// `,` (fall to the next only on 404/410) or `|` (fall to the next on any error);
    /// absent for the last entry.
    pub separator: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct SumdbEntry {
    /// As GOSUMDB names it: `sum.golang.org`, `name+key url`, …
    pub name: String,
    /// The URL its lookups go to (the GOSUMDB URL, else `https://<name>`).
    pub url: String,
    /// Answer to `/lookup/<module>@<version>` when a version was known, else to `/latest`.
    pub request: Option<String>,
    pub status: Option<u16>,
    /// Why the lookup did not get an answer (the host's failing layer, in its words).
    pub error: Option<String>,
    /// The layer that failed (`dns`, `tcp`, `proxy-connect`, `tls`, `http`), if one did.
    pub failed_layer: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ProxyAttempt {
    /// The proxy base URL (a `hosts[].url`).
    pub proxy: String,
    /// `@v/list` then `@latest` requests, path only.
    pub requests: Vec<String>,
    /// The last HTTP status received, if any.
    pub status: Option<u16>,
    /// `found`, `not-found` (404/410: the next entry is tried), `error`.
    pub result: String,
    /// Why it failed, as the go command would explain it.
    pub error: Option<String>,
    /// The separator after this entry (`,` or `|`), absent for the last.
    pub separator: Option<String>,
    /// The first line of the body of an error answer (bounded, redacted).
    pub body: Option<String>,
    /// The host (a `hosts[].url`) that gave the last answer, when a redirect led
    /// away from `proxy`.
    #[serde(default)]
    pub answered_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct VcsAttempt {
    /// The `?go-get=1` URL asked for the module's repository (the repository itself
    /// for a host the go command knows, such as github.com).
    pub url: String,
    /// The status of that answer.
    pub status: Option<u16>,
    /// `ok` (the repository answers), `no-meta` (no go-import tag matches the
    /// path), `meta-disagree` (the tag names a shorter prefix whose own page does not
    /// carry the same tag), `credentials` (401/403), `not-git` (info/refs is not git's smart HTTP),
    /// `not-probed` (a VCS or scheme envgate does not probe), `error`.
    pub result: String,
    pub error: Option<String>,
    /// The layer that failed (`dns`, `tcp`, `proxy-connect`, `tls`, `http`), if one did.
    #[serde(default)]
    pub failed_layer: Option<String>,
    /// GOINSECURE matched: the `?go-get=1` request skipped certificate verification
    /// and could fall back to plain HTTP, as the go command's would.
    #[serde(default)]
    pub insecure: bool,
    /// `go-import` (a meta tag) or `known-host` (github.com, bitbucket.org rules).
    #[serde(default)]
    pub found_by: Option<String>,
    /// The go-import tag's prefix (repository root), VCS and repository URL.
    #[serde(default)]
    pub root: Option<String>,
    #[serde(default)]
    pub vcs: Option<String>,
    #[serde(default)]
    pub repo: Option<String>,
    /// git's smart-HTTP discovery (`<repo>/info/refs?service=git-upload-pack`): its
    /// URL, status and Content-Type.
    #[serde(default)]
    pub refs_url: Option<String>,
    #[serde(default)]
    pub refs_status: Option<u16>,
    #[serde(default)]
    pub refs_content_type: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct NetHost {
    /// `https://proxy.golang.org` (scheme, host and port when not the default).
    pub url: String,
    pub host: String,
    pub port: u16,
    /// `goproxy`, `sumdb` or `vcs`.
    pub role: String,
    /// The Go setting that named this host (`GOPROXY`, `GOSUMDB`, `GOPRIVATE`).
    pub setting: String,
    /// The HTTP proxy Go's `http.ProxyFromEnvironment` picks for it.
    pub proxy: ProxyChoice,
    /// Each layer in order; the chain stops at the first that fails.
    pub steps: Vec<NetStep>,
    /// The layer that failed, absent when every step passed.
    pub failed: Option<String>,
    /// What was sent as Authorization with the first request (HTTPS hosts only).
    #[serde(default)]
    pub login: Option<HostCredentials>,
    /// Set when this host's failure did not stop the go command: GOINSECURE let it
    /// fall back to this plain-HTTP URL, which answered.
    #[serde(default)]
    pub fell_back_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ProxyChoice {
    /// The proxy URL used (credentials redacted), absent for a direct connection.
    pub url: Option<String>,
    /// The variable it came from (`HTTPS_PROXY`, `https_proxy`, …).
    pub variable: Option<String>,
    /// The NO_PROXY entry that made the connection direct, and from which variable.
    pub no_proxy_entry: Option<String>,
    pub no_proxy_variable: Option<String>,
    /// Why a direct connection was chosen, in words (no variable set, localhost, …).
    pub reason: String,
    /// Whether the proxy URL carries a user (and password): sent to that proxy only, never shown.
    pub sends_login: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct NetStep {
    /// `dns`, `tcp`, `proxy-connect`, `tls`, `http`.
    pub layer: String,
    pub ok: bool,
    /// What was done, in words: `proxy.golang.org → 142.250.74.81 (system resolver)`.
    pub detail: String,
    /// The kind of failure, for rules to branch on: `no-such-host`, `timeout`,
    /// `refused`, `unreachable`, `proxy-auth-required`, `proxy-refused`,
    /// `unknown-authority`, `expired`, `not-yet-valid`, `hostname-mismatch`,
    /// `tls-other`, `bad-response`, `io`.
    pub error_kind: Option<String>,
    /// The failure in words (redacted).
    pub error: Option<String>,
    pub duration_ms: u64,
    /// Filled by the `dns` step.
    pub dns: Option<DnsFacts>,
    /// Filled by the `tls` step (also when it failed on the certificate).
    pub tls: Option<TlsFacts>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct DnsFacts {
    pub name: String,
    pub addresses: Vec<String>,
    /// The name has an /etc/hosts line, so the system resolver answered from it
    /// (nsswitch's `files` comes first on Debian and most systems).
    pub hosts_file: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct TlsFacts {
    /// The server name sent (SNI).
    pub sni: String,
    /// `TLSv1.3`, `TLSv1.2`, when the handshake completed.
    pub version: Option<String>,
    /// The root files read, as Go reads them on this OS (SSL_CERT_FILE, SSL_CERT_DIR,
    /// else the distribution bundle), and how many certificates they gave.
    pub roots: Vec<String>,
    pub root_count: usize,
    /// The server certificate's subject and issuer (common name, else the whole name).
    pub subject: Option<String>,
    pub issuer: Option<String>,
    /// notAfter, RFC 3339.
    pub not_after: Option<String>,
    /// The DNS names (and IP addresses) the certificate is valid for.
    pub names: Vec<String>,
    /// Set when verification was skipped as the go command skips it for a GOINSECURE
    /// module's `direct` fetch: what verification would have said (`would pass`, or
    /// the failure).
    #[serde(default)]
    pub unverified: Option<String>,
}
