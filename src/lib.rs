//! envgate: a declarative policy-as-code checker for developer environments.
//!
//! The flow runs one way: a [`host::Host`] is collected into a [`snapshot::Snapshot`],
//! the policy packs judge it ([`policy::engine::PolicySet`]), the findings are resolved
//! into a [`report::Report`], and a renderer turns that into text. The library never
//! prints; `main.rs` is a thin CLI around it.

// An `Error` carries the policy or snapshot source for its diagnostic; it is built at
// most once per run, on the way out, so its size on the error path does not matter.
#![allow(clippy::result_large_err)]

pub mod audit;
pub mod binary;
pub mod collect;
pub mod commands;
pub mod config;
pub mod conftest;
pub mod error;
pub mod escape;
pub mod excerpt;
pub mod files;
pub mod fix;
pub mod gomod;
pub mod host;
pub mod output;
pub mod parallel;
pub mod policy;
pub mod redact;
pub mod regular;
pub mod render;
pub mod report;
pub mod shell;
pub mod snapshot;
pub mod timings;

use std::path::{Path, PathBuf};

use error::{Error, offset_of};
use host::Host;
use policy::engine::PolicySet;
use report::Report;
use snapshot::Snapshot;

/// The built-in packs plus the user's policy directories, compiled once.
pub fn load_policies(extra_dirs: &[PathBuf]) -> Result<PolicySet, Error> {
    load_policies_where(extra_dirs, |_| true)
}

/// The packs that can judge a machine: all but those that read nothing but
/// `input.files`, which a machine check without files would compile for nothing.
pub fn load_machine_policies(extra_dirs: &[PathBuf]) -> Result<PolicySet, Error> {
    load_policies_where(extra_dirs, keeps_machine_pack)
}

/// Like [`load_policies`], with only the packs whose use of the input `keep` accepts
/// (a built-in pack refused is not even built): a files-only check loads just the
/// packs that judge files, which more than halves a pre-commit hook's start-up.
pub fn load_policies_where(
    extra_dirs: &[PathBuf],
    keep: impl Fn(policy::input_use::InputUse) -> bool,
) -> Result<PolicySet, Error> {
    load_packs(extra_dirs, keep, None, None, false)
}

/// The packs of a machine check (see [`load_machine_policies`]): `keep` for
/// [`load_policies_configured`].
pub fn keeps_machine_pack(input_use: policy::input_use::InputUse) -> bool {
    !input_use.only_files
}

/// The packs of a file check: those that read `input.files`. `keep` for
/// [`load_policies_configured`].
pub fn keeps_file_pack(input_use: policy::input_use::InputUse) -> bool {
    input_use.reads_files
}

/// Like [`load_policies_where`], narrowed by a configuration file first (its packs,
/// pins and severities, see [`config::LoadedConfig::select_packs`]); its extra policy
/// directories are expected in `extra_dirs` already. `kubernetes_version` (the flag)
/// wins over the config's `kubernetes-version:`.
pub fn load_policies_configured(
    extra_dirs: &[PathBuf],
    keep: impl Fn(policy::input_use::InputUse) -> bool,
    config: Option<(&config::LoadedConfig, &config::redirects::Redirects)>,
    kubernetes_version: Option<&config::KubernetesVersion>,
) -> Result<PolicySet, Error> {
    load_packs(extra_dirs, keep, config, kubernetes_version, true)
}

/// The packs, and with `for_a_run` only the rules a run judges: opt-in rules
/// (`custom.opt_in`) are kept for listing, `explain` and `verify`, and run only when a
/// configuration gives them a severity.
fn load_packs(
    extra_dirs: &[PathBuf],
    keep: impl Fn(policy::input_use::InputUse) -> bool,
    config: Option<(&config::LoadedConfig, &config::redirects::Redirects)>,
    kubernetes_version: Option<&config::KubernetesVersion>,
    for_a_run: bool,
) -> Result<PolicySet, Error> {
    let mut packs = policy::builtin_packs_where(&keep)?;
    for dir in extra_dirs {
        let user_packs = policy::load_dir(dir)?;
        for pack in user_packs {
            if let Some(existing) = packs.iter().find(|p| p.name == pack.name) {
                return Err(Error::PolicyContract {
                    message: format!(
                        "pack `{}` from {} has the same name as the one from {}",
                        pack.name, pack.origin, existing.origin
                    ),
                    help: "give the pack in manifest.yaml a name of its own".into(),
                    src: None,
                    span: None,
                });
            }
            packs.push(pack);
        }
    }
    match config {
        Some((config, redirects)) => config.select_packs(&mut packs, redirects)?,
        // Opt-in rules run only when a configuration gives them a severity.
        None if for_a_run => packs
            .iter_mut()
            .for_each(|pack| pack.rules.retain(|rule| !rule.opt_in)),
        None => {}
    }
    // The flag wins over the config file.
    let config_version = config.and_then(|(c, _)| c.config.kubernetes_version.as_ref());
    if let Some(version) = kubernetes_version.or(config_version) {
        set_kubernetes_version(&mut packs, version);
    }
    packs.retain(|pack| keep(pack.input_use));
    PolicySet::compile(packs)
}

/// Runs `load` (compiling the packs) on another core while `collect` (reading the
/// machine) runs on this one: each takes a few milliseconds, and one after the other
/// they were most of a doctor run. A third thread makes the redactor ready
/// (`redact::prepare`), which collecting needs soon: on two cores the three finish
/// sooner than with the patterns behind the packs. An error of `load` wins over one of `collect`,
/// as when they ran in that order.
pub fn load_while_collecting<T>(
    load: impl FnOnce() -> Result<PolicySet, Error> + Send,
    collect: impl FnOnce() -> Result<T, Error>,
) -> Result<(PolicySet, T), Error> {
    let (loaded, collected) = std::thread::scope(|scope| {
        // Collecting needs the redactor soon, and waits for it rather than preparing it
        // a second time.
        scope.spawn(redact::prepare);
        let loading = scope.spawn(load);
        let collected = collect();
        let loaded = loading
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (loaded, collected)
    });
    Ok((loaded?, collected?))
}

/// Sets the Kubernetes release the k8s pack judges API versions against (K8S018's
/// `data.pack_data.k8s.kubernetes_version`); `--kubernetes-version` and the config's
/// `kubernetes-version:` land here. Packs other than `k8s` are untouched.
pub fn set_kubernetes_version(packs: &mut [policy::Pack], version: &config::KubernetesVersion) {
    for pack in packs.iter_mut().filter(|p| p.name == "k8s") {
        if let Some(data) = pack.data.as_object_mut() {
            data.insert("kubernetes_version".into(), version.0.clone().into());
        }
    }
}

/// Judges a snapshot. `host` is where the snapshot was taken, used to show the
/// offending lines of files; `None` (a saved snapshot) shows locations without them.
pub fn evaluate(
    policies: &PolicySet,
    snapshot: &Snapshot,
    host: Option<&dyn Host>,
) -> Result<Report, Error> {
    let input = serde_json::to_value(snapshot).map_err(|e| Error::BadInput {
        message: format!("snapshot does not serialize: {e}"),
        help: None,
        src: None,
        span: None,
    })?;
    let raw = policies.evaluate(&input, snapshot.mode)?;
    timings::mark("evaluate");
    Ok(report::resolve(policies, snapshot, raw, host))
}

/// The project directory a doctor, check or snapshot judges must exist on the host
/// (inside the image for `--root`): a typo would otherwise pass every go.mod check
/// by finding no go.mod. A file is refused too: "the directory holding it" is a
/// guess about what was meant.
pub fn require_project_dir(host: &dyn Host, dir: &Path) -> Result<(), Error> {
    let problem = match host.metadata(dir) {
        Ok(meta) if meta.is_dir => return Ok(()),
        Ok(_) => "is not a directory",
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => "does not exist",
        Err(_) => "cannot be read",
    };
    Err(Error::BadInput {
        // Debug formatting quotes the path and escapes control characters.
        message: format!("project directory {dir:?} {problem}"),
        help: Some(
            "name the directory that holds go.mod or go.work (with --root: a path inside the image)"
                .into(),
        ),
        src: None,
        span: None,
    })
}

/// An image check found no user to check (`snapshot.host.user` is empty): says why.
/// An `/etc/passwd` that cannot be read (a directory, a FIFO, missing) is named with
/// its error, not reported as a user it does not list.
pub fn require_image_user(
    host: &dyn Host,
    snapshot: &Snapshot,
    user: Option<&str>,
) -> Result<(), Error> {
    if host.root().is_none() || snapshot.host.user.is_some() {
        return Ok(());
    }
    if host.exists(std::path::Path::new(crate::host::windows::SYSTEM_HIVE)) {
        return Err(Error::BadInput {
            message: match user {
                Some(name) => format!("no Windows profile {name:?} with an NTUSER.DAT under Users"),
                None => "no Windows profile with an NTUSER.DAT under Users".into(),
            },
            help: Some("name a profile directory of <root>/Users with --user".into()),
            src: None,
            span: None,
        });
    }
    let passwd = std::path::Path::new("/etc/passwd");
    let shown = host
        .root()
        .map(|r| r.join("etc/passwd"))
        .unwrap_or(passwd.into());
    let (message, help) = match host.read_text(passwd) {
        Err(error) => (
            format!("the image's /etc/passwd ({shown:?}) cannot be read: {error}"),
            "--root takes a root filesystem whose etc/passwd is a readable regular file listing its accounts",
        ),
        Ok(text) if crate::host::accounts(host, &text).is_empty() => (
            format!("the image's /etc/passwd ({shown:?}) lists no account"),
            "--root takes a root filesystem whose etc/passwd lists its accounts",
        ),
        Ok(_) => (
            match user {
                Some(name) => format!("no such user {name:?} in the image's /etc/passwd"),
                None => "no such user in the image's /etc/passwd: no regular account with a home directory, and no root".into(),
            },
            "name an account listed in <root>/etc/passwd with --user",
        ),
    };
    Err(Error::BadInput {
        message,
        help: Some(help.into()),
        src: None,
        span: None,
    })
}

/// Reads a snapshot saved by `envgate snapshot -o FILE`.
pub fn read_snapshot(path: &Path) -> Result<Snapshot, Error> {
    let text = crate::regular::read_named(path, u64::MAX)
        .and_then(|bytes| {
            String::from_utf8(bytes)
                .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "is not UTF-8"))
        })
        .map_err(|e| Error::read(path, e))?;
    let snapshot: Snapshot = serde_json::from_str(&text).map_err(|e| {
        let offset = offset_of(&text, e.line(), e.column());
        let (src, span) = excerpt::Excerpt::around(path.display().to_string(), &text, offset);
        Error::BadInput {
            message: format!("{} is not an envgate snapshot: {e}", path.display()),
            help: Some("create one with `envgate snapshot -o FILE`".into()),
            src,
            span,
        }
    })?;
    if snapshot.schema_version != snapshot::SCHEMA_VERSION {
        return Err(Error::BadInput {
            message: format!(
                "{} has snapshot schema version {}, this envgate reads version {}",
                path.display(),
                snapshot.schema_version,
                snapshot::SCHEMA_VERSION
            ),
            help: Some("take the snapshot again with this version of envgate".into()),
            src: None,
            span: None,
        });
    }
    let mut snapshot = snapshot;
    redact::redact_saved_snapshot(&mut snapshot).map_err(Error::redacted)?;
    Ok(snapshot)
}

/// JSON Schemas generated from the types; the files in `schemas/` are checked against
/// these in the tests, so the documented schema can never drift from the code.
pub mod schema {
    pub fn snapshot() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(crate::snapshot::Snapshot))
            .expect("schema serializes")
    }

    pub fn audit() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(crate::audit::AuditReport))
            .expect("schema serializes")
    }

    pub fn config() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(crate::config::Config))
            .expect("schema serializes")
    }

    pub fn fix() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(crate::fix::output::FixOutput))
            .expect("schema serializes")
    }

    pub fn fix_undo() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(crate::fix::output::UndoOutput))
            .expect("schema serializes")
    }

    pub fn report() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(crate::report::Report))
            .expect("schema serializes")
    }
}
