//! This machine.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{DirEntry, Host, Meta, RunError, RunOutput, RunRequest};
use crate::snapshot::Mode;

/// This machine, seen with a given environment.
///
/// The environment is captured once (or given, in tests) rather than read from the
/// process each time, so a run sees one consistent environment.
pub struct LiveHost {
    env: BTreeMap<String, String>,
    allow_exec: bool,
}

impl LiveHost {
    /// This machine with this process's environment.
    pub fn from_process(allow_exec: bool) -> Self {
        let env = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        Self { env, allow_exec }
    }

    /// This machine with an explicit environment (tests, `--env` style callers).
    pub fn with_env(env: BTreeMap<String, String>, allow_exec: bool) -> Self {
        Self { env, allow_exec }
    }
}

pub(super) fn meta_from_std(m: &std::fs::Metadata) -> Meta {
    Meta {
        is_dir: m.is_dir(),
        is_file: m.is_file(),
        is_symlink: m.file_type().is_symlink(),
        mode: m.mode() & 0o7777,
        uid: m.uid(),
        gid: m.gid(),
        size: m.len(),
        mtime: m.mtime(),
    }
}

pub(super) fn sorted_entries(dir: &Path) -> io::Result<Vec<DirEntry>> {
    let mut entries: Vec<DirEntry> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| DirEntry::new(dir, &e.file_name()))
        .collect();
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}

impl Host for LiveHost {
    fn mode(&self) -> Mode {
        Mode::Live
    }

    fn root(&self) -> Option<&Path> {
        None
    }

    fn process_env(&self) -> Option<&BTreeMap<String, String>> {
        Some(&self.env)
    }

    fn metadata(&self, path: &Path) -> io::Result<Meta> {
        std::fs::metadata(path).map(|m| meta_from_std(&m))
    }

    fn symlink_metadata(&self, path: &Path) -> io::Result<Meta> {
        std::fs::symlink_metadata(path).map(|m| meta_from_std(&m))
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }

    fn dir_entries(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        sorted_entries(path)
    }

    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        crate::regular::read_limited(crate::regular::open(path)?, limit)
    }

    fn open(&self, path: &Path) -> io::Result<std::fs::File> {
        crate::regular::open(path)
    }

    fn may_run(&self) -> bool {
        self.allow_exec
    }

    fn run(&self, request: &RunRequest<'_>) -> Result<RunOutput, RunError> {
        if !self.allow_exec {
            return Err(RunError::NotAllowed("--no-exec"));
        }
        // A neutral working directory: no go.mod or go.work above it can change what
        // the toolchain does, and it is removed afterwards.
        let fresh = tempfile::tempdir()?;
        let workdir = request.workdir.unwrap_or(fresh.path());
        let mut child = Command::new(request.program)
            .args(request.args)
            .env_clear()
            .envs(request.env)
            .current_dir(workdir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        // Drain both pipes on their own threads so a chatty child cannot block on a
        // full pipe while we wait for it to exit.
        let stdout = child.stdout.take().map(drain);
        let stderr = child.stderr.take().map(drain);
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if started.elapsed() >= request.timeout {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunError::TimedOut(request.timeout));
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let collect = |h: Option<std::thread::JoinHandle<String>>| {
            h.and_then(|h| h.join().ok()).unwrap_or_default()
        };
        Ok(RunOutput {
            status: status.code(),
            stdout: collect(stdout),
            stderr: collect(stderr),
        })
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe
            .by_ref()
            .take(super::TEXT_READ_LIMIT)
            .read_to_end(&mut bytes);
        // Keep reading (and discarding) so the child never blocks on a full pipe.
        let _ = io::copy(&mut pipe, &mut io::sink());
        String::from_utf8_lossy(&bytes).into_owned()
    })
}
