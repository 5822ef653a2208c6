//! Unit tests of the toolchains collector on small image roots.

use std::os::unix::fs::{PermissionsExt, symlink};

use super::*;
use crate::binary::synth::fake_go_elf;
use crate::host::ImageHost;

fn image() -> (tempfile::TempDir, ImageHost) {
    let dir = tempfile::tempdir().expect("tempdir");
    let host = ImageHost::new(dir.path()).expect("image");
    (dir, host)
}

fn put(root: &Path, path: &str, bytes: &[u8]) {
    let target = root.join(path.trim_start_matches('/'));
    std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
    std::fs::write(&target, bytes).expect("write");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

fn link(root: &Path, path: &str, target: &str) {
    let at = root.join(path.trim_start_matches('/'));
    std::fs::create_dir_all(at.parent().expect("parent")).expect("mkdir");
    symlink(target, at).expect("symlink");
}

fn on_path(host: &dyn Host, path: &str) -> PathInfo {
    super::super::path::collect(host, Some(path))
}

#[test]
fn unmounted_snap_never_reports_snapds_version() {
    let (dir, host) = image();
    let root = dir.path();
    // snapd is itself a Go program: its build info must not become the snap's version.
    put(
        root,
        "/usr/bin/snap",
        &fake_go_elf("amd64", "go1.18.1", None),
    );
    link(root, "/snap/bin/go", "/usr/bin/snap");
    link(root, "/snap/go/current", "10535");
    std::fs::create_dir_all(root.join("snap/go/10535")).expect("mkdir");
    put(root, "/var/lib/snapd/snaps/go_10535.snap", b"hsqs");

    let toolchains = collect(&host, &on_path(&host, "/usr/bin:/snap/bin"), None);
    assert_eq!(toolchains.len(), 1);
    let snap = &toolchains[0];
    assert!(snap.snap && !snap.shim);
    assert_eq!(snap.goroot, "/snap/go/10535");
    assert_eq!(snap.path_index, Some(1));
    assert_eq!(
        (snap.version.as_deref(), snap.binary_arch.as_deref()),
        (None, None)
    );
    let install = snap.snap_install.as_ref().expect("snap facts");
    assert!(install.command_exists && !install.mounted);
    assert_eq!(install.revision.as_deref(), Some("10535"));
    assert_eq!(install.packages, ["go_10535.snap"]);
}

#[test]
fn snap_off_path_is_still_found() {
    let (dir, host) = image();
    let root = dir.path();
    put(root, "/usr/bin/snap", b"#!/bin/sh\n");
    link(root, "/snap/bin/go", "/usr/bin/snap");
    let toolchains = collect(&host, &on_path(&host, "/usr/bin"), None);
    assert_eq!(toolchains.len(), 1);
    assert_eq!(toolchains[0].goroot, "/snap/go/current");
    assert_eq!(toolchains[0].found_by, ["known-location"]);
}

#[test]
fn programs_carry_their_own_versions_and_the_compiler_follows_bin_go() {
    let (dir, host) = image();
    let root = dir.path();
    put(root, "/usr/local/go/VERSION", b"go1.27.1\ntime x\n");
    put(
        root,
        "/usr/local/go/bin/go",
        &fake_go_elf("arm64", "go1.27.1", None),
    );
    put(
        root,
        "/usr/local/go/bin/gofmt",
        &fake_go_elf("arm64", "go1.27.1", None),
    );
    // Only an amd64 compiler: the arm64 go command would not find one.
    put(
        root,
        "/usr/local/go/pkg/tool/linux_amd64/compile",
        &fake_go_elf("amd64", "go1.26.3", None),
    );
    let toolchains = collect(&host, &on_path(&host, "/usr/local/go/bin"), None);
    let t = &toolchains[0];
    assert_eq!(t.binary_arch.as_deref(), Some("arm64"));
    assert_eq!(t.layout.tool_dir.as_deref(), Some("pkg/tool/linux_arm64"));
    assert!(!t.layout.compile && !t.layout.src_runtime && t.layout.version_file);
    assert_eq!(t.layout.tool_platforms, ["linux_amd64"]);
    let parts: Vec<(&str, Option<&str>)> = t
        .programs
        .iter()
        .map(|p| (p.part.as_str(), p.go_version.as_deref()))
        .collect();
    assert_eq!(
        parts,
        [
            ("bin/go", Some("go1.27.1")),
            ("bin/gofmt", Some("go1.27.1")),
            ("pkg/tool/linux_arm64/compile", None),
        ]
    );
}

#[test]
fn shims_dangling_links_and_junk() {
    let (dir, host) = image();
    let root = dir.path();
    put(
        root,
        "/home/dev/.goenv/shims/go",
        b"#!/usr/bin/env bash\nexec goenv exec go\n",
    );
    link(root, "/usr/local/go", "/opt/go1.22.1");
    link(root, "/usr/lib/go", "go");
    put(root, "/opt/junk/bin/go", &[0xff; 4096]);
    let path = on_path(
        &host,
        "/home/dev/.goenv/shims:/opt/junk/bin:/usr/local/go/bin",
    );
    let toolchains = collect(&host, &path, Some("/home/dev"));
    let shim = toolchains
        .iter()
        .find(|t| t.goroot == "/home/dev/.goenv/shims")
        .expect("shim");
    assert!(shim.shim && shim.version.is_none());
    let junk = toolchains
        .iter()
        .find(|t| t.goroot == "/opt/junk")
        .expect("junk");
    assert!(!junk.shim && junk.version.is_none() && junk.binary_arch.is_none());

    let links = install_links(&host, &path);
    let dangling: Vec<(&str, Option<&str>)> = links
        .iter()
        .map(|l| (l.path.as_str(), l.realpath.as_deref()))
        .collect();
    assert_eq!(dangling, [("/usr/local/go", None), ("/usr/lib/go", None)]);
    assert!(
        links[1]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("symbolic links"))
    );
    assert_eq!(
        goroot_layout(&host, Some("/usr/local/go"), UNIX_FILES),
        None
    );
    assert_eq!(goroot_layout(&host, Some("relative/go"), UNIX_FILES), None);
}
