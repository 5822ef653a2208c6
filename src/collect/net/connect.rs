//! TCP connect with a timeout, and the HTTP CONNECT tunnel through a proxy (the way
//! Go's transport opens one: `CONNECT host:port`, with `Proxy-Authorization: Basic`
//! only when the proxy URL itself carries credentials, sent to that proxy only).

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use base64::Engine;

use super::http::ReadWrite;

/// Connects to the first address that answers, in resolver order (Go's dialer tries
/// them in turn too).
pub fn tcp(addrs: &[SocketAddr], timeout: Duration) -> Result<(TcpStream, SocketAddr), io::Error> {
    let mut last = io::Error::new(io::ErrorKind::NotFound, "no addresses");
    for addr in addrs {
        match TcpStream::connect_timeout(addr, timeout) {
            Ok(stream) => {
                stream.set_read_timeout(Some(timeout))?;
                stream.set_write_timeout(Some(timeout))?;
                let _ = stream.set_nodelay(true);
                return Ok((stream, *addr));
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// A failure's kind in the snapshot's words.
pub fn io_kind(e: &io::Error) -> &'static str {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => "timeout",
        io::ErrorKind::ConnectionRefused => "refused",
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => "unreachable",
        io::ErrorKind::ConnectionReset | io::ErrorKind::UnexpectedEof => "reset",
        _ => "io",
    }
}

pub enum ConnectFailure {
    Io(io::Error),
    /// The proxy answered this status to CONNECT.
    Status(u16, String),
    BadResponse(String),
}

/// `Proxy-Authorization` for a proxy URL's userinfo (percent-decoded, as Go does).
pub fn basic_auth(proxy: &url::Url) -> Option<String> {
    if proxy.username().is_empty() && proxy.password().is_none() {
        return None;
    }
    let decode = |s: &str| percent_decode(s);
    let user = decode(proxy.username());
    let pass = decode(proxy.password().unwrap_or(""));
    Some(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    ))
}

pub(super) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Opens the tunnel: `CONNECT authority`, then reads the proxy's answer head.
pub fn tunnel(
    stream: &mut dyn ReadWrite,
    authority: &str,
    auth: Option<&str>,
) -> Result<(), ConnectFailure> {
    let mut request = format!(
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: Go-http-client/1.1\r\n"
    );
    if let Some(auth) = auth {
        request.push_str(&format!("Proxy-Authorization: {auth}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(ConnectFailure::Io)?;
    let head = read_head(stream).map_err(ConnectFailure::Io)?;
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    match response.parse(&head) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => {
            return Err(ConnectFailure::BadResponse(
                "the proxy's answer to CONNECT is not HTTP".into(),
            ));
        }
    }
    let code = response.code.unwrap_or(0);
    if code == 200 {
        Ok(())
    } else {
        Err(ConnectFailure::Status(
            code,
            response.reason.unwrap_or("").to_string(),
        ))
    }
}

/// Bytes up to the blank line ending a response head, one at a time so nothing of the
/// tunnel's payload is consumed; bounded to 16 KB.
fn read_head(stream: &mut dyn ReadWrite) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16 * 1024 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the proxy's answer head is over 16 KB",
            ));
        }
        match stream.read(&mut byte)? {
            0 => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the proxy closed the connection without answering CONNECT",
                ));
            }
            _ => head.push(byte[0]),
        }
    }
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_decodes_userinfo() {
        let u = url::Url::parse("http://us%40er:p%3Ass@proxy:3128").unwrap();
        // "us@er:p:ss"
        assert_eq!(basic_auth(&u).unwrap(), "Basic dXNAZXI6cDpzcw==");
        assert!(basic_auth(&url::Url::parse("http://proxy:3128").unwrap()).is_none());
    }
}
