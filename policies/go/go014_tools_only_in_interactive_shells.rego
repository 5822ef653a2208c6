# METADATA
# title: Go tools reachable only from interactive shells
# description: |
#   gopls and dlv were `go install`ed into the Go install directory, but the line that
#   puts that directory on PATH runs only in interactive shells: it is in ~/.bashrc or
#   ~/.zshrc, or below the stock `case $- in *i*) ;; *) return;; esac` guard. A terminal
#   finds the tools; an editor started from the desktop (which gets the session's PATH,
#   not a terminal's) and `bash -lc` do not, and report "gopls not found".
#   Decision: envgate follows three sessions through the startup files (see
#   `shell.sessions` in the snapshot schema): a login shell outside the desktop (SSH, a
#   console, `bash -lc`: /etc/environment and the login shell's login files,
#   non-interactively), a terminal in the desktop (the login shell started
#   interactively, with environment.d), and the desktop itself (/etc/environment,
#   environment.d, then /etc/profile and ~/.profile read by /bin/sh, as Debian's and
#   Ubuntu's Xsession does). The rule fires when the install directory (GOBIN or the
#   first GOPATH entry's bin) holds gopls or dlv and is on the terminal's PATH but on
#   neither the login shell's nor the desktop's; the location is the line that adds it.
# related_resources:
#   - ref: https://github.com/microsoft/vscode/issues/108003
#   - ref: https://github.com/golang/vscode-go/issues/1823
#   - ref: https://github.com/golang/vscode-go/issues/971
#   - ref: https://github.com/golang/vscode-go/issues/713
#   - ref: https://github.com/microsoft/vscode-go/issues/1133
#   - ref: https://github.com/microsoft/vscode-go/issues/1325
# custom:
#   id: GO014
#   severity: warning
#   since: 1.0.0
#   category: Shell & PATH
#   remediation: |
#     Move the PATH line from {{ vars.file }} to your login file, which login shells and the desktop session read:
#       {{ vars.delete }}
#       echo 'export PATH="$PATH:{{ vars.dir }}"' >> {{ vars.profile }}
#     or give programs started from the desktop the same PATH through systemd:
#       mkdir -p {{ vars.environment_d_dir }} && echo 'PATH=$PATH:{{ vars.dir }}' >> {{ vars.environment_d_dir }}/go.conf
#     then log out and back in.
package envgate.go.go014_tools_only_in_interactive_shells

import data.envgate.go.lib
import data.envgate.go.shell_lib
import rego.v1

deny contains finding if {
	dir := input.go.tools_dir
	dir.exists
	tools := sort([p | some p in dir.programs; p in {"gopls", "dlv"}])
	count(tools) > 0
	entry := shell_lib.session_entry("terminal", dir.path)
	is_string(entry.file)
	not shell_lib.on_session_path("login", dir.path)
	not shell_lib.on_session_path("gui", dir.path)
	why := reason(entry)
	finding := {
		"msg": sprintf("%s (holding %s) is put on PATH only by %s:%d, %s: editors started from the desktop and non-interactive login shells (`bash -lc`, SSH commands) do not find %s", [dir.path, concat(", ", tools), entry.file, entry.line, why, concat(" or ", tools)]),
		"location": {"file": entry.file, "line": entry.line},
		"vars": {
			"dir": dir.path,
			"programs": tools,
			"file": entry.file,
			"line": entry.line,
			"profile": lib.login_profile,
			"delete": sprintf("%ssed -i '%dd' %s", [lib.sudo_for(entry.file), entry.line, entry.file]),
			"environment_d_dir": sprintf("%s/.config/environment.d", [lib.home]),
		},
	}
}

# Why the line does not run outside interactive shells.
reason(entry) := sprintf("below its non-interactive guard (line %d)", [f.interactive_guard_line]) if {
	f := shell_lib.startup_file(entry.file)
	is_number(f.interactive_guard_line)
	f.interactive_guard_line < entry.line
} else := "which only interactive shells read"
