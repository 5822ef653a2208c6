//! One HTTP/1.1 GET over a stream the probe opened itself. Why not an HTTP client
//! crate: the probe must own every layer to say which one broke (its own DNS, TCP,
//! CONNECT and TLS steps, with a resolver override for the loopback tests), and the
//! small clients (ureq, minreq) hide those layers behind one call. What is left is
//! writing a request line and reading an answer; the answer's head is parsed by
//! `httparse`.

use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

/// Bound on an answer read (a module list or @latest JSON is far smaller).
const BODY_LIMIT: usize = 256 * 1024;

pub struct Response {
    pub status: u16,
    /// Header names lower-cased, values as text (lossy), in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `target` is the request target: a path, or an absolute URL for a plain-HTTP proxy.
pub fn get(
    stream: &mut dyn ReadWrite,
    host_header: &str,
    target: &str,
    extra_headers: &[(String, String)],
    timeout: Duration,
) -> io::Result<Response> {
    let mut request = format!(
        "GET {target} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: Go-http-client/1.1\r\nAccept-Encoding: identity\r\nConnection: close\r\n"
    );
    for (name, value) in extra_headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    stream.flush()?;
    let deadline = Instant::now() + timeout * 2;
    let mut data = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if Instant::now() > deadline {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the answer did not end in time",
            ));
        }
        let n = match stream.read(&mut chunk) {
            Ok(n) => n,
            // A TLS peer that closes without close_notify: what was read is the answer.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof && !data.is_empty() => 0,
            Err(e) => return Err(e),
        };
        if n == 0 {
            break;
        }
        data.extend_from_slice(&chunk[..n]);
        if data.len() > BODY_LIMIT {
            break;
        }
        if let Some(done) = complete(&data) {
            data.truncate(done);
            break;
        }
    }
    parse(&data)
}

pub trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

/// The length of a complete answer in `data`, when its Content-Length says so
/// (a server keeping the connection open despite `Connection: close`).
fn complete(data: &[u8]) -> Option<usize> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    let httparse::Status::Complete(head) = response.parse(data).ok()? else {
        return None;
    };
    let length = response
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
        .and_then(|h| {
            std::str::from_utf8(h.value)
                .ok()?
                .trim()
                .parse::<usize>()
                .ok()
        })?;
    (data.len() >= head + length).then_some(head + length)
}

fn parse(data: &[u8]) -> io::Result<Response> {
    let bad = |m: &str| io::Error::new(io::ErrorKind::InvalidData, m.to_string());
    if data.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the server closed the connection without answering",
        ));
    }
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    let head = match response.parse(data) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err(bad("the answer's head is incomplete")),
        Err(_) => return Err(bad("the answer is not HTTP")),
    };
    let chunked = response.headers.iter().any(|h| {
        h.name.eq_ignore_ascii_case("transfer-encoding")
            && String::from_utf8_lossy(h.value)
                .to_ascii_lowercase()
                .contains("chunked")
    });
    let raw = &data[head..];
    let body = if chunked { dechunk(raw) } else { raw.to_vec() };
    Ok(Response {
        status: response.code.unwrap_or(0),
        headers: response
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_ascii_lowercase(),
                    String::from_utf8_lossy(h.value).trim().to_string(),
                )
            })
            .collect(),
        body,
    })
}

/// A chunked body as far as it is complete.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = raw.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&raw[..end]);
        let Ok(size) = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
        else {
            break;
        };
        if size == 0 {
            break;
        }
        let start = end + 2;
        let stop = (start + size).min(raw.len());
        out.extend_from_slice(&raw[start..stop]);
        if stop + 2 > raw.len() {
            break;
        }
        raw = &raw[stop + 2..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_chunked_answers() {
        let r = parse(b"HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnot").unwrap();
        assert_eq!((r.status, r.body.as_slice()), (404, &b"not"[..]));
        let r = parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").unwrap();
        assert_eq!(r.body, b"abcde");
        assert!(parse(b"").is_err());
        assert!(parse(b"garbage\r\n\r\n").is_err());
    }
}
