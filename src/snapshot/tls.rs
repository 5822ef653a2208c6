//! The TLS section: the CA certificates Go's crypto/x509 would trust on this machine.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct TlsInfo {
    /// `SSL_CERT_FILE` from the environment, when set: crypto/x509 then reads only that
    /// file instead of its own list.
    pub cert_file_env: Option<String>,
    /// `SSL_CERT_DIR` from the environment, when set (a `:`-separated list replacing the
    /// default directories).
    pub cert_dir_env: Option<String>,
    /// The bundle files crypto/x509 tries, in its order (`SSL_CERT_FILE` alone when set,
    /// else Go's Linux list). It loads the first one it can read.
    pub bundles: Vec<CertBundle>,
    /// The directories crypto/x509 reads every file of, after the bundle.
    pub dirs: Vec<CertDir>,
    /// The bundle crypto/x509 loads: the first of `bundles` that reads; absent when none does.
    pub go_bundle: Option<String>,
    /// CA certificates an administrator added locally (`/usr/local/share/ca-certificates`,
    /// `/etc/pki/ca-trust/source/anchors`), each with whether Go would see it.
    pub local_cas: Vec<LocalCa>,
    /// The time the certificates' expiry was compared with (seconds since the epoch).
    pub checked_at: i64,
    /// `/etc/os-release` (else `/usr/lib/os-release`) when the root has one: the sign
    /// that an image is an operating system installation with a trust store to judge,
    /// not a bare directory tree.
    pub os_release: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct CertBundle {
    pub path: String,
    /// `SSL_CERT_FILE` or `default` (crypto/x509's built-in list).
    pub source: String,
    pub exists: bool,
    /// A regular file (after symlinks); a directory or device is never read.
    pub is_file: bool,
    /// Symlinks resolved (inside the image for image mode).
    pub realpath: Option<String>,
    /// Size in bytes.
    pub size: Option<u64>,
    /// Last modification, seconds since the epoch.
    pub mtime: Option<i64>,
    /// PEM `CERTIFICATE` blocks in the file (as far as it was read); only counted for the
    /// bundle Go loads (`go_bundle`), absent for the others.
    pub certificates: Option<usize>,
    /// Certificates whose notAfter is before `checked_at`; only counted for the bundle Go
    /// loads (`go_bundle`), absent for the others.
    pub expired: Option<usize>,
    /// Certificates that could not be decoded (bad base64 or DER); `go_bundle` only.
    pub unparsable: Option<usize>,
    /// The latest notAfter of any certificate in it (seconds since the epoch); `go_bundle` only.
    pub latest_not_after: Option<i64>,
    /// `latest_not_after` as a UTC date, `YYYY-MM-DD`.
    pub latest_not_after_date: Option<String>,
    /// The file is larger than envgate reads (1 MiB); counts cover the part read.
    pub truncated: bool,
    /// Why it could not be read, when it exists but could not.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct CertDir {
    pub path: String,
    /// `SSL_CERT_DIR` or `default`.
    pub source: String,
    pub exists: bool,
    pub is_dir: bool,
    /// Names in the directory (crypto/x509 tries every one as PEM).
    pub entries: usize,
    /// Why it could not be listed, when it exists but could not.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct LocalCa {
    pub path: String,
    /// The directory it was found in.
    pub source_dir: String,
    /// PEM `CERTIFICATE` blocks in it.
    pub certificates: usize,
    /// Every certificate of it appears (same base64 body) in `go_bundle`.
    pub in_go_bundle: bool,
    /// A file of the same name (`<stem>.pem`, `<stem>.crt`) in one of crypto/x509's
    /// directories, which Go also reads (Debian's update-ca-certificates links one there).
    pub linked_as: Option<String>,
    pub size: Option<u64>,
    pub mtime: Option<i64>,
    /// Why it could not be read.
    pub error: Option<String>,
}
