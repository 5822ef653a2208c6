//! Loopback servers for the `tests/net_probe*.rs` tests: an HTTPS module proxy
//! answering by path (or by path and request head, with headers), a plain-HTTP one, a
//! server that accepts and never answers, and HTTP, HTTPS and SOCKS5 proxies
//! (optionally demanding credentials) that only tunnel to the names they were given,
//! on loopback.
//! Certificates come from CAs made at test time with rcgen. Threads run until the
//! test process ends.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

pub struct Ca {
    pub pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl Ca {
    pub fn new(name: &str) -> Ca {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let cert = params.self_signed(&key).unwrap();
        Ca {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// A server certificate for `names`, expired when `expired`.
    pub fn leaf(
        &self,
        names: &[&str],
        expired: bool,
    ) -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>) {
        let key = KeyPair::generate().unwrap();
        let mut params =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .unwrap();
        params.distinguished_name.push(DnType::CommonName, names[0]);
        if expired {
            params.not_before = rcgen::date_time_ymd(2019, 1, 1);
            params.not_after = rcgen::date_time_ymd(2020, 1, 1);
        }
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        (
            vec![cert.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
    }
}

/// Binds on 127.0.0.1, or on [::1] when asked and available.
fn bind(v6: bool) -> TcpListener {
    if v6 && let Ok(l) = TcpListener::bind("[::1]:0") {
        return l;
    }
    TcpListener::bind("127.0.0.1:0").unwrap()
}

/// The request line's path of a head read from `stream`, or None.
fn read_head(stream: &mut dyn Read) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16384 || stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

pub type Handler = Arc<dyn Fn(&str) -> (u16, String) + Send + Sync>;

/// An HTTPS server presenting `cert`; `handler` maps a request path to an answer.
pub fn https(
    cert: (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>),
    v6: bool,
    handler: Handler,
) -> SocketAddr {
    https_with(
        cert,
        v6,
        Arc::new(move |path: &str, _: &str| {
            let (status, body) = handler(path);
            (status, Vec::new(), body)
        }),
    )
}

/// The request's whole head (request line and headers) to an answer with headers.
pub type FullHandler =
    Arc<dyn Fn(&str, &str) -> (u16, Vec<(String, String)>, String) + Send + Sync>;

/// An HTTPS server whose handler sees the request's path and head and sets headers.
pub fn https_with(
    cert: (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>),
    v6: bool,
    handler: FullHandler,
) -> SocketAddr {
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = Arc::new(
        ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(cert.0, cert.1)
            .unwrap(),
    );
    let listener = bind(v6);
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let config = config.clone();
            let handler = handler.clone();
            std::thread::spawn(move || {
                let conn = ServerConnection::new(config).unwrap();
                let mut tls = StreamOwned::new(conn, tcp);
                let Some(head) = read_head(&mut tls) else {
                    return;
                };
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (status, headers, body) = handler(&path, &head);
                let mut answer = format!("HTTP/1.1 {status} X\r\n");
                for (name, value) in headers {
                    answer.push_str(&format!("{name}: {value}\r\n"));
                }
                answer.push_str(&format!(
                    "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                ));
                let _ = tls.write_all(answer.as_bytes());
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    addr
}

/// The value of header `name` in a request head, if present.
pub fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Accepts connections and never answers (holds them until the client gives up).
pub fn silent() -> SocketAddr {
    let listener = bind(false);
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for tcp in listener.incoming().flatten() {
            held.push(tcp);
        }
    });
    addr
}

/// A port on which nothing listens.
pub fn closed_port() -> SocketAddr {
    let listener = bind(false);
    listener.local_addr().unwrap()
}

/// An HTTP CONNECT proxy tunnelling to the names of `targets` only; with `auth`, it
/// answers 407 unless `Proxy-Authorization` is exactly that.
pub fn connect_proxy(targets: BTreeMap<String, SocketAddr>, auth: Option<String>) -> SocketAddr {
    let listener = bind(false);
    let addr = listener.local_addr().unwrap();
    let targets = Arc::new(targets);
    std::thread::spawn(move || {
        for mut client in listener.incoming().flatten() {
            let targets = targets.clone();
            let auth = auth.clone();
            std::thread::spawn(move || {
                let Some(head) = read_head(&mut client) else {
                    return;
                };
                let authority = head.split_whitespace().nth(1).unwrap_or("").to_string();
                if let Some(auth) = &auth {
                    let given = head
                        .lines()
                        .find_map(|l| l.strip_prefix("Proxy-Authorization: "))
                        .map(str::trim);
                    if given != Some(auth.as_str()) {
                        let _ = client.write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\n\r\n");
                        return;
                    }
                }
                let Some(target) = targets.get(&authority) else {
                    let _ =
                        client.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
                    return;
                };
                let Ok(server) = TcpStream::connect(target) else {
                    let _ =
                        client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
                    return;
                };
                let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                let (mut c2, mut s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let (mut c1, mut s1) = (client, server);
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut c2, &mut s2);
                    let _ = s2.shutdown(std::net::Shutdown::Write);
                });
                let _ = std::io::copy(&mut s1, &mut c1);
                let _ = c1.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    addr
}

/// A plain-HTTP server (no TLS) whose handler sees the path and head.
pub fn http_plain(handler: FullHandler) -> SocketAddr {
    let listener = bind(false);
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut tcp in listener.incoming().flatten() {
            let handler = handler.clone();
            std::thread::spawn(move || {
                let Some(head) = read_head(&mut tcp) else {
                    return;
                };
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (status, headers, body) = handler(&path, &head);
                let mut answer = format!("HTTP/1.1 {status} X\r\n");
                for (name, value) in headers {
                    answer.push_str(&format!("{name}: {value}\r\n"));
                }
                answer.push_str(&format!(
                    "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                ));
                let _ = tcp.write_all(answer.as_bytes());
            });
        }
    });
    addr
}

/// Copies both ways between a client stream that cannot be split (TLS) and `server`,
/// polling each with a short read timeout, until either side closes.
fn pump(client: &mut dyn ReadWriteTimeout, server: TcpStream) {
    let mut server = server;
    let _ = server.set_read_timeout(Some(std::time::Duration::from_millis(5)));
    client.short_timeouts();
    let mut buf = [0u8; 16384];
    loop {
        let mut moved = false;
        match client.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                if server.write_all(&buf[..n]).is_err() {
                    return;
                }
                moved = true;
            }
            Err(e) if is_wait(&e) => {}
            Err(_) => return,
        }
        match server.read(&mut buf) {
            Ok(0) => {
                let _ = client.flush();
                return;
            }
            Ok(n) => {
                if client.write_all(&buf[..n]).is_err() {
                    return;
                }
                let _ = client.flush();
                moved = true;
            }
            Err(e) if is_wait(&e) => {}
            Err(_) => return,
        }
        if !moved {
            std::thread::yield_now();
        }
    }
}

fn is_wait(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

pub trait ReadWriteTimeout: Read + Write {
    fn short_timeouts(&mut self);
}

impl ReadWriteTimeout for TcpStream {
    fn short_timeouts(&mut self) {
        let _ = self.set_read_timeout(Some(std::time::Duration::from_millis(5)));
    }
}

impl ReadWriteTimeout for StreamOwned<ServerConnection, TcpStream> {
    fn short_timeouts(&mut self) {
        let _ = self
            .sock
            .set_read_timeout(Some(std::time::Duration::from_millis(5)));
    }
}

/// An HTTPS proxy: TLS with `cert`, then CONNECT to the names of `targets` only
/// (407 unless `Proxy-Authorization` is `auth`, when given).
pub fn https_connect_proxy(
    cert: (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>),
    targets: BTreeMap<String, SocketAddr>,
    auth: Option<String>,
) -> SocketAddr {
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = Arc::new(
        ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(cert.0, cert.1)
            .unwrap(),
    );
    let listener = bind(false);
    let addr = listener.local_addr().unwrap();
    let targets = Arc::new(targets);
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let (config, targets, auth) = (config.clone(), targets.clone(), auth.clone());
            std::thread::spawn(move || {
                let conn = ServerConnection::new(config).unwrap();
                let mut tls = StreamOwned::new(conn, tcp);
                let Some(head) = read_head(&mut tls) else {
                    return;
                };
                let authority = head.split_whitespace().nth(1).unwrap_or("").to_string();
                if let Some(auth) = &auth
                    && header(&head, "proxy-authorization") != Some(auth.as_str())
                {
                    let _ = tls.write_all(
                        b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n",
                    );
                    return;
                }
                let Some(server) = targets
                    .get(&authority)
                    .and_then(|t| TcpStream::connect(t).ok())
                else {
                    let _ = tls.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
                    return;
                };
                let _ = tls.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                let _ = tls.flush();
                pump(&mut tls, server);
            });
        }
    });
    addr
}

/// A SOCKS5 proxy that connects to the names of `targets` only (reply 4, host
/// unreachable, for any other: the name is "resolved" here, never by the client);
/// with `login`, it demands username/password (RFC 1929). Each request's target,
/// as sent, is recorded in `asked`.
pub fn socks5_proxy(
    targets: BTreeMap<String, SocketAddr>,
    login: Option<(String, String)>,
    asked: Arc<std::sync::Mutex<Vec<String>>>,
) -> SocketAddr {
    let listener = bind(false);
    let addr = listener.local_addr().unwrap();
    let targets = Arc::new(targets);
    std::thread::spawn(move || {
        for mut client in listener.incoming().flatten() {
            let (targets, login, asked) = (targets.clone(), login.clone(), asked.clone());
            std::thread::spawn(move || {
                let mut b = [0u8; 2];
                if client.read_exact(&mut b).is_err() || b[0] != 5 {
                    return;
                }
                let mut methods = vec![0u8; b[1] as usize];
                let _ = client.read_exact(&mut methods);
                let want = if login.is_some() { 2 } else { 0 };
                if !methods.contains(&want) {
                    let _ = client.write_all(&[5, 0xff]);
                    return;
                }
                let _ = client.write_all(&[5, want]);
                if let Some((user, password)) = &login {
                    let mut v = [0u8; 2];
                    let _ = client.read_exact(&mut v);
                    let mut u = vec![0u8; v[1] as usize];
                    let _ = client.read_exact(&mut u);
                    let mut l = [0u8; 1];
                    let _ = client.read_exact(&mut l);
                    let mut p = vec![0u8; l[0] as usize];
                    let _ = client.read_exact(&mut p);
                    let ok = u == user.as_bytes() && p == password.as_bytes();
                    let _ = client.write_all(&[1, if ok { 0 } else { 1 }]);
                    if !ok {
                        return;
                    }
                }
                let mut head = [0u8; 4];
                if client.read_exact(&mut head).is_err() {
                    return;
                }
                let host = match head[3] {
                    3 => {
                        let mut l = [0u8; 1];
                        let _ = client.read_exact(&mut l);
                        let mut name = vec![0u8; l[0] as usize];
                        let _ = client.read_exact(&mut name);
                        String::from_utf8_lossy(&name).into_owned()
                    }
                    1 => {
                        let mut ip = [0u8; 4];
                        let _ = client.read_exact(&mut ip);
                        std::net::Ipv4Addr::from(ip).to_string()
                    }
                    _ => return,
                };
                let mut port = [0u8; 2];
                let _ = client.read_exact(&mut port);
                let authority = format!("{host}:{}", u16::from_be_bytes(port));
                asked.lock().unwrap().push(authority.clone());
                let Some(server) = targets
                    .get(&authority)
                    .and_then(|t| TcpStream::connect(t).ok())
                else {
                    let _ = client.write_all(&[5, 4, 0, 1, 0, 0, 0, 0, 0, 0]);
                    return;
                };
                let _ = client.write_all(&[5, 0, 0, 1, 127, 0, 0, 1, 0, 0]);
                pump(&mut client, server);
            });
        }
    });
    addr
}
