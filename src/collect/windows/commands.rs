//! The programs cgo would run on Windows (CC, CXX, PKG_CONFIG), looked up as Go's
//! os/exec.LookPath looks them up there (lp_windows.go): a name with `:`, `\` or `/` is
//! taken as a path, anything else is tried in each PATH directory in order (machine
//! Path, then the user's); in each place the name as given when it has an extension,
//! then the name with each PATHEXT extension (`.com;.exe;.bat;.cmd` when PATHEXT is
//! unset). The volume's names match without regard to case (the Windows host matches
//! each component so). Nothing is run; a relative path or PATH entry depends on a
//! working directory the image does not have, so it finds nothing.

use std::collections::BTreeMap;
use std::path::Path;

use crate::host::Host;
use crate::host::windows::is_absolute;
use crate::host::windows::join;
use crate::snapshot::{CommandLookup, GoEnvValue, PathInfo};

/// The extensions LookPath tries, from PATHEXT: lower-case, each with its dot.
pub fn path_extensions(pathext: Option<&str>) -> Vec<String> {
    let exts: Vec<String> = pathext
        .unwrap_or("")
        .to_lowercase()
        .split(';')
        .filter(|e| !e.is_empty())
        .map(|e| {
            if e.starts_with('.') {
                e.to_string()
            } else {
                format!(".{e}")
            }
        })
        .collect();
    if exts.is_empty() {
        return [".com", ".exe", ".bat", ".cmd"].map(String::from).to_vec();
    }
    exts
}

/// The file a Windows program lookup of `file` finds, as LookPath spells it.
pub fn look_path(host: &dyn Host, file: &str, path: &PathInfo, exts: &[String]) -> Option<String> {
    if file.is_empty() {
        return None;
    }
    if file.contains([':', '\\', '/']) {
        return is_absolute(file)
            .then(|| find_executable(host, file, exts))
            .flatten();
    }
    path.entries
        .iter()
        .filter(|e| !e.empty && !e.relative)
        .find_map(|e| find_executable(host, &join(&e.raw, file), exts))
}

/// `file` itself when its name has an extension, else or then `file` + each extension:
/// the first that exists and is not a directory.
fn find_executable(host: &dyn Host, file: &str, exts: &[String]) -> Option<String> {
    let usable = |candidate: &str| host.metadata(Path::new(candidate)).is_ok_and(|m| !m.is_dir);
    if has_extension(file) && usable(file) {
        return Some(file.to_string());
    }
    exts.iter()
        .map(|ext| format!("{file}{ext}"))
        .find(|candidate| usable(candidate))
}

/// A `.` in the last name of the path (`gcc.exe`, not `C:\tools.d\gcc`).
fn has_extension(file: &str) -> bool {
    match file.rfind('.') {
        Some(dot) => file.rfind([':', '\\', '/']).is_none_or(|sep| sep < dot),
        None => false,
    }
}

/// CC, CXX and PKG_CONFIG as cgo would run them on this volume.
pub fn commands(
    host: &dyn Host,
    values: &BTreeMap<String, GoEnvValue>,
    path: &PathInfo,
    pathext: Option<&str>,
) -> BTreeMap<String, CommandLookup> {
    let exts = path_extensions(pathext);
    crate::collect::go_paths::commands_found_by(values, "windows", |program| {
        look_path(host, program, path, &exts)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::ImageHost;
    use crate::host::windows::WindowsHost;
    use crate::snapshot::PathEntry;

    fn entry(index: usize, raw: &str) -> PathEntry {
        PathEntry {
            index,
            raw: raw.to_string(),
            empty: raw.is_empty(),
            relative: !raw.is_empty() && !is_absolute(raw),
            tilde: false,
            exists: true,
            is_dir: true,
            owner_uid: None,
            mode: None,
            world_writable: false,
            programs: Vec::new(),
        }
    }

    fn volume(files: &[&str]) -> (tempfile::TempDir, WindowsHost) {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let at = dir.path().join(file);
            std::fs::create_dir_all(at.parent().unwrap()).unwrap();
            std::fs::write(at, b"MZ").unwrap();
        }
        let host = WindowsHost::new(ImageHost::new(dir.path()).unwrap());
        (dir, host)
    }

    #[test]
    fn pathext_is_lowered_and_dotted_with_go_s_default() {
        assert_eq!(path_extensions(None), [".com", ".exe", ".bat", ".cmd"]);
        assert_eq!(path_extensions(Some(".EXE;CMD;;")), [".exe", ".cmd"]);
    }

    #[test]
    fn a_name_is_tried_in_each_path_directory_with_each_extension() {
        let (_dir, host) = volume(&[
            "msys64/UCRT64/bin/GCC.EXE",
            "tools/pkg-config.bat",
            "tools/clang.exe/keep",
        ]);
        let path = PathInfo {
            raw: None,
            entries: vec![
                entry(0, ""),
                entry(1, r"relative\bin"),
                entry(2, r"C:\tools"),
                entry(3, r"C:\msys64\ucrt64\bin"),
            ],
            resolved: BTreeMap::new(),
        };
        let exts = path_extensions(None);
        let find = |name: &str| look_path(&host, name, &path, &exts);
        // Found in another case than the volume shows it, spelled as PATH and PATHEXT do.
        assert_eq!(
            find("gcc").as_deref(),
            Some(r"C:\msys64\ucrt64\bin\gcc.exe")
        );
        assert_eq!(
            find("gcc.exe").as_deref(),
            Some(r"C:\msys64\ucrt64\bin\gcc.exe")
        );
        assert_eq!(
            find("pkg-config").as_deref(),
            Some(r"C:\tools\pkg-config.bat")
        );
        // .bat is not in a PATHEXT without it.
        let exe_only = path_extensions(Some(".EXE"));
        assert_eq!(look_path(&host, "pkg-config", &path, &exe_only), None);
        assert_eq!(find("clang"), None);
        // A path is taken as it is; a relative one has no working directory here.
        assert_eq!(
            find(r"C:\msys64\ucrt64\bin\gcc").as_deref(),
            Some(r"C:\msys64\ucrt64\bin\gcc.exe")
        );
        assert_eq!(find(r"bin\gcc"), None);
        assert_eq!(find("D:/msys64/ucrt64/bin/gcc"), None);
    }

    #[test]
    fn an_extension_is_the_last_name_s_only() {
        assert!(has_extension("gcc.exe"));
        assert!(has_extension(r"C:\bin\gcc.exe"));
        assert!(!has_extension(r"C:\tools.d\gcc"));
        assert!(!has_extension("gcc"));
    }
}
