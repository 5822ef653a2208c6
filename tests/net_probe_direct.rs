//! `direct` in `doctor --probe net`: a private module's `?go-get=1` page, its
//! go-import tag, then git's smart-HTTP discovery of the repository (no git is run);
//! GOINSECURE skipping certificate verification and falling back to plain HTTP for
//! that request only, never for a GOPROXY entry. The module's server is asked on
//! port 443 (80 for plain HTTP): `ENVGATE_TEST_RESOLVE`'s `name:443=127.0.0.1:PORT`
//! moves it to the loopback server's port. Loopback only.

#[path = "net_probe/servers.rs"]
mod servers;

#[path = "net_probe/harness.rs"]
mod harness;

use std::net::SocketAddr;
use std::sync::Arc;

use harness::*;
use servers::{Ca, FullHandler};

const ADVERTISEMENT: &str = "application/x-git-upload-pack-advertisement";

/// The module's server: a go-import tag naming `repo` (none when `repo` is None).
fn go_import(repo: Option<String>) -> FullHandler {
    Arc::new(move |path: &str, _: &str| match (path, &repo) {
        ("/mod?go-get=1", Some(repo)) => (
            200,
            vec![("Content-Type".into(), "text/html".into())],
            format!(
                "<html><head><meta name=\"go-import\" content=\"example.com/mod git {repo}\"></head><body>hi</body></html>"
            ),
        ),
        _ => (
            200,
            vec![("Content-Type".into(), "text/html".into())],
            "<html><head><title>nothing here</title></head></html>".into(),
        ),
    })
}

/// A git server: `status` and `content_type` for info/refs.
fn git(status: u16, content_type: &'static str) -> FullHandler {
    Arc::new(move |path: &str, _: &str| {
        if path == "/mod.git/info/refs?service=git-upload-pack" {
            (
                status,
                vec![("Content-Type".into(), content_type.into())],
                "001e# service=git-upload-pack\n0000".into(),
            )
        } else {
            (404, Vec::new(), "no".into())
        }
    })
}

struct Setup {
    env: Vec<(&'static str, String)>,
    names: Vec<(String, SocketAddr)>,
}

impl Setup {
    fn names(&self) -> Vec<(&str, SocketAddr)> {
        self.names.iter().map(|(n, a)| (n.as_str(), *a)).collect()
    }
}

/// example.com (served with `site_ca`'s certificate) naming git.test's repository.
fn setup(t: &Trust, site_ca: &Ca, with_tag: bool, git_handler: FullHandler) -> Setup {
    let git = servers::https_with(t.ca.leaf(&["git.test"], false), false, git_handler);
    let repo = format!("https://git.test:{}/mod.git", git.port());
    let site = servers::https_with(
        site_ca.leaf(&["example.com"], false),
        false,
        go_import(with_tag.then_some(repo)),
    );
    Setup {
        env: vec![
            goproxy("https://proxy.test"),
            ("GOPRIVATE", "example.com".into()),
        ],
        names: vec![("example.com:443".into(), site), ("git.test".into(), git)],
    }
}

#[test]
fn go066_clean_the_go_import_tag_leads_to_a_git_repository() {
    let t = trust();
    let s = setup(&t, &t.ca, true, git(200, ADVERTISEMENT));
    let run = json(&t, &s.env, &s.names());
    assert_eq!(
        run.ids(),
        Vec::<String>::new(),
        "{:#}",
        run.report["net_probe"]
    );
    let v = &run.report["net_probe"]["modules"][0]["vcs"];
    assert_eq!(v["result"], "ok", "{v:#}");
    assert_eq!(
        (v["found_by"].as_str(), v["vcs"].as_str()),
        (Some("go-import"), Some("git"))
    );
    assert_eq!(v["refs_content_type"], ADVERTISEMENT);
    assert_eq!(v["insecure"], false);
    let (_, human) = probe(&t, &s.env, &s.names(), "human");
    assert!(
        human.contains("example.com/mod + fetched direct: git repository https://git.test:"),
        "{human}"
    );
}

#[test]
fn go066_trigger_no_tag_credentials_and_a_login_page() {
    let t = trust();
    let s = setup(&t, &t.ca, false, git(200, ADVERTISEMENT));
    let run = json(&t, &s.env, &s.names());
    assert_eq!(run.ids(), ["GO066"]);
    let f = run.finding("GO066");
    assert_eq!(f["evidence"]["result"], "no-meta", "{f:#}");
    assert_eq!(f["subject"], "go.env.GOPRIVATE");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("no go-import meta tags for example.com/mod"),
        "{f:#}"
    );

    let s = setup(&t, &t.ca, true, git(401, "text/plain"));
    let run = json(&t, &s.env, &s.names());
    assert_eq!(run.ids(), ["GO066"]);
    let f = run.finding("GO066");
    assert_eq!(f["evidence"]["result"], "credentials", "{f:#}");
    assert!(
        f["remediation"].as_str().unwrap().contains("~/.netrc"),
        "{f:#}"
    );

    let s = setup(&t, &t.ca, true, git(200, "text/html; charset=utf-8"));
    let run = json(&t, &s.env, &s.names());
    assert_eq!(run.ids(), ["GO066"]);
    assert_eq!(run.finding("GO066")["evidence"]["result"], "not-git");
}

#[test]
fn goinsecure_skips_verification_for_direct_only_and_says_so() {
    let t = trust();
    let corp = Ca::new("Corp Proxy CA");
    // Without GOINSECURE the untrusted certificate stops the go-get request: GO058.
    let s = setup(&t, &corp, true, git(200, ADVERTISEMENT));
    let run = json(&t, &s.env, &s.names());
    assert_eq!(run.ids(), ["GO058"], "{:#}", run.report["net_probe"]);

    // With it, the chain passes, and says verification was skipped and would fail.
    let mut env = s.env.clone();
    env.push(("GOINSECURE", "example.com/mod".into()));
    let run = json(&t, &env, &s.names());
    assert_eq!(
        run.ids(),
        Vec::<String>::new(),
        "{:#}",
        run.report["net_probe"]
    );
    let v = &run.report["net_probe"]["modules"][0]["vcs"];
    assert_eq!(
        (v["result"].as_str(), v["insecure"].as_bool()),
        (Some("ok"), Some(true))
    );
    let site = run.host("https://example.com");
    let tls = site["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["layer"] == "tls")
        .unwrap();
    assert!(
        tls["tls"]["unverified"]
            .as_str()
            .unwrap()
            .contains("unknown authority \"Corp Proxy CA\""),
        "{tls:#}"
    );
    let (_, human) = probe(&t, &env, &s.names(), "human");
    assert!(human.contains("+ TLS NOT VERIFIED (GOINSECURE)"), "{human}");

    // GOINSECURE never covers a GOPROXY entry.
    let proxy = servers::https(corp.leaf(&["proxy.test"], false), false, healthy());
    let env = [
        goproxy(&format!("https://proxy.test:{}", proxy.port())),
        ("GOINSECURE", "example.com".into()),
    ];
    let run = json(&t, &env, &[("proxy.test", proxy)]);
    assert_eq!(run.ids(), ["GO058"]);
}

#[test]
fn goinsecure_falls_back_to_plain_http_when_https_fails() {
    let t = trust();
    let git_server = servers::https_with(
        t.ca.leaf(&["git.test"], false),
        false,
        git(200, ADVERTISEMENT),
    );
    let repo = format!("https://git.test:{}/mod.git", git_server.port());
    let plain = servers::http_plain(go_import(Some(repo)));
    let closed = servers::closed_port();
    let names = [
        ("example.com:443", closed),
        ("example.com:80", plain),
        ("git.test", git_server),
    ];
    let mut env = vec![
        goproxy("https://proxy.test"),
        ("GOPRIVATE", "example.com".into()),
    ];
    // Without GOINSECURE: HTTPS only, refused.
    let run = json(&t, &env, &names);
    assert_eq!(run.ids(), ["GO056"]);
    env.push(("GOINSECURE", "example.com".into()));
    let run = json(&t, &env, &names);
    assert_eq!(
        run.ids(),
        Vec::<String>::new(),
        "{:#}",
        run.report["net_probe"]
    );
    let v = &run.report["net_probe"]["modules"][0]["vcs"];
    assert_eq!(v["result"], "ok", "{v:#}");
    assert_eq!(v["url"], "http://example.com/mod?go-get=1");
}

/// example.com/mod's page names the shorter prefix example.com; example.com's own page
/// (its root, `/?go-get=1`) carries `root_tag`, or nothing.
fn shorter_prefix(t: &Trust, root_tag: Option<&'static str>) -> Setup {
    let git = servers::https_with(
        t.ca.leaf(&["git.test"], false),
        false,
        Arc::new(|path: &str, _: &str| {
            if path == "/all.git/info/refs?service=git-upload-pack" {
                (
                    200,
                    vec![("Content-Type".into(), ADVERTISEMENT.into())],
                    "001e# service=git-upload-pack\n0000".into(),
                )
            } else {
                (404, Vec::new(), "no".into())
            }
        }),
    );
    let repo = format!("https://git.test:{}/all.git", git.port());
    let claimed = format!("example.com git {repo}");
    let site = servers::https_with(
        t.ca.leaf(&["example.com"], false),
        false,
        Arc::new(move |path: &str, _: &str| {
            let content = match path {
                "/mod?go-get=1" => Some(claimed.clone()),
                "/?go-get=1" => root_tag.map(|tag| tag.replace("REPO", &repo)),
                _ => None,
            };
            let head = content
                .map(|c| format!("<meta name=\"go-import\" content=\"{c}\">"))
                .unwrap_or_default();
            (
                200,
                vec![("Content-Type".into(), "text/html".into())],
                format!("<html><head>{head}</head></html>"),
            )
        }),
    );
    Setup {
        env: vec![
            goproxy("https://proxy.test"),
            ("GOPRIVATE", "example.com".into()),
        ],
        names: vec![("example.com:443".into(), site), ("git.test".into(), git)],
    }
}

#[test]
fn go066_clean_a_shorter_prefix_confirmed_by_its_own_page() {
    let t = trust();
    let s = shorter_prefix(&t, Some("example.com git REPO"));
    let run = json(&t, &s.env, &s.names());
    assert_eq!(
        run.ids(),
        Vec::<String>::new(),
        "{:#}",
        run.report["net_probe"]
    );
    let v = &run.report["net_probe"]["modules"][0]["vcs"];
    assert_eq!(
        (v["result"].as_str(), v["root"].as_str()),
        (Some("ok"), Some("example.com")),
        "{v:#}"
    );
}

#[test]
fn go066_trigger_a_shorter_prefix_its_own_page_does_not_confirm() {
    // As cmd/go: "uni.edu/bob/project" may not claim "uni.edu" for another repository.
    let t = trust();
    for (root_tag, result, says) in [
        (
            Some("example.com git https://elsewhere.test/other.git"),
            "meta-disagree",
            "https://example.com/?go-get=1 disagree about go-import for example.com",
        ),
        (
            None,
            "no-meta",
            "fetching example.com: no go-import meta tag found in https://example.com/?go-get=1",
        ),
    ] {
        let s = shorter_prefix(&t, root_tag);
        let run = json(&t, &s.env, &s.names());
        assert_eq!(run.ids(), ["GO066"], "{:#}", run.report["net_probe"]);
        let v = &run.report["net_probe"]["modules"][0]["vcs"];
        assert_eq!(v["result"], result, "{v:#}");
        let f = run.finding("GO066");
        assert!(f["message"].as_str().unwrap().contains(says), "{f:#}");
    }
}
