//! Credentials in `doctor --probe net`, as the go command sends them: a netrc machine
//! line (`$NETRC`, else `~/.netrc`) or the GOPROXY URL's userinfo go to that host
//! only: not to a redirect's target on another host, not to the checksum database.
//! GOAUTH=off sends none; GOAUTH commands are never run. Loopback only (names mapped
//! by `ENVGATE_TEST_RESOLVE`).

#[path = "net_probe/servers.rs"]
mod servers;

#[path = "net_probe/harness.rs"]
mod harness;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use base64::Engine;
use harness::*;
use servers::{FullHandler, header};

const SECRET: &str = "n3trc-s3cret-value";

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// Every Authorization header a server received (None for a request without one).
type Seen = Arc<Mutex<Vec<Option<String>>>>;

/// A module proxy that demands `Basic user:SECRET` (401 without it), then redirects
/// the module's list to `redirect` when given, else answers it.
fn demanding(seen: Seen, redirect: Option<String>) -> FullHandler {
    Arc::new(move |path: &str, head: &str| {
        let auth = header(head, "authorization").map(str::to_string);
        seen.lock().unwrap().push(auth.clone());
        if auth.as_deref() != Some(basic("user", SECRET).as_str()) {
            return (
                401,
                vec![("WWW-Authenticate".into(), "Basic realm=\"corp\"".into())],
                "unauthorized".into(),
            );
        }
        match (path, &redirect) {
            ("/example.com/mod/@v/list", Some(to)) => (
                302,
                vec![("Location".into(), format!("{to}{path}"))],
                String::new(),
            ),
            ("/example.com/mod/@v/list", None) => (200, Vec::new(), "v1.2.0\n".into()),
            _ => (404, Vec::new(), "not found".into()),
        }
    })
}

/// A server that records the Authorization headers it gets and answers 200.
fn recording(seen: Seen) -> FullHandler {
    Arc::new(move |path: &str, head: &str| {
        seen.lock()
            .unwrap()
            .push(header(head, "authorization").map(str::to_string));
        match path {
            "/example.com/mod/@v/list" => (200, Vec::new(), "v1.2.0\n".into()),
            _ => (200, Vec::new(), "ok\n".into()),
        }
    })
}

fn seen() -> Seen {
    Arc::new(Mutex::new(Vec::new()))
}

fn write_netrc(t: &Trust, text: &str) -> String {
    let home = t.dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let path = home.join(".netrc");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn no_secret(run: &Run, human: &str) {
    for text in [human, &run.stderr, &run.report.to_string()] {
        assert!(!text.contains(SECRET), "{text}");
    }
}

#[test]
fn netrc_login_goes_to_its_host_and_not_to_a_redirect_on_another() {
    let t = trust();
    let (proxy_seen, cdn_seen) = (seen(), seen());
    let cdn = servers::https_with(
        t.ca.leaf(&["cdn.test"], false),
        false,
        recording(cdn_seen.clone()),
    );
    let cdn_url = format!("https://cdn.test:{}", cdn.port());
    let proxy = servers::https_with(
        t.ca.leaf(&["proxy.test"], false),
        false,
        demanding(proxy_seen.clone(), Some(cdn_url.clone())),
    );
    let proxy_url = format!("https://proxy.test:{}", proxy.port());
    let netrc = write_netrc(
        &t,
        &format!(
            "machine other.test login x password y\nmachine proxy.test:{} login user password {SECRET}\n",
            proxy.port()
        ),
    );
    let env = [goproxy(&proxy_url), ("GOSUMDB", "off".to_string())];
    let names: [(&str, SocketAddr); 2] = [("proxy.test", proxy), ("cdn.test", cdn)];
    let run = json(&t, &env, &names);
    assert_eq!(
        run.ids(),
        Vec::<String>::new(),
        "{:#}",
        run.report["net_probe"]
    );
    assert_eq!(run.report["net_probe"]["modules"][0]["outcome"], "found");
    // The proxy got the netrc login; the redirect's target on another host got nothing.
    assert!(
        proxy_seen
            .lock()
            .unwrap()
            .iter()
            .all(|a| a.as_deref() == Some(basic("user", SECRET).as_str()))
    );
    let cdn_got = cdn_seen.lock().unwrap().clone();
    assert!(
        !cdn_got.is_empty() && cdn_got.iter().all(Option::is_none),
        "{cdn_got:?}"
    );
    let login = &run.host(&proxy_url)["login"];
    assert_eq!(login["source"], "netrc");
    assert_eq!(login["file"], netrc.as_str());
    assert_eq!(login["line"], 2);
    let cdn_login = &run.host(&cdn_url)["login"];
    assert_eq!(cdn_login["source"], "none");
    assert!(
        cdn_login["note"]
            .as_str()
            .unwrap()
            .contains("not sent to another host"),
        "{cdn_login:#}"
    );
    assert_eq!(run.report["net_probe"]["logins"]["netrc_machines"], 2);
    let (run, human) = probe(&t, &env, &names, "human");
    no_secret(&run, &human);
}

#[test]
fn go059_trigger_401_names_the_netrc_line_or_its_absence() {
    let t = trust();
    let proxy = servers::https_with(
        t.ca.leaf(&["proxy.test"], false),
        false,
        demanding(seen(), None),
    );
    let proxy_url = format!("https://proxy.test:{}", proxy.port());
    let names = [("proxy.test", proxy)];
    let env = [goproxy(&proxy_url), ("GOSUMDB", "off".to_string())];
    let machine = format!("proxy.test:{}", proxy.port());

    // No netrc at all: the finding says which machine line is missing, and where.
    let run = json(&t, &env, &names);
    assert_eq!(run.ids(), ["GO059"]);
    let f = run.finding("GO059");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("401") && msg.contains(&format!("has no machine line for {machine}")),
        "{msg}"
    );
    assert!(
        f["remediation"]
            .as_str()
            .unwrap()
            .contains(&format!("machine {machine} login USER password TOKEN")),
        "{f:#}"
    );
    assert_eq!(run.report["net_probe"]["logins"]["netrc_state"], "missing");

    // A wrong password: the finding points at the machine line, secret hidden.
    let netrc = write_netrc(
        &t,
        &format!("# corp\nmachine {machine}\n  login user password wrong-{SECRET}\n"),
    );
    let run = json(&t, &env, &names);
    assert_eq!(run.ids(), ["GO059"]);
    let f = run.finding("GO059");
    assert_eq!(f["location"]["file"], netrc.as_str(), "{f:#}");
    assert_eq!(f["location"]["line"], 2);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("refused the login of"),
        "{f:#}"
    );
    let (run, human) = probe(&t, &env, &names, "human");
    no_secret(&run, &human);

    // GOAUTH=off: netrc is not read; the finding names GOAUTH.
    let off = [
        env[0].clone(),
        env[1].clone(),
        ("GOAUTH", "off".to_string()),
    ];
    let run = json(&t, &off, &names);
    assert_eq!(run.ids(), ["GO059"]);
    assert_eq!(run.finding("GO059")["subject"], "go.env.GOAUTH");
    assert_eq!(run.report["net_probe"]["logins"]["netrc_state"], "not-used");
}

#[test]
fn goproxy_userinfo_goes_to_the_proxy_only_and_goauth_commands_never_run() {
    let t = trust();
    let (proxy_seen, sum_seen) = (seen(), seen());
    let proxy = servers::https_with(
        t.ca.leaf(&["proxy.test"], false),
        false,
        demanding(proxy_seen.clone(), None),
    );
    let sum = servers::https_with(
        t.ca.leaf(&["sum.test"], false),
        false,
        recording(sum_seen.clone()),
    );
    let marker = t.dir.path().join("goauth-ran");
    let env = [
        goproxy(&format!(
            "https://user:{SECRET}@proxy.test:{}",
            proxy.port()
        )),
        (
            "GOSUMDB",
            format!("sum.test+abc https://sum.test:{}", sum.port()),
        ),
        (
            "GOAUTH",
            format!("netrc; /usr/bin/touch {}", marker.display()),
        ),
    ];
    let names = [("proxy.test", proxy), ("sum.test", sum)];
    let run = json(&t, &env, &names);
    assert_eq!(
        run.ids(),
        Vec::<String>::new(),
        "{:#}",
        run.report["net_probe"]
    );
    assert!(
        proxy_seen
            .lock()
            .unwrap()
            .iter()
            .all(|a| a.as_deref() == Some(basic("user", SECRET).as_str()))
    );
    let sum_got = sum_seen.lock().unwrap().clone();
    assert!(
        !sum_got.is_empty() && sum_got.iter().all(Option::is_none),
        "{sum_got:?}"
    );
    assert!(!marker.exists(), "a GOAUTH command was run");
    let not_followed = run.report["net_probe"]["logins"]["not_followed"].to_string();
    assert!(
        not_followed.contains("/usr/bin/touch") && !not_followed.contains("goauth-ran"),
        "{not_followed}"
    );
    let (run, human) = probe(&t, &env, &names, "human");
    no_secret(&run, &human);

    // Userinfo over plain HTTP: the go command refuses to send it; so does the probe.
    let env = [goproxy(&format!(
        "http://user:{SECRET}@proxy.test:{}",
        proxy.port()
    ))];
    let run = json(&t, &env, &names);
    assert_eq!(run.ids(), ["GO059"]);
    assert!(
        run.finding("GO059")["message"]
            .as_str()
            .unwrap()
            .contains("refusing to pass credentials to insecure URL"),
    );
    let (run, human) = probe(&t, &env, &names, "human");
    no_secret(&run, &human);
}
