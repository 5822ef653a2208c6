# METADATA
# title: Go version manager active only in terminals, or shadowed by another go
# description: |
#   goenv, asdf, mise and gvm put their Go on PATH when their activation line runs
#   (`eval "$(goenv init -)"`, `. ~/.asdf/asdf.sh`, `eval "$(mise activate bash)"`,
#   `source ~/.gvm/scripts/gvm`). In ~/.bashrc or ~/.zshrc that line runs only in
#   interactive shells: a terminal uses the managed Go, while editors started from the
#   desktop and `bash -lc` use the system Go, or none. Moved to ~/.profile as written,
#   it may still not run for the desktop: Debian's and Ubuntu's desktop session reads
#   ~/.profile with /bin/sh, which is dash, and dash has no `[[ … ]]` and no `source`
#   (gvm's installer writes `[[ -s "…/scripts/gvm" ]] && source "…/scripts/gvm"`), so
#   the line is "command not found" there. gvm's loader itself is written for bash and
#   zsh: dash sourcing it stops at a syntax error, which ends the session script that
#   was reading ~/.profile.
#   goenv also appends its shims to PATH unless GOENV_PATH_ORDER=front, so a system
#   `go` earlier on PATH keeps winning over the version goenv selects.
#   Decision: a manager counts as installed when its shims directory exists (gvm: its
#   `scripts/gvm`), and as active in a session when its activation line ran there or a
#   directory through which it provides Go is on that session's PATH: its shims, or for
#   gvm the `bin` of one of its Go installs (`~/.gvm/gos/<version>/bin`; gvm's own
#   `bin` holds only the `gvm` command). The rule fires when it is active in the
#   terminal session and in neither the login shell nor the desktop session (see
#   `shell.sessions` in the snapshot schema); when the desktop session reads one of its
#   activation lines and cannot run it (`shell.sessions.gui.unsupported`) while the
#   desktop has no Go from it otherwise; and, for goenv, when in the terminal its shims
#   come after another directory holding `go` while the shims hold a `go` of their own.
#   Activations are recognised by their text and their effect is modelled; they are
#   never run. For gvm the fix loads gvm's generated default environment
#   (`~/.gvm/environments/default`, POSIX sh, rewritten by `gvm use … --default`)
#   rather than gvm's loader, and keeps gvm's own line where terminals read it. No
#   environment.d alternative is offered for gvm: it would pin one version, GOROOT set
#   there is GO020's finding, and Debian's /etc/profile, which the desktop session reads
#   after environment.d, sets PATH anew.
# related_resources:
#   - ref: https://github.com/go-nv/goenv/blob/master/ENVIRONMENT_VARIABLES.md
#   - ref: https://github.com/microsoft/vscode/issues/108003
#   - ref: https://github.com/moovweb/gvm/blob/master/binscripts/gvm-installer
# custom:
#   id: GO010
#   severity: warning
#   since: 1.0.0
#   category: Toolchain
#   systems: [linux, darwin]
#   remediation: |
#     {% if vars.kind == "order" %}Put goenv's shims first: set the order before the activation line in {{ vars.file }}:
#       sed -i '{{ vars.line }}i export GOENV_PATH_ORDER=front' {{ vars.file }}
#     {% elif vars.kind == "sh" and vars.manager == "gvm" %}In {{ vars.file }}, which {{ vars.sh }} reads, load only gvm's default environment, in POSIX sh:
#       sed -i '{{ vars.line }}c [ -s "{{ vars.default_env }}" ] && . "{{ vars.default_env }}"' {{ vars.file }}
#     {% if vars.rc_keeps_gvm %}Terminals keep the `gvm` command through gvm's own line in {{ vars.rc }}.
#     {% else %}For the `gvm` command in terminals, put gvm's own line in {{ vars.rc }}:
#       echo '{{ vars.text }}' >> {{ vars.rc }}
#     {% endif %}{% elif vars.kind == "sh" %}Write line {{ vars.line }} of {{ vars.file }} in POSIX sh, which {{ vars.sh }} runs (`[ … ]` for `[[ … ]]`, `.` for `source`):
#       sed -i -e '{{ vars.line }}s/\[\[ \(.*\) \]\]/[ \1 ]/' -e '{{ vars.line }}s/\(^\|[;&|] *\)source /\1. /g' {{ vars.file }}
#     {% elif vars.manager == "gvm" %}Give every session gvm's default Go: load gvm's default environment from {{ vars.profile }}, in POSIX sh (not gvm's own line: its loader is bash/zsh-only, and the desktop reads that file with /bin/sh). `gvm use <version> --default` rewrites that environment, so the line follows gvm's default. Keep line {{ vars.line }} of {{ vars.file }} for the `gvm` command in terminals.
#       echo '[ -s "{{ vars.default_env }}" ] && . "{{ vars.default_env }}"' >> {{ vars.profile }}
#     {% else %}Activate {{ vars.manager }} where every session reads it: move line {{ vars.line }} of {{ vars.file }} to {{ vars.profile }}:
#       sed -n '{{ vars.line }}p' {{ vars.file }} >> {{ vars.profile }} && sed -i '{{ vars.line }}d' {{ vars.file }}
#     or put its shims on the desktop session's PATH:
#       mkdir -p {{ vars.environment_d_dir }} && echo 'PATH={{ vars.shims_dir }}:$PATH' >> {{ vars.environment_d_dir }}/go.conf
#     {% endif %}Then open a new terminal, or log out and back in for the desktop.
package envgate.go.go010_version_manager_interactive_only

import data.envgate.go.lib
import data.envgate.go.shell_lib
import rego.v1

# Where the terminal activates it: the activation line, else the PATH line. Each
# body checks the fields it returns: a head value that is undefined (an activation
# without a file) must fall to the next else, which regorus's interpreter does not do
# for functions.
terminal_place(m) := {"file": a.file, "line": a.line} if {
	a := shell_lib.session_activations("terminal", m)[0]
	is_string(a.file)
	a.line
} else := place if {
	e := [x |
		some x in shell_lib.session_path("terminal")
		is_string(x.dir)
		shell_lib.manager_go_dir(m, x.dir)
		is_string(x.file)
		x.line
	][0]
	place := {"file": e.file, "line": e.line}
	is_object(place)  # holds for any defined value (L012)
} else := {"file": e.file, "line": e.line} if {
	e := shell_lib.session_entry("terminal", m.shims_dir)
	is_string(e.file)
	e.line
}

deny contains finding if {
	some m in shell_lib.managers
	shell_lib.manager_terminal_only(m)
	place := terminal_place(m)
	finding := {
		"msg": sprintf("%s is installed but activated only in interactive shells (%s:%d, read by %s): %s and %s do not get its Go", [m.name, place.file, place.line, shell_lib.session_name("terminal"), shell_lib.session_name("gui"), shell_lib.session_name("login")]),
		"location": place,
		"vars": object.union(common(m, place), {"kind": "interactive"}),
	}
}

# An activation line the desktop's /bin/sh reads and cannot run.
deny contains finding if {
	some m in shell_lib.managers
	some u in shell_lib.sh_failures(m)
	place := {"file": u.file, "line": u.line}
	finding := {
		"msg": sh_message(m, u),
		"location": place,
		"vars": object.union(common(m, place), {
			"kind": "sh",
			"sh": sh_name,
			"command": u.command,
			"effect": u.effect,
			"text": activation_text(m, u),
			"rc": rc,
			"rc_keeps_gvm": rc_keeps(m, u),
		}),
	}
}

deny contains finding if {
	some m in shell_lib.managers
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

# What the desktop's /bin/sh is: the program the image's /bin/sh resolves to.
sh_name := sprintf("/bin/sh (%s)", [shell_lib.session("gui").program]) if is_string(shell_lib.session("gui").program)

sh_name := "/bin/sh (taken to be dash, as on Debian and Ubuntu)" if not is_string(shell_lib.session("gui").program)

sh_message(m, u) := sprintf("%s's activation line (%s:%d) does nothing for the desktop session: %s reads %s and has no `%s` (command not found), so editors started from the desktop do not get %s's Go", [m.name, u.file, u.line, sh_name, u.file, u.command, m.name]) if u.effect == "not-found"

sh_message(m, u) := sprintf("%s's activation line (%s:%d) ends the desktop session's start-up: %s, reading %s, sources %s's loader, written for bash and zsh, and stops at a syntax error, which ends the script that was reading the file", [m.name, u.file, u.line, sh_name, u.file, m.name]) if u.effect == "stops"

# The activation line as written.
activation_text(m, u) := concat("", array.slice(texts, 0, 1)) if {
	texts := [a.text |
		some a in shell_lib.startup_file(u.file).activations
		a.manager == m.name
		a.line == u.line
	]
}

# The file interactive shells of the user's shell read.
rc := sprintf("%s/.zshrc", [lib.home]) if {
	is_string(input.host.login_shell)
	endswith(input.host.login_shell, "/zsh")
} else := sprintf("%s/.bashrc", [lib.home])

# Terminals still activate the manager once the line at `u` is rewritten.
rc_keeps(m, u) := true if other_activation(m, u)

rc_keeps(m, u) := false if not other_activation(m, u)

other_activation(m, u) if {
	some a in shell_lib.session_activations("terminal", m)
	a.file != u.file
}

common(m, place) := object.union(
	{
		"manager": m.name,
		"shims_dir": m.shims_dir,
		"file": place.file,
		"line": place.line,
		"profile": lib.login_profile,
		"environment_d_dir": environment_d_dir,
	},
	gvm_vars(m),
)

environment_d_dir := sprintf("%s/.config/environment.d", [lib.home])

# gvm: its generated default environment, for the fix.
gvm_vars(m) := vars if {
	m.name == "gvm"
	vars := {"default_env": sprintf("%s/environments/default", [shell_lib.manager_root(m)])}
	is_object(vars)  # holds for any defined value (L012)
} else := {}
