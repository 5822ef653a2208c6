//! Shell startup files: for each, whether it exists and can be read, and every line
//! that touches PATH or a Go-related variable, sources another file or activates a
//! version manager, with its line number, its enclosing conditions, and whether it
//! sits below the file's non-interactive guard. Also the sessions (`session.rs`) and
//! the systemd user environment (`systemd_user.rs`), which are read alongside.

use std::collections::BTreeMap;
use std::path::Path;

use super::session::{self, ProgramCache};
use super::systemd_user::{self, env_lines};
use crate::host::Host;
use crate::redact::redact_value;
use crate::shell::eval::Var;
use crate::shell::files::{FileCache, Syntax};
use crate::shell::is_relevant;
use crate::snapshot::{
    AddedDir, HostInfo, InstalledManager, Origin, ShellAssignment, ShellInfo, StartupFile,
    SystemdUser,
};

/// System files listed when they exist.
const SYSTEM_FILES: &[&str] = &[
    "/etc/profile",
    "/etc/bash.bashrc",
    "/etc/zsh/zshenv",
    "/etc/zsh/zprofile",
    "/etc/zsh/zshrc",
    "/etc/zsh/zlogin",
    "/etc/zshenv",
    "/etc/zprofile",
    "/etc/zshrc",
    "/etc/zlogin",
    "/etc/fish/config.fish",
];

/// The user's files, listed also when missing (rules ask whether they exist).
const USER_FILES: &[&str] = &[
    ".profile",
    ".bash_profile",
    ".bash_login",
    ".bashrc",
    ".zshenv",
    ".zprofile",
    ".zshrc",
    ".zlogin",
    ".config/fish/config.fish",
];

pub struct Collected {
    pub shell: ShellInfo,
    pub systemd: SystemdUser,
    /// The terminal session's exported variables: `env` for an image.
    pub terminal_env: BTreeMap<String, String>,
    pub terminal_origins: BTreeMap<String, Origin>,
}

pub fn collect(host: &dyn Host, host_info: &HostInfo) -> Collected {
    let home = host_info
        .home
        .as_deref()
        .map(|h| h.trim_end_matches('/').to_string());
    let mut systemd = systemd_user::collect(host, home.as_deref(), host_info.user.as_deref());
    let mut cache = FileCache::default();
    let mut programs = ProgramCache::default();
    let reconstructed = session::reconstruct(host, host_info, &systemd, &mut cache, &mut programs);
    for file in &mut systemd.environment_d {
        for assignment in &mut file.assignments {
            if assignment.name == "PATH" {
                let key = (file.path.clone(), assignment.line);
                if let Some(dirs) = reconstructed.environment_d_dirs.get(&key) {
                    assignment.path_dirs = dirs.clone();
                }
            }
        }
    }
    let files = file_facts(host, home.as_deref(), &mut cache, &mut programs);
    let installed_managers =
        installed_managers(host, home.as_deref(), &reconstructed.terminal_vars);
    let (family, _) = session::shell_family(host_info.login_shell.as_deref());
    Collected {
        shell: ShellInfo {
            login_shell: family.to_string(),
            files,
            sessions: reconstructed.sessions,
            installed_managers,
        },
        systemd,
        terminal_env: reconstructed.terminal_env,
        terminal_origins: reconstructed.terminal_origins,
    }
}

fn syntax_of(path: &str) -> Syntax {
    if path.ends_with(".fish") {
        Syntax::Fish
    } else {
        Syntax::Sh
    }
}

fn file_facts(
    host: &dyn Host,
    home: Option<&str>,
    cache: &mut FileCache,
    programs: &mut ProgramCache,
) -> Vec<StartupFile> {
    let mut paths: Vec<String> = SYSTEM_FILES
        .iter()
        .filter(|p| host.exists(Path::new(p)))
        .map(|p| p.to_string())
        .collect();
    for name in host
        .read_dir(Path::new("/etc/profile.d"))
        .unwrap_or_default()
    {
        if name.ends_with(".sh") {
            paths.push(format!("/etc/profile.d/{name}"));
        }
    }
    if let Some(home) = home {
        paths.extend(USER_FILES.iter().map(|name| format!("{home}/{name}")));
    }
    // Everything a session reached through `source`.
    paths.extend(cache.loaded().filter(|f| f.exists).map(|f| f.path.clone()));
    paths.sort();
    paths.dedup();

    let mut files: Vec<StartupFile> = paths
        .iter()
        .map(|path| {
            let file = cache.load(host, path, syntax_of(path));
            super::shell_facts::describe(host, home, &file, programs)
        })
        .collect();
    if let Some(environment) = pam_environment(host, programs) {
        files.push(environment);
        files.sort_by(|a, b| a.path.cmp(&b.path));
    }
    files
}

pub fn empty_file(path: &str, syntax: &str) -> StartupFile {
    StartupFile {
        path: path.to_string(),
        syntax: syntax.to_string(),
        exists: false,
        readable: false,
        error: None,
        owner_uid: None,
        mode: None,
        truncated: false,
        binary: false,
        interactive_guard_line: None,
        assignments: Vec::new(),
        sources: Vec::new(),
        activations: Vec::new(),
        unparsed: Vec::new(),
        skipped: Vec::new(),
    }
}

/// `/etc/environment`, as pam_env reads it: nothing is expanded, so a PATH entry is
/// exactly its text.
fn pam_environment(host: &dyn Host, programs: &mut ProgramCache) -> Option<StartupFile> {
    let path = "/etc/environment";
    let meta = host.metadata(Path::new(path)).ok()?;
    let mut file = empty_file(path, "pam_env");
    file.exists = true;
    file.owner_uid = Some(meta.uid);
    file.mode = Some(meta.mode);
    let text = match host.read_text(Path::new(path)) {
        Ok(text) => text,
        Err(e) => {
            file.error = Some(e.to_string());
            return Some(file);
        }
    };
    file.readable = true;
    for (name, value, line) in env_lines(&text) {
        if !is_relevant(&name) {
            continue;
        }
        let dirs = if name == "PATH" {
            value
                .trim_matches(['"', '\''])
                .split(':')
                .map(|text| AddedDir {
                    text: text.to_string(),
                    dir: text.starts_with('/').then(|| text.to_string()),
                    programs: programs.programs(host, text),
                })
                .collect()
        } else {
            Vec::new()
        };
        file.assignments.push(ShellAssignment {
            value: redact_value(&name, &value).0,
            name,
            line,
            form: "assign".to_string(),
            exported: true,
            below_guard: false,
            conditions: Vec::new(),
            keeps_previous: false,
            dirs,
        });
    }
    Some(file)
}

/// Version managers whose files exist, found where their variables (as the terminal
/// session has them) or their defaults put them.
fn installed_managers(
    host: &dyn Host,
    home: Option<&str>,
    vars: &BTreeMap<String, Var>,
) -> Vec<InstalledManager> {
    let Some(home) = home else {
        return Vec::new();
    };
    let var = |name: &str| {
        vars.get(name)
            .and_then(|v| v.value.clone())
            .filter(|v| v.starts_with('/'))
    };
    let mise_data = var("MISE_DATA_DIR").unwrap_or_else(|| {
        var("XDG_DATA_HOME").map_or_else(
            || format!("{home}/.local/share/mise"),
            |d| format!("{d}/mise"),
        )
    });
    let gvm_root = var("GVM_ROOT").unwrap_or_else(|| format!("{home}/.gvm"));
    let candidates = [
        (
            "goenv",
            format!(
                "{}/shims",
                var("GOENV_ROOT").unwrap_or_else(|| format!("{home}/.goenv"))
            ),
            None,
        ),
        (
            "asdf",
            format!(
                "{}/shims",
                var("ASDF_DATA_DIR").unwrap_or_else(|| format!("{home}/.asdf"))
            ),
            None,
        ),
        ("mise", format!("{mise_data}/shims"), None),
        (
            "gvm",
            format!("{gvm_root}/scripts/gvm"),
            Some(format!("{gvm_root}/bin")),
        ),
    ];
    candidates
        .into_iter()
        .filter(|(_, path, _)| host.exists(Path::new(path)))
        .map(|(name, path, shims)| InstalledManager {
            name: name.to_string(),
            shims_dir: shims.unwrap_or_else(|| path.clone()),
            path,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::collect::{CollectOptions, collect};
    use crate::host::ImageHost;

    fn image(files: &[(&str, &str)]) -> (tempfile::TempDir, ImageHost) {
        let dir = tempfile::tempdir().unwrap();
        for (path, contents) in files {
            let target = dir.path().join(path.trim_start_matches('/'));
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, contents).unwrap();
        }
        let host = ImageHost::new(dir.path()).unwrap();
        (dir, host)
    }

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\ndev:x:1000:1000::/home/dev:/bin/bash\n";

    #[test]
    fn environment_d_expands_variables_but_not_tilde() {
        let (_dir, host) = image(&[
            ("/etc/passwd", PASSWD),
            ("/home/dev/.keep", ""),
            ("/etc/environment", "PATH=\"/usr/bin:/bin:$HOME/x\"\n"),
            (
                "/home/dev/.config/environment.d/go.conf",
                "PATH=${PATH}:$HOME/go/bin\nGOBIN=${GOBIN:-$HOME/bin}\nGOPATH=~/go\n",
            ),
        ]);
        let snapshot = collect(&host, &CollectOptions::default()).unwrap();
        let gui = &snapshot.shell.sessions.gui;
        // pam_env expands nothing; environment.d expands $VAR but not ~.
        assert_eq!(gui.path_value, "/usr/bin:/bin:$HOME/x:/home/dev/go/bin");
        assert_eq!(gui.vars["GOBIN"].value.as_deref(), Some("/home/dev/bin"));
        assert_eq!(gui.vars["GOPATH"].value.as_deref(), Some("~/go"));
        let login = &snapshot.shell.sessions.login;
        assert_eq!(login.path_value, "/usr/bin:/bin:$HOME/x");
        assert!(
            !login.vars.contains_key("GOBIN"),
            "SSH logins do not read environment.d"
        );
        // The image's environment is the terminal's, which inherits environment.d.
        assert_eq!(snapshot.env["GOBIN"], "/home/dev/bin");
        assert_eq!(snapshot.env_origin["GOBIN"].line, 2);
        assert_eq!(snapshot.systemd_user.live_manager_env, None);
    }

    #[test]
    fn go_env_in_a_startup_file_is_computed_like_go_env() {
        // The line Go's install docs give, in ~/.bashrc: `go env GOPATH` is the
        // `go env -w` file's GOPATH here, and GOROOT comes from the go on PATH.
        let (dir, host) = image(&[
            ("/etc/passwd", PASSWD),
            ("/home/dev/.config/go/env", "GOPATH=/home/dev/work\n"),
            (
                "/home/dev/.bashrc",
                "export PATH=$PATH:/usr/local/go/bin\nexport PATH=\"$PATH:$(go env GOPATH)/bin\"\nexport GOROOT_SEEN=$(go env GOROOT)\nexport GOBIN=\"$(go env GOBIN)\"\n",
            ),
        ]);
        let go = dir.path().join("usr/local/go/bin/go");
        std::fs::create_dir_all(go.parent().unwrap()).unwrap();
        std::fs::write(
            &go,
            crate::binary::synth::fake_go_elf("amd64", "go1.26.1", None),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&go, std::fs::Permissions::from_mode(0o755)).unwrap();
        let snapshot = collect(&host, &CollectOptions::default()).unwrap();
        let terminal = &snapshot.shell.sessions.terminal;
        assert!(
            terminal
                .path_value
                .ends_with(":/usr/local/go/bin:/home/dev/work/bin"),
            "{}",
            terminal.path_value
        );
        assert_eq!(terminal.vars["GOBIN"].value.as_deref(), Some(""));
        assert!(terminal.unknowns.is_empty(), "{:?}", terminal.unknowns);
    }

    #[test]
    fn secrets_in_startup_files_and_units_never_reach_the_snapshot() {
        let (_dir, host) = image(&[
            ("/etc/passwd", PASSWD),
            (
                "/home/dev/.bashrc",
                "export HTTPS_PROXY=http://bob:hunter2@proxy:3128\nexport GITHUB_TOKEN=hunter2\nexport GOPROXY=\"https://u:hunter2@p/\n",
            ),
            ("/home/dev/.profile", ". ~/.bashrc\n"),
            (
                "/home/dev/.config/systemd/user/x.service",
                "[Service]\nEnvironment=GOPROXY=https://u:hunter2@p/\nEnvironmentFile=%h/.x.env\n",
            ),
            ("/home/dev/.x.env", "GONOSUMDB_TOKEN=hunter2\n"),
            (
                "/home/dev/.config/environment.d/p.conf",
                "ALL_PROXY=socks5://a:hunter2@h\n",
            ),
        ]);
        let snapshot = collect(&host, &CollectOptions::default()).unwrap();
        let json = serde_json::to_string(&snapshot).unwrap();
        assert!(!json.contains("hunter2"), "{json}");
        assert!(
            snapshot.shell.files.iter().any(|f| !f.unparsed.is_empty()),
            "the unterminated quote is recorded"
        );
    }
}
