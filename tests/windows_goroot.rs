//! The GOROOT and cgo rules (GO005, GO006, GO042–GO045) on Windows volumes: the
//! install's tree read with Windows names (`bin\go.exe`, `pkg\tool\windows_amd64\
//! compile.exe`), and CC, CXX and PKG_CONFIG looked up on the registry's Path as Go's
//! os/exec does on Windows (PATHEXT, names in any case). Hives are built at test time
//! (tests/windows_volume); without hivexregedit the tests skip with a printed reason.

mod windows_volume;

use serde_json::Value;
use windows_volume::{
    GTK_MODULE, PATH_WITH_MSYS2, check, envgate, hivex_missing, msys2_gcc, remediation, row,
    user_env, volume, write,
};

#[test]
fn go005_windows_trigger_an_install_without_its_standard_library() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    std::fs::remove_dir_all(root.join("PROGRAM FILES/Go/src")).unwrap();
    std::fs::remove_file(root.join("PROGRAM FILES/Go/pkg/tool/windows_amd64/compile.exe")).unwrap();
    assert_eq!(
        check(dir.path(), None),
        [row(
            "GO005",
            "-",
            r"GOROOT C:\Program Files\Go (found from the go on PATH, C:\Program Files\Go\bin\go.exe) lacks pkg\tool\windows_amd64\compile.exe, src\runtime, so it is not a complete Go installation: go commands fail with errors such as `go: cannot find GOROOT directory` or `package runtime is not in std`"
        )]
    );
    let fix = remediation(dir.path(), None, "GO005");
    assert!(
        fix.contains(r"winget uninstall --id GoLang.Go --exact; Remove-Item -Recurse -Force 'C:\Program Files\Go'; winget install --id GoLang.Go --exact"),
        "{fix}"
    );
}

#[test]
fn go005_windows_clean_a_complete_install() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    volume(dir.path());
    assert_eq!(check(dir.path(), None), []);
    let out = envgate(&["snapshot", "--root", "win"], dir.path());
    let snapshot: Value = serde_json::from_slice(&out.stdout).unwrap();
    let layout = &snapshot["go"]["goroot_layout"];
    assert_eq!(layout["compile"], true, "{layout:#}");
    assert_eq!(layout["src_runtime"], true);
    assert_eq!(layout["tool_dir"], "pkg/tool/windows_amd64");
    let parts: Vec<&str> = snapshot["go"]["toolchains"][0]["programs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        parts,
        [
            r"C:\Program Files\Go\bin\go.exe",
            r"C:\Program Files\Go\bin\gofmt.exe",
            r"C:\Program Files\Go\pkg\tool\windows_amd64\compile.exe"
        ]
    );
    // No C compiler on Path: cgo is off by default, as cmd/go decides on Windows.
    assert_eq!(snapshot["go"]["env"]["CGO_ENABLED"]["value"], "0");
    assert_eq!(snapshot["go"]["env"]["CC"]["value"], "gcc");
    assert_eq!(snapshot["go"]["commands"]["CC"]["found"], Value::Null);
}

#[test]
fn go006_windows_clean_one_release_in_every_part() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    volume(dir.path());
    // VERSION, go.exe, gofmt.exe and compile.exe are all go1.27.1.
    assert_eq!(check(dir.path(), None), []);
}

#[test]
fn go006_windows_trigger_a_stale_compiler_left_in_the_install() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    write(
        &root,
        "PROGRAM FILES/Go/pkg/tool/windows_amd64/compile.exe",
        &envgate::binary::synth::fake_pe("amd64", "go1.26.2"),
    );
    assert_eq!(
        check(dir.path(), None),
        [row(
            "GO006",
            r"C:\Program Files\Go\VERSION:1",
            r#"C:\Program Files\Go mixes Go releases (VERSION is go1.27.1, bin/go.exe is go1.27.1, bin/gofmt.exe is go1.27.1, pkg/tool/windows_amd64/compile.exe is go1.26.2): go commands fail with `compile: version "go1.26.2" does not match go tool version "go1.27.1"`"#
        )]
    );
    let fix = remediation(dir.path(), None, "GO006");
    assert!(
        fix.contains("winget install --id GoLang.Go --exact"),
        "{fix}"
    );
    assert!(!fix.contains("rm -rf"), "{fix}");
}

#[test]
fn go042_windows_trigger_cgo_enabled_in_the_registry_without_gcc() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    user_env(&root, r#""CGO_ENABLED"="1""#);
    assert_eq!(
        check(dir.path(), None),
        [row(
            "GO042",
            r"HKCU\Environment\CGO_ENABLED",
            r#"CGO_ENABLED=1 is set in HKCU\Environment\CGO_ENABLED but the C compiler gcc is not installed or not on Path, so cgo builds fail with `cgo: C compiler "gcc" not found`"#
        )]
    );
    let fix = remediation(dir.path(), None, "GO042");
    for line in [
        "pacman -S mingw-w64-ucrt-x86_64-gcc",
        "[Environment]::SetEnvironmentVariable('CGO_ENABLED', '0', 'User')",
    ] {
        assert!(fix.contains(line), "{line}: {fix}");
    }
    assert!(!fix.contains("apt-get") && !fix.contains("sed -i"), "{fix}");
}

#[test]
fn go042_windows_clean_msys2_gcc_on_the_user_path() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    user_env(&root, &format!("\"CGO_ENABLED\"=\"1\"\n{PATH_WITH_MSYS2}"));
    msys2_gcc(&root);
    assert_eq!(check(dir.path(), None), []);
    let out = envgate(&["snapshot", "--root", "win"], dir.path());
    let snapshot: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        snapshot["go"]["commands"]["CC"]["found"],
        r"C:\msys64\ucrt64\bin\gcc.exe"
    );
}

#[test]
fn go043_windows_trigger_msys2_gcc_without_pkg_config() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    user_env(&root, PATH_WITH_MSYS2);
    msys2_gcc(&root);
    write(&root, "Users/dev/src/viewer/go.mod", GTK_MODULE.as_bytes());
    let workspace = Some(r"C:\Users\dev\src\viewer");
    assert_eq!(
        check(dir.path(), workspace),
        [row(
            "GO043",
            r"C:\Users\dev\src\viewer\go.mod:5",
            r#"go.mod requires github.com/gotk3/gotk3, whose cgo code runs pkg-config (for glib-2.0, gtk+-3.0), but pkg-config is not installed or not on Path: the build fails with `exec: "pkg-config": executable file not found in %PATH%`"#
        )]
    );
    let fix = remediation(dir.path(), workspace, "GO043");
    assert!(
        fix.contains("pacman -S mingw-w64-ucrt-x86_64-pkgconf"),
        "{fix}"
    );
    assert!(!fix.contains("apt-get"), "{fix}");
}

#[test]
fn go043_windows_clean_pkgconf_beside_gcc() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    user_env(&root, PATH_WITH_MSYS2);
    msys2_gcc(&root);
    // MSYS2's pkgconf package installs pkg-config.exe.
    write(&root, "msys64/ucrt64/bin/pkg-config.exe", b"MZ");
    write(&root, "Users/dev/src/viewer/go.mod", GTK_MODULE.as_bytes());
    assert_eq!(check(dir.path(), Some(r"C:\Users\dev\src\viewer")), []);
}

#[test]
fn go044_windows_trigger_cross_compiling_for_linux_with_msys2_gcc() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    user_env(
        &root,
        &format!(
            "\"CGO_ENABLED\"=\"1\"\n\"GOOS\"=\"linux\"\n\"GOARCH\"=\"arm64\"\n{PATH_WITH_MSYS2}"
        ),
    );
    msys2_gcc(&root);
    assert_eq!(
        check(dir.path(), None),
        [row(
            "GO044",
            r"HKCU\Environment\GOARCH",
            r"GOOS/GOARCH=linux/arm64 (the host is windows/amd64) with CGO_ENABLED=1 in HKCU\Environment\CGO_ENABLED, but CC=gcc (by default) is not a cross compiler for linux/arm64, so cgo compiles C for the wrong platform"
        )]
    );
    let fix = remediation(dir.path(), None, "GO044");
    for line in [
        "$env:CC = 'zig cc -target aarch64-linux-gnu'",
        "[Environment]::SetEnvironmentVariable('CGO_ENABLED', '0', 'User')",
    ] {
        assert!(fix.contains(line), "{line}: {fix}");
    }
    assert!(!fix.contains("apt-get"), "{fix}");
}

#[test]
fn go044_windows_clean_zig_cc_with_the_target() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    user_env(
        &root,
        "\"CGO_ENABLED\"=\"1\"\n\"GOOS\"=\"linux\"\n\"GOARCH\"=\"arm64\"\n\"CC\"=\"zig cc -target aarch64-linux-gnu\"\n\"Path\"=\"C:\\\\tools\\\\zig;C:\\\\Users\\\\dev\\\\go\\\\bin\"",
    );
    write(&root, "tools/zig/zig.exe", b"MZ");
    assert_eq!(check(dir.path(), None), []);
}

#[test]
fn go045_windows_trigger_a_relative_cc_in_the_registry() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    user_env(&root, r#""CC"="tools\\gcc.exe""#);
    assert_eq!(
        check(dir.path(), None),
        [row(
            "GO045",
            r"HKCU\Environment\CC",
            r"CC=tools\gcc.exe (set in HKCU\Environment\CC) is a relative path (tools\gcc.exe), which the go command resolves from each package's directory, so cgo cannot run it"
        )]
    );
    let fix = remediation(dir.path(), None, "GO045");
    for line in [
        "[Environment]::SetEnvironmentVariable('CC', 'gcc.exe', 'User')",
        "[Environment]::SetEnvironmentVariable('CC', $null, 'User')",
    ] {
        assert!(fix.contains(line), "{line}: {fix}");
    }
}

#[test]
fn go045_windows_clean_an_absolute_cc_found_in_another_case() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    user_env(&root, r#""CC"="C:\\msys64\\ucrt64\\bin\\gcc""#);
    msys2_gcc(&root);
    assert_eq!(check(dir.path(), None), []);
}

/// LLVM's installer puts clang under `C:\Program Files\LLVM\bin`: a CC naming it must
/// be quoted whole, as cmd/go splits CC (cmd/internal/quoted.Split).
const QUOTED_CLANG: &str = r#""CC"="\"C:\\Program Files\\LLVM\\bin\\clang.exe\" -O2""#;

#[test]
fn go045_windows_clean_a_quoted_cc_with_a_space_in_its_path() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    user_env(&root, QUOTED_CLANG);
    write(
        &root,
        // Beside Go, in the case the volume shows `Program Files` in.
        "PROGRAM FILES/LLVM/bin/clang.exe",
        &envgate::binary::synth::fake_pe("amd64", "go1.27.1"),
    );
    assert_eq!(check(dir.path(), None), []);
    let out = envgate(&["snapshot", "--root", "win"], dir.path());
    let snapshot: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cc = &snapshot["go"]["commands"]["CC"];
    assert_eq!(
        cc["command"],
        r#""C:\Program Files\LLVM\bin\clang.exe" -O2"#
    );
    assert_eq!(
        cc["args"],
        serde_json::json!([r"C:\Program Files\LLVM\bin\clang.exe", "-O2"])
    );
    assert_eq!(cc["found"], r"C:\Program Files\LLVM\bin\clang.exe");
}

#[test]
fn go045_windows_trigger_a_quoted_cc_that_is_missing_or_unclosed() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    // LLVM uninstalled: the whole quoted path is the program that is missing.
    user_env(&root, QUOTED_CLANG);
    assert_eq!(
        check(dir.path(), None),
        [row(
            "GO045",
            r"HKCU\Environment\CC",
            r#"CC="C:\Program Files\LLVM\bin\clang.exe" -O2 (set in HKCU\Environment\CC) names C:\Program Files\LLVM\bin\clang.exe, which does not exist or is not executable, so cgo cannot run it"#
        )]
    );
    // MSYS2's gcc with the closing quote lost, and cgo asked for explicitly.
    msys2_gcc(&root);
    user_env(
        &root,
        "\"CGO_ENABLED\"=\"1\"\n\"CC\"=\"\\\"C:\\\\msys64\\\\ucrt64\\\\bin\\\\gcc.exe\"",
    );
    assert_eq!(
        check(dir.path(), None),
        [row(
            "GO045",
            r"HKCU\Environment\CC",
            r#"CC="C:\msys64\ucrt64\bin\gcc.exe (set in HKCU\Environment\CC) cannot be split into a program and its arguments (unterminated " string), so go build, go test and go install stop with `go: CC environment variable could not be parsed: unterminated " string`"#
        )]
    );
    let fix = remediation(dir.path(), None, "GO045");
    assert!(
        fix.contains(r#"("C:\Program Files\LLVM\bin\clang.exe" -O2)"#)
            && fix.contains("[Environment]::SetEnvironmentVariable('CC', $null, 'User')"),
        "{fix}"
    );
}

#[test]
fn go042_windows_clean_msys2_gcc_named_in_quotes() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    user_env(
        &root,
        r#""CGO_ENABLED"="1"
"CC"="\"C:\\msys64\\ucrt64\\bin\\gcc.exe\"""#,
    );
    msys2_gcc(&root);
    assert_eq!(check(dir.path(), None), []);
}

/// Cross-compiling for linux/arm64 from the registry, CC the Windows path `cc`.
fn cross_with(root: &std::path::Path, cc: &str) {
    user_env(
        root,
        &format!(
            "\"CGO_ENABLED\"=\"1\"\n\"GOOS\"=\"linux\"\n\"GOARCH\"=\"arm64\"\n\"CC\"=\"{}\"",
            cc.replace('\\', "\\\\")
        ),
    );
}

#[test]
fn go044_windows_trigger_a_windows_path_to_a_compiler_for_windows() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    cross_with(&root, r"C:\msys64\ucrt64\bin\x86_64-w64-mingw32-gcc.exe");
    write(&root, "msys64/ucrt64/bin/x86_64-w64-mingw32-gcc.exe", b"MZ");
    assert_eq!(
        check(dir.path(), None),
        [row(
            "GO044",
            r"HKCU\Environment\CC",
            r"GOOS/GOARCH=linux/arm64 (the host is windows/amd64) with CGO_ENABLED=1 in HKCU\Environment\CGO_ENABLED, but CC=C:\msys64\ucrt64\bin\x86_64-w64-mingw32-gcc.exe (in HKCU\Environment\CC) is not a cross compiler for linux/arm64 (it targets x86_64-w64-mingw32), so cgo compiles C for the wrong platform"
        )]
    );
}

#[test]
fn go044_windows_clean_a_cross_compiler_named_by_its_windows_path() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    // A prebuilt aarch64 cross toolchain for Windows hosts, as its archive names it.
    cross_with(&root, r"C:\tools\cross\bin\aarch64-none-linux-gnu-gcc.exe");
    write(
        &root,
        "tools/cross/bin/aarch64-none-linux-gnu-gcc.exe",
        b"MZ",
    );
    assert_eq!(check(dir.path(), None), []);
}

#[test]
fn go042_windows_trigger_names_the_quoted_program_as_cgo_does() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    // LLVM is not installed: GO042 (CGO_ENABLED=1 is explicit) names clang.exe alone.
    user_env(&root, &format!("\"CGO_ENABLED\"=\"1\"\n{QUOTED_CLANG}"));
    assert_eq!(
        check(dir.path(), None),
        [row(
            "GO042",
            r"HKCU\Environment\CGO_ENABLED",
            r#"CGO_ENABLED=1 is set in HKCU\Environment\CGO_ENABLED but the C compiler C:\Program Files\LLVM\bin\clang.exe (from CC, set in HKCU\Environment\CC) is not installed or not on Path, so cgo builds fail with `cgo: C compiler "C:\\Program Files\\LLVM\\bin\\clang.exe" not found`"#
        )]
    );
}

/// The volume's Go built for `arch`, its kernel (the machine) for `machine`.
fn go_for(root: &std::path::Path, arch: &str, machine: &str) {
    let pe = envgate::binary::synth::fake_pe;
    write(
        root,
        "Windows/System32/ntoskrnl.exe",
        &pe(machine, "go1.27.1"),
    );
    for program in ["bin/go.exe", "bin/gofmt.exe"] {
        write(
            root,
            &format!("PROGRAM FILES/Go/{program}"),
            &pe(arch, "go1.27.1"),
        );
    }
    write(
        root,
        &format!("PROGRAM FILES/Go/pkg/tool/windows_{arch}/compile.exe"),
        &pe(arch, "go1.27.1"),
    );
}

#[test]
fn go007_windows_trigger_an_arm64_go_on_an_amd64_machine() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    go_for(&root, "arm64", "amd64");
    assert_eq!(
        check(dir.path(), None),
        [row(
            "GO007",
            "-",
            r"C:\Program Files\Go\bin\go.exe (Go at C:\Program Files\Go, PATH entry 1 reaches it) is built for windows/arm64 but this machine is windows/amd64: Windows cannot start it (a program for another CPU or system), so every go command fails"
        )]
    );
    let fix = remediation(dir.path(), None, "GO007");
    assert!(
        fix.contains(r"winget uninstall --id GoLang.Go --exact; Remove-Item -Recurse -Force 'C:\Program Files\Go'; winget install --id GoLang.Go --exact")
            && fix.contains("windows/amd64 build of Go"),
        "{fix}"
    );
    assert!(!fix.contains("rm -rf") && !fix.contains("tar -C"), "{fix}");
}

#[test]
fn go007_windows_clean_an_arm64_go_on_windows_on_arm() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    go_for(&root, "arm64", "arm64");
    assert_eq!(check(dir.path(), None), []);
    let out = envgate(&["snapshot", "--root", "win"], dir.path());
    let snapshot: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(snapshot["host"]["arch"], "arm64");
    assert_eq!(snapshot["go"]["toolchains"][0]["binary_arch"], "arm64");
}
