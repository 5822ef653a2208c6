# Structured fixes (`fix: [...]` in a finding, applied by `envgate fix`) shared by the
# rules, so that several rules about one setting propose the very same edits and
# `envgate fix` applies them once: GO020, GO027, GO029 and GO032 all fix the GOPROXY or
# GOSUMDB line of an environment.d file the same way.
package envgate.go.fix_lib

import data.envgate.go.lib
import rego.v1

goenv_file := input.go.goenv_file.path if is_string(input.go.goenv_file.path)

environment_d_files := {f.path | some f in object.get(input, ["systemd_user", "environment_d"], [])}

# GOPROXY with every `user:password@` taken out and a `direct` fallback.
good_value("GOPROXY", value) := good if {
	value != "off"
	good := with_direct(regex.replace(value, `://[^/@\s,|]*@`, "://"))
}

# GOPROXY=off is removed, not moved: the default proxy comes back (GO028).
good_value("GOPROXY", "off") := null

# GOSUMDB=off is removed, not moved: the default checksum database comes back.
good_value("GOSUMDB", value) := null if value == "off"

good_value("GOSUMDB", value) := value if value != "off"

# A pattern list with `*` (every module) is removed (GO029), as is GOINSECURE (GO031):
# kept anywhere, they keep switching verification off.
good_value(name, value) := null if {
	name in {"GONOSUMDB", "GOPRIVATE", "GONOPROXY"}
	some element in split(value, ",")
	trim_space(element) == "*"
}

good_value(name, value) := value if {
	name in {"GONOSUMDB", "GOPRIVATE", "GONOPROXY"}
	not star(value)
}

good_value("GOINSECURE", _) := null

# GO111MODULE=off or auto is removed (GO026): module mode is the default.
good_value("GO111MODULE", value) := null if value in {"off", "auto"}

good_value("GO111MODULE", value) := value if not value in {"off", "auto"}

# GOFLAGS that run programs (GO022) are removed, other GOFLAGS kept.
good_value("GOFLAGS", value) := null if regex.match(`(^|\s)-(toolexec|exec|overlay|modfile)(=|\s|$)`, value)

good_value("GOFLAGS", value) := value if not regex.match(`(^|\s)-(toolexec|exec|overlay|modfile)(=|\s|$)`, value)

good_value(name, value) := value if not name in {"GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE", "GONOPROXY", "GOINSECURE", "GOFLAGS", "GO111MODULE"}

star(value) if {
	some element in split(value, ",")
	trim_space(element) == "*"
}

elements(value) := [trim_space(e) | some e in regex.split(`[,|]`, value)]

with_direct(value) := value if "direct" in elements(value)

with_direct(value) := sprintf("%s,direct", [trim_right(value, ",|")]) if not "direct" in elements(value)

# Unsafe: taking credentials out of a proxy URL (downloads fail until they are in
# ~/.netrc) and removing a setting (GOSUMDB=off, GOINSECURE, a `*` pattern list: the
# private modules it let through fail until GOPRIVATE names them; GOPROXY=off: a
# machine kept offline on purpose starts downloading).
safe_value_change(value, good) := true if {
	good != null
	not contains(value, "[REDACTED")
} else := false

delete_line(file, line, name, value) := {
	"kind": "delete_line",
	"file": file,
	"line": line,
	"expect": sprintf("%s=%s", [name, value]),
	"safe": true,
}

go_env_set(name, value) := {
	"kind": "go_env_set",
	"file": goenv_file,
	"key": name,
	"value": value,
	"safe": true,
}

go_env_unset(name) := {
	"kind": "go_env_unset",
	"file": goenv_file,
	"key": name,
	"safe": true,
}

# The edits that move the setting `name`=`value` of environment.d line `file`:`line`
# into the `go env -w` file, where every go command reads it (GO020), with the value
# made right on the way (`,direct` added, credentials out, GOSUMDB=off dropped).
move_to_go_env(file, line, name, value) := marked if {
	good := good_value(name, value)
	safe := safe_value_change(value, good)
	edits := array.concat([delete_line(file, line, name, value)], set_good(name, good))
	is_array(edits)  # holds for any defined value (L012)
	marked := [mark(e, safe) | some e in edits]
}

set_good(_, null) := []

set_good(name, good) := [go_env_set(name, good)] if {
	good != null
	goenv_file
}

mark(edit, safe) := object.union(edit, {"safe": safe})

# The edits that make the effective setting `name` right where it is set now: an
# environment.d line is moved to the `go env -w` file (as GO020 does, so the two
# rules agree), a line of a shell startup file and the `go env -w` file are changed
# in place. Other places (fish, system files' own syntax) have no structured fix:
# their remediation text says what to do.
setting_fix(name) := array.concat(edits, shadowed_in_goenv(name)) if {
	edits := effective_fix(name)
	count(edits) > 0
} else := []

# The `go env -w` file's own line for a setting the environment overrides: made right
# too, or fixing the environment's line would only uncover it.
shadowed_in_goenv(name) := edits if {
	edits := shadowed_goenv_edits(name)
	is_array(edits)  # holds for any defined value (L012)
} else := []

# shadowed_in_goenv's edits, undefined when there are none: its loop and the values it
# reads sit in a body of their own, so that when they fail it is the `else := []` above
# that is taken (unpatched regorus's VM returns nothing after a failed loop, lint L013).
shadowed_goenv_edits(name) := [mark(goenv_edit(name, good), safe)] if {
	v := input.go.env[name]
	v.source == "env"
	goenv_file
	some entry in object.get(input, ["go", "goenv_file", "entries"], [])
	entry.name == name
	not moves_into_goenv(v, name)
	good := good_value(name, entry.value)
	safe := safe_value_change(entry.value, good)
}

# An environment.d line moved into the `go env -w` file replaces its line there.
moves_into_goenv(v, name) if {
	v.file in environment_d_files
	good_value(name, v.value) != null
}

effective_fix(name) := edits if {
	v := input.go.env[name]
	v.source == "env"
	v.file in environment_d_files
	is_number(v.line)
	moved := move_to_go_env(v.file, v.line, name, v.value)
	edits := array.concat(moved, earlier_env_d_lines(v, name, moved[0].safe))
	is_array(edits)  # holds for any defined value (L012)
} else := edits if {
	v := input.go.env[name]
	v.source == "env"
	startup_file(v.file)
	is_number(v.line)
	good := good_value(name, v.value)
	safe := safe_value_change(v.value, good)
	edits := array.concat([mark(startup_edit(v, name, good), safe)], earlier_startup_lines(v, name))
	is_array(edits)  # holds for any defined value (L012)
} else := edits if {
	v := input.go.env[name]
	v.source == "env"
	is_string(v.file)
	endswith(v.file, ".fish")
	is_number(v.line)
	good := good_value(name, v.value)
	safe := safe_value_change(v.value, good)
	edits := [mark(fish_edit(v, name, good), safe)]
	is_array(edits)  # holds for any defined value (L012)
} else := edits if {
	v := input.go.env[name]
	v.source == "goenv"
	goenv_file
	good := good_value(name, v.value)
	safe := safe_value_change(v.value, good)
	edits := [mark(goenv_edit(name, good), safe)]
	is_array(edits)  # holds for any defined value (L012)
} else := []

# fish's `set -gx NAME value` line deleted or given the right value (`envgate fix`
# reads `set` lines as NAME=value).
fish_edit(v, name, null) := delete_line(v.file, v.line, name, v.value)

fish_edit(v, name, good) := {
	"kind": "replace_line",
	"file": v.file,
	"line": v.line,
	"expect": sprintf("%s=%s", [name, v.value]),
	"with": sprintf("set -gx %s '%s'", [name, good]),
} if {
	good != null
	not contains(good, "'")
}

# A shell startup file or /etc/environment (not fish, whose `set -gx` lines are not
# `NAME=value`), outside environment.d. System files get the edit as a diff and a
# command to run as root; envgate writes only in the user's home.
startup_file(file) if {
	is_string(file)
	not endswith(file, ".fish")
	not file in environment_d_files
}

# The assignment line (`NAME=value`, `export NAME="value"`) deleted or given the right
# value; a line that is anything else (an expansion, several assignments) no longer
# reads `NAME=value` and `envgate fix` refuses the edit.
startup_edit(v, name, null) := delete_line(v.file, v.line, name, v.value)

startup_edit(v, name, good) := {
	"kind": "replace_line",
	"file": v.file,
	"line": v.line,
	"expect": sprintf("%s=%s", [name, v.value]),
	"with": assignment(v.file, name, good),
} if {
	good != null
	not contains(good, "'")
}

# pam_env's /etc/environment takes `NAME=value` lines, shells `export NAME='value'`.
assignment("/etc/environment", name, value) := sprintf("%s=%s", [name, value])

assignment(file, name, value) := sprintf("export %s='%s'", [name, value]) if file != "/etc/environment"

goenv_edit(name, null) := go_env_unset(name)

goenv_edit(name, good) := go_env_set(name, good) if good != null

# A line appended to the user's startup file (GO013's PATH line).
append_line(file, text, safe) := {"kind": "append_line", "file": file, "text": text, "safe": safe}

chmod(file, mode) := {"kind": "chmod", "file": file, "mode": mode, "safe": true}

# The line of environment.d file `file` that sets `name`, given the value `value`.
env_d_replace(file, line, name, old, value) := {
	"kind": "replace_line",
	"file": file,
	"line": line,
	"expect": sprintf("%s=%s", [name, old]),
	"with": sprintf("%s=%s", [name, value]),
}

# The edit that gives the effective setting `name` the value `value` where it is set
# now, in place: its environment.d line, its startup file's line, or the `go env -w`
# file (for settings that may stay where they are, unlike GO020's).
set_in_place(name, value, safe) := [mark(edit, safe)] if {
	v := input.go.env[name]
	v.source == "env"
	v.file in environment_d_files
	is_number(v.line)
	edit := env_d_replace(v.file, v.line, name, v.value, value)
	is_object(edit)  # holds for any defined value (L012)
} else := [mark(edit, safe)] if {
	v := input.go.env[name]
	v.source == "env"
	startup_file(v.file)
	is_number(v.line)
	edit := startup_edit(v, name, value)
	is_object(edit)  # holds for any defined value (L012)
} else := [mark(edit, safe)] if {
	input.go.env[name].source == "goenv"
	goenv_file
	edit := go_env_set(name, value)
	is_object(edit)  # holds for any defined value (L012)
} else := []

# An environment variable (not a Go setting: NO_PROXY) set to `value` on the line
# `origin` ({file, line}) that sets it now.
env_var_edit(origin, name, old, value) := edit if {
	origin.file in environment_d_files
	edit := env_d_replace(origin.file, origin.line, name, old, value)
	is_object(edit)  # holds for any defined value (L012)
} else := {
	"kind": "replace_line",
	"file": origin.file,
	"line": origin.line,
	"expect": sprintf("%s=%s", [name, old]),
	"with": assignment(origin.file, name, value),
} if {
	startup_file(origin.file)
	not contains(value, "'")
}

# The file whose last line runs last in session `s` (GO013's choice): the last of the
# user's own startup files the session opened itself, else the file its shell reads.
session_file(s) := last if {
	files := [f.path |
		some f in object.get(input, ["shell", "sessions", s, "files_read"], [])
		f.status in {"read", "truncated"}
		object.get(f, "sourced_from", null) == null
		startswith(f.path, sprintf("%s/", [lib.home]))
	]
	count(files) > 0
	last := files[count(files) - 1]
	is_string(last)  # holds for any defined value (L012)
} else := sprintf("%s/.zprofile", [lib.home]) if {
	object.get(input, ["shell", "sessions", s, "shell"], "") == "zsh"
} else := sprintf("%s/.profile", [lib.home]) if {
	object.get(input, ["shell", "sessions", s, "shell"], "") != "fish"
}

# `export PATH="$PATH:dir"` appended to the files the login shells and the desktop
# session read: the line GO001, GO013, GO014 and GO025 share, so that they append it
# once. None on Windows, where Path is a registry value (the remediation's PowerShell
# command changes it) and no shell file is read.
path_append_edits(dir, safe) := [append_line(f, sprintf(`export PATH="$PATH:%s"`, [dir]), safe) |
	not lib.windows
	some f in {session_file("login"), session_file("gui")}
]

# A startup file's assignment (`shell.files[].assignments[]`) written again as a line
# of its own: `export NAME=value` or `NAME=value`, the value as written (quotes kept).
# Undefined for lines inside an `if` (copied alone they would run unconditionally) and
# for zsh arrays and fish's forms.
assignment_line(a) := line if {
	a.form == "export"
	count(a.conditions) == 0
	line := sprintf("export %s=%s", [a.name, a.value])
	is_string(line)  # holds for any defined value (L012)
} else := sprintf("%s=%s", [a.name, a.value]) if {
	a.form == "assign"
	count(a.conditions) == 0
}

# The assignments copied to the end of `file`, in their order; [] unless every one
# can be copied (half a setup is no fix).
copy_lines(file, assignments) := edits if {
	edits := [append_line(file, assignment_line(a), true) | some a in assignments]
	count(edits) == count(assignments)
} else := []

# The PATH assignment at `file`:`line` of a shell startup file with every entry that
# GO018 or GO019 can mend in place mended: a leading `~` written out as the home
# directory (only bash expands it in PATH), empty entries and `.` (the current
# directory) removed. One edit for the whole line, so both rules propose the same.
path_line_fix(file, line) := edit if {
	not endswith(file, ".fish")
	not file in environment_d_files
	some f in object.get(input, ["shell", "files"], [])
	f.path == file
	some a in f.assignments
	a.line == line
	a.name == "PATH"
	a.form in {"export", "assign"}
	[quote, inner] := unquoted(a.value)
	not contains(inner, quote_other(quote))
	mended := [mend_entry(e) | some e in split(inner, ":"); not e in {"", "."}]
	new := concat(":", mended)
	new != inner
	count(mended) > 0
	edit := {
		"kind": "replace_line",
		"file": file,
		"line": line,
		"expect": sprintf("PATH=%s", [a.value]),
		"with": sprintf("%sPATH=%s%s%s", [prefix_of(a), quote, new, quote]),
		"safe": true,
	}
}

prefix_of(a) := "export " if a.form == "export" else := ""

unquoted(value) := [q, substring(value, 1, count(value) - 2)] if {
	q := enclosing_quote(value)
	is_string(q)  # holds for any defined value (L012)
} else := ["", value] if {
	not regex.match(`["'\s]`, value)
}

# The quote that opens and closes `value`, undefined when none does: a helper, so that
# unquoted's `else` is taken when no quote matches (unpatched regorus's VM returns
# nothing after a failed loop in a body followed by `else`, lint L013).
enclosing_quote(value) := q if {
	some q in {`"`, "'"}
	count(value) >= 2
	startswith(value, q)
	endswith(value, q)
}

quote_other(`"`) := "'"

quote_other("'") := `"`

quote_other("") := `"`

mend_entry(e) := lib.home if e == "~"

mend_entry(e) := concat("", [lib.home, substring(e, 1, -1)]) if startswith(e, "~/")

mend_entry(e) := e if not startswith(e, "~")

# The line that added PATH entry `index` of the checked PATH (an image: the terminal's,
# reconstructed from the startup files), as {file, line}.
path_entry_origin(index) := {"file": e.file, "line": e.line} if {
	input.mode == "image"
	e := object.get(input, ["shell", "sessions", "terminal", "path"], [])[index]
	is_string(e.file)
	is_number(e.line)
}

# A setting made twice in one file: the lines above the effective one are made right
# too (or deleted with it), or mending the effective line would only uncover them.
earlier_startup_lines(v, name) := [mark(startup_edit({"file": v.file, "line": a.line, "value": a.value}, name, good), safe) |
	some f in object.get(input, ["shell", "files"], [])
	f.path == v.file
	some a in f.assignments
	a.name == name
	a.line < v.line
	a.form in {"export", "assign"}
	[_, inner] := unquoted(a.value)
	good := good_value(name, inner)
	good != inner
	safe := safe_value_change(inner, good)
]

earlier_env_d_lines(v, name, safe) := [mark(delete_line(v.file, a.line, name, a.value), safe) |
	some f in object.get(input, ["systemd_user", "environment_d"], [])
	f.path == v.file
	some a in f.assignments
	a.name == name
	a.line < v.line
]
