//! The CA certificates Go's crypto/x509 trusts on Linux, read the way it reads them.
//!
//! crypto/x509 (root_unix.go, root_linux.go) loads the first file of its list that it can
//! read (`SSL_CERT_FILE` replaces the list), then every file in its directories
//! (`SSL_CERT_DIR` replaces those). Only the bundle it loads is read in full and its
//! certificates' expiry checked; the others are only looked at. Other systems use the
//! platform verifier, so nothing is collected there.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use x509_parser::certificate::X509CertificateParser;
use x509_parser::nom::Parser;

use crate::host::{Host, TEXT_READ_LIMIT};
use crate::snapshot::{CertBundle, CertDir, LocalCa, TlsInfo};

/// crypto/x509's certFiles for Linux, in its order.
pub const GO_CERT_FILES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

/// crypto/x509's certDirectories for Linux.
pub const GO_CERT_DIRS: &[&str] = &["/etc/ssl/certs", "/etc/pki/tls/certs"];

/// Where administrators drop extra CAs: Debian's update-ca-certificates (`*.crt`, also
/// one directory down) and Fedora's update-ca-trust (any file).
const LOCAL_CA_DIRS: &[(&str, Option<&str>)] = &[
    ("/usr/local/share/ca-certificates", Some(".crt")),
    ("/etc/pki/ca-trust/source/anchors", None),
];

/// More local CA files than anyone installs; the rest are not looked at.
const MAX_LOCAL_CAS: usize = 256;

const PEM_BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const PEM_END: &str = "-----END CERTIFICATE-----";

pub fn collect(host: &dyn Host, os: &str, env: &BTreeMap<String, String>) -> TlsInfo {
    let checked_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let mut info = TlsInfo {
        checked_at,
        ..TlsInfo::default()
    };
    if os != "linux" {
        return info;
    }
    info.os_release = ["/etc/os-release", "/usr/lib/os-release"]
        .into_iter()
        .find(|p| host.symlink_metadata(Path::new(p)).is_ok())
        .map(str::to_string);
    let non_empty = |name: &str| env.get(name).filter(|v| !v.is_empty()).cloned();
    info.cert_file_env = non_empty("SSL_CERT_FILE");
    info.cert_dir_env = non_empty("SSL_CERT_DIR");

    let files: Vec<(String, &str)> = match &info.cert_file_env {
        Some(file) => vec![(file.clone(), "SSL_CERT_FILE")],
        None => GO_CERT_FILES
            .iter()
            .map(|f| (f.to_string(), "default"))
            .collect(),
    };
    let mut go_bodies: Vec<String> = Vec::new();
    for (path, source) in files {
        let (bundle, bodies) =
            examine_bundle(host, &path, source, info.go_bundle.is_none(), checked_at);
        if let Some(bodies) = bodies {
            info.go_bundle = Some(path.clone());
            go_bodies = bodies;
        }
        info.bundles.push(bundle);
    }

    let dirs: Vec<(String, &str)> = match &info.cert_dir_env {
        Some(list) => list
            .split(':')
            .filter(|d| !d.is_empty())
            .map(|d| (d.to_string(), "SSL_CERT_DIR"))
            .collect(),
        None => GO_CERT_DIRS
            .iter()
            .map(|d| (d.to_string(), "default"))
            .collect(),
    };
    info.dirs = dirs
        .into_iter()
        .map(|(path, source)| examine_dir(host, &path, source))
        .collect();
    info.local_cas = local_cas(host, &go_bodies, &info.dirs);
    info
}

/// Facts about one bundle path. When `load` is set and the file reads, it is the bundle
/// Go loads: its certificates are counted and checked, and their bodies returned.
fn examine_bundle(
    host: &dyn Host,
    path: &str,
    source: &str,
    load: bool,
    now: i64,
) -> (CertBundle, Option<Vec<String>>) {
    let p = Path::new(path);
    let mut bundle = CertBundle {
        path: path.to_string(),
        source: source.to_string(),
        ..CertBundle::default()
    };
    let meta = match host.metadata(p) {
        Ok(meta) => meta,
        Err(e) => {
            if e.kind() != io::ErrorKind::NotFound {
                bundle.exists = true;
                bundle.error = Some(e.to_string());
            }
            return (bundle, None);
        }
    };
    bundle.exists = true;
    bundle.is_file = meta.is_file;
    bundle.size = Some(meta.size);
    bundle.mtime = Some(meta.mtime);
    bundle.realpath = host.canonicalize(p).ok().map(|r| r.display().to_string());
    if !load || !meta.is_file {
        return (bundle, None);
    }
    bundle.truncated = meta.size > TEXT_READ_LIMIT;
    let text = match host.read_text(p) {
        Ok(text) => text,
        Err(e) => {
            bundle.error = Some(e.to_string());
            return (bundle, None);
        }
    };
    let blocks = pem_certificate_bodies(&text);
    let expiry = expiry_of(&blocks, now);
    bundle.certificates = Some(blocks.len());
    bundle.expired = Some(expiry.expired);
    bundle.unparsable = Some(expiry.unparsable);
    bundle.latest_not_after = expiry.latest_not_after;
    bundle.latest_not_after_date = expiry.latest_not_after.and_then(utc_date);
    // Kept as a list, not hashed: the drop-in CAs compared with it are few (most
    // machines have none), and hashing every body of the bundle (~200 KB) cost more
    // than their comparisons, which mostly stop at a length.
    (bundle, Some(blocks))
}

fn examine_dir(host: &dyn Host, path: &str, source: &str) -> CertDir {
    let mut dir = CertDir {
        path: path.to_string(),
        source: source.to_string(),
        ..CertDir::default()
    };
    match host.metadata(Path::new(path)) {
        Ok(meta) => {
            dir.exists = true;
            dir.is_dir = meta.is_dir;
        }
        Err(e) => {
            if e.kind() != io::ErrorKind::NotFound {
                dir.exists = true;
                dir.error = Some(e.to_string());
            }
            return dir;
        }
    }
    if dir.is_dir {
        match host.read_dir(Path::new(path)) {
            Ok(names) => dir.entries = names.len(),
            Err(e) => dir.error = Some(e.to_string()),
        }
    }
    dir
}

/// Extra CAs in the administrators' drop-in directories, compared with the bundle Go loads.
fn local_cas(host: &dyn Host, go_bodies: &[String], dirs: &[CertDir]) -> Vec<LocalCa> {
    let mut found = Vec::new();
    for (dir, suffix) in LOCAL_CA_DIRS {
        for path in candidate_files(host, dir, *suffix) {
            if found.len() >= MAX_LOCAL_CAS {
                return found;
            }
            found.push(local_ca(host, dir, &path, go_bodies, dirs));
        }
    }
    found
}

/// Files in `dir` (and, for Debian's directory, one level of subdirectories) with the
/// wanted suffix, sorted.
fn candidate_files(host: &dyn Host, dir: &str, suffix: Option<&str>) -> Vec<String> {
    let wanted = |name: &str| suffix.is_none_or(|s| name.ends_with(s));
    let mut files = Vec::new();
    for name in host.read_dir(Path::new(dir)).unwrap_or_default() {
        let path = format!("{dir}/{name}");
        let is_dir = host.is_dir(Path::new(&path));
        if is_dir && suffix.is_some() {
            for inner in host.read_dir(Path::new(&path)).unwrap_or_default() {
                if wanted(&inner) {
                    files.push(format!("{path}/{inner}"));
                }
            }
        } else if !is_dir && wanted(&name) {
            files.push(path);
        }
    }
    files
}

fn local_ca(
    host: &dyn Host,
    source_dir: &str,
    path: &str,
    go_bodies: &[String],
    dirs: &[CertDir],
) -> LocalCa {
    let p = Path::new(path);
    let mut ca = LocalCa {
        path: path.to_string(),
        source_dir: source_dir.to_string(),
        ..LocalCa::default()
    };
    let meta = match host.metadata(p) {
        Ok(meta) => meta,
        Err(e) => {
            ca.error = Some(e.to_string());
            return ca;
        }
    };
    ca.size = Some(meta.size);
    ca.mtime = Some(meta.mtime);
    if !meta.is_file {
        ca.error = Some("not a regular file".into());
        return ca;
    }
    match host.read_text(p) {
        Ok(text) => {
            let bodies = pem_certificate_bodies(&text);
            ca.certificates = bodies.len();
            ca.in_go_bundle = !bodies.is_empty() && bodies.iter().all(|b| go_bodies.contains(b));
        }
        Err(e) => ca.error = Some(e.to_string()),
    }
    let stem = p
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    ca.linked_as = dirs
        .iter()
        .filter(|d| d.is_dir)
        .flat_map(|d| ["pem", "crt"].map(|ext| format!("{}/{stem}.{ext}", d.path)))
        .find(|candidate| candidate != path && host.exists(Path::new(candidate)));
    ca
}

/// The base64 bodies of the PEM `CERTIFICATE` blocks in `text`, whitespace removed, so
/// the same certificate matches however it was wrapped. Other block types are skipped,
/// as crypto/x509's AppendCertsFromPEM skips them.
pub fn pem_certificate_bodies(text: &str) -> Vec<String> {
    let mut bodies = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line == PEM_BEGIN {
            current = Some(String::new());
        } else if line == PEM_END {
            if let Some(body) = current.take().filter(|b| !b.is_empty()) {
                bodies.push(body);
            }
        } else if let Some(body) = current.as_mut() {
            if line.starts_with("-----") {
                // Another block started before this one ended: drop the broken one.
                current = None;
            } else if !line.contains(':') {
                // Base64 lines hold no inner whitespace; trimming was enough.
                if line.bytes().any(|b| b.is_ascii_whitespace()) {
                    body.extend(line.chars().filter(|c| !c.is_whitespace()));
                } else {
                    body.push_str(line);
                }
            }
        }
    }
    bodies
}

#[derive(Debug, Default, PartialEq)]
struct Expiry {
    expired: usize,
    unparsable: usize,
    latest_not_after: Option<i64>,
}

/// How many certificates had expired at `now`, and the latest expiry of any.
fn expiry_of(bodies: &[String], now: i64) -> Expiry {
    let mut expiry = Expiry::default();
    for body in bodies {
        match not_after(body) {
            Some(not_after) => {
                if not_after < now {
                    expiry.expired += 1;
                }
                expiry.latest_not_after = expiry.latest_not_after.max(Some(not_after));
            }
            None => expiry.unparsable += 1,
        }
    }
    expiry
}

/// Seconds since the epoch as a UTC `YYYY-MM-DD`.
pub(crate) fn utc_date(seconds: i64) -> Option<String> {
    let time = x509_parser::time::ASN1Time::from_timestamp(seconds).ok()?;
    let date = time.to_datetime().date();
    Some(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

/// The notAfter of one certificate (base64 DER body), seconds since the epoch.
fn not_after(body: &str) -> Option<i64> {
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    // The body is decoded as it is (wrapping it in PEM markers again for a PEM parser
    // cost as much as decoding), as leniently as PEM readers are: padding optional,
    // stray low bits in the last character ignored.
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let der = LENIENT.decode(body).ok()?;
    // Extensions are not needed for the validity period; skipping them halves the cost.
    let mut parser = X509CertificateParser::new().with_deep_parse_extensions(false);
    let (_, cert) = parser.parse(&der).ok()?;
    Some(cert.validity().not_after.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Self-signed EC roots made for these tests: valid 2000–2099, and 2000–2010.
    pub const VALID_ROOT: &str = "-----BEGIN CERTIFICATE-----
MIIBVDCB+6ADAgECAhRpfienQR6VB43AVn62zybzoxoNATAKBggqhkjOPQQDAjAf
MR0wGwYDVQQDDBRlbnZnYXRlIGZpeHR1cmUgcm9vdDAgFw0wMDAxMDEwMDAwMDBa
GA8yMDk5MTIzMTAwMDAwMFowHzEdMBsGA1UEAwwUZW52Z2F0ZSBmaXh0dXJlIHJv
b3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATnEMepEO8u1AJF3MPa7Vm0ymju
+EC5sIEI43ts4IT4AQOw9UMUw0CP42BUQVow2A9TI++1u9KTE28FgxxORaeOoxMw
ETAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIDy0CRW7C6uSHuAG
X1OymRiw35S3f1Q4cXLxbWP1NDyGAiEAsQgaeJz7u8bIXeCu8c+mRx+UVjsBJ11h
FSX3EddQ9PU=
-----END CERTIFICATE-----
";
    pub const EXPIRED_ROOT: &str = "-----BEGIN CERTIFICATE-----
MIIBUjCB+aADAgECAhQjezm1YCpozoMdn6jhNizI/Pz38jAKBggqhkjOPQQDAjAf
MR0wGwYDVQQDDBRlbnZnYXRlIGV4cGlyZWQgcm9vdDAeFw0wMDAxMDEwMDAwMDBa
Fw0xMDAxMDEwMDAwMDBaMB8xHTAbBgNVBAMMFGVudmdhdGUgZXhwaXJlZCByb290
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEq8Vqm/WfUerKZCB13fDc0FyfrkeC
WxxeL/WqXhiJr9XtG4viBXkk/kBvH6rlr278gplCyixNV0xADwSvOjGJXaMTMBEw
DwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiBGUhZJ8UphPJwNOF37
0RRoewxdE5opyEojc38guygmrwIhAJ+Y3BAGAIDjUb1VTZdbQNSj497ZcXQKvsfo
F5nszjAg
-----END CERTIFICATE-----
";

    #[test]
    fn bodies_match_however_they_are_wrapped() {
        let bodies = pem_certificate_bodies(VALID_ROOT);
        assert_eq!(bodies.len(), 1);
        // The same certificate re-wrapped at 76 columns with CRLF line ends, in a
        // bundle with comments (Fedora's style) and another block type.
        let joined: String = bodies[0].clone();
        let rewrapped: Vec<String> = joined
            .as_bytes()
            .chunks(76)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        let bundle = format!(
            "# envgate fixture root\r\n{PEM_BEGIN}\r\n{}\r\n{PEM_END}\r\n-----BEGIN TRUSTED CERTIFICATE-----\nAAAA\n-----END TRUSTED CERTIFICATE-----\n{EXPIRED_ROOT}",
            rewrapped.join("\r\n")
        );
        let in_bundle = pem_certificate_bodies(&bundle);
        assert_eq!(in_bundle.len(), 2);
        assert_eq!(in_bundle[0], bodies[0]);
    }

    #[test]
    fn broken_and_junk_input_yields_no_certificates() {
        assert!(pem_certificate_bodies("").is_empty());
        assert!(pem_certificate_bodies(&format!("{PEM_BEGIN}\nAAAA\n")).is_empty());
        assert!(pem_certificate_bodies(&format!("{PEM_BEGIN}\n{PEM_END}\n")).is_empty());
        let junk = String::from_utf8_lossy(&[0xff, 0x00, 0xfe, b'\n', b'-']).into_owned();
        assert!(pem_certificate_bodies(&junk).is_empty());
    }

    #[test]
    fn expiry_is_read_from_the_certificates() {
        let mut bodies = pem_certificate_bodies(VALID_ROOT);
        bodies.extend(pem_certificate_bodies(EXPIRED_ROOT));
        bodies.push("bm90IGEgY2VydGlmaWNhdGU=".to_string());
        bodies.push("***".to_string());
        // 2024-01-01T00:00:00Z
        let expiry = expiry_of(&bodies, 1_704_067_200);
        assert_eq!(expiry.expired, 1);
        assert_eq!(expiry.unparsable, 2);
        // 2099-12-31T00:00:00Z
        assert_eq!(expiry.latest_not_after, Some(4_102_358_400));
        assert_eq!(
            not_after(&pem_certificate_bodies(EXPIRED_ROOT)[0]),
            Some(1_262_304_000)
        );
    }

    /// Every root of this machine's bundle gets the notAfter x509-parser's own PEM
    /// reader gives it (the body is decoded without it, for speed).
    #[test]
    fn the_system_bundle_reads_as_the_pem_parser_reads_it() {
        let Ok(text) = std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt") else {
            eprintln!("skipped: no /etc/ssl/certs/ca-certificates.crt on this machine");
            return;
        };
        let bodies = pem_certificate_bodies(&text);
        assert!(bodies.len() > 10, "{} certificates", bodies.len());
        for body in &bodies {
            let pem = format!("{PEM_BEGIN}\n{body}\n{PEM_END}\n");
            let (_, pem) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).unwrap();
            let (_, cert) = x509_parser::parse_x509_certificate(&pem.contents).unwrap();
            assert_eq!(
                not_after(body),
                Some(cert.validity().not_after.timestamp()),
                "{body}"
            );
        }
    }

    #[test]
    fn a_huge_binary_bundle_is_read_bounded_and_recorded() {
        use crate::host::ImageHost;
        let dir = tempfile::tempdir().unwrap();
        let certs = dir.path().join("etc/ssl/certs");
        std::fs::create_dir_all(&certs).unwrap();
        let mut junk: Vec<u8> = (0..3 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
        junk.extend_from_slice(VALID_ROOT.as_bytes());
        std::fs::write(certs.join("ca-certificates.crt"), junk).unwrap();
        let local = dir.path().join("usr/local/share/ca-certificates");
        std::fs::create_dir_all(local.join("nested.crt")).unwrap();
        std::fs::write(local.join("der.crt"), [0x30, 0x82, 0x01, 0x00]).unwrap();
        let host = ImageHost::new(dir.path()).unwrap();
        let info = collect(&host, "linux", &BTreeMap::new());
        let bundle = &info.bundles[0];
        assert!(bundle.truncated);
        // The certificate lies past the 1 MiB read: nothing usable was seen.
        assert_eq!(bundle.certificates, Some(0));
        assert_eq!(
            info.go_bundle.as_deref(),
            Some("/etc/ssl/certs/ca-certificates.crt")
        );
        assert_eq!(
            info.local_cas.len(),
            1,
            "a directory named *.crt is not a CA file"
        );
        assert_eq!(info.local_cas[0].certificates, 0);
        assert!(!info.local_cas[0].in_go_bundle);
        assert_eq!(info.dirs[0].entries, 1);
    }
}
