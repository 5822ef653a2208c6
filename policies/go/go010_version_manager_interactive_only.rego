# METADATA
# title: Go version manager active only in terminals, or shadowed by another go
# description: |
#   goenv, asdf, mise and gvm put their Go on PATH when their activation line runs
#   (`eval "$(goenv init -)"`, `. ~/.asdf/asdf.sh`, `eval "$(mise activate bash)"`,
#   `source ~/.gvm/scripts/gvm`). In ~/.bashrc or ~/.zshrc that line runs only in
#   interactive shells: a terminal uses the managed Go, while editors started from the
#   desktop and `bash -lc` use the system Go, or none.
#   goenv also appends its shims to PATH unless GOENV_PATH_ORDER=front, so a system
#   `go` earlier on PATH keeps winning over the version goenv selects.
#   Decision: a manager counts as installed when its shims directory exists (gvm: its
#   `scripts/gvm`), and as active in a session when its activation line ran there or
#   its shims directory is on that session's PATH (environment.d or a PATH line). The
#   rule fires when it is active in the terminal session and in neither the login shell
#   nor the desktop session (see `shell.sessions` in the snapshot schema), and, for
#   goenv, when in the terminal its shims come after another directory holding `go`
#   while the shims hold a `go` of their own. Activations are recognised by their
#   text and their effect is modelled; they are never run.
# related_resources:
#   - ref: https://github.com/go-nv/goenv/blob/master/ENVIRONMENT_VARIABLES.md
#   - ref: https://github.com/microsoft/vscode/issues/108003
# custom:
#   id: GO010
#   severity: warning
#   since: 1.0.0
#   category: Toolchain
#   remediation: |
#     {% if vars.kind == "order" %}Put goenv's shims first: set the order before the activation line in {{ vars.file }}:
#       sed -i '{{ vars.line }}i export GOENV_PATH_ORDER=front' {{ vars.file }}
#     {% else %}Activate {{ vars.manager }} where every session reads it: move line {{ vars.line }} of {{ vars.file }} to {{ vars.profile }}:
#       sed -n '{{ vars.line }}p' {{ vars.file }} >> {{ vars.profile }} && sed -i '{{ vars.line }}d' {{ vars.file }}
#     or put its shims on the desktop session's PATH:
#       mkdir -p {{ vars.environment_d_dir }} && echo 'PATH={{ vars.shims_dir }}:$PATH' >> {{ vars.environment_d_dir }}/go.conf
#     {% endif %}Then open a new terminal, or log out and back in for the desktop.
package envgate.go.go010_version_manager_interactive_only

import data.envgate.go.lib
import data.envgate.go.shell_lib
import rego.v1

managers := object.get(input, ["shell", "installed_managers"], [])

activation(session, m) := a if {
	some a in object.get(shell_lib.session(session), "activations", [])
	a.manager == m.name
}

active(session, m) if activation(session, m)

active(session, m) if shell_lib.on_session_path(session, m.shims_dir)

# Where the terminal activates it: the activation line, else the PATH line.
terminal_place(m) := {"file": a.file, "line": a.line} if {
	a := [x | some x in shell_lib.session("terminal").activations; x.manager == m.name][0]
} else := {"file": e.file, "line": e.line} if {
	e := shell_lib.session_entry("terminal", m.shims_dir)
	is_string(e.file)
}

deny contains finding if {
	some m in managers
	active("terminal", m)
	not active("login", m)
	not active("gui", m)
	place := terminal_place(m)
	finding := {
		"msg": sprintf("%s is installed but activated only in interactive shells (%s:%d): editors started from the desktop and non-interactive login shells do not get its Go", [m.name, place.file, place.line]),
		"location": place,
		"vars": object.union(common(m, place), {"kind": "interactive"}),
	}
}

deny contains finding if {
	some m in managers
	m.name == "goenv"
	path := shell_lib.session_path("terminal")
	some i, shims in path
	shims.dir == m.shims_dir
	"go" in shims.programs
	earlier := [e.dir | some j, e in path; j < i; "go" in e.programs; e.dir != m.shims_dir]
	count(earlier) > 0
	place := terminal_place(m)
	finding := {
		"msg": sprintf("goenv's shims (%s) come after %s on PATH, so `go` runs %s/go instead of the version goenv selects: goenv appends its shims unless GOENV_PATH_ORDER=front", [m.shims_dir, earlier[0], earlier[0]]),
		"location": place,
		"vars": object.union(common(m, place), {"kind": "order", "shadowed_by": earlier[0]}),
	}
}

common(m, place) := {
	"manager": m.name,
	"shims_dir": m.shims_dir,
	"file": place.file,
	"line": place.line,
	"profile": lib.login_profile,
	"environment_d_dir": sprintf("%s/.config/environment.d", [lib.home]),
}
