//! `https://` and `socks5://`/`socks5h://` proxies in `doctor --probe net`, as Go's
//! transport uses them: TLS to an HTTPS proxy (verified), then CONNECT with the URL's
//! credentials; SOCKS5 with RFC 1929 username/password from the URL and the target
//! sent by name (the proxy resolves it: the probe never does, and a name the proxy
//! cannot reach is not reported as local DNS). Loopback only: only the proxies' names
//! are mapped, so a probe that resolved the target itself would fail.

#[path = "net_probe/servers.rs"]
mod servers;

#[path = "net_probe/harness.rs"]
mod harness;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use harness::*;
use servers::Ca;

const SECRET: &str = "pr0xy-s3cret";

fn layers(run: &Run, url: &str) -> Vec<String> {
    run.host(url)["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["layer"].as_str().unwrap().to_string())
        .collect()
}

fn no_secret(run: &Run, human: &str) {
    for text in [human, &run.stderr, &run.report.to_string()] {
        assert!(!text.contains(SECRET), "{text}");
    }
}

#[test]
fn go057_go058_clean_through_an_https_proxy_with_credentials() {
    let t = trust();
    let target = servers::https(t.ca.leaf(&["proxy.test"], false), false, healthy());
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("user:{SECRET}"))
    );
    let gw = servers::https_connect_proxy(
        t.ca.leaf(&["gw.test"], false),
        BTreeMap::from([("proxy.test:443".to_string(), target)]),
        Some(auth),
    );
    let env = [
        goproxy("https://proxy.test"),
        ("GOSUMDB", "off".to_string()),
        (
            "HTTPS_PROXY",
            format!("https://user:{SECRET}@gw.test:{}", gw.port()),
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
    assert_eq!(
        layers(&run, "https://proxy.test")[..6],
        [
            "settings",
            "dns",
            "tcp",
            "proxy-tls",
            "proxy-connect",
            "tls"
        ]
    );
    assert_eq!(run.report["net_probe"]["modules"][0]["outcome"], "found");
    let (run, human) = probe(&t, &env, &names, "human");
    no_secret(&run, &human);
    assert!(
        human.contains("+ proxy-tls -> + proxy CONNECT -> + TLS"),
        "{human}"
    );
}

#[test]
fn go058_trigger_the_https_proxy_certificate_is_not_trusted() {
    let t = trust();
    let corp = Ca::new("Corp Gateway CA");
    let gw = servers::https_connect_proxy(corp.leaf(&["gw.test"], false), BTreeMap::new(), None);
    let env = [
        goproxy("https://proxy.test"),
        ("HTTPS_PROXY", format!("https://gw.test:{}", gw.port())),
    ];
    let run = json(&t, &env, &[("gw.test", gw)]);
    assert_eq!(run.ids(), ["GO058"]);
    let f = run.finding("GO058");
    assert_eq!(f["subject"], "env.HTTPS_PROXY");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("TLS to the proxy gw.test"),
        "{f:#}"
    );
    assert!(
        f["message"].as_str().unwrap().contains("Corp Gateway CA"),
        "{f:#}"
    );
}

fn socks(
    t: &Trust,
    login: Option<(&str, &str)>,
) -> (std::net::SocketAddr, Arc<Mutex<Vec<String>>>) {
    let target = servers::https(t.ca.leaf(&["proxy.test"], false), false, healthy());
    let asked = Arc::new(Mutex::new(Vec::new()));
    let addr = servers::socks5_proxy(
        BTreeMap::from([("proxy.test:443".to_string(), target)]),
        login.map(|(u, p)| (u.to_string(), p.to_string())),
        asked.clone(),
    );
    (addr, asked)
}

#[test]
fn go057_clean_socks5h_and_socks5_send_the_name_and_the_login() {
    let t = trust();
    for scheme in ["socks5h", "socks5"] {
        let (addr, asked) = socks(&t, Some(("user", SECRET)));
        let env = [
            goproxy("https://proxy.test"),
            ("GOSUMDB", "off".to_string()),
            (
                "https_proxy",
                format!("{scheme}://user:{SECRET}@socks.test:{}", addr.port()),
            ),
        ];
        let names = [("socks.test", addr)];
        let run = json(&t, &env, &names);
        assert_eq!(
            run.ids(),
            Vec::<String>::new(),
            "{scheme}: {:#}",
            run.report["net_probe"]
        );
        assert_eq!(
            layers(&run, "https://proxy.test")[..5],
            ["settings", "dns", "tcp", "proxy-connect", "tls"]
        );
        // The name went to the proxy; the probe did not resolve it.
        assert!(asked.lock().unwrap().iter().all(|a| a == "proxy.test:443"));
        let (run, human) = probe(&t, &env, &names, "human");
        no_secret(&run, &human);
    }
}

#[test]
fn go057_trigger_socks_login_refused_and_target_unreachable_at_the_proxy() {
    let t = trust();
    let (addr, _) = socks(&t, Some(("user", SECRET)));
    let names = [("socks.test", addr)];
    let run = json(
        &t,
        &[
            goproxy("https://proxy.test"),
            (
                "HTTPS_PROXY",
                format!("socks5h://user:wrong@socks.test:{}", addr.port()),
            ),
        ],
        &names,
    );
    assert_eq!(run.ids(), ["GO057"]);
    let f = run.finding("GO057");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("refused the user and password"),
        "{f:#}"
    );
    assert!(
        f["remediation"]
            .as_str()
            .unwrap()
            .contains("HTTPS_PROXY=socks5h://USER:PASSWORD@"),
        "{f:#}"
    );

    // No login in the URL for a proxy that wants one.
    let run = json(
        &t,
        &[
            goproxy("https://proxy.test"),
            (
                "HTTPS_PROXY",
                format!("socks5h://socks.test:{}", addr.port()),
            ),
        ],
        &names,
    );
    assert_eq!(run.ids(), ["GO057"]);
    assert_eq!(
        run.host("https://proxy.test")["steps"][3]["error_kind"],
        "proxy-auth-required"
    );

    // A name the proxy cannot reach: its reply, never a local DNS failure (GO055).
    let (open, _) = socks(&t, None);
    let run = json(
        &t,
        &[
            goproxy("https://nowhere.test"),
            (
                "HTTPS_PROXY",
                format!("socks5h://socks.test:{}", open.port()),
            ),
        ],
        &[("socks.test", open)],
    );
    assert_eq!(run.ids(), ["GO057"]);
    let msg = run.finding("GO057")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("host unreachable") && msg.contains("resolved by the proxy"),
        "{msg}"
    );
}
