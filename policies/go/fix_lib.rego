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
# private modules it let through fail until GOPRIVATE names them).
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
shadowed_in_goenv(name) := [mark(goenv_edit(name, good), safe)] if {
	v := input.go.env[name]
	v.source == "env"
	goenv_file
	some entry in object.get(input, ["go", "goenv_file", "entries"], [])
	entry.name == name
	not moves_into_goenv(v, name)
	good := good_value(name, entry.value)
	safe := safe_value_change(entry.value, good)
} else := []

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
	edits := move_to_go_env(v.file, v.line, name, v.value)
} else := edits if {
	v := input.go.env[name]
	v.source == "env"
	startup_file(v.file)
	is_number(v.line)
	good := good_value(name, v.value)
	safe := safe_value_change(v.value, good)
	edits := [mark(startup_edit(v, name, good), safe)]
} else := edits if {
	v := input.go.env[name]
	v.source == "goenv"
	goenv_file
	good := good_value(name, v.value)
	safe := safe_value_change(v.value, good)
	edits := [mark(goenv_edit(name, good), safe)]
} else := []

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
