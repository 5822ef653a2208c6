//! The mount table and the mount that holds Go's temporary directory.
//!
//! `go run` and `go test` build a binary under GOTMPDIR (default TMPDIR, default /tmp)
//! and execute it from there, so a `noexec` mount there breaks them. Live, the kernel's
//! table (`/proc/mounts`) is authoritative; an image only has `/etc/fstab`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::host::Host;
use crate::snapshot::{GoEnvValue, Mode, MountEntry, MountsInfo, TmpDirMount};

/// More entries than any real table has; the rest of a runaway file is ignored.
const MAX_ENTRIES: usize = 4096;

pub fn collect(
    host: &dyn Host,
    go_env: &BTreeMap<String, GoEnvValue>,
    env: &BTreeMap<String, String>,
) -> MountsInfo {
    let sources: &[&str] = match host.mode() {
        Mode::Live => &["/proc/mounts", "/etc/fstab"],
        Mode::Image => &["/etc/fstab"],
    };
    let mut info = MountsInfo::default();
    for source in sources {
        match read_table(host, source) {
            Ok(Some(text)) => {
                info.source = Some(source.to_string());
                info.entries = parse_table(&text);
                break;
            }
            Ok(None) => {}
            Err(error) => {
                info.error.get_or_insert(format!("{source}: {error}"));
            }
        }
    }
    info.go_tmp_dir = Some(tmp_dir(host, go_env, env, &info.entries));
    info.home_mount = env.get("HOME").and_then(|home| {
        let real = host.canonicalize(Path::new(home)).ok();
        let real = real.map(|p| p.display().to_string());
        holding_mount(&info.entries, real.as_deref().unwrap_or(home))
    });
    info
}

/// The table's text; `None` when the file does not exist. Only regular files are read
/// (procfs files are regular, with size 0), so a FIFO or device can never block the run.
fn read_table(host: &dyn Host, path: &str) -> Result<Option<String>, String> {
    let path = Path::new(path);
    let meta = match host.metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    if !meta.is_file {
        return Err("not a regular file".into());
    }
    host.read_text(path).map(Some).map_err(|e| e.to_string())
}

/// Parses fstab(5) / proc mounts lines: `device mountpoint type options [dump pass]`.
/// Comments, blank lines and lines with fewer than four fields are skipped.
pub fn parse_table(text: &str) -> Vec<MountEntry> {
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() < 4 {
                return None;
            }
            let options: Vec<String> = fields[3].split(',').map(str::to_string).collect();
            Some(MountEntry {
                device: unescape(fields[0]),
                mount_point: unescape(fields[1]),
                fs_type: fields[2].to_string(),
                noexec: is_noexec(&options),
                options,
                line: index + 1,
            })
        })
        .take(MAX_ENTRIES)
        .collect()
}

/// mount(8) applies options left to right; `user` and `users` imply noexec (`owner` and
/// `group` only imply nosuid and nodev).
fn is_noexec(options: &[String]) -> bool {
    options
        .iter()
        .fold(false, |noexec, option| match option.as_str() {
            "noexec" | "user" | "users" => true,
            "exec" => false,
            _ => noexec,
        })
}

/// `\040` (space), `\011` (tab), `\012`, `\134` (backslash): fstab and the kernel escape
/// these in paths.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            let digits = field.get(i + 1..i + 4).unwrap_or("");
            if digits.len() == 3
                && digits.bytes().all(|b| (b'0'..=b'7').contains(&b))
                && let Ok(value) = u8::from_str_radix(digits, 8)
            {
                out.push(value);
                i += 4;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn tmp_dir(
    host: &dyn Host,
    go_env: &BTreeMap<String, GoEnvValue>,
    env: &BTreeMap<String, String>,
    entries: &[MountEntry],
) -> TmpDirMount {
    // cmd/go: os.MkdirTemp(cfg.Getenv("GOTMPDIR"), "go-build"); an empty GOTMPDIR means
    // os.TempDir(), which is $TMPDIR or /tmp on Unix.
    let (path, source) = if let Some(v) = go_env.get("GOTMPDIR").filter(|v| !v.value.is_empty()) {
        (v.value.clone(), "GOTMPDIR")
    } else if let Some(v) = env.get("TMPDIR").filter(|v| !v.is_empty()) {
        (v.clone(), "TMPDIR")
    } else {
        ("/tmp".to_string(), "default")
    };
    let realpath = Path::new(&path)
        .is_absolute()
        .then(|| host.canonicalize(Path::new(&path)).ok())
        .flatten()
        .map(|p| p.display().to_string());
    let lookup = realpath.clone().unwrap_or_else(|| path.clone());
    TmpDirMount {
        exists: realpath.is_some(),
        mount: holding_mount(entries, &lookup),
        path,
        source: source.to_string(),
        realpath,
    }
}

/// The entry whose mount point is the longest path prefix of `path` (by whole
/// components); among equals the last, since a later mount hides an earlier one.
pub fn holding_mount(entries: &[MountEntry], path: &str) -> Option<usize> {
    if !path.starts_with('/') {
        return None;
    }
    let mut best: Option<(usize, usize)> = None;
    for (index, entry) in entries.iter().enumerate() {
        let point = entry.mount_point.trim_end_matches('/');
        let holds = point.is_empty()
            || path == point
            || path
                .strip_prefix(point)
                .is_some_and(|rest| rest.starts_with('/'));
        if holds && entry.mount_point.starts_with('/') {
            let length = point.len();
            if best.is_none_or(|(_, best_length)| length >= best_length) {
                best = Some((index, length));
            }
        }
    }
    best.map(|(index, _)| index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fstab_lines_keep_their_numbers_and_options() {
        let entries = parse_table(
            "# /etc/fstab\nUUID=abc / ext4 errors=remount-ro 0 1\n\ntmpfs /tmp tmpfs rw,nosuid,nodev,noexec 0 0\nbroken line\n/dev/sdb1 /mnt/my\\040disk vfat user 0 0\n",
        );
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].mount_point, "/");
        assert!(!entries[0].noexec);
        assert_eq!(entries[1].line, 4);
        assert!(entries[1].noexec);
        assert_eq!(entries[2].mount_point, "/mnt/my disk");
        assert!(entries[2].noexec, "`user` implies noexec");
    }

    #[test]
    fn a_later_exec_undoes_noexec() {
        let entries = parse_table("tmpfs /tmp tmpfs noexec,exec 0 0\n/dev/x /m auto users,exec\n");
        assert!(!entries[0].noexec);
        assert!(!entries[1].noexec);
    }

    #[test]
    fn proc_mounts_format_parses() {
        let entries = parse_table(
            "overlay / overlay rw,relatime,lowerdir=/a:/b 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\ntmpfs /dev/shm tmpfs rw,nosuid,nodev,noexec 0 0\n",
        );
        assert_eq!(entries.len(), 3);
        assert_eq!(holding_mount(&entries, "/tmp"), Some(0));
        assert_eq!(holding_mount(&entries, "/dev/shm/go"), Some(2));
    }

    #[test]
    fn longest_whole_component_prefix_wins() {
        let entries = parse_table(
            "/dev/a / ext4 defaults\n/dev/b /tmp ext4 noexec\n/dev/c /tmpfoo ext4 defaults\n/dev/d /tmp tmpfs defaults\n",
        );
        assert_eq!(holding_mount(&entries, "/tmpfoo/x"), Some(2));
        assert_eq!(
            holding_mount(&entries, "/tmp/go"),
            Some(3),
            "later mount hides"
        );
        assert_eq!(holding_mount(&entries, "/tmp"), Some(3));
        assert_eq!(holding_mount(&entries, "/var/tmp"), Some(0));
        assert_eq!(holding_mount(&entries, "relative"), None);
        assert_eq!(holding_mount(&[], "/tmp"), None);
    }

    #[test]
    fn swap_and_pseudo_entries_do_not_hold_paths() {
        let entries = parse_table("/dev/sda2 none swap sw 0 0\n/dev/a / ext4 defaults\n");
        assert_eq!(holding_mount(&entries, "/tmp"), Some(1));
    }

    #[test]
    fn escapes_decode_and_junk_survives() {
        assert_eq!(unescape(r"/a\040b\011c"), "/a b\tc");
        assert_eq!(unescape(r"/trailing\04"), r"/trailing\04");
        assert_eq!(unescape(r"/x\999"), r"/x\999");
        let junk = String::from_utf8_lossy(&[0xff, 0xfe, b' ', b'/', 0, b'\n']).into_owned();
        assert!(parse_table(&junk).is_empty());
    }

    #[test]
    fn a_fifo_fstab_is_an_error_not_a_hang() {
        use crate::host::ImageHost;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("etc")).unwrap();
        std::fs::create_dir_all(dir.path().join("tmp")).unwrap();
        let fifo = std::ffi::CString::new(dir.path().join("etc/fstab").to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo has no other preconditions.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        let host = ImageHost::new(dir.path()).unwrap();
        let info = collect(&host, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(info.source, None);
        assert!(
            info.error
                .as_deref()
                .is_some_and(|e| e.contains("not a regular file"))
        );
        let tmp = info.go_tmp_dir.unwrap();
        assert_eq!(
            (tmp.path.as_str(), tmp.exists, tmp.mount),
            ("/tmp", true, None)
        );
    }
}
