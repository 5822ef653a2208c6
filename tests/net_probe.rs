//! `doctor --probe net` against servers this test starts on loopback: a healthy HTTPS
//! module proxy (a CA made here, trusted through SSL_CERT_FILE), an untrusted CA, an
//! expired certificate, a wrong name, a CONNECT proxy with and without credentials,
//! 403/404/410 answers, a server that never answers, a name that does not resolve.
//! Names map to loopback through `ENVGATE_TEST_RESOLVE`, which also makes every other
//! name fail to resolve: no test reaches past this machine. Each failure must be named
//! at its layer by its rule; a healthy chain must be all ✓. The last test asks the
//! real proxy.golang.org and skips, saying why, when it cannot be reached.

#[path = "net_probe/servers.rs"]
mod servers;

#[path = "net_probe/harness.rs"]
mod harness;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use assert_cmd::Command;
use harness::*;
use serde_json::Value;
use servers::{Ca, Handler};

#[test]
fn go055_go056_go057_go058_go059_go060_clean_on_a_healthy_chain() {
    let t = trust();
    let addr = servers::https(t.ca.leaf(&["proxy.test"], false), false, healthy());
    let url = format!("https://proxy.test:{}", addr.port());
    let (run, human) = probe(
        &t,
        &[goproxy(&format!("{url},direct"))],
        &[("proxy.test", addr)],
        "human",
    );
    assert!(
        human.contains("+ settings -> + DNS -> + TCP -> + TLS -> + HTTP"),
        "{human}"
    );
    assert!(
        human.contains("example.com/mod + found; + checksum database"),
        "{human}"
    );
    // Said before anything was contacted.
    assert!(
        run.stderr.contains("will contact") && run.stderr.contains(&url),
        "{}",
        run.stderr
    );

    let run = json(
        &t,
        &[goproxy(&format!("{url},direct"))],
        &[("proxy.test", addr)],
    );
    assert_eq!(run.ids(), Vec::<String>::new());
    let host = run.host(&url);
    assert!(host["failed"].is_null());
    assert!(
        host["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["ok"] == true),
        "{host:#}"
    );
    let tls = host["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["layer"] == "tls")
        .unwrap();
    assert_eq!(tls["tls"]["sni"], "proxy.test");
    assert_eq!(tls["tls"]["issuer"], "Envgate Test Root CA");
    let module = &run.report["net_probe"]["modules"][0];
    assert_eq!(module["outcome"], "found");
    assert_eq!(module["sumdb"]["status"], 200);
    assert_eq!(module["sumdb"]["request"], "/lookup/example.com/mod@v1.2.0");
}

#[test]
fn go055_trigger_a_name_that_does_not_resolve() {
    let t = trust();
    let run = json(&t, &[goproxy("https://goproxy.corp.invalid")], &[]);
    assert_eq!(run.ids(), ["GO055"]);
    let f = run.finding("GO055");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("goproxy.corp.invalid does not resolve"),
        "{f:#}"
    );
    assert!(
        f["remediation"]
            .as_str()
            .unwrap()
            .contains("getent hosts goproxy.corp.invalid"),
        "{f:#}"
    );
}

#[test]
fn go056_trigger_nothing_listens_and_the_proxy_port_is_named() {
    let t = trust();
    let closed = servers::closed_port();
    let run = json(
        &t,
        &[goproxy(&format!("https://proxy.test:{}", closed.port()))],
        &[("proxy.test", closed)],
    );
    assert_eq!(run.ids(), ["GO056"]);
    assert_eq!(run.finding("GO056")["subject"], "go.env.GOPROXY");
    assert!(
        run.finding("GO056")["message"]
            .as_str()
            .unwrap()
            .contains("refused")
    );

    // The proxy variable points at a dead port: the finding names the variable.
    let run = json(
        &t,
        &[
            goproxy("https://proxy.test"),
            ("HTTPS_PROXY", format!("http://gw.test:{}", closed.port())),
        ],
        &[("gw.test", closed)],
    );
    assert_eq!(run.ids(), ["GO056"]);
    assert_eq!(run.finding("GO056")["subject"], "env.HTTPS_PROXY");
    assert!(
        run.finding("GO056")["remediation"]
            .as_str()
            .unwrap()
            .contains("curl -x")
    );
}

#[test]
fn go057_trigger_the_proxy_demands_credentials() {
    let t = trust();
    let target = servers::https(t.ca.leaf(&["proxy.test"], false), false, healthy());
    let gw = servers::connect_proxy(
        BTreeMap::from([("proxy.test:443".to_string(), target)]),
        Some("Basic dXNlcjpzM2NyZXQ=".into()), // user:s3cret
    );
    let names = [("gw.test", gw)];
    let run = json(
        &t,
        &[
            goproxy("https://proxy.test"),
            ("https_proxy", format!("http://gw.test:{}", gw.port())),
        ],
        &names,
    );
    assert_eq!(run.ids(), ["GO057"]);
    let f = run.finding("GO057");
    assert_eq!(f["subject"], "env.https_proxy");
    assert!(f["message"].as_str().unwrap().contains("407"), "{f:#}");
    assert!(
        f["remediation"]
            .as_str()
            .unwrap()
            .contains("USER:PASSWORD@"),
        "{f:#}"
    );
    // The target name is resolved by the proxy, never by the probe.
    let host = run.host("https://proxy.test");
    assert_eq!(host["failed"], "proxy-connect");
}

#[test]
fn go057_clean_credentials_in_the_proxy_url_go_to_the_proxy_and_are_never_shown() {
    let t = trust();
    let target = servers::https(t.ca.leaf(&["proxy.test"], false), false, healthy());
    let gw = servers::connect_proxy(
        BTreeMap::from([("proxy.test:443".to_string(), target)]),
        Some("Basic dXNlcjpzM2NyZXQ=".into()),
    );
    let env = [
        goproxy("https://proxy.test"),
        (
            "https_proxy",
            format!("http://user:s3cret@gw.test:{}", gw.port()),
        ),
    ];
    let names = [("gw.test", gw)];
    let run = json(&t, &env, &names);
    assert_eq!(
        run.ids(),
        Vec::<String>::new(),
        "{:#}",
        run.report["net_probe"]
    );
    let host = run.host("https://proxy.test");
    let layers: Vec<&str> = host["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["layer"].as_str().unwrap())
        .collect();
    assert_eq!(
        layers[..5],
        ["settings", "dns", "tcp", "proxy-connect", "tls"]
    );
    assert_eq!(host["proxy"]["sends_login"], true);
    let (run, human) = probe(&t, &env, &names, "human");
    for text in [&human, &run.stderr, &run.report.to_string()] {
        assert!(!text.contains("s3cret"), "{text}");
    }
    assert!(human.contains("+ proxy CONNECT -> + TLS"), "{human}");
}

#[test]
fn go058_trigger_unknown_authority_names_the_issuer() {
    let t = trust();
    let corp = Ca::new("Corp Proxy CA");
    let addr = servers::https(corp.leaf(&["proxy.test"], false), false, healthy());
    let run = json(
        &t,
        &[goproxy(&format!("https://proxy.test:{}", addr.port()))],
        &[("proxy.test", addr)],
    );
    assert_eq!(run.ids(), ["GO058"]);
    let f = run.finding("GO058");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("unknown authority \\\"Corp Proxy CA\\\"")
            || f["message"]
                .as_str()
                .unwrap()
                .contains("unknown authority \"Corp Proxy CA\""),
        "{f:#}"
    );
    let fix = f["remediation"].as_str().unwrap();
    assert!(
        fix.contains("update-ca-certificates") && fix.contains("ca.pem"),
        "{fix}"
    );

    // The human chain names the layer, the issuer and the fix at a glance.
    let (_, human) = probe(
        &t,
        &[goproxy(&format!("https://proxy.test:{}", addr.port()))],
        &[("proxy.test", addr)],
        "human",
    );
    assert!(
        human.contains("+ settings -> + DNS -> + TCP -> x TLS: certificate signed by unknown authority \"Corp Proxy CA\", not in "),
        "{human}"
    );
    assert!(
        human.contains("-> fix (GO058): If \"Corp Proxy CA\" is your organisation's proxy CA, add it with update-ca-certificates or SSL_CERT_FILE."),
        "{human}"
    );
}

#[test]
fn go058_trigger_expired_wrong_name_and_silence() {
    let t = trust();
    let expired = servers::https(t.ca.leaf(&["proxy.test"], true), false, healthy());
    let run = json(
        &t,
        &[goproxy(&format!("https://proxy.test:{}", expired.port()))],
        &[("proxy.test", expired)],
    );
    assert_eq!(run.ids(), ["GO058"]);
    assert!(
        run.finding("GO058")["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    assert!(
        run.finding("GO058")["remediation"]
            .as_str()
            .unwrap()
            .contains("2020-01-01")
    );

    let other = servers::https(t.ca.leaf(&["other.test"], false), true, healthy());
    let run = json(
        &t,
        &[goproxy(&format!("https://wrong.test:{}", other.port()))],
        &[("wrong.test", other)],
    );
    assert_eq!(run.ids(), ["GO058"]);
    let msg = run.finding("GO058")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("valid for other.test, not wrong.test"),
        "{msg}"
    );

    let silent = servers::silent();
    let run = json(
        &t,
        &[goproxy(&format!("https://proxy.test:{}", silent.port()))],
        &[("proxy.test", silent)],
    );
    assert_eq!(run.ids(), ["GO058"]);
    let step = run.host(&format!("https://proxy.test:{}", silent.port()))["steps"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(step["error_kind"], "timeout", "{step:#}");
}

#[test]
fn go059_trigger_403_stops_a_comma_list_but_not_a_pipe_list() {
    let t = trust();
    let forbidden = servers::https(
        t.ca.leaf(&["corp.test"], false),
        false,
        status(403, "blocked by policy"),
    );
    let good = servers::https(t.ca.leaf(&["proxy.test"], false), false, healthy());
    let names = [("corp.test", forbidden), ("proxy.test", good)];
    let corp = format!("https://corp.test:{}", forbidden.port());
    let public = format!("https://proxy.test:{}", good.port());

    let run = json(&t, &[goproxy(&format!("{corp},{public}"))], &names);
    assert_eq!(run.ids(), ["GO059"]);
    let f = run.finding("GO059");
    assert!(
        f["message"].as_str().unwrap().contains("blocked by policy"),
        "{f:#}"
    );
    assert!(
        f["remediation"].as_str().unwrap().contains("403 Forbidden"),
        "{f:#}"
    );
    assert_eq!(
        run.report["net_probe"]["modules"][0]["attempts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let run = json(&t, &[goproxy(&format!("{corp}|{public}"))], &names);
    assert_eq!(run.ids(), Vec::<String>::new());
    assert_eq!(run.report["net_probe"]["modules"][0]["outcome"], "found");
}

#[test]
fn go059_trigger_404_and_410_fall_through_to_not_found() {
    let t = trust();
    let gone = servers::https(t.ca.leaf(&["a.test"], false), false, status(410, "gone"));
    let missing = servers::https(
        t.ca.leaf(&["b.test"], false),
        false,
        status(404, "no such module"),
    );
    let good = servers::https(t.ca.leaf(&["c.test"], false), false, healthy());
    let names = [("a.test", gone), ("b.test", missing), ("c.test", good)];
    let a = format!("https://a.test:{}", gone.port());
    let b = format!("https://b.test:{}", missing.port());
    let c = format!("https://c.test:{}", good.port());

    let run = json(
        &t,
        &[goproxy(&format!("{a},{b}")), ("GOSUMDB", "off".into())],
        &names,
    );
    assert_eq!(run.ids(), ["GO059"]);
    assert!(
        run.finding("GO059")["message"]
            .as_str()
            .unwrap()
            .contains("404/410")
    );

    let run = json(&t, &[goproxy(&format!("{a},{b},{c}"))], &names);
    assert_eq!(run.ids(), Vec::<String>::new());
    let attempts = run.report["net_probe"]["modules"][0]["attempts"]
        .as_array()
        .unwrap()
        .clone();
    let results: Vec<&str> = attempts
        .iter()
        .map(|a| a["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["not-found", "not-found", "found"]);
}

#[test]
fn go060_trigger_the_checksum_database_fails() {
    let t = trust();
    let no_sumdb: Handler = Arc::new(|path: &str| match path {
        "/example.com/mod/@v/list" => (200, "v1.2.0\n".into()),
        _ => (404, String::new()),
    });
    let proxy = servers::https(t.ca.leaf(&["proxy.test"], false), false, no_sumdb);
    let sum = servers::https(t.ca.leaf(&["sum.test"], false), false, status(500, "down"));
    let names = [("proxy.test", proxy), ("sum.test", sum)];
    let env = [
        goproxy(&format!("https://proxy.test:{}", proxy.port())),
        (
            "GOSUMDB",
            format!("sum.test+abc https://sum.test:{}", sum.port()),
        ),
    ];
    let run = json(&t, &env, &names);
    assert_eq!(run.ids(), ["GO060"]);
    assert!(
        run.finding("GO060")["message"]
            .as_str()
            .unwrap()
            .contains("answered 500")
    );
    assert_eq!(run.finding("GO060")["subject"], "go.env.GOSUMDB");
}

#[test]
fn a_private_module_is_fetched_direct_and_its_server_asked() {
    let t = trust();
    let env = [
        goproxy("https://proxy.test"),
        ("GOPRIVATE", "example.com".into()),
    ];
    // The server is named by the module path, so it is asked on port 443: mapped to
    // loopback, where a test cannot bind that port, so only the plan is checked here.
    let loopback: SocketAddr = "127.0.0.1:443".parse().unwrap();
    let run = json(&t, &env, &[("example.com", loopback)]);
    let module = &run.report["net_probe"]["modules"][0];
    assert_eq!(module["outcome"], "direct");
    assert_eq!(
        module["noproxy_patterns"],
        serde_json::json!(["example.com"])
    );
    assert!(
        run.report["net_probe"]["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["url"] != "https://proxy.test")
    );
    assert_eq!(run.host("https://example.com")["role"], "vcs");
}

#[test]
fn probe_of_the_real_public_proxy() {
    // Only when this machine can reach proxy.golang.org (directly or through its
    // configured proxy); a loopback-only machine skips.
    let reachable = std::process::Command::new("getent")
        .args(["hosts", "proxy.golang.org"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !reachable {
        println!("skipped: proxy.golang.org does not resolve here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::cargo_bin("envgate").unwrap();
    for (k, _) in std::env::vars() {
        if k.starts_with("ENVGATE_") {
            cmd.env_remove(k);
        }
    }
    let output = cmd
        .env("GOPROXY", "https://proxy.golang.org,direct")
        .env_remove("GOSUMDB")
        .env("HOME", dir.path())
        .current_dir(dir.path())
        .args(["doctor", "--probe", "net", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let net = &report["net_probe"];
    let host = net["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["url"] == "https://proxy.golang.org");
    let Some(host) = host else {
        panic!("proxy.golang.org not probed: {net:#}");
    };
    if !host["failed"].is_null() {
        println!(
            "skipped: proxy.golang.org is not reachable from here: {:#}",
            host["steps"]
        );
        return;
    }
    let module = net["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["path"] == "golang.org/x/text")
        .unwrap();
    assert_eq!(module["outcome"], "found", "{module:#}");
    assert_eq!(module["sumdb"]["status"], 200, "{module:#}");
}

/// A probe goes on the network for seconds: a pack that does not load stops the run
/// before it contacts anything (the packs load beside collecting only without a probe).
#[test]
fn a_pack_that_does_not_load_stops_the_run_before_the_probe() {
    let t = trust();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let home = t.dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    // A directory without a manifest.yaml holds no pack: a policy error.
    let no_pack = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", &home)
        .env("GOPROXY", "https://goproxy.test")
        .env(
            "ENVGATE_TEST_RESOLVE",
            resolve_spec(&[("goproxy.test:443", addr)]),
        )
        .current_dir(&home)
        .args(["doctor", "--probe", "net", "--module", MODULE])
        .args(["--probe-timeout", "1", "--policy"])
        .arg(no_pack.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("holds no policy pack"), "{stderr}");
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the probe connected although the packs did not load: {stderr}"
    );
}
