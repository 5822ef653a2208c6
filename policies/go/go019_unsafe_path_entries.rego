# METADATA
# title: Unsafe PATH entries
# description: |
#   Checks each PATH entry for ways someone else, or the current directory, could decide
#   which program runs when you type `go`, `gcc` or `git`: an empty entry (`::`, or a
#   leading or trailing `:`) and `.` both mean the current directory, so a checked-out
#   repository can plant a `go` that runs instead of the real one; a relative entry points
#   somewhere different in every directory; a directory that everyone can write to, or
#   that another non-root user owns, lets them drop programs in.
#   Decision: relative entries that start with `~` or contain `$` are GO018's (unexpanded
#   shell syntax) and not reported here. A directory writable by others is reported even
#   with the sticky bit (like /tmp): the sticky bit only protects files already there, so
#   anyone can still add a new `go` to it. Ownership is compared with the checked user's
#   uid, root, and the owner of `/` (an image unpacked by an ordinary account is owned by
#   it throughout) only when both are known. One finding per entry, naming every problem it
#   has. Besides the checked environment's PATH, every session envgate reconstructs
#   (SSH and console logins, the desktop session, the desktop terminal, editors) is
#   checked for entries a startup file or environment.d adds that do not exist while
#   the directory above them is writable by everyone (`/tmp/tools/bin`: anyone can
#   create it and put a `go` there); one finding per line that adds such a directory,
#   naming the sessions whose PATH has it.
# related_resources:
#   - ref: https://go.dev/blog/path-security
# custom:
#   id: GO019
#   severity: error
#   since: 0.1.0
#   autofix: safe
#   category: Shell & PATH
#   systems: [linux, darwin]
#   remediation: |
#     Remove {% if vars.dir %}{{ vars.dir }}{% else %}the empty entry (a leading or trailing `:`, or `::`){% endif %} from PATH where it is set{% if finding.file %} ({{ finding.file }}){% endif %}.{% if vars.writable %}
#     If you need the directory, make it writable by its owner only: sudo chmod go-w {{ vars.dir }}{% endif %}{% if vars.foreign_owner %}
#     If you need the directory, own it yourself (or root): sudo chown -R {{ vars.user }} {{ vars.dir }}{% endif %}{% if vars.writable or vars.foreign_owner %}
#     Never put a directory other people can write to ahead of the system directories.{% else %}
#     To run a program from the current directory, type ./name instead.{% endif %}
package envgate.go.go019_unsafe_path_entries

import data.envgate.go.fix_lib
import data.envgate.go.lib
import data.envgate.go.shell_lib
import rego.v1

problems(e) := [p | some p in [
	empty_problem(e),
	dot_problem(e),
	relative_problem(e),
	writable_problem(e),
	owner_problem(e),
]; p != ""]

empty_problem(e) := "is empty, which means the current directory" if e.empty else := ""

dot_problem(e) := "is `.`, the current directory" if e.raw == "." else := ""

relative_problem(e) := "is relative, so it names a different directory wherever a program runs" if {
	e.relative
	not e.empty
	e.raw != "."
	not e.tilde
	not contains(e.raw, "$")
} else := ""

writable(e) if e.world_writable

writable(e) if {
	is_number(e.mode)
	bits.and(e.mode, 2) != 0
}

writable_problem(e) := sprintf("is writable by everyone (mode %s)%s", [format_int(e.mode, 8), sticky_note(e.mode)]) if {
	writable(e)
	is_number(e.mode)
} else := "is writable by everyone" if writable(e) else := ""

sticky_note(mode) := "; the sticky bit does not stop anyone adding a new program" if bits.and(mode, 512) != 0 else := ""

foreign_owner(e) if {
	is_number(e.owner_uid)
	is_number(input.host.uid)
	e.owner_uid != 0
	e.owner_uid != input.host.uid
	e.owner_uid != object.get(input.host, "root_owner_uid", 0)
}

owner_problem(e) := text if {
	foreign_owner(e)
	text := sprintf("is owned by uid %d, another user who can put programs in it", [e.owner_uid])
	is_string(text)  # holds for any defined value (L012)
} else := ""

user := input.host.user if is_string(input.host.user) else := "$USER"

deny contains finding if {
	some e in input.path.entries
	found := problems(e)
	count(found) > 0
	finding := {
		"msg": sprintf("PATH entry %d (%s) %s", [e.index, display(e), concat("; it ", found)]),
		"subject": sprintf("path.entries[%d]", [e.index]),
		"vars": {
			"dir": e.raw,
			"problems": found,
			"writable": writable_flag(e),
			"foreign_owner": foreign_flag(e),
			"user": user,
		},
		"fix": path_fix(e),
	}
}

# The empty entry or `.` removed from the line that added it (fix_lib.path_line_fix,
# which GO018 shares). Writable or foreign-owned directories need chmod or chown on a
# directory envgate does not own: no structured fix.
path_fix(e) := [edit] if {
	e.empty
	o := fix_lib.path_entry_origin(e.index)
	edit := fix_lib.path_line_fix(o.file, o.line)
	is_object(edit)  # holds for any defined value (L012)
} else := [edit] if {
	e.raw == "."
	o := fix_lib.path_entry_origin(e.index)
	edit := fix_lib.path_line_fix(o.file, o.line)
	is_object(edit)  # holds for any defined value (L012)
} else := []

display(e) := "empty" if e.raw == "" else := e.raw

writable_flag(e) := true if writable(e) else := false

foreign_flag(e) := true if foreign_owner(e) else := false

# Missing directories others can create, on the PATH of a reconstructed session.
session_names := ["gui", "terminal", "editor", "login"]

creatable(e) := n if {
	f := e.dir_facts
	f.exists == false
	n := f.nearest_existing
	is_number(n.mode)
	bits.and(n.mode, 2) != 0
}

# (dir, file, line) of each such entry → the sessions and positions where it is.
creatable_entries contains [e.dir, e.file, e.line] if {
	some name in session_names
	some e in shell_lib.session_path(name)
	is_string(e.file)
	creatable(e)
}

deny contains finding if {
	some key in creatable_entries
	[dir, file, line] := key
	places := [sprintf("%s%s", [shell_lib.session_name(name), at(i)]) |
		some name in session_names
		some i, e in shell_lib.session_path(name)
		e.dir == dir
		e.file == file
		e.line == line
	]
	nearest := [creatable(e) | some name in session_names; some e in shell_lib.session_path(name); e.dir == dir][0]
	problem := sprintf("does not exist, and %s above it is writable by everyone (mode %s), so anyone can create it and put programs there", [nearest.path, format_int(nearest.mode, 8)])
	finding := {
		"msg": sprintf("PATH entry %s, added by %s:%d, %s; it is on the PATH of %s", [dir, file, line, problem, concat("; of ", places)]),
		"location": {"file": file, "line": line},
		"vars": {
			"dir": dir,
			"problems": [problem],
			"writable": false,
			"foreign_owner": false,
			"user": user,
		},
	}
}

at(0) := " (first, before every system directory)"

at(i) := sprintf(" (entry %d)", [i]) if i > 0
