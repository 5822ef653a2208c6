//! `envgate audit`: judge one or more developer machine images that are not running,
//! for each of their users, in parallel, into one combined report.
//!
//! Nothing inside an image is executed: every image is read through an [`ImageHost`],
//! which refuses to run programs, and only the paths the collectors ask for are read.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::collect::{CollectOptions, collect};
use crate::error::Error;
use crate::host::{Host, PasswdEntry};
use crate::policy::engine::PolicySet;
use crate::report::{PackRef, Report};

/// Bumped when a field of the audit report changes meaning or disappears.
pub const AUDIT_SCHEMA_VERSION: u32 = 1;

/// Which accounts of each image to audit.
#[derive(Debug, Clone, Default)]
pub struct UserSelection {
    /// Exactly these accounts (an image lacking one reports it as an error).
    pub names: Vec<String>,
    /// Add root to the default selection.
    pub include_root: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct AuditReport {
    pub schema_version: u32,
    pub envgate_version: String,
    pub packs: Vec<PackRef>,
    pub summary: AuditSummary,
    /// One entry per image, in the order they were given.
    pub images: Vec<ImageAudit>,
    /// Waivers of the configuration that are expired, or stale across every report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<crate::report::WaiverNotice>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct AuditSummary {
    pub images: usize,
    /// Images that could not be audited (see their `error`).
    pub images_failed: usize,
    pub users: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Inputs of the audited users not read or not evaluated whole (each report's
    /// `inputs_not_read`): the checks judged without them.
    #[serde(default)]
    pub inputs_not_read: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ImageAudit {
    /// The root as given on the command line.
    pub root: String,
    /// Which system the root holds, in GOOS spelling: `linux`, `darwin` or `windows`;
    /// absent when it could not be opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    /// Why the image could not be audited, if it could not.
    pub error: Option<String>,
    /// One report per audited account, sorted by user name.
    pub users: Vec<Report>,
}

/// Audits every root with every selected user; never fails for one bad image.
pub fn audit(
    policies: &PolicySet,
    roots: &[PathBuf],
    selection: &UserSelection,
) -> Result<AuditReport, Error> {
    let results: Vec<Mutex<Option<Result<ImageAudit, Error>>>> =
        roots.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let workers = crate::parallel::cores().min(roots.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(root) = roots.get(index) else { break };
                    let outcome = audit_image(policies, root, selection);
                    if let Ok(mut slot) = results[index].lock() {
                        *slot = Some(outcome);
                    }
                }
            });
        }
    });

    let mut images = Vec::with_capacity(roots.len());
    for (slot, root) in results.into_iter().zip(roots) {
        let outcome = slot.into_inner().ok().flatten().unwrap_or_else(|| {
            Ok(failed(
                root,
                "the audit of this image did not finish".into(),
            ))
        });
        // Policy errors are the user's pack, not the image: they stop the run.
        images.push(outcome?);
    }
    let reports = || images.iter().flat_map(|i| &i.users);
    let summary = AuditSummary {
        images: images.len(),
        images_failed: images.iter().filter(|i| i.error.is_some()).count(),
        users: reports().count(),
        errors: reports().map(|r| r.summary.errors).sum(),
        warnings: reports().map(|r| r.summary.warnings).sum(),
        infos: reports().map(|r| r.summary.infos).sum(),
        inputs_not_read: reports().map(|r| r.inputs_not_read.len()).sum(),
    };
    Ok(AuditReport {
        schema_version: AUDIT_SCHEMA_VERSION,
        envgate_version: env!("CARGO_PKG_VERSION").to_string(),
        packs: policies.packs.iter().map(PackRef::from).collect(),
        summary,
        images,
        waivers: Vec::new(),
    })
}

fn failed(root: &Path, error: String) -> ImageAudit {
    ImageAudit {
        root: root.display().to_string(),
        os: None,
        error: Some(error),
        users: Vec::new(),
    }
}

fn audit_image(
    policies: &PolicySet,
    root: &Path,
    selection: &UserSelection,
) -> Result<ImageAudit, Error> {
    let host = match crate::host::open_image(root) {
        Ok(host) => host,
        Err(e) => return Ok(failed(root, format!("cannot open the image root: {e}"))),
    };
    let host = host.as_ref();
    let windows = host.exists(Path::new(crate::host::windows::SYSTEM_HIVE));
    let accounts = if windows {
        crate::host::windows::accounts(host)
    } else {
        match host.read_text(Path::new("/etc/passwd")) {
            Ok(text) => crate::host::accounts(host, &text),
            Err(e) => {
                return Ok(failed(
                    root,
                    format!("/etc/passwd cannot be read ({e}): is this a root filesystem?"),
                ));
            }
        }
    };
    if accounts.is_empty() {
        let why = if windows {
            "no profile under Users holds an NTUSER.DAT: is this a Windows volume?"
        } else {
            "/etc/passwd lists no account: is this a root filesystem?"
        };
        return Ok(failed(root, why.into()));
    }
    let users = match select_users(host, &accounts, selection, windows) {
        Ok(users) => users,
        Err(message) => return Ok(failed(root, message)),
    };
    let mut reports = Vec::with_capacity(users.len());
    let mut os = None;
    for user in users {
        let snapshot = collect(
            host,
            &CollectOptions {
                workspace: None,
                user: Some(user.name.clone()),
                probe: false,
                net: None,
            },
        )?;
        os = Some(snapshot.host.os.clone());
        reports.push(crate::evaluate(policies, &snapshot, Some(host))?);
    }
    Ok(ImageAudit {
        root: root.display().to_string(),
        os,
        error: None,
        users: reports,
    })
}

/// Shells that mean "this account does not log in".
const NO_LOGIN_SHELLS: &[&str] = &["nologin", "false", "sync", "halt", "shutdown"];

/// The default: every regular account (uid ≥ 1000) with an existing home directory
/// and a login shell, plus root when asked; `names` replaces the default.
fn select_users(
    host: &dyn Host,
    accounts: &[PasswdEntry],
    selection: &UserSelection,
    windows: bool,
) -> Result<Vec<PasswdEntry>, String> {
    let regular_uids = crate::host::regular_uids(host);
    let mut users: Vec<PasswdEntry> = if selection.names.is_empty() && windows {
        // Every profile with its own registry hive is a person's.
        accounts.to_vec()
    } else if selection.names.is_empty() {
        accounts
            .iter()
            .filter(|a| {
                let regular = regular_uids.contains(&a.uid)
                    && host.is_dir(Path::new(&a.home))
                    && !NO_LOGIN_SHELLS.iter().any(|s| a.shell.ends_with(s));
                regular || (selection.include_root && a.uid == 0)
            })
            .cloned()
            .collect()
    } else {
        let mut chosen = Vec::new();
        for name in &selection.names {
            match accounts.iter().find(|a| &a.name == name) {
                Some(account) => chosen.push(account.clone()),
                None if windows => return Err(format!("no profile {name} under Users")),
                None => return Err(format!("no user {name} in /etc/passwd")),
            }
        }
        chosen
    };
    users.sort_by(|a, b| a.name.cmp(&b.name));
    users.dedup_by(|a, b| a.name == b.name);
    if users.is_empty() {
        return Err("no regular account with a home directory and a login shell (name one with --user, or add root with --with-root)".into());
    }
    Ok(users)
}

/// Roots listed in a file, one per line; `#` starts a comment.
pub fn read_roots_file(path: &Path) -> Result<Vec<PathBuf>, Error> {
    // `--roots-from <(ls -d /mnt/*)` is a pipe: read as a stream, never waited on.
    let bytes = crate::regular::read_named(path, u64::MAX).map_err(|e| Error::read(path, e))?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(text
        .lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
        .map(PathBuf::from)
        .collect())
}
