# METADATA
# title: environment.d or a systemd user unit overrides PATH or Go settings
# description: |
#   systemd's environment.d files and the `Environment=`/`EnvironmentFile=` lines of
#   user units set variables for everything the user manager starts: the desktop,
#   its editors, terminals opened there. They are easy to forget (no shell file shows
#   them, SSH logins do not get them), and a file there that someone else can write
#   lets them choose which `go` or C compiler every build of yours runs.
#   Decision: adding a directory to PATH in your own environment.d file is what GO014
#   and GO015 recommend and is fine. The rule fires for a line that sets PATH or a Go
#   variable (GO*, CGO_*, CC, CXX, PKG_CONFIG*) in a file that is writable by group or
#   others, or owned by someone other than root (or whoever owns the image's `/`) and,
#   for the user's own files, the user; for PATH set without `$PATH` (it replaces the
#   PATH the session had instead of extending it); and for variables that change what
#   the go command downloads, trusts or runs (GOFLAGS, GOPROXY, GOSUMDB, GONOSUMDB,
#   GONOSUMCHECK, GOINSECURE, GOTOOLCHAIN, GOROOT, GOBIN, CC, CXX), which belong in
#   `go env -w`, read by every go command whatever started it; and for a `PATH=` line
#   that adds a directory others can fill: one writable by everyone, or a missing one
#   whose nearest existing parent is (`PATH=/tmp/tools/bin:$PATH` with no /tmp/tools:
#   anyone can create it, and it is searched before the system's `go`). Files
#   environment.d does not apply (masked by a same-named file) are not judged. One
#   finding per line.
# related_resources:
#   - ref: https://www.freedesktop.org/software/systemd/man/latest/environment.d.html
#   - ref: https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#Environment
# custom:
#   id: GO020
#   severity: warning
#   since: 1.0.0
#   autofix: safe
#   category: Shell & PATH
#   systems: [linux, darwin]
#   remediation: |
#     Review {{ vars.file }}:{{ vars.line }} (`{{ vars.name }}=…`):
#     {% for fix in vars.fixes %}  {{ fix }}
#     {% endfor %}Then log out and back in (or `systemctl --user daemon-reload` for a unit).
package envgate.go.go020_systemd_injects_go_env

import data.envgate.go.fix_lib
import data.envgate.go.lib
import data.envgate.go.shell_lib
import rego.v1

behaviour := {"GOFLAGS", "GOPROXY", "GOSUMDB", "GONOSUMDB", "GONOSUMCHECK", "GOINSECURE", "GOTOOLCHAIN", "GOROOT", "GOBIN", "CC", "CXX"}

watched(name) if name == "PATH"

watched(name) if startswith(name, "GO")

watched(name) if startswith(name, "CGO_")

watched(name) if name in {"CC", "CXX"}

watched(name) if startswith(name, "PKG_CONFIG")

systemd := object.get(input, "systemd_user", {})

# Every line that sets a watched variable, with the file it is in.
injections contains inj if {
	some f in object.get(systemd, "environment_d", [])
	f.masked_by == null
	some a in f.assignments
	watched(a.name)
	inj := object.union(a, {"file": f.path, "scope": f.scope, "owner_uid": f.owner_uid, "mode": f.mode, "kind": "environment.d file"})
}

injections contains inj if {
	some u in object.get(systemd, "units", [])
	some a in u.environment
	watched(a.name)
	inj := object.union(a, {"file": u.path, "scope": u.scope, "owner_uid": u.owner_uid, "mode": u.mode, "kind": "user unit"})
}

injections contains inj if {
	some u in object.get(systemd, "units", [])
	some ef in u.environment_files
	some a in ef.assignments
	watched(a.name)
	inj := object.union(a, {"file": ef.path, "scope": u.scope, "owner_uid": ef.owner_uid, "mode": ef.mode, "kind": sprintf("environment file of %s", [u.path])})
}

trusted_owners contains 0

trusted_owners contains input.host.root_owner_uid if is_number(input.host.root_owner_uid)

trusted_owners contains input.host.uid if {
	is_number(input.host.uid)
}

writable_by_others(inj) if {
	is_number(inj.mode)
	bits.and(inj.mode, 18) != 0 # 0o022
}

# A user's own file may be theirs; a system file must be root's.
foreign_owner(inj) if {
	is_number(inj.owner_uid)
	inj.scope == "user"
	not inj.owner_uid in trusted_owners
}

foreign_owner(inj) if {
	is_number(inj.owner_uid)
	inj.scope != "user"
	not inj.owner_uid in {0, object.get(input.host, "root_owner_uid", 0)}
}

reasons(inj) := [r | some r in array.concat(
	[
		writable_reason(inj),
		owner_reason(inj),
		path_reason(inj),
		behaviour_reason(inj),
	],
	unsafe_dir_reasons(inj),
); r != ""]

# A directory the line puts on the user manager's PATH that others can fill: it exists
# and is writable by others, or it is missing and the directory above it is.
unsafe_dir_reasons(inj) := [sprintf("it puts %s %s on the PATH of %s%s", [d.dir, unsafe_dir(d.facts), desktop, position(d.index)]) |
	inj.name == "PATH"
	some d in object.get(inj, "path_dirs", [])
	unsafe_dir(d.facts) != ""
]

desktop := sprintf("the systemd user manager and %s", [shell_lib.session_name("gui")])

position(0) := ", first, before every system directory"

position(i) := sprintf(" (entry %d)", [i]) if i > 0

unsafe_dir(f) := text if {
	not f.exists
	is_number(f.nearest_existing.mode)
	bits.and(f.nearest_existing.mode, 2) != 0
	text := sprintf("(which does not exist, and %s above it is writable by everyone, mode %s, so anyone can create it and put a `go` there)", [f.nearest_existing.path, octal(f.nearest_existing.mode)])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("(writable by everyone, mode %s)", [octal(f.mode)]) if {
	f.exists
	is_number(f.mode)
	bits.and(f.mode, 2) != 0
} else := ""

writable_reason(inj) := text if {
	writable_by_others(inj)
	text := sprintf("the file is writable by group or others (mode %s)", [octal(inj.mode)])
	is_string(text)  # holds for any defined value (L012)
} else := ""

owner_reason(inj) := text if {
	foreign_owner(inj)
	text := sprintf("the file is owned by uid %d", [inj.owner_uid])
	is_string(text)  # holds for any defined value (L012)
} else := ""

path_reason(inj) := "it replaces PATH instead of extending $PATH" if {
	inj.name == "PATH"
	not inj.keeps_previous
} else := ""

behaviour_reason(inj) := sprintf("%s changes what the go command downloads, trusts or runs for programs started by the user manager only, not for SSH logins or cron", [inj.name]) if {
	inj.name in behaviour
} else := ""

# regorus writes `0O644` where OPA writes `644`.
octal(mode) := trim_prefix(lower(sprintf("%o", [mode])), "0o")

deny contains finding if {
	some inj in injections
	why := reasons(inj)
	count(why) > 0
	finding := {
		"msg": sprintf("%s:%d (%s) sets %s=%s: %s", [inj.file, inj.line, inj.kind, inj.name, inj.value, concat("; ", why)]),
		"location": {"file": inj.file, "line": inj.line},
		"vars": {
			"file": inj.file,
			"line": inj.line,
			"name": inj.name,
			"reasons": why,
			"fixes": fixes(inj),
		},
		"fix": array.concat(behaviour_edits(inj), mode_edits(inj)),
	}
}

fixes(inj) := [f | some f in array.concat(
	[
		fix_mode(inj),
		fix_owner(inj),
		fix_path(inj),
		fix_behaviour(inj),
	],
	[fix_dir(inj, d) | some d in object.get(inj, "path_dirs", []); unsafe_dir(d.facts) != ""],
); f != ""]

# A Go setting in an environment.d file moves to the `go env -w` file, made right on
# the way (fix_lib); GOROOT and GOTOOLCHAIN are only deleted, and unsafe: they choose
# the toolchain.
behaviour_edits(inj) := edits if {
	inj.kind == "environment.d file"
	behaviour_reason(inj) != ""
	not inj.name in {"GOROOT", "GOTOOLCHAIN"}
	edits := fix_lib.move_to_go_env(inj.file, inj.line, inj.name, inj.value)
	is_array(edits)  # holds for any defined value (L012)
} else := edits if {
	inj.kind == "environment.d file"
	behaviour_reason(inj) != ""
	edits := [object.union(fix_lib.delete_line(inj.file, inj.line, inj.name, inj.value), {"safe": false})]
	is_array(edits)  # holds for any defined value (L012)
} else := edits if {
	# A user unit's `Environment=NAME=value` line that sets only this variable: the
	# line goes, the value (made right) moves to the `go env -w` file, as above.
	inj.kind == "user unit"
	behaviour_reason(inj) != ""
	not inj.name in {"GOROOT", "GOTOOLCHAIN", "CC", "CXX"}
	count([a | some u in object.get(systemd, "units", []); u.path == inj.file; some a in u.environment; a.line == inj.line]) == 1
	moved := fix_lib.move_to_go_env(inj.file, inj.line, inj.name, inj.value)
	is_array(moved)  # holds for any defined value (L012)
	edits := [unit_line(e, inj) | some e in moved]
} else := []

# The environment.d line delete of move_to_go_env, as the unit's `Environment=` line.
unit_line(e, inj) := line if {
	e.kind == "delete_line"
	line := object.union(e, {"expect": sprintf("Environment=%s=%s", [inj.name, inj.value])})
	is_object(line)  # holds for any defined value (L012)
} else := e

mode_edits(inj) := edits if {
	writable_by_others(inj)
	edits := [fix_lib.chmod(inj.file, inj.mode - bits.and(inj.mode, 18))]
	is_array(edits)  # holds for any defined value (L012)
} else := []

fix_dir(inj, d) := sprintf(`%ssed -i '%ds|%s:\?||' %s   # drop %s; keep your tools in a directory only you can write, e.g. ~/.local/bin`, [lib.sudo_for(inj.file), inj.line, d.dir, inj.file, d.dir])

fix_mode(inj) := text if {
	writable_by_others(inj)
	text := sprintf("%schmod go-w %s", [lib.sudo_for(inj.file), inj.file])
	is_string(text)  # holds for any defined value (L012)
} else := ""

fix_owner(inj) := text if {
	foreign_owner(inj)
	owner := owner_name(inj)
	text := sprintf("sudo chown %s %s   # or delete it if you did not put it there", [owner, inj.file])
	is_string(text)  # holds for any defined value (L012)
} else := ""

owner_name(inj) := input.host.user if {
	inj.scope == "user"
	is_string(input.host.user)
} else := "root:"

fix_path(inj) := text if {
	path_reason(inj) != ""
	text := sprintf(`%ssed -i '%ds/^\(\s*\)PATH=/\1PATH=$PATH:/' %s   # extend PATH instead of replacing it`, [lib.sudo_for(inj.file), inj.line, inj.file])
	is_string(text)  # holds for any defined value (L012)
} else := ""

fix_behaviour(inj) := text if {
	behaviour_reason(inj) != ""
	not inj.name in {"CC", "CXX"}
	text := sprintf("%ssed -i '%dd' %s && go env -w %s='…'   # the value you want, for every go command", [lib.sudo_for(inj.file), inj.line, inj.file, inj.name])
	is_string(text)  # holds for any defined value (L012)
} else := text if {
	behaviour_reason(inj) != ""
	text := sprintf("%ssed -i '%dd' %s && go env -w %s=…   # or set it per project", [lib.sudo_for(inj.file), inj.line, inj.file, inj.name])
	is_string(text)  # holds for any defined value (L012)
} else := ""
