//! Temp files of killed runs. A run killed while writing `-o FILE` (SIGKILL, the OOM
//! killer, Ctrl-C) leaves its `.envgate-<pid>-<random>.tmp` beside the file, as large
//! as the report got. The next write to that directory removes the ones that are
//! certainly abandoned:
//!
//! - the name is this scheme's, with a process id, and it is a regular file owned by
//!   this user (never a link, never someone else's file);
//! - no process with that id is alive: a live one may still be writing it;
//! - it has not been modified for [`ABANDONED_AFTER`]. A process id means nothing
//!   across machines or PID namespaces (a directory shared over NFS or between
//!   containers), where a writer's id looks dead; but a writer modifies its temp file
//!   every 64 KiB, and a report is written in seconds.
//!
//! Temp files named by envgate before the process id was part of the name have no id
//! to check and are left alone.

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::{Duration, SystemTime};

const TEMP_PREFIX: &str = ".envgate-";
pub(super) const TEMP_SUFFIX: &str = ".tmp";

/// How long an abandoned temp file has gone unmodified before it is removed.
pub(super) const ABANDONED_AFTER: Duration = Duration::from_secs(120);

/// The start of this process's temp file names: `.envgate-<pid>-`.
pub(super) fn temp_prefix() -> String {
    format!("{TEMP_PREFIX}{}-", std::process::id())
}

/// Removes the abandoned temp files in `dir`. Best effort: a directory that cannot be
/// listed, or a file that cannot be removed, is left as it is, and the write goes on.
pub(super) fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    // SAFETY: geteuid has no preconditions and cannot fail.
    let uid = unsafe { libc::geteuid() };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_pid) else {
            continue;
        };
        // Not followed: a link is not a temp file this scheme made.
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        let idle = meta
            .modified()
            .ok()
            .and_then(|modified| now.duration_since(modified).ok());
        if meta.is_file()
            && meta.uid() == uid
            && idle.is_some_and(|idle| idle >= ABANDONED_AFTER)
            && !alive(pid)
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a temp file name of this scheme: `.envgate-<pid>-<random>.tmp`.
fn temp_pid(name: &str) -> Option<libc::pid_t> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    let (pid, random) = rest.split_once('-')?;
    if random.is_empty() || !random.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok().filter(|&pid| pid > 0)
}

/// Whether a process with this id exists here. `kill(pid, 0)` sends nothing; EPERM
/// means it exists but belongs to someone else.
fn alive(pid: libc::pid_t) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    let result = unsafe { libc::kill(pid, 0) };
    result == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The id of a process that has exited and been reaped.
    fn dead_pid() -> libc::pid_t {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id() as libc::pid_t;
        child.wait().unwrap();
        assert!(!alive(pid));
        pid
    }

    fn temp(dir: &Path, pid: libc::pid_t, random: &str, idle: Duration) -> std::path::PathBuf {
        let path = dir.join(format!("{TEMP_PREFIX}{pid}-{random}{TEMP_SUFFIX}"));
        let file = std::fs::File::create(&path).unwrap();
        file.set_modified(SystemTime::now() - idle).unwrap();
        path
    }

    #[test]
    fn names_of_this_scheme_carry_a_pid() {
        assert_eq!(temp_pid(".envgate-4242-x1Y2z3.tmp"), Some(4242));
        assert_eq!(
            temp_pid(&format!("{}abc.tmp", temp_prefix())).map(|p| p as u32),
            Some(std::process::id())
        );
        for other in [
            ".envgate-x1Y2z3.tmp",
            ".envgate-4242-.tmp",
            ".envgate-0-abc.tmp",
            ".envgate--abc.tmp",
            ".envgate-42-a/b.tmp",
            "envgate-42-abc.tmp",
            ".envgate-42-abc.json",
            ".envgate-99999999999999-abc.tmp",
        ] {
            assert_eq!(temp_pid(other), None, "{other}");
        }
    }

    #[test]
    fn only_old_temp_files_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let old = ABANDONED_AFTER + Duration::from_secs(60);
        let dead = dead_pid();
        let abandoned = temp(dir.path(), dead, "Ab12cD", old);
        let recent = temp(dir.path(), dead, "Ef34gH", Duration::ZERO);
        let running = temp(dir.path(), std::process::id() as libc::pid_t, "Ij56kL", old);
        let legacy = dir.path().join(".envgate-x1Y2z3.tmp");
        std::fs::write(&legacy, "x").unwrap();
        let report = dir.path().join("report.json");
        std::fs::write(&report, "x").unwrap();
        // A link with the scheme's name is not removed, nor what it points at.
        let link = dir
            .path()
            .join(format!("{TEMP_PREFIX}{dead}-Link00{TEMP_SUFFIX}"));
        std::os::unix::fs::symlink(&report, &link).unwrap();

        remove_stale_temps(dir.path());

        assert!(!abandoned.exists());
        for kept in [&recent, &running, &legacy, &report, &link] {
            assert!(
                std::fs::symlink_metadata(kept).is_ok(),
                "{} was removed",
                kept.display()
            );
        }
    }
}
