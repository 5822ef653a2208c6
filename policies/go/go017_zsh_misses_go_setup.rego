# METADATA
# title: zsh user whose Go setup is in files zsh never reads
# description: |
#   zsh reads ~/.zshenv, ~/.zprofile, ~/.zshrc and ~/.zlogin (and their /etc
#   counterparts), never ~/.profile or ~/.bashrc. A user who switched to zsh (macOS's
#   default, or `chsh`) and followed a bash-oriented Go install guide has GOPATH and
#   the Go PATH entries in files no zsh session runs: `go` or gopls is "not found" in
#   every terminal and SSH login.
#   Decision: fires for a user whose login shell is zsh when ~/.profile or ~/.bashrc has
#   Go lines (a GO* or CGO_* variable, or a PATH edit adding a Go directory other than
#   the system's standard ones) that a zsh session (SSH and console logins, or the
#   desktop terminal, a non-login interactive zsh) neither reads (an
#   `emulate sh -c '. ~/.profile'` in a zsh file counts as reading it), nor inherits
#   from the desktop session (which reads ~/.profile with /bin/sh whatever the login
#   shell), nor gets from elsewhere, and no file those sessions read has a Go line of
#   its own. The message names the sessions that miss the lines. One finding per file,
#   at its first such line.
# related_resources:
#   - ref: https://zsh.sourceforge.io/Intro/intro_3.html
# custom:
#   id: GO017
#   severity: warning
#   since: 1.0.0
#   autofix: safe
#   category: Shell & PATH
#   systems: [linux, darwin]
#   remediation: |
#     {% if vars.profile_file %}Have zsh read {{ vars.file }} from its login file:
#       echo "emulate sh -c '. {{ vars.file }}'" >> {{ vars.zprofile }}
#     {% else %}Copy the Go lines to zsh's login file:
#       sed -n '{{ vars.sed_lines }}' {{ vars.file }} >> {{ vars.zprofile }}
#     {% endif %}then open a new terminal.
package envgate.go.go017_zsh_misses_go_setup

import data.envgate.go.fix_lib
import data.envgate.go.lib
import data.envgate.go.shell_lib
import rego.v1

# A file one of the zsh sessions reads itself has Go lines: Go was set up for zsh too.
zsh_has_go_setup if {
	some name in zsh_sessions
	some f in object.get(shell_lib.session(name), "files_read", [])
	count(shell_lib.go_lines(f.path)) > 0
}

# The sessions that run zsh: SSH and console logins, the desktop terminal.
zsh_sessions := ["login", "terminal"]

# The Go lines of `file` that the zsh session `name` misses: it neither reads the file
# (nor inherits what the desktop session read of it) nor gets them elsewhere.
missed(name, file) := [a |
	some a in shell_lib.go_lines(file)
	not shell_lib.session_read_or_inherited(name, file)
	not shell_lib.covered_in(a, name)
]

deny contains finding if {
	input.shell.login_shell == "zsh"
	not zsh_has_go_setup
	some name in [".profile", ".bashrc"]
	file := shell_lib.user_file(name)
	missing_in := [s | some s in zsh_sessions; count(missed(s, file)) > 0]
	count(missing_in) > 0
	lines := sort_by_line({a | some s in missing_in; some a in missed(s, file)})
	first := lines[0]
	finding := {
		"msg": sprintf("the login shell is zsh, which never reads %s, so the Go setup there is missing from %s: %s:%d `%s`%s", [file, concat(" and from ", [shell_lib.session_name(s) | some s in missing_in]), file, first.line, shell_lib.shown(first), more(lines)]),
		"location": {"file": file, "line": first.line},
		"vars": {
			"file": file,
			"profile_file": name == ".profile",
			"zprofile": sprintf("%s/.zprofile", [lib.home]),
			"sed_lines": concat(";", [sprintf("%dp", [a.line]) | some a in lines]),
			"lines": [a.line | some a in lines],
			"sessions": missing_in,
		},
		# The Go lines copied to ~/.zshenv, which every zsh reads (logins, terminals,
		# `ssh host cmd`); sh assignments mean the same in zsh.
		"fix": fix_lib.copy_lines(sprintf("%s/.zshenv", [lib.home]), lines),
	}
}

sort_by_line(set) := shell_lib.sort_lines([a | some a in set])

more(lines) := sprintf(" and %d more", [count(lines) - 1]) if count(lines) > 1 else := ""
