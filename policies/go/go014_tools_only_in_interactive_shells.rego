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
#   A directory that a version manager's activation line puts there (itself, or through
#   a file it generates and the activation reads, such as gvm's
#   ~/.gvm/environments/default, which `gvm use … --default` rewrites) is GO010's: when
#   GO010 reports that manager nothing is said here, and otherwise the finding points at
#   the activation line and leaves the generated file alone.
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
#   autofix: safe
#   category: Shell & PATH
#   systems: [linux, darwin]
#   remediation: |
#     {% if vars.delete %}Move the PATH line from {{ vars.file }} to your login file, which login shells and the desktop session read:
#       {{ vars.delete }}
#     {% else %}Add the directory to PATH in your login file, which login shells and the desktop session read ({{ vars.file }}:{{ vars.line }} activates {{ vars.manager }}; keep it):
#     {% endif %}  echo 'export PATH="$PATH:{{ vars.dir }}"' >> {{ vars.profile }}
#     or give programs started from the desktop the same PATH through systemd:
#       mkdir -p {{ vars.environment_d_dir }} && echo 'PATH=$PATH:{{ vars.dir }}' >> {{ vars.environment_d_dir }}/go.conf
#     then log out and back in.
package envgate.go.go014_tools_only_in_interactive_shells

import data.envgate.go.fix_lib
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
	not shell_lib.reported_activation("terminal", entry)
	place := placed(entry)
	finding := {
		"msg": sprintf("%s (holding %s) is put on PATH only by %s:%d%s, %s: %s and %s do not find %s", [dir.path, concat(", ", tools), place.file, place.line, place.through, reason(place), shell_lib.session_name("gui"), shell_lib.session_name("login"), concat(" or ", tools)]),
		"location": {"file": place.file, "line": place.line},
		"vars": {
			"dir": dir.path,
			"programs": tools,
			"file": place.file,
			"line": place.line,
			"manager": place.manager,
			"profile": lib.login_profile,
			"delete": place.delete,
			"environment_d_dir": sprintf("%s/.config/environment.d", [lib.home]),
		},
		# The interactive-only line stays (terminals then list the directory twice, which
		# changes no lookup); the same line as GO013's goes where the other sessions read.
		"fix": fix_lib.path_append_edits(dir.path, true),
	}
}

# Where the entry comes from: a version manager's activation line when the entry is that
# activation's (a file it read is the manager's, not to be edited), else its own line.
# (Two definitions rather than an else chain: regorus's VM and interpreter disagree on
# an else chain whose first body indexes an empty array.)
placed(entry) := place if {
	activations := shell_lib.entry_activations("terminal", entry)
	count(activations) > 0
	a := activations[0]
	place := {
		"file": a.file,
		"line": a.line,
		"through": through(entry, a),
		"manager": a.manager,
		"delete": "",
	}
}

placed(entry) := place if {
	count(shell_lib.entry_activations("terminal", entry)) == 0
	place := {
		"file": entry.file,
		"line": entry.line,
		"through": "",
		"manager": "",
		"delete": sprintf("%ssed -i '%dd' %s", [lib.sudo_for(entry.file), entry.line, entry.file]),
	}
}

through(entry, a) := sprintf(" (%s's activation, through %s:%d)", [a.manager, entry.file, entry.line]) if entry.file != a.file

through(entry, a) := sprintf(" (%s's activation)", [a.manager]) if entry.file == a.file

# Why the line does not run outside interactive shells.
reason(place) := sprintf("below its non-interactive guard (line %d)", [f.interactive_guard_line]) if {
	f := shell_lib.startup_file(place.file)
	is_number(f.interactive_guard_line)
	f.interactive_guard_line < place.line
} else := "which only interactive shells read"
