# METADATA
# title: zsh user whose Go setup is in files zsh never reads
# description: |
#   zsh reads ~/.zshenv, ~/.zprofile, ~/.zshrc and ~/.zlogin (and their /etc
#   counterparts), never ~/.profile or ~/.bashrc. A user who switched to zsh (macOS's
#   default, or `chsh`) and followed a bash-oriented Go install guide has GOPATH and
#   the Go PATH entries in files no zsh session runs: `go` or gopls is "not found" in
#   every terminal and SSH login.
#   Decision: fires for a user whose login shell is zsh when ~/.profile or ~/.bashrc has
#   Go lines (a GO* or CGO_* variable, or a PATH edit adding a Go directory) that the
#   reconstructed zsh terminal session neither reads (an `emulate sh -c '. ~/.profile'`
#   in a zsh file counts as reading it) nor gets from elsewhere, and no file that session
#   reads has a Go line of its own. One finding per file, at its first such line. The
#   desktop session is not judged here: Debian's Xsession reads ~/.profile with /bin/sh
#   whatever the login shell.
# related_resources:
#   - ref: https://zsh.sourceforge.io/Intro/intro_3.html
# custom:
#   id: GO017
#   severity: warning
#   since: 1.0.0
#   category: Shell & PATH
#   remediation: |
#     {% if vars.profile_file %}Have zsh read {{ vars.file }} from its login file:
#       echo "emulate sh -c '. {{ vars.file }}'" >> {{ vars.zprofile }}
#     {% else %}Copy the Go lines to zsh's login file:
#       sed -n '{{ vars.sed_lines }}' {{ vars.file }} >> {{ vars.zprofile }}
#     {% endif %}then open a new terminal.
package envgate.go.go017_zsh_misses_go_setup

import data.envgate.go.lib
import data.envgate.go.shell_lib
import rego.v1

# A file the zsh terminal reads has Go lines: Go was set up for zsh too.
zsh_has_go_setup if {
	some f in object.get(shell_lib.session("terminal"), "files_read", [])
	count(shell_lib.go_lines(f.path)) > 0
}

deny contains finding if {
	input.shell.login_shell == "zsh"
	not zsh_has_go_setup
	some name in [".profile", ".bashrc"]
	file := shell_lib.user_file(name)
	not shell_lib.session_read("terminal", file)
	lines := [a | some a in shell_lib.go_lines(file); not shell_lib.covered_in(a, "terminal")]
	count(lines) > 0
	first := lines[0]
	finding := {
		"msg": sprintf("the login shell is zsh, which never reads %s, so the Go setup there is missing from zsh terminals and SSH logins: %s:%d `%s`%s", [file, file, first.line, shell_lib.shown(first), more(lines)]),
		"location": {"file": file, "line": first.line},
		"vars": {
			"file": file,
			"profile_file": name == ".profile",
			"zprofile": sprintf("%s/.zprofile", [lib.home]),
			"sed_lines": concat(";", [sprintf("%dp", [a.line]) | some a in lines]),
			"lines": [a.line | some a in lines],
		},
	}
}

more(lines) := sprintf(" and %d more", [count(lines) - 1]) if count(lines) > 1 else := ""
