# METADATA
# title: ~/.bash_profile or ~/.bash_login hides the Go setup in ~/.profile
# description: |
#   A bash login shell reads only the first of ~/.bash_profile, ~/.bash_login and
#   ~/.profile that exists. Installers and tutorials append Go's PATH and GOPATH to
#   ~/.profile; once a ~/.bash_profile appears (often created by another tool), bash
#   login shells (SSH, `bash -l`, a console) stop reading ~/.profile and the Go setup
#   silently disappears there.
#   Decision: fires for a user whose login shell is bash when ~/.bash_profile or
#   ~/.bash_login exists, the reconstructed bash login session does not read ~/.profile
#   (directly or through any file it sources), and ~/.profile has Go lines (a GO* or
#   CGO_* variable, or a PATH edit adding a Go directory) whose effect the login
#   session does not get from elsewhere. The location is the first such line.
# related_resources:
#   - ref: https://www.gnu.org/software/bash/manual/html_node/Bash-Startup-Files.html
# custom:
#   id: GO016
#   severity: warning
#   since: 1.0.0
#   autofix: safe
#   category: Shell & PATH
#   systems: [linux, darwin]
#   remediation: |
#     Make {{ vars.hider }} read {{ vars.profile }}, as bash does when {{ vars.hider }} does not exist:
#       echo '[ -f "$HOME/.profile" ] && . "$HOME/.profile"' >> {{ vars.hider }}
#     (if both files source ~/.bashrc, keep that line in only one of them)
#     or move the Go lines ({{ vars.lines }}) from {{ vars.profile }} into {{ vars.hider }}.
package envgate.go.go016_bash_profile_hides_profile

import data.envgate.go.fix_lib
import data.envgate.go.shell_lib
import rego.v1

deny contains finding if {
	input.shell.login_shell == "bash"
	profile := shell_lib.user_file(".profile")
	shell_lib.file_exists(profile)
	hiders := [p | some name in [".bash_profile", ".bash_login"]; p := shell_lib.user_file(name); shell_lib.file_exists(p)]
	count(hiders) > 0
	hider := hiders[0]
	not shell_lib.session_read("login", profile)
	lines := [a | some a in shell_lib.go_lines(profile); not shell_lib.covered_in(a, "login")]
	count(lines) > 0
	first := lines[0]
	finding := {
		"msg": sprintf("%s exists and does not read %s, so %s never run the Go setup there: %s:%d `%s`%s", [hider, profile, shell_lib.session_name("login"), profile, first.line, shell_lib.shown(first), more(lines)]),
		"location": {"file": profile, "line": first.line},
		"vars": {
			"hider": hider,
			"profile": profile,
			"lines": concat(", ", [sprintf("line %d", [a.line]) | some a in lines]),
		},
		# The Go lines themselves, copied to the end of the file bash reads: sourcing all
		# of ~/.profile would also run what else is there (~/.bashrc a second time).
		"fix": fix_lib.copy_lines(hider, lines),
	}
}

more(lines) := sprintf(" and %d more", [count(lines) - 1]) if count(lines) > 1 else := ""
