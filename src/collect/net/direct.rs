//! `direct`: what the go command does for a module it fetches from its own server
//! (cmd/go/internal/vcs `RepoRootForImportPath`). A path on a host it knows
//! (github.com, bitbucket.org) is a git repository at `https://<root>`; any other path
//! is asked `https://<path>?go-get=1` and its `<meta name="go-import" content="prefix
//! vcs repo">` tags read as `parseMetaGoImports` reads them (up to `<body>` or
//! `</head>`; `mod` tags first) and matched as `matchGoImport` does (the one tag whose
//! prefix is a path prefix of the module). GOINSECURE makes that request skip
//! certificate verification and fall back to plain HTTP when HTTPS fails; the
//! repository itself is then reached by git, which verifies on its own. A git
//! repository over HTTP(S) is asked git's smart-HTTP discovery
//! (`info/refs?service=git-upload-pack`); no git is run. A `mod` repository is a
//! module proxy and is asked as one.
//!
//! The meta tags are read here rather than by an HTML parser crate: what counts is
//! what Go's lenient XML tokenizer finds before `<body>`, not what a browser would
//! build, and a page that an HTML5 parser repairs differently would be judged wrongly.

use url::Url;

use super::{Answer, Run, plan};
use crate::redact::redact_line;
use crate::snapshot::VcsAttempt;

/// One `go-import` tag.
#[derive(Debug, Clone, PartialEq)]
pub struct MetaImport {
    pub prefix: String,
    pub vcs: String,
    pub repo: String,
    /// The optional fourth field (the module's subdirectory in the repository).
    pub subdir: String,
}

/// The `go-import` tags of a page, `mod` ones first (PreferMod), then the others whose
/// prefix has no `mod` tag.
pub fn meta_imports(body: &str) -> Vec<MetaImport> {
    let mut found = Vec::new();
    let lower = body.to_ascii_lowercase();
    let mut at = 0;
    while let Some(open) = lower[at..].find('<') {
        let start = at + open + 1;
        let Some(close) = lower[start..].find('>') else {
            break;
        };
        let end = start + close;
        let tag = &body[start..end];
        let tag_lower = &lower[start..end];
        at = end + 1;
        let name: String = tag_lower
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect();
        if name == "body" || name == "/head" {
            break;
        }
        if name != "meta" {
            continue;
        }
        let attrs = attributes(&tag[4..]);
        let attr = |n: &str| {
            attrs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v.as_str())
                .unwrap_or("")
        };
        if attr("name") != "go-import" {
            continue;
        }
        let fields: Vec<&str> = attr("content").split_whitespace().collect();
        if fields.len() == 3 || fields.len() == 4 {
            found.push(MetaImport {
                prefix: fields[0].to_string(),
                vcs: fields[1].to_string(),
                repo: fields[2].to_string(),
                subdir: fields.get(3).unwrap_or(&"").to_string(),
            });
        }
    }
    let mods: Vec<MetaImport> = found.iter().filter(|m| m.vcs == "mod").cloned().collect();
    let others = found
        .into_iter()
        .filter(|m| m.vcs != "mod" && !mods.iter().any(|x| x.prefix == m.prefix));
    mods.iter().cloned().chain(others).collect()
}

/// `name="value"`, `name='value'`, `name=value` pairs, entities decoded.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim_start_matches('/').trim();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_end].trim_end_matches('/').to_string();
        rest = rest[key_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, next) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                    Some(i) => (&after[1..1 + i], &after[2 + i..]),
                    None => (&after[1..], ""),
                },
                _ => {
                    let i = after.find(char::is_whitespace).unwrap_or(after.len());
                    (after[..i].trim_end_matches('/'), &after[i..])
                }
            };
            rest = next.trim_start();
            value
        } else {
            ""
        };
        if !key.is_empty() {
            out.push((key, decode_entities(value)));
        }
    }
    out
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// str.HasPathPrefix: `prefix` is `path` or a leading run of its elements.
fn has_path_prefix(path: &str, prefix: &str) -> bool {
    path == prefix
        || (path.starts_with(prefix)
            && (prefix.ends_with('/') || path.as_bytes().get(prefix.len()) == Some(&b'/')))
}

/// `matchGoImport`: the one tag whose prefix is a path prefix of `path` (a `mod` tag
/// and a VCS tag for the same path count once).
pub fn match_go_import(imports: &[MetaImport], path: &str) -> Result<MetaImport, String> {
    let mut matched: Option<&MetaImport> = None;
    let mut mismatches = Vec::new();
    for im in imports {
        if !has_path_prefix(path, &im.prefix) {
            mismatches.push(im.prefix.clone());
            continue;
        }
        if let Some(first) = matched {
            if first.vcs == "mod" && im.vcs != "mod" {
                break;
            }
            return Err(format!("multiple meta tags match import path {path:?}"));
        }
        matched = Some(im);
    }
    matched.cloned().ok_or_else(|| {
        if mismatches.is_empty() {
            format!("no go-import meta tags for {path}")
        } else {
            format!(
                "no go-import meta tag for {path} (tags found for: {})",
                mismatches.join(", ")
            )
        }
    })
}

/// The hosts cmd/go maps without asking (its `vcsPaths` for git over HTTPS).
fn known_host(path: &str) -> Option<(String, String)> {
    for host in ["github.com", "bitbucket.org"] {
        let Some(rest) = path.strip_prefix(host).and_then(|r| r.strip_prefix('/')) else {
            continue;
        };
        let mut parts = rest.split('/');
        let (owner, repo) = (parts.next()?, parts.next()?);
        let ok = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        };
        if !ok(owner) || !ok(repo) {
            return None;
        }
        let root = format!("{host}/{owner}/{repo}");
        return Some((root.clone(), format!("https://{root}")));
    }
    None
}

const GIT_ADVERTISEMENT: &str = "application/x-git-upload-pack-advertisement";

impl Run<'_> {
    /// `direct` for `path`: find the repository, then ask it.
    pub(super) fn vcs(&mut self, path: &str, m: &plan::Matches) -> VcsAttempt {
        let setting = if m.noproxy.is_empty() {
            "GOPROXY"
        } else {
            "GOPRIVATE"
        };
        let (host, rest) = match path.find('/') {
            Some(i) => (&path[..i], &path[i..]),
            None => (path, "/"),
        };
        let mut attempt = VcsAttempt {
            url: redact_line(&format!("https://{host}{rest}?go-get=1")),
            status: None,
            result: "error".into(),
            error: None,
            failed_layer: None,
            insecure: !m.insecure.is_empty(),
            found_by: None,
            root: None,
            vcs: None,
            repo: None,
            refs_url: None,
            refs_status: None,
            refs_content_type: None,
        };
        let found = match known_host(path) {
            Some((root, repo)) => {
                attempt.url = redact_line(&repo);
                attempt.found_by = Some("known-host".into());
                MetaImport {
                    prefix: root,
                    vcs: "git".into(),
                    repo,
                    subdir: String::new(),
                }
            }
            None => {
                if !host.contains('.') {
                    attempt.error = Some("import path does not begin with hostname".into());
                    return attempt;
                }
                match self.discover(host, rest, path, setting, &mut attempt) {
                    Some(found) => found,
                    None => return attempt,
                }
            }
        };
        attempt.root = Some(found.prefix.clone());
        attempt.vcs = Some(found.vcs.clone());
        attempt.repo = Some(redact_line(&found.repo));
        match found.vcs.as_str() {
            "mod" => {
                let (asked, _) = self.ask_proxy(&found.repo, path, None);
                attempt.refs_url = asked.requests.last().cloned();
                attempt.refs_status = asked.status;
                match asked.result.as_str() {
                    "found" => attempt.result = "ok".into(),
                    _ => {
                        attempt.result = match asked.status {
                            Some(401 | 403) => "credentials",
                            _ => "error",
                        }
                        .into();
                        attempt.error = asked.error.or(asked.body);
                    }
                }
            }
            "git" => self.git_refs(&found.repo, setting, &mut attempt),
            other => {
                attempt.result = "not-probed".into();
                attempt.error = Some(format!(
                    "a {other} repository is not probed by envgate (only git over HTTP(S) and mod)"
                ));
            }
        }
        attempt
    }

    /// `?go-get=1` for `path`; the matching go-import tag. A tag for a shorter prefix
    /// is not trusted on the module's word: as cmd/go's `repoRootForImportDynamic`
    /// does, the prefix's own page is asked and must carry the same tag ("uni.edu/bob"
    /// may not claim "uni.edu").
    fn discover(
        &mut self,
        host: &str,
        rest: &str,
        path: &str,
        setting: &str,
        attempt: &mut VcsAttempt,
    ) -> Option<MetaImport> {
        let imports = self.meta_page(host, rest, setting, attempt)?;
        let found = match match_go_import(&imports, path) {
            Ok(found) => found,
            Err(e) => {
                attempt.result = "no-meta".into();
                attempt.error = Some(redact_line(&e));
                return None;
            }
        };
        attempt.found_by = Some("go-import".into());
        if found.prefix == path {
            return Some(found);
        }
        let first = attempt.url.clone();
        let (root_host, root_rest) = match found.prefix.find('/') {
            Some(i) => (&found.prefix[..i], &found.prefix[i..]),
            None => (found.prefix.as_str(), "/"),
        };
        attempt.url = redact_line(&format!("https://{root_host}{root_rest}?go-get=1"));
        let imports = self.meta_page(root_host, root_rest, setting, attempt)?;
        if imports.is_empty() {
            attempt.result = "no-meta".into();
            attempt.error = Some(redact_line(&format!(
                "fetching {}: no go-import meta tag found in {}",
                found.prefix, attempt.url
            )));
            return None;
        }
        if match_go_import(&imports, path).ok().as_ref() != Some(&found) {
            attempt.result = "meta-disagree".into();
            attempt.error = Some(redact_line(&format!(
                "{first} and {} disagree about go-import for {}",
                attempt.url, found.prefix
            )));
            return None;
        }
        Some(found)
    }

    /// The go-import tags of `https://<host><rest>?go-get=1`, over HTTPS (unverified
    /// with GOINSECURE, then plain HTTP when that fails); `None` with the attempt
    /// saying why when the page could not be had.
    fn meta_page(
        &mut self,
        host: &str,
        rest: &str,
        setting: &str,
        attempt: &mut VcsAttempt,
    ) -> Option<Vec<MetaImport>> {
        let https = Url::parse(&format!("https://{host}{rest}?go-get=1")).ok()?;
        self.insecure = attempt.insecure;
        let mut answer = self.get(&https, "vcs", setting);
        if attempt.insecure && matches!(answer, Answer::Failed { .. }) {
            let http = Url::parse(&format!("http://{host}{rest}?go-get=1")).ok()?;
            attempt.url = redact_line(http.as_str());
            answer = self.get(&http, "vcs", setting);
            if matches!(answer, Answer::Http { .. })
                && let Some(host) = self.hosts.get_mut(&super::origin(&https))
            {
                host.fell_back_to = Some(attempt.url.clone());
            }
        }
        self.insecure = false;
        match answer {
            Answer::Failed { layer, error } => {
                attempt.error = Some(format!("{layer}: {error}"));
                attempt.failed_layer = Some(layer);
                None
            }
            Answer::Http { status, body, .. } => {
                attempt.status = Some(status);
                let imports = meta_imports(&String::from_utf8_lossy(&body));
                if imports.is_empty() && status != 200 {
                    attempt.result = match status {
                        401 | 403 => "credentials",
                        _ => "error",
                    }
                    .into();
                    attempt.error = Some(format!("reading {}: {status}", attempt.url));
                    attempt.failed_layer = Some("http".into());
                    return None;
                }
                Some(imports)
            }
        }
    }

    /// git's smart-HTTP discovery of the repository, as `git ls-remote` starts it.
    fn git_refs(&mut self, repo: &str, setting: &str, attempt: &mut VcsAttempt) {
        let url = match Url::parse(repo) {
            Ok(u) if matches!(u.scheme(), "https" | "http") => u,
            Ok(u) => {
                attempt.result = "not-probed".into();
                attempt.error = Some(format!(
                    "git over {}:// is not probed by envgate (only HTTP(S))",
                    u.scheme()
                ));
                return;
            }
            Err(e) => {
                attempt.error = Some(format!("the repository URL is not a URL: {e}"));
                return;
            }
        };
        let Ok(refs) = Url::parse(&format!(
            "{}/info/refs?service=git-upload-pack",
            url.as_str().trim_end_matches('/')
        )) else {
            return;
        };
        attempt.refs_url = Some(redact_line(&super::chain::shown(&refs)));
        match self.get(&refs, "vcs", setting) {
            Answer::Failed { layer, error } => {
                attempt.error = Some(format!("{layer}: {error}"));
                attempt.failed_layer = Some(layer);
            }
            Answer::Http {
                status, headers, ..
            } => {
                attempt.refs_status = Some(status);
                let content_type = headers
                    .iter()
                    .find(|(n, _)| n == "content-type")
                    .map(|(_, v)| v.clone());
                attempt.refs_content_type = content_type.as_deref().map(redact_line);
                let media = content_type
                    .as_deref()
                    .and_then(|c| c.split(';').next())
                    .map(|c| c.trim().to_ascii_lowercase());
                attempt.result = match status {
                    200 if media.as_deref() == Some(GIT_ADVERTISEMENT) => "ok",
                    200 => "not-git",
                    401 | 403 => "credentials",
                    _ => "error",
                }
                .into();
                if attempt.result != "ok" {
                    attempt.failed_layer = Some("http".into());
                    attempt.error = Some(match attempt.result.as_str() {
                        "not-git" => format!(
                            "{} answered 200 with {}, not git's {GIT_ADVERTISEMENT} (a login page, or not a git server)",
                            attempt.refs_url.as_deref().unwrap_or(""),
                            attempt
                                .refs_content_type
                                .as_deref()
                                .unwrap_or("no Content-Type")
                        ),
                        _ => format!("{}: {status}", attempt.refs_url.as_deref().unwrap_or("")),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(prefix: &str, vcs: &str, repo: &str) -> MetaImport {
        MetaImport {
            prefix: prefix.into(),
            vcs: vcs.into(),
            repo: repo.into(),
            subdir: String::new(),
        }
    }

    #[test]
    fn meta_tags_as_cmd_go_reads_them() {
        let page = r#"<!DOCTYPE html><html><head>
            <META NAME="go-import" CONTENT="corp.test/a git https://git.corp.test/a.git">
            <meta name='go-import' content='corp.test/b mod https://proxy.corp.test'/>
            <meta name="go-import" content="corp.test/b git https://git.corp.test/b">
            <meta name="go-import" content="too few">
            <meta name=go-source content="x y z w">
            </head><body><meta name="go-import" content="corp.test/c git https://x"></body>"#;
        assert_eq!(
            meta_imports(page),
            [
                tag("corp.test/b", "mod", "https://proxy.corp.test"),
                tag("corp.test/a", "git", "https://git.corp.test/a.git"),
            ]
        );
    }

    #[test]
    fn matching_a_path() {
        let tags = [
            tag("corp.test/a", "git", "https://g/a"),
            tag("corp.test/ab", "git", "https://g/ab"),
        ];
        assert_eq!(
            match_go_import(&tags, "corp.test/a/sub").unwrap().repo,
            "https://g/a"
        );
        assert!(match_go_import(&tags, "corp.test/abc").is_err());
        let both = [
            tag("corp.test/a", "git", "https://g/a"),
            tag("corp.test/a", "hg", "https://h/a"),
        ];
        assert!(
            match_go_import(&both, "corp.test/a")
                .unwrap_err()
                .contains("multiple")
        );
    }

    #[test]
    fn known_hosts_need_no_request() {
        assert_eq!(
            known_host("github.com/owner/repo/sub/pkg"),
            Some((
                "github.com/owner/repo".into(),
                "https://github.com/owner/repo".into()
            ))
        );
        assert_eq!(known_host("github.com/owner"), None);
        assert_eq!(known_host("example.com/owner/repo"), None);
    }
}
