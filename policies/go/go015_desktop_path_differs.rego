# METADATA
# title: The desktop session's PATH misses Go programs login shells find
# description: |
#   Programs started from the desktop (editors, IDEs) get the desktop session's PATH,
#   built by the systemd user manager and the display manager, not a shell's. When a
#   login shell finds go, gopls or dlv and the desktop finds none, or a different
#   toolchain, the editor runs another Go than the terminal, or none.
#   Decision: "differs" means, for go, gopls and dlv, that the login side resolves the
#   program and the desktop resolves none or a different file (symlinks resolved, so
#   /bin and /usr/bin on a merged-/usr system are one directory), or that the
#   `go install` directory, holding programs, is on the login side's PATH and not on the
#   desktop's. Other reordering or extra entries do not count, nor does a desktop that
#   has more than login shells. The login side is, for an image, the reconstructed login
#   shell outside the desktop (/etc/environment, then the login shell's login files);
#   live, the PATH of the running process. The desktop is always reconstructed from
#   files (/etc/environment, environment.d, then /etc/profile and ~/.profile read by
#   /bin/sh, as Debian's and Ubuntu's Xsession does): envgate runs nothing but Go, so
#   `systemctl --user show-environment` is not asked. Nothing is reported when the
#   desktop's PATH holds entries envgate could not evaluate, nor about a directory that a
#   version manager's activation put on the login side's PATH (the line itself, or a
#   file it generates and reads, such as gvm's ~/.gvm/environments/default) when GO010
#   reports that manager: that rule's fix is the one to follow.
# related_resources:
#   - ref: https://github.com/microsoft/vscode/issues/108003
#   - ref: https://github.com/golang/vscode-go/issues/1823
# custom:
#   id: GO015
#   severity: warning
#   since: 1.0.0
#   autofix: safe
#   category: Shell & PATH
#   systems: [linux, darwin]
#   remediation: |
#     {% if host.os == "darwin" %}Give apps started from the Dock, Finder or Spotlight the same PATH through launchd (macOS has no environment.d; this sets the PATH of every user's launchd session):
#       sudo launchctl config user path '{{ vars.launchd_path }}'
#     Then restart. Editors that take their environment from a login shell, as VS Code does, already see the terminal's PATH.
#     {% else %}Give the desktop session the same PATH through systemd's environment.d (it expands $PATH itself):
#       mkdir -p {{ vars.environment_d_dir }} && echo '{{ vars.line }}' >> {{ vars.environment_d_dir }}/go.conf
#     {% if vars.set_at %}or fix what changes PATH for the desktop at {{ vars.set_at }}.
#     {% endif %}Then log out and back in.{% endif %}
package envgate.go.go015_desktop_path_differs

import data.envgate.go.fix_lib
import data.envgate.go.lib
import data.envgate.go.shell_lib
import rego.v1

watched := ["go", "gopls", "dlv"]

gui := shell_lib.session("gui")

# Where the login side finds a program: {dir, realpath, file, line} (file/line when a
# file added the entry).
login_finds(p) := found if {
	input.mode == "image"
	r := shell_lib.session("login").resolved[p]
	e := shell_lib.session_path("login")[r.index]
	found := {"dir": r.dir, "realpath": r.realpath, "file": e.file, "line": e.line, "source": e.source}
}

login_finds(p) := found if {
	input.mode == "live"
	r := input.path.resolved[p]
	found := {"dir": input.path.entries[r.index].raw, "realpath": r.realpath, "file": null, "line": null, "source": "live"}
}

login_dirs := shell_lib.session_dirs("login") if input.mode == "image"

login_dirs := {trim_right(e.raw, "/") | some e in input.path.entries} if input.mode == "live"

# The desktop does not find `p` where the login side does, and GO010 does not already
# report the version manager that gives it to the login side.
differs(p) if {
	l := login_finds(p)
	is_object(l)  # holds for any defined value (L012)
	not gui.resolved[p]
	not from_reported_manager(l)
}

differs(p) if {
	l := login_finds(p)
	is_object(l)  # holds for any defined value (L012)
	g := gui.resolved[p]
	g == g  # true for any value: tested so an undefined one fails the body on unpatched regorus too (lint L012)
	not same_program(l, g)
	not from_reported_manager(l)
}

from_reported_manager(entry) if {
	input.mode == "image"
	shell_lib.reported_activation("login", entry)
}

same_program(l, g) if {
	is_string(l.realpath)
	l.realpath == g.realpath
}

same_program(l, g) if trim_right(l.dir, "/") == trim_right(g.dir, "/")

# The lookup stays in the body: a head value that is undefined (an entry without `dir`)
# must fall to the else, which regorus's interpreter does not do for functions.
desktop_has(p) := text if {
	dir := gui.resolved[p].dir
	text := sprintf("%s → %s/%s", [p, dir, p])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("%s → not found", [p])

# One finding per login-side directory whose programs the desktop misses.
deny contains finding if {
	count(gui) > 0
	not shell_lib.has_unknown_entries("gui")
	some dir in {login_finds(p).dir | some p in watched; differs(p)}
	programs := [p | some p in watched; differs(p); login_finds(p).dir == dir]
	first := login_finds(programs[0])
	missing := [p | some p in programs; not gui.resolved[p]]
	line := env_line(dir, count(missing) == count(programs))
	finding := object.union(
		{
			"msg": sprintf("%s find %s in %s%s, but programs started from the desktop do not (desktop session: %s)", [login_side, concat(", ", programs), dir, added_by(first), concat(", ", [desktop_has(p) | some p in programs])]),
			"vars": vars(dir, programs, line),
			# Appended where the desktop session reads it last; safe when the desktop
			# finds none of these programs now (nothing is replaced), unsafe when it
			# finds others (which toolchain runs changes).
			"fix": gui_fix(dir, count(missing) == count(programs)),
		},
		where(first),
	)
}

# The `go install` directory, when no program above already named it.
deny contains finding if {
	count(gui) > 0
	not shell_lib.has_unknown_entries("gui")
	tools := input.go.tools_dir
	tools.exists
	count(tools.programs) > 0
	dir := trim_right(tools.path, "/")
	dir in login_dirs
	not shell_lib.on_session_path("gui", dir)
	not dir in {trim_right(login_finds(p).dir, "/") | some p in watched; differs(p)}
	entry := login_entry(dir)
	not from_reported_manager(entry)
	line := env_line(dir, true)
	finding := object.union(
		{
			"msg": sprintf("%s have %s (where `go install` puts programs: %s) on PATH%s, but the desktop session does not, so editors started from the desktop do not find them", [login_side, dir, concat(", ", tools.programs), added_by(entry)]),
			"vars": vars(dir, tools.programs, line),
			"fix": gui_fix(dir, true),
		},
		where(entry),
	)
}

login_side := "login shells" if input.mode == "image"

login_side := "this shell's PATH and programs started from it" if input.mode == "live"

# Heads use object.get: an entry missing a field must not make the head undefined
# (regorus's interpreter then does not fall to a function's else).
login_entry(dir) := {"dir": object.get(e, "dir", dir), "file": object.get(e, "file", null), "line": object.get(e, "line", null), "source": object.get(e, "source", null)} if {
	input.mode == "image"
	e := shell_lib.session_entry("login", dir)
	is_object(e)  # holds for any defined value (L012)
} else := {"dir": dir, "file": null, "line": null, "source": "live"}

added_by(entry) := sprintf(" (added by %s:%d)", [entry.file, entry.line]) if {
	is_string(entry.file)
	is_number(entry.line)
} else := ""

# Where to point: the line that adds the directory for login shells, else where the
# desktop's PATH was last set (an environment.d line replacing PATH, say).
where(entry) := {"location": {"file": entry.file, "line": object.get(entry, "line", null)}} if {
	is_string(entry.file)
	entry.source in {"shell", "activation"}
} else := {"location": {"file": at.file, "line": object.get(at, "line", null)}} if {
	at := gui.path_set_at
	is_string(at.file)
} else := {"subject": "path"}

# Missing directories are appended; one that must win over another Go goes first.
env_line(dir, true) := sprintf("PATH=$PATH:%s", [dir])

env_line(dir, false) := sprintf("PATH=%s:$PATH", [dir])

vars(dir, programs, line) := {
	"dir": dir,
	"programs": programs,
	"line": line,
	"environment_d_dir": sprintf("%s/.config/environment.d", [lib.home]),
	"set_at": set_at,
	"launchd_path": launchd_path(dir, line),
}

# macOS: launchd's PATH with the directory, where the environment.d line would put it.
launchd_path(dir, line) := concat(":", array.concat(gui_dirs, [dir])) if startswith(line, "PATH=$PATH:")

launchd_path(dir, line) := concat(":", array.concat([dir], gui_dirs)) if not startswith(line, "PATH=$PATH:")

gui_dirs := [e.dir | some e in shell_lib.session_path("gui"); is_string(e.dir)]

set_at := sprintf("%s:%d", [gui.path_set_at.file, gui.path_set_at.line]) if {
	is_string(gui.path_set_at.file)
	gui.path_set_at.file != "/etc/profile"
	not endswith(gui.path_set_at.file, "/.profile")
} else := ""

gui_fix(dir, true) := [fix_lib.append_line(fix_lib.session_file("gui"), sprintf(`export PATH="$PATH:%s"`, [dir]), true)] if {
	input.mode == "image"
}

gui_fix(dir, false) := [fix_lib.append_line(fix_lib.session_file("gui"), sprintf(`case ":$PATH:" in ":%s:"*) ;; *) export PATH="%s:$PATH" ;; esac`, [dir, dir]), false)] if {
	input.mode == "image"
}

gui_fix(_, _) := [] if input.mode != "image"
