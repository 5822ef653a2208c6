//! Name resolution the way the go command's resolver sees it on Linux: the system
//! resolver (getaddrinfo, which reads /etc/hosts first, then the nameservers of
//! /etc/resolv.conf), run on a thread so a hung lookup ends at the timeout.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::mpsc;
use std::time::Duration;

/// Names mapped to loopback addresses, used instead of the system resolver: the
/// loopback tests set `ENVGATE_TEST_RESOLVE=name=127.0.0.1,other=::1`. Any other
/// name does not resolve then, and addresses that are not loopback are dropped, so a
/// test can never reach past the machine. `name:443=127.0.0.1:40443` also moves a
/// port (a module's own server is asked on 443, which a test cannot bind).
pub const TEST_RESOLVE_VAR: &str = "ENVGATE_TEST_RESOLVE";

#[derive(Debug, Clone)]
pub enum Resolver {
    System,
    Loopback(BTreeMap<String, Vec<SocketAddr>>),
}

impl Resolver {
    pub fn from_env(env: &BTreeMap<String, String>) -> Self {
        let Some(spec) = env.get(TEST_RESOLVE_VAR) else {
            return Resolver::System;
        };
        let mut map: BTreeMap<String, Vec<SocketAddr>> = BTreeMap::new();
        for pair in spec.split(',') {
            let Some((name, to)) = pair.split_once('=') else {
                continue;
            };
            let to = to.trim();
            // Port 0: keep the port asked for.
            let addr = to.parse::<SocketAddr>().ok().or_else(|| {
                to.trim_matches(['[', ']'])
                    .parse::<IpAddr>()
                    .ok()
                    .map(|ip| SocketAddr::new(ip, 0))
            });
            if let Some(addr) = addr
                && addr.ip().is_loopback()
            {
                map.entry(name.trim().to_lowercase())
                    .or_default()
                    .push(addr);
            }
        }
        Resolver::Loopback(map)
    }

    pub fn is_test(&self) -> bool {
        matches!(self, Resolver::Loopback(_))
    }
}

pub enum Failure {
    NoSuchHost(String),
    Timeout,
}

pub fn resolve(
    resolver: &Resolver,
    name: &str,
    port: u16,
    timeout: Duration,
) -> Result<Vec<SocketAddr>, Failure> {
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        if resolver.is_test() && !ip.is_loopback() {
            return Err(Failure::NoSuchHost(
                "the test resolver refuses addresses that are not loopback".into(),
            ));
        }
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    match resolver {
        Resolver::Loopback(map) => {
            let name = name.to_lowercase();
            match map
                .get(&format!("{name}:{port}"))
                .or_else(|| map.get(&name))
            {
                Some(addrs) => Ok(addrs
                    .iter()
                    .map(|a| match a.port() {
                        0 => SocketAddr::new(a.ip(), port),
                        _ => *a,
                    })
                    .collect()),
                None => Err(Failure::NoSuchHost("no such host".into())),
            }
        }
        Resolver::System => {
            let (send, receive) = mpsc::channel();
            let query = format!("{name}:{port}");
            // A lookup that never returns leaves this thread behind; the probe ends anyway.
            std::thread::spawn(move || {
                let _ = send.send(query.to_socket_addrs().map(Vec::from_iter));
            });
            match receive.recv_timeout(timeout) {
                Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
                Ok(Ok(_)) => Err(Failure::NoSuchHost("no addresses".into())),
                Ok(Err(e)) => Err(Failure::NoSuchHost(e.to_string())),
                Err(_) => Err(Failure::Timeout),
            }
        }
    }
}

/// `nameserver` addresses of a resolv.conf text, in order.
pub fn nameservers(resolv_conf: &str) -> Vec<String> {
    resolv_conf
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some("nameserver")).then(|| words.next().map(str::to_string))?
        })
        .collect()
}

/// Whether a hosts-file text names `name` (its own line decides the lookup).
pub fn in_hosts_file(hosts: &str, name: &str) -> bool {
    hosts.lines().any(|line| {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        words.next().is_some() && words.any(|w| w.eq_ignore_ascii_case(name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_resolv_conf_and_hosts() {
        assert_eq!(
            nameservers("# c\nnameserver 10.0.0.2\nsearch x\nnameserver ::1\n"),
            ["10.0.0.2", "::1"]
        );
        assert!(in_hosts_file(
            "127.0.0.1 localhost proxy.corp # x\n",
            "PROXY.corp"
        ));
        assert!(!in_hosts_file("# 127.0.0.1 proxy.corp\n", "proxy.corp"));
    }

    #[test]
    fn the_test_resolver_keeps_only_loopback() {
        let env = BTreeMap::from([(
            TEST_RESOLVE_VAR.to_string(),
            "a=127.0.0.1,b=10.0.0.1,c=[::1],d:443=127.0.0.1:4443,e:443=10.0.0.1:1".to_string(),
        )]);
        let r = Resolver::from_env(&env);
        let t = Duration::from_secs(1);
        assert!(resolve(&r, "a", 1, t).is_ok());
        assert!(resolve(&r, "b", 1, t).is_err());
        assert!(resolve(&r, "c", 1, t).is_ok());
        assert!(resolve(&r, "8.8.8.8", 1, t).is_err());
        assert_eq!(
            resolve(&r, "d", 443, t).ok().unwrap(),
            ["127.0.0.1:4443".parse::<SocketAddr>().unwrap()]
        );
        assert!(resolve(&r, "d", 80, t).is_err());
        assert!(resolve(&r, "e", 443, t).is_err());
    }
}
