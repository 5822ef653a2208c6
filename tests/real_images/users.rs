//! The users of the image suite, added to a copy of a debootstrap image the way real
//! machines have them. Every file written here is replaced, never written through: the
//! copy may share its files with the cached image by hard links.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The user whose `go install`ed gopls Debian's /usr/bin/gopls shadows (GO013).
pub const SHADOWED_USER: &str = "gus";

/// One account: name, uid (= gid), login shell.
struct Account {
    name: &'static str,
    uid: u32,
    shell: &'static str,
}

const ACCOUNTS: &[Account] = &[
    // A fresh account as adduser makes it: a copy of /etc/skel, nothing else.
    Account {
        name: "ann",
        uid: 1000,
        shell: "/bin/bash",
    },
    // A desktop user: the desktop's PATH gets ~/go/bin through environment.d.
    Account {
        name: "desk",
        uid: 1001,
        shell: "/bin/bash",
    },
    // A zsh user whose Go PATH line is in ~/.bashrc, which zsh never reads.
    Account {
        name: "zed",
        uid: 1002,
        shell: "/usr/bin/zsh",
    },
    // `go install`ed gopls in ~/go/bin, appended to PATH after /usr/bin (GO013's old fix).
    Account {
        name: SHADOWED_USER,
        uid: 1003,
        shell: "/bin/bash",
    },
    // A fish user who appends ~/go/bin the same way in config.fish.
    Account {
        name: "fay",
        uid: 1004,
        shell: "/usr/bin/fish",
    },
];

/// The image's GOARCH, for the synthetic Go programs (`go install` would need to run).
fn goarch() -> &'static str {
    match std::env::consts::ARCH {
        "aarch64" => "arm64",
        "x86" => "386",
        "x86_64" => "amd64",
        other => other,
    }
}

fn gopls() -> Vec<u8> {
    let modinfo = "path\tgolang.org/x/tools/gopls\nmod\tgolang.org/x/tools/gopls\tv0.20.0\th1:x=\n";
    envgate::binary::synth::fake_go_elf(goarch(), "go1.26.1", Some(modinfo))
}

fn dlv() -> Vec<u8> {
    let modinfo =
        "path\tgithub.com/go-delve/delve/cmd/dlv\nmod\tgithub.com/go-delve/delve\tv1.26.0\th1:x=\n";
    envgate::binary::synth::fake_go_elf(goarch(), "go1.26.1", Some(modinfo))
}

fn inside(root: &Path, path: &str) -> PathBuf {
    root.join(path.trim_start_matches('/'))
}

/// Writes `path` in the image as a new file (an existing one is unlinked first).
fn put(root: &Path, path: &str, bytes: &[u8], mode: u32, uid: u32) -> Result<(), String> {
    let file = inside(root, path);
    std::fs::create_dir_all(file.parent().unwrap()).map_err(|e| format!("{path}: {e}"))?;
    let _ = std::fs::remove_file(&file);
    std::fs::write(&file, bytes).map_err(|e| format!("{path}: {e}"))?;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("{path}: {e}"))?;
    std::os::unix::fs::chown(&file, Some(uid), Some(uid))
        .map_err(|e| format!("cannot give {path} to uid {uid} ({e}): the image tests need root"))
}

fn mkdir(root: &Path, path: &str, mode: u32, uid: u32) -> Result<(), String> {
    let dir = inside(root, path);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{path}: {e}"))?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("{path}: {e}"))?;
    std::os::unix::fs::chown(&dir, Some(uid), Some(uid))
        .map_err(|e| format!("cannot give {path} to uid {uid} ({e}): the image tests need root"))
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(inside(root, path)).unwrap_or_default()
}

/// Appends `line` to a file of the image, as `echo LINE >> FILE` by its owner would:
/// the file is replaced (keeping owner and mode), or made with the directory's owner.
pub fn append_line(root: &Path, path: &str, line: &str) {
    use std::os::unix::fs::MetadataExt;
    let file = inside(root, path);
    let (mode, uid) = match std::fs::metadata(&file) {
        Ok(meta) => (meta.mode() & 0o7777, meta.uid()),
        Err(_) => {
            let parent = std::fs::metadata(file.parent().unwrap()).expect("the file's directory");
            (0o644, parent.uid())
        }
    };
    let mut text = read(root, path);
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(line);
    text.push('\n');
    put(root, path, text.as_bytes(), mode, uid).unwrap();
}

/// Adds the accounts to /etc/passwd, /etc/group and /etc/shadow and makes their homes.
pub fn add_users(root: &Path) -> Result<(), String> {
    let mut passwd = read(root, "/etc/passwd");
    let mut group = read(root, "/etc/group");
    let mut shadow = read(root, "/etc/shadow");
    for a in ACCOUNTS {
        let home = format!("/home/{}", a.name);
        passwd.push_str(&format!(
            "{0}:x:{1}:{1}:{0},,,:{home}:{2}\n",
            a.name, a.uid, a.shell
        ));
        group.push_str(&format!("{}:x:{}:\n", a.name, a.uid));
        shadow.push_str(&format!("{}:*:20000:0:99999:7:::\n", a.name));
    }
    put(root, "/etc/passwd", passwd.as_bytes(), 0o644, 0)?;
    put(root, "/etc/group", group.as_bytes(), 0o644, 0)?;
    put(root, "/etc/shadow", shadow.as_bytes(), 0o640, 0)?;
    for a in ACCOUNTS {
        let home = format!("/home/{}", a.name);
        // Debian 12's adduser makes homes 0700 and copies /etc/skel.
        mkdir(root, &home, 0o700, a.uid)?;
        for file in [".bashrc", ".profile", ".bash_logout"] {
            let text = read(root, &format!("/etc/skel/{file}"));
            put(
                root,
                &format!("{home}/{file}"),
                text.as_bytes(),
                0o644,
                a.uid,
            )?;
        }
        customize(root, a, &home)?;
    }
    Ok(())
}

fn customize(root: &Path, a: &Account, home: &str) -> Result<(), String> {
    let uid = a.uid;
    let go_bin = format!("{home}/go/bin");
    match a.name {
        "desk" => {
            for dir in [
                ".config",
                ".config/environment.d",
                ".local",
                ".local/bin",
                "Desktop",
                "Documents",
                "go",
                "go/bin",
            ] {
                mkdir(root, &format!("{home}/{dir}"), 0o755, uid)?;
            }
            put(
                root,
                &format!("{home}/.config/environment.d/60-go.conf"),
                b"PATH=$PATH:$HOME/go/bin\nGOPATH=$HOME/go\n",
                0o644,
                uid,
            )?;
            put(root, &format!("{go_bin}/dlv"), &dlv(), 0o755, uid)?;
        }
        "zed" => {
            put(
                root,
                &format!("{home}/.zshrc"),
                b"# Created by newuser for 5.9\nHISTFILE=~/.histfile\nHISTSIZE=1000\nSAVEHIST=1000\nbindkey -e\n",
                0o644,
                uid,
            )?;
            append_line(
                root,
                &format!("{home}/.bashrc"),
                "export PATH=\"$PATH:$HOME/go/bin\"",
            );
            mkdir(root, &format!("{home}/go"), 0o755, uid)?;
            mkdir(root, &go_bin, 0o755, uid)?;
            put(root, &format!("{go_bin}/gopls"), &gopls(), 0o755, uid)?;
        }
        "gus" => {
            append_line(
                root,
                &format!("{home}/.profile"),
                "export PATH=\"$PATH:$HOME/go/bin\"",
            );
            mkdir(root, &format!("{home}/go"), 0o755, uid)?;
            mkdir(root, &go_bin, 0o755, uid)?;
            put(root, &format!("{go_bin}/gopls"), &gopls(), 0o755, uid)?;
        }
        "fay" => {
            for dir in [".config", ".config/fish", "go", "go/bin"] {
                mkdir(root, &format!("{home}/{dir}"), 0o755, uid)?;
            }
            put(
                root,
                &format!("{home}/.config/fish/config.fish"),
                b"if status is-interactive\n    # Commands to run in interactive sessions can go here\nend\nset -gx PATH $PATH $HOME/go/bin\n",
                0o644,
                uid,
            )?;
            put(root, &format!("{go_bin}/gopls"), &gopls(), 0o755, uid)?;
        }
        _ => {}
    }
    Ok(())
}
