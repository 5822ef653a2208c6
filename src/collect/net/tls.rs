//! The TLS handshake, verified the way Go verifies it on Linux: against the roots
//! crypto/x509 loads (the first readable file of SSL_CERT_FILE or its list, then every
//! file of SSL_CERT_DIR or its directories), with rustls and webpki. The server's
//! certificate is kept whether or not it verifies, so a failure names its issuer
//! (the TLS-intercepting proxy's CA), its expiry and the names it is valid for.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore,
    SignatureScheme, StreamOwned,
};
use rustls_pki_types::pem::PemObject;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

use super::http::ReadWrite;
use crate::collect::tls::{GO_CERT_DIRS, GO_CERT_FILES};
use crate::snapshot::TlsFacts;

/// Bound on one root file (Debian's bundle is ~220 KB).
const ROOT_FILE_LIMIT: u64 = 8 * 1024 * 1024;

/// The roots Go would trust, and the files they came from.
pub struct Roots {
    pub store: Arc<RootCertStore>,
    pub files: Vec<String>,
}

pub fn go_roots(env: &BTreeMap<String, String>) -> Roots {
    let mut store = RootCertStore::empty();
    let mut files = Vec::new();
    let candidates: Vec<String> = match env.get("SSL_CERT_FILE").filter(|v| !v.is_empty()) {
        Some(file) => vec![file.clone()],
        None => GO_CERT_FILES.iter().map(|s| s.to_string()).collect(),
    };
    for file in candidates {
        if let Ok(data) = crate::regular::read_named(Path::new(&file), ROOT_FILE_LIMIT) {
            add_pem(&mut store, &data);
            files.push(file);
            break;
        }
    }
    let dirs: Vec<String> = match env.get("SSL_CERT_DIR").filter(|v| !v.is_empty()) {
        Some(dirs) => dirs.split(':').map(str::to_string).collect(),
        None => GO_CERT_DIRS.iter().map(|s| s.to_string()).collect(),
    };
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let before = store.len();
        let mut names: Vec<_> = entries.flatten().collect();
        names.sort_by_key(|e| e.file_name());
        for entry in names {
            let path = entry.path();
            // readUniqueDirectoryEntries: a link to a file of the same directory is a
            // duplicate (c_rehash's hash names).
            if let Ok(target) = std::fs::read_link(&path)
                && !target.to_string_lossy().contains('/')
            {
                continue;
            }
            if let Ok(data) = crate::regular::read_named(&path, ROOT_FILE_LIMIT) {
                add_pem(&mut store, &data);
            }
        }
        if store.len() > before {
            files.push(format!("{dir}/"));
        }
    }
    Roots {
        store: Arc::new(store),
        files,
    }
}

fn add_pem(store: &mut RootCertStore, data: &[u8]) {
    let certs = CertificateDer::pem_slice_iter(data).flatten();
    store.add_parsable_certificates(certs);
}

/// Keeps the certificate the server presented, then lets webpki judge it.
#[derive(Debug)]
struct Recording {
    inner: Arc<WebPkiServerVerifier>,
    seen: Arc<Mutex<Option<Vec<u8>>>>,
    /// GOINSECURE: accept any certificate (signatures are still checked), keeping
    /// what verification said.
    skip: Option<Arc<Mutex<Option<rustls::Error>>>>,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some(end_entity.to_vec());
        }
        let verdict =
            self.inner
                .verify_server_cert(end_entity, intermediates, server_name, ocsp, now);
        match (&self.skip, verdict) {
            (Some(kept), Err(e)) => {
                if let Ok(mut kept) = kept.lock() {
                    *kept = Some(e);
                }
                Ok(ServerCertVerified::assertion())
            }
            (_, verdict) => verdict,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

pub type TlsStream = StreamOwned<ClientConnection, Box<dyn ReadWrite>>;

pub struct Failure {
    pub kind: &'static str,
    pub message: String,
}

/// Handshakes over `tcp` for `host`; `facts` gets what was learned either way.
/// With `skip_verify` (GOINSECURE), any certificate is accepted and `facts.unverified`
/// says what verification would have said.
pub fn handshake(
    roots: &Roots,
    host: &str,
    tcp: Box<dyn ReadWrite>,
    facts: &mut TlsFacts,
    skip_verify: bool,
) -> Result<TlsStream, Failure> {
    // ring's provider lacks the post-quantum key exchange (hence deprecated); what is
    // diagnosed here (reachability, the certificate) does not depend on the group, and
    // ring builds with the C compiler alone where aws-lc-rs needs more.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let inner = WebPkiServerVerifier::builder_with_provider(roots.store.clone(), provider.clone())
        .build()
        .map_err(|e| Failure {
            kind: "no-roots",
            message: format!("no root certificate could be loaded ({e})"),
        })?;
    let seen = Arc::new(Mutex::new(None));
    let skip = skip_verify.then(|| Arc::new(Mutex::new(None)));
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Failure {
            kind: "tls-other",
            message: e.to_string(),
        })?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Recording {
            inner,
            seen: seen.clone(),
            skip: skip.clone(),
        }))
        .with_no_client_auth();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let name = ServerName::try_from(bare.to_string()).map_err(|e| Failure {
        kind: "tls-other",
        message: format!("{bare:?} is not a valid server name: {e}"),
    })?;
    // Go sends no SNI for an IP address either.
    facts.sni = match &name {
        ServerName::DnsName(d) => d.as_ref().to_string(),
        _ => String::new(),
    };
    let conn = ClientConnection::new(Arc::new(config), name).map_err(|e| Failure {
        kind: "tls-other",
        message: e.to_string(),
    })?;
    let mut stream = StreamOwned::new(conn, tcp);
    let result = loop {
        if !stream.conn.is_handshaking() {
            break Ok(());
        }
        if let Err(e) = stream.conn.complete_io(&mut stream.sock) {
            break Err(e);
        }
    };
    if let Some(der) = seen.lock().ok().and_then(|s| s.clone()) {
        describe_certificate(&der, facts);
    }
    if let Some(kept) = &skip {
        let error = kept.lock().ok().and_then(|mut k| k.take());
        facts.unverified = Some(match error {
            None => "would pass".to_string(),
            Some(e) => {
                let wrapped = io::Error::new(io::ErrorKind::InvalidData, e);
                classify(&wrapped, facts).message
            }
        });
    }
    match result {
        Ok(()) => {
            facts.version = stream.conn.protocol_version().map(|v| match v {
                rustls::ProtocolVersion::TLSv1_3 => "TLS 1.3".to_string(),
                rustls::ProtocolVersion::TLSv1_2 => "TLS 1.2".to_string(),
                other => format!("{other:?}"),
            });
            Ok(stream)
        }
        Err(e) => Err(classify(&e, facts)),
    }
}

fn classify(e: &io::Error, facts: &TlsFacts) -> Failure {
    let tls_error = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    let issuer = facts.issuer.as_deref().unwrap_or("an unnamed issuer");
    match tls_error {
        Some(rustls::Error::InvalidCertificate(cert)) => match cert {
            CertificateError::UnknownIssuer => Failure {
                kind: "unknown-authority",
                message: format!(
                    "certificate signed by unknown authority {issuer:?}, not in {}",
                    if facts.roots.is_empty() {
                        "any root file (none could be read)".to_string()
                    } else {
                        facts.roots.join(" or ")
                    }
                ),
            },
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => Failure {
                kind: "expired",
                message: format!(
                    "certificate has expired (not valid after {})",
                    facts.not_after.as_deref().unwrap_or("?")
                ),
            },
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                Failure {
                    kind: "not-yet-valid",
                    message: "certificate is not valid yet (is the clock right?)".into(),
                }
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                Failure {
                    kind: "hostname-mismatch",
                    message: format!(
                        "certificate is valid for {}, not {}",
                        if facts.names.is_empty() {
                            "no names".to_string()
                        } else {
                            facts.names.join(", ")
                        },
                        if facts.sni.is_empty() { "this address" } else { &facts.sni }
                    ),
                }
            }
            other => Failure {
                kind: "bad-certificate",
                message: format!("the certificate was refused: {other:?}"),
            },
        },
        Some(other) => Failure {
            kind: "tls-other",
            message: format!("TLS handshake failed: {other}"),
        },
        None => match e.kind() {
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Failure {
                kind: "timeout",
                message: "the server accepted the connection but did not answer the TLS handshake".into(),
            },
            io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset => Failure {
                kind: "reset",
                message: "the connection was closed during the TLS handshake (a firewall or a proxy that does not speak TLS here?)".into(),
            },
            _ => Failure {
                kind: "tls-other",
                message: format!("TLS handshake failed: {e}"),
            },
        },
    }
}

fn describe_certificate(der: &[u8], facts: &mut TlsFacts) {
    let Ok((_, cert)) = X509Certificate::from_der(der) else {
        return;
    };
    let name_of = |name: &x509_parser::x509::X509Name<'_>| {
        name.iter_common_name()
            .next()
            .and_then(|cn| cn.as_str().ok().map(str::to_string))
            .unwrap_or_else(|| name.to_string())
    };
    facts.subject = Some(name_of(cert.subject()));
    facts.issuer = Some(name_of(cert.issuer()));
    facts.not_after = crate::collect::tls::utc_date(cert.validity().not_after.timestamp());
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(d) => facts.names.push(d.to_string()),
                GeneralName::IPAddress(bytes) => {
                    let ip = match bytes.len() {
                        4 => <[u8; 4]>::try_from(*bytes)
                            .ok()
                            .map(|b| std::net::IpAddr::from(b).to_string()),
                        16 => <[u8; 16]>::try_from(*bytes)
                            .ok()
                            .map(|b| std::net::IpAddr::from(b).to_string()),
                        _ => None,
                    };
                    facts.names.extend(ip);
                }
                _ => {}
            }
        }
    }
}
