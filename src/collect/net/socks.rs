//! A SOCKS5 CONNECT over an open connection to the proxy, as Go's transport does it
//! for `socks5://` and `socks5h://` proxies (net/http's bundled x/net/internal/socks):
//! methods "no authentication" and, when the proxy URL has a user, username/password
//! (RFC 1929); the target sent by name (the proxy resolves it, for socks5 as for
//! socks5h) or as an IP address. Why not a crate: the blocking `socks` crate opens its
//! own TCP connection without a timeout (the probe must own its DNS and TCP steps and
//! their timeouts) and has had no release since 2022; the others are async.

use std::io;
use std::net::IpAddr;

use super::http::ReadWrite;

pub enum Failure {
    Io(io::Error),
    /// The proxy accepts none of the offered methods (it wants a login the URL lacks).
    NoAcceptableMethod {
        offered_login: bool,
    },
    /// The username/password sub-negotiation failed.
    LoginRefused,
    /// The CONNECT reply's code.
    Reply(u8),
    Bad(String),
}

pub fn reply_text(code: u8) -> &'static str {
    match code {
        1 => "general SOCKS server failure",
        2 => "connection not allowed by ruleset",
        3 => "network unreachable",
        4 => "host unreachable",
        5 => "connection refused",
        6 => "TTL expired",
        7 => "command not supported",
        8 => "address type not supported",
        _ => "unknown error",
    }
}

fn read_exact(stream: &mut dyn ReadWrite, n: usize) -> Result<Vec<u8>, Failure> {
    let mut buf = vec![0u8; n];
    stream.read_exact(&mut buf).map_err(Failure::Io)?;
    Ok(buf)
}

/// Negotiates and asks the proxy to connect to `host:port`.
pub fn connect(
    stream: &mut dyn ReadWrite,
    host: &str,
    port: u16,
    login: Option<(&str, &str)>,
) -> Result<(), Failure> {
    let methods: &[u8] = if login.is_some() {
        &[0x00, 0x02]
    } else {
        &[0x00]
    };
    let mut hello = vec![5u8, methods.len() as u8];
    hello.extend_from_slice(methods);
    stream.write_all(&hello).map_err(Failure::Io)?;
    let chosen = read_exact(stream, 2)?;
    if chosen[0] != 5 {
        return Err(Failure::Bad(format!(
            "the proxy does not speak SOCKS5 (version byte {})",
            chosen[0]
        )));
    }
    match (chosen[1], login) {
        (0x00, _) => {}
        (0x02, Some((user, password))) => {
            if user.is_empty() || user.len() > 255 || password.len() > 255 {
                return Err(Failure::Bad("invalid username/password".into()));
            }
            let mut auth = vec![1u8, user.len() as u8];
            auth.extend_from_slice(user.as_bytes());
            auth.push(password.len() as u8);
            auth.extend_from_slice(password.as_bytes());
            stream.write_all(&auth).map_err(Failure::Io)?;
            let status = read_exact(stream, 2)?;
            if status[1] != 0 {
                return Err(Failure::LoginRefused);
            }
        }
        _ => {
            return Err(Failure::NoAcceptableMethod {
                offered_login: login.is_some(),
            });
        }
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let mut request = vec![5u8, 1, 0];
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => {
            request.push(1);
            request.extend_from_slice(&ip.octets());
        }
        Ok(IpAddr::V6(ip)) => {
            request.push(4);
            request.extend_from_slice(&ip.octets());
        }
        Err(_) => {
            if bare.len() > 255 {
                return Err(Failure::Bad("FQDN too long".into()));
            }
            request.push(3);
            request.push(bare.len() as u8);
            request.extend_from_slice(bare.as_bytes());
        }
    }
    request.extend_from_slice(&port.to_be_bytes());
    stream.write_all(&request).map_err(Failure::Io)?;
    stream.flush().map_err(Failure::Io)?;
    let head = read_exact(stream, 4)?;
    if head[0] != 5 {
        return Err(Failure::Bad("the proxy's reply is not SOCKS5".into()));
    }
    if head[1] != 0 {
        return Err(Failure::Reply(head[1]));
    }
    let rest = match head[3] {
        1 => 4,
        4 => 16,
        3 => read_exact(stream, 1)?[0] as usize,
        other => return Err(Failure::Bad(format!("unknown address type {other}"))),
    };
    read_exact(stream, rest + 2)?;
    Ok(())
}
