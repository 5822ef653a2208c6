//! What the probe cannot judge must not pass: Go refusing HTTP_PROXY in a CGI
//! environment (GO068) stops a host at its settings step, and a step envgate does not
//! speak — a `socks4://` proxy, a repository over ssh —
//! is reported as not tested (GO069) instead of leaving the chain green; a `file://`
//! GOPROXY entry is read from disk. Loopback only.

#[path = "net_probe/servers.rs"]
mod servers;

#[path = "net_probe/harness.rs"]
mod harness;

use std::sync::Arc;

use harness::*;
use servers::FullHandler;

/// A plain-HTTP module proxy that has MODULE.
fn plain_proxy() -> FullHandler {
    let h = healthy();
    Arc::new(move |path: &str, _: &str| {
        let (status, body) = h(path);
        (status, Vec::new(), body)
    })
}

#[test]
fn go068_trigger_request_method_makes_go_refuse_http_proxy() {
    let t = trust();
    let addr = servers::http_plain(plain_proxy());
    let url = format!("http://proxy.test:{}", addr.port());
    let env = [
        goproxy(&url),
        ("GOSUMDB", "off".to_string()),
        ("HTTP_PROXY", "http://gw.test:3128".to_string()),
        ("REQUEST_METHOD", "GET".to_string()),
    ];
    let names = [("proxy.test", addr)];
    let run = json(&t, &env, &names);
    assert_eq!(run.ids(), ["GO068"], "{:#}", run.report["net_probe"]);
    let f = run.finding("GO068");
    assert_eq!(f["subject"], "env.HTTP_PROXY");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("refusing to use HTTP_PROXY value in CGI environment"),
        "{f:#}"
    );
    assert!(
        f["remediation"]
            .as_str()
            .unwrap()
            .contains("unset REQUEST_METHOD"),
        "{f:#}"
    );
    let host = run.host(&url);
    assert_eq!(host["failed"], "settings");
    assert_eq!(host["steps"].as_array().unwrap().len(), 1, "{host:#}");
    let (_, human) = probe(&t, &env, &names, "human");
    assert!(human.contains("x settings"), "{human}");
}

#[test]
fn go068_clean_request_method_without_a_proxy_variable() {
    // Go refuses only a proxy it would use: with no HTTP_PROXY the request goes direct.
    let t = trust();
    let addr = servers::http_plain(plain_proxy());
    let url = format!("http://proxy.test:{}", addr.port());
    let env = [
        goproxy(&url),
        ("GOSUMDB", "off".to_string()),
        ("REQUEST_METHOD", "GET".to_string()),
    ];
    let run = json(&t, &env, &[("proxy.test", addr)]);
    assert_eq!(
        run.ids(),
        Vec::<String>::new(),
        "{:#}",
        run.report["net_probe"]
    );
    assert!(run.host(&url)["failed"].is_null());
}

#[test]
fn go069_trigger_a_socks4_proxy_is_not_tested() {
    let t = trust();
    let addr = servers::https(t.ca.leaf(&["proxy.test"], false), false, healthy());
    let url = format!("https://proxy.test:{}", addr.port());
    let env = [
        goproxy(&url),
        ("GOSUMDB", "off".to_string()),
        ("HTTPS_PROXY", "socks4://gw.test:1080".to_string()),
    ];
    let run = json(&t, &env, &[("proxy.test", addr)]);
    assert_eq!(run.ids(), ["GO069"], "{:#}", run.report["net_probe"]);
    let f = run.finding("GO069");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["subject"], "env.HTTPS_PROXY");
    assert!(
        f["remediation"]
            .as_str()
            .unwrap()
            .contains("curl -x socks4://gw.test:1080"),
        "{f:#}"
    );
    // Neither passed nor failed in the chain, and the fix is named under it.
    let (_, human) = probe(&t, &env, &[("proxy.test", addr)], "human");
    assert!(
        human.contains("+ settings -> ! proxy CONNECT: a socks4:// proxy is not probed"),
        "{human}"
    );
    assert!(
        human.contains("-> fix (GO069): envgate could not test this step"),
        "{human}"
    );
    assert!(human.contains("example.com/mod ! not tested: "), "{human}");
}

#[test]
fn go069_clean_a_file_goproxy_entry_is_read_from_disk_as_go_reads_it() {
    // Not a step left untested: the version list is read, a missing one is a 404 and
    // the walk goes on to the next entry.
    let t = trust();
    let store = t.dir.path().join("goproxy");
    std::fs::create_dir_all(store.join("example.com/mod/@v")).unwrap();
    std::fs::write(store.join("example.com/mod/@v/list"), "v1.0.0\nv1.2.0\n").unwrap();
    let env = [
        goproxy(&format!("file://{}", store.display())),
        ("GOSUMDB", "off".to_string()),
    ];
    let run = json(&t, &env, &[]);
    assert_eq!(
        run.ids(),
        Vec::<String>::new(),
        "{:#}",
        run.report["net_probe"]
    );
    let module = &run.report["net_probe"]["modules"][0];
    assert_eq!(module["outcome"], "found", "{module:#}");
    assert_eq!(module["attempts"][0]["status"], 200);

    let empty = t.dir.path().join("empty-goproxy");
    std::fs::create_dir_all(&empty).unwrap();
    let env = [
        goproxy(&format!("file://{}", empty.display())),
        ("GOSUMDB", "off".to_string()),
    ];
    let run = json(&t, &env, &[]);
    assert_eq!(run.ids(), ["GO059"], "{:#}", run.report["net_probe"]);
    let module = &run.report["net_probe"]["modules"][0];
    assert_eq!(module["outcome"], "not-found", "{module:#}");
    assert_eq!(module["attempts"][0]["status"], 404);
}

#[test]
fn go069_trigger_a_private_repository_over_ssh_is_not_tested() {
    let t = trust();
    let site = servers::https_with(
        t.ca.leaf(&["example.com"], false),
        false,
        Arc::new(|path: &str, _: &str| {
            match path {
            "/mod?go-get=1" => (
                200,
                vec![("Content-Type".into(), "text/html".into())],
                "<meta name=\"go-import\" content=\"example.com/mod git ssh://git@git.test/mod.git\">"
                    .into(),
            ),
            _ => (404, Vec::new(), "no".into()),
        }
        }),
    );
    let env = [
        goproxy("https://proxy.test"),
        ("GOPRIVATE", "example.com".to_string()),
    ];
    let run = json(&t, &env, &[("example.com:443", site)]);
    assert_eq!(run.ids(), ["GO069"], "{:#}", run.report["net_probe"]);
    let f = run.finding("GO069");
    assert_eq!(f["subject"], "go.env.GOPRIVATE");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("ssh://git@git.test/mod.git was not tested"),
        "{f:#}"
    );
}
