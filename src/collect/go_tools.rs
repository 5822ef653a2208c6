//! Go developer tools and toolchains the go command fetched for itself: the gopls,
//! dlv, staticcheck and golangci-lint programs in the `go install` directory and on
//! PATH with the build info each carries, and the toolchains GOTOOLCHAIN switching
//! left in the module cache. Read statically; nothing is run.

use std::collections::BTreeMap;
use std::path::Path;

use super::toolchains::read_binary;
use crate::host::Host;
use crate::snapshot::{DownloadedToolchain, GoEnvValue, PathInfo, ToolBinary, ToolsDir};

/// The tools whose build info matters to an editor session.
const TOOLS: &[&str] = &["gopls", "dlv", "staticcheck", "golangci-lint"];

/// Directory names of toolchains fetched by GOTOOLCHAIN switching start with this,
/// under `$GOMODCACHE/golang.org/`.
const TOOLCHAIN_MODULE_PREFIX: &str = "toolchain@v0.0.1-";

pub fn tool_binaries(
    host: &dyn Host,
    tools_dir: Option<&ToolsDir>,
    path: &PathInfo,
) -> Vec<ToolBinary> {
    // Each name's places in lookup order: the tools directory first (editors look
    // there before PATH), then PATH entries in order.
    let mut found: Vec<ToolBinary> = Vec::new();
    for name in TOOLS {
        let mut places: Vec<(String, Option<usize>)> = Vec::new();
        if let Some(dir) = tools_dir.filter(|d| d.exists && d.programs.iter().any(|p| p == name)) {
            places.push((join(&dir.path, name), None));
        }
        for entry in path.entries.iter().filter(|e| e.is_dir) {
            let candidate = join(&entry.raw, name);
            if is_executable(host, &candidate) {
                places.push((candidate, Some(entry.index)));
            }
        }
        let winner_index = places.iter().find_map(|(_, index)| *index);
        for (program, index) in places {
            let realpath = host
                .canonicalize(Path::new(&program))
                .ok()
                .map(|p| p.display().to_string());
            let in_tools_dir = index.is_none();
            let path_winner = index.is_some() && index == winner_index;
            let same_file =
                |t: &ToolBinary| t.name == *name && realpath.is_some() && t.realpath == realpath;
            if let Some(existing) = found.iter_mut().find(|t| same_file(t)) {
                existing.in_tools_dir |= in_tools_dir;
                existing.path_winner |= path_winner;
                existing.path_index = existing.path_index.or(index);
                continue;
            }
            let info = read_binary(host, Path::new(&program));
            let go = info.go.unwrap_or_default();
            let has_build_info = !go.go_version.is_empty();
            found.push(ToolBinary {
                name: name.to_string(),
                path: program,
                realpath,
                in_tools_dir,
                path_index: index,
                path_winner,
                go_version: has_build_info.then_some(go.go_version),
                package: go.path,
                module: go.main_module,
                module_version: go.main_version,
            });
        }
    }
    found
}

/// Toolchains in `$GOMODCACHE/golang.org/toolchain@v0.0.1-go<version>.<os>-<arch>`.
/// Only that one directory is listed.
pub fn downloaded_toolchains(
    host: &dyn Host,
    env: &BTreeMap<String, GoEnvValue>,
) -> Vec<DownloadedToolchain> {
    let Some(modcache) = env
        .get("GOMODCACHE")
        .map(|v| v.value.as_str())
        .filter(|v| v.starts_with('/'))
    else {
        return Vec::new();
    };
    let parent = join(modcache, "golang.org");
    host.read_dir(Path::new(&parent))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|name| {
            let (version, os, arch) = parse_toolchain_dir(&name)?;
            let dir = join(&parent, &name);
            host.is_dir(Path::new(&dir)).then(|| DownloadedToolchain {
                dir,
                version: version.to_string(),
                os: os.to_string(),
                arch: arch.to_string(),
            })
        })
        .collect()
}

/// `toolchain@v0.0.1-go1.22.3.linux-amd64` -> (`go1.22.3`, `linux`, `amd64`).
fn parse_toolchain_dir(name: &str) -> Option<(&str, &str, &str)> {
    let rest = name.strip_prefix(TOOLCHAIN_MODULE_PREFIX)?;
    let (version, platform) = rest.rsplit_once('.')?;
    let (os, arch) = platform.split_once('-')?;
    let valid = version.starts_with("go1")
        && !os.is_empty()
        && !arch.is_empty()
        && platform
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    valid.then_some((version, os, arch))
}

fn join(dir: &str, name: &str) -> String {
    format!("{}/{name}", dir.trim_end_matches('/'))
}

fn is_executable(host: &dyn Host, path: &str) -> bool {
    host.metadata(Path::new(path))
        .is_ok_and(|m| m.is_executable_file())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::binary::synth::fake_go_elf;
    use crate::host::ImageHost;

    #[test]
    fn one_record_per_file_with_where_it_was_found() {
        let dir = tempfile::tempdir().expect("tempdir");
        let put = |path: &str, bytes: &[u8]| {
            let target = dir.path().join(path.trim_start_matches('/'));
            std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
            std::fs::write(&target, bytes).expect("write");
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
        };
        let modinfo = "path\tgolang.org/x/tools/gopls\nmod\tgolang.org/x/tools/gopls\tv0.20.0\t\n";
        put(
            "/home/dev/go/bin/gopls",
            &fake_go_elf("amd64", "go1.27.1", Some(modinfo)),
        );
        put("/usr/bin/gopls", &fake_go_elf("amd64", "go1.19.5", None));
        put("/usr/bin/dlv", b"#!/bin/sh\n");
        let host = ImageHost::new(dir.path()).expect("image");
        let path = super::super::path::collect(&host, Some("/usr/bin:/home/dev/go/bin"));
        let tools_dir = ToolsDir {
            path: "/home/dev/go/bin".into(),
            source: "GOPATH".into(),
            exists: true,
            programs: vec!["gopls".into()],
            lookups: Vec::new(),
        };
        let found = tool_binaries(&host, Some(&tools_dir), &path);
        let summary: Vec<_> = found
            .iter()
            .map(|t| {
                let facts = (t.in_tools_dir, t.path_index, t.path_winner);
                (
                    t.path.as_str(),
                    facts,
                    t.go_version.as_deref(),
                    t.module_version.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "/home/dev/go/bin/gopls",
                    (true, Some(1), false),
                    Some("go1.27.1"),
                    Some("v0.20.0")
                ),
                (
                    "/usr/bin/gopls",
                    (false, Some(0), true),
                    Some("go1.19.5"),
                    None
                ),
                ("/usr/bin/dlv", (false, Some(0), true), None, None),
            ]
        );
    }

    #[test]
    fn toolchain_directory_names() {
        assert_eq!(
            parse_toolchain_dir("toolchain@v0.0.1-go1.22.3.linux-amd64"),
            Some(("go1.22.3", "linux", "amd64"))
        );
        assert_eq!(
            parse_toolchain_dir("toolchain@v0.0.1-go1.21rc2.darwin-arm64"),
            Some(("go1.21rc2", "darwin", "arm64"))
        );
        for junk in [
            "toolchain@v0.0.1-go1.22.3",
            "toolchain@v0.0.1-.linux-amd64",
            "toolchain@v0.0.1-go1.22.3.linux",
            "toolchain@v0.0.2-go1.22.3.linux-amd64",
            "x@v1.0.0",
            "toolchain@v0.0.1-go1.22.3.linux-am/d64",
            "",
        ] {
            assert_eq!(parse_toolchain_dir(junk), None, "{junk}");
        }
    }
}
