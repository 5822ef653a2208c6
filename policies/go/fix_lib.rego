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

good_value(name, value) := value if not name in {"GOPROXY", "GOSUMDB"}

good_value("GOSUMDB", value) := value if value != "off"

elements(value) := [trim_space(e) | some e in regex.split(`[,|]`, value)]

with_direct(value) := value if "direct" in elements(value)

with_direct(value) := sprintf("%s,direct", [trim_right(value, ",|")]) if not "direct" in elements(value)

# Taking credentials out of a proxy URL breaks downloads until they are in ~/.netrc:
# not applied without --unsafe.
safe_value_change(value, good) := true if {
	not contains(value, "[REDACTED")
} else := true if {
	good == null
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
# rules agree), the `go env -w` file is changed in place. Other places (shell
# startup files) have no structured fix: their remediation text says what to do.
setting_fix(name) := edits if {
	v := input.go.env[name]
	v.source == "env"
	v.file in environment_d_files
	is_number(v.line)
	edits := move_to_go_env(v.file, v.line, name, v.value)
} else := edits if {
	v := input.go.env[name]
	v.source == "goenv"
	goenv_file
	good := good_value(name, v.value)
	safe := safe_value_change(v.value, good)
	edits := [mark(goenv_edit(name, good), safe)]
} else := []

goenv_edit(name, null) := go_env_unset(name)

goenv_edit(name, good) := go_env_set(name, good) if good != null

# A line appended to the user's startup file (GO013's PATH line).
append_line(file, text, safe) := {"kind": "append_line", "file": file, "text": text, "safe": safe}

chmod(file, mode) := {"kind": "chmod", "file": file, "mode": mode, "safe": true}
