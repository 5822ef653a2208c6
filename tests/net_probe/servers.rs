//! Loopback servers for `tests/net_probe.rs`: an HTTPS module proxy answering by path,
//! a server that accepts and never answers, and an HTTP CONNECT proxy (optionally
//! demanding credentials) that only tunnels to the names it was given, on loopback.
//! Certificates come from CAs made at test time with rcgen. Threads run until the
//! test process ends.

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
