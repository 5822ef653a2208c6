//! What the loopback probe tests share: the trusted CA and root files, the run of
//! `envgate doctor --probe net` with names mapped to loopback, and the report's parts.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use assert_cmd::Command;
use serde_json::Value;

use super::servers::{Ca, Handler};

pub const MODULE: &str = "example.com/mod";

/// The rules that judge the probe (GO061–GO065 and GO067 judge Windows and cgo).
pub const NET_RULES: &[&str] = &[
    "GO055", "GO056", "GO057", "GO058", "GO059", "GO060", "GO066", "GO068", "GO069",
];

pub struct Run {
    pub report: Value,
    pub stderr: String,
}

impl Run {
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .filter(|id| NET_RULES.contains(&id.as_str()))
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    pub fn finding(&self, id: &str) -> &Value {
        self.report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap_or_else(|| panic!("no {id} in {:#}", self.report["findings"]))
    }

    pub fn host(&self, url: &str) -> &Value {
        self.report["net_probe"]["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["url"] == url)
            .unwrap_or_else(|| panic!("no host {url} in {:#}", self.report["net_probe"]))
    }
}

/// The trusted CA and the files the probe reads roots from.
pub struct Trust {
    pub dir: tempfile::TempDir,
    pub ca: Ca,
}

pub fn trust() -> Trust {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new("Envgate Test Root CA");
    std::fs::write(dir.path().join("ca.pem"), &ca.pem).unwrap();
    std::fs::create_dir(dir.path().join("certs")).unwrap();
    Trust { dir, ca }
}

pub fn resolve_spec(names: &[(&str, SocketAddr)]) -> String {
    names
        .iter()
        // `name:port` moves that port to the server's; a bare name keeps the port.
        .map(|(n, a)| {
            if n.contains(':') {
                format!("{n}={a}")
            } else {
                format!("{n}={}", a.ip())
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

pub fn probe(
    trust: &Trust,
    env: &[(&str, String)],
    names: &[(&str, SocketAddr)],
    format: &str,
) -> (Run, String) {
    let home = trust.dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut cmd = Command::cargo_bin("envgate").unwrap();
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", &home)
        .env("SSL_CERT_FILE", trust.dir.path().join("ca.pem"))
        .env("SSL_CERT_DIR", trust.dir.path().join("certs"))
        .env("ENVGATE_TEST_RESOLVE", resolve_spec(names))
        .current_dir(&home)
        .args([
            "doctor",
            "--probe",
            "net",
            "--module",
            MODULE,
            "--probe-timeout",
            "1",
            "--no-color",
            "--format",
            format,
        ]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let report = if format == "json" {
        serde_json::from_str(&stdout).unwrap()
    } else {
        Value::Null
    };
    (Run { report, stderr }, stdout)
}

pub fn json(trust: &Trust, env: &[(&str, String)], names: &[(&str, SocketAddr)]) -> Run {
    probe(trust, env, names, "json").0
}

/// A module proxy that has MODULE (v1.2.0) and serves sum.golang.org's lookups.
pub fn healthy() -> Handler {
    Arc::new(|path: &str| match path {
        "/example.com/mod/@v/list" => (200, "v1.0.0\nv1.2.0\n".into()),
        "/sumdb/sum.golang.org/supported" => (200, String::new()),
        "/sumdb/sum.golang.org/lookup/example.com/mod@v1.2.0" => {
            (200, "1234\nexample.com/mod v1.2.0 h1:x\n".into())
        }
        _ => (404, format!("not found: {path}")),
    })
}

pub fn status(code: u16, body: &'static str) -> Handler {
    Arc::new(move |_: &str| (code, body.to_string()))
}

pub fn goproxy(list: &str) -> (&'static str, String) {
    ("GOPROXY", list.to_string())
}
