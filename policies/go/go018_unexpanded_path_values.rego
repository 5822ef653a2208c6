# METADATA
# title: Literal `~` or unexpanded `$VAR` in PATH, GOPATH or GOBIN
# description: |
#   Shells expand `~` and `$HOME` when they read an assignment, but only in some places:
#   not inside quotes ("~/go"), not in /etc/environment, and systemd's environment.d
#   expands `$VAR` but never `~`. The unexpanded text then reaches PATH, GOPATH or GOBIN
#   literally. bash still expands a `~` PATH entry while looking up commands, but dash,
#   editors and Go's own exec.LookPath do not, so tools "work in the terminal" and nowhere
#   else; a `$HOME/...` PATH entry never works. cmd/go refuses such GOPATH and GOBIN values
#   outright (`GOPATH entry cannot start with shell metacharacter '~'`, `GOPATH entry is
#   relative; must be absolute path`).
#   Decision: a PATH entry is reported when it starts with `~` or contains `$` (other
#   relative entries are GO019's). A GOPATH entry (split on `:`, empty parts skipped) or
#   GOBIN is reported when it starts with `~`, contains `$`, or does not start with `/`,
#   whatever set it. One finding per offending entry.
# related_resources:
#   - ref: https://pkg.go.dev/cmd/go#hdr-GOPATH_environment_variable
# custom:
#   id: GO018
#   severity: error
#   since: 0.1.0
#   autofix: safe
#   category: Shell & PATH
#   remediation: |
#     {% if host.os == "windows" %}Spell the directory out{% if finding.file %} in {{ finding.file }}{% endif %}: use an absolute path (C:\Users\...) instead of {{ vars.value }} in {{ vars.name }}; a machine value can use only the system's variables (%SystemRoot%, %ProgramFiles%), a user value also %USERPROFILE% (PowerShell):
#       [Environment]::SetEnvironmentVariable('{{ vars.name }}', '<the value, spelled out>', 'User')
#     then open a new terminal.{% else %}Spell the directory out{% if finding.file %} in {{ finding.file }}{% endif %}: use {% if vars.fixed %}{{ vars.fixed }}{% else %}an absolute path{% endif %} instead of {{ vars.value }} in {{ vars.name }}.
#     /etc/environment expands nothing and environment.d expands $HOME but not ~; in shell files write
#       export {{ vars.name }}="{% if vars.name == "PATH" %}$PATH:{% endif %}$HOME/..."   (double quotes expand $HOME, never ~){% endif %}
package envgate.go.go018_unexpanded_path_values

import data.envgate.go.fix_lib
import data.envgate.go.lib
import rego.v1

# The value with ~ and $HOME written out, or "" when that is not possible.
expanded(raw) := out if {
	is_string(input.host.home)
	home := input.host.home
	step := tilde_expanded(raw, home)
	out := replace(replace(step, "${HOME}", home), "$HOME", home)
	not startswith(out, "~")
	not contains(out, "$")
} else := ""

tilde_expanded(raw, home) := concat("", [home, substring(raw, 1, -1)]) if {
	regex.match(`^~(/|$)`, raw)
} else := raw

windows := input.host.os == "windows"

# A `%NAME%` left in a value: Windows keeps a reference to a variable it does not have
# as written, and the go command expands none.
windows_reference := `%[A-Za-z0-9_()]+%`

path_problem(e) := "starts with a literal ~, which dash, editors and Go's exec.LookPath do not expand (only bash does)" if {
	not windows
	e.tilde
}

path_problem(e) := "contains an unexpanded variable, which nothing expands inside PATH, so no program there is ever found" if {
	not windows
	not e.tilde
	contains(e.raw, "$")
}

path_problem(e) := "contains a %VARIABLE% the session does not have when the registry value is expanded (a machine value cannot use the user's variables such as %USERPROFILE%), so Windows keeps it as written and no program there is ever found" if {
	windows
	regex.match(windows_reference, e.raw)
}

# What cmd/go says about a bad GOPATH entry or GOBIN.
go_error("GOPATH", p) := "GOPATH entry cannot start with shell metacharacter '~'" if startswith(p, "~")

go_error("GOPATH", p) := "GOPATH entry is relative; must be absolute path" if not startswith(p, "~")

go_error("GOBIN", _) := "cannot install, GOBIN must be an absolute path"

go_problem(name, p) := sprintf("starts with a literal ~; go fails with `%s`", [go_error(name, p)]) if {
	not windows
	startswith(p, "~")
}

go_problem(name, p) := sprintf("contains an unexpanded variable; go fails with `%s`", [go_error(name, p)]) if {
	not windows
	not startswith(p, "~")
	contains(p, "$")
}

go_problem(name, p) := sprintf("is relative; go fails with `%s`", [go_error(name, p)]) if {
	not windows
	not startswith(p, "~")
	not contains(p, "$")
	not startswith(p, "/")
}

go_problem(name, p) := sprintf("contains an unexpanded %%VARIABLE%%, which the go command does not expand; go fails with `%s`", [go_error(name, p)]) if {
	windows
	regex.match(windows_reference, p)
}

go_problem(name, p) := sprintf("is relative; go fails with `%s`", [go_error(name, p)]) if {
	windows
	not regex.match(windows_reference, p)
	not regex.match(`^([A-Za-z]:[\\/]|\\\\)`, p)
}

deny contains finding if {
	some e in input.path.entries
	problem := path_problem(e)
	finding := {
		"msg": sprintf("PATH entry %d is the literal text %s: it %s", [e.index, e.raw, problem]),
		"subject": sprintf("path.entries[%d]", [e.index]),
		"vars": {"name": "PATH", "value": e.raw, "fixed": expanded(e.raw)},
		"fix": path_fix(e),
	}
}

deny contains finding if {
	some p in split(input.go.env.GOPATH.value, gopath_separator)
	p != ""
	finding := go_finding("GOPATH", sprintf("GOPATH entry %s", [p]), p)
}

deny contains finding if {
	value := input.go.env.GOBIN.value
	value != ""
	finding := go_finding("GOBIN", sprintf("GOBIN=%s", [value]), value)
}

gopath_separator := ";" if windows else := ":"

go_finding(name, what, p) := {
	"msg": sprintf("%s %s", [what, go_problem(name, p)]),
	"subject": sprintf("go.env.%s", [name]),
	"vars": {"name": name, "value": p, "fixed": expanded(p)},
	"fix": go_fix(name, p),
}

# The line that added a `~` entry, written out (fix_lib.path_line_fix, which GO019
# shares); unsafe when the directory holds a go of its own (bash found it already, other
# programs then do too).
path_fix(e) := [object.union(edit, {"safe": not_toolchain(e)})] if {
	e.tilde
	o := fix_lib.path_entry_origin(e.index)
	edit := fix_lib.path_line_fix(o.file, o.line)
	is_object(edit)  # holds for any defined value (L012)
} else := []

not_toolchain(e) := false if {
	holds_go(e)
} else := true

# Whether the entry's directory holds a `go` or `gofmt`: a rule of its own, so that
# when it does not, not_toolchain's `else` is taken (unpatched regorus's VM returns
# nothing after a loop in a body followed by `else` matches nothing, lint L013).
holds_go(e) if {
	some p in object.get(e, "programs", [])
	p in {"go", "gofmt"}
}

# GOPATH or GOBIN with `~` or $HOME written out, where it is set: what the user meant.
go_fix(name, p) := fix_lib.set_in_place(name, fixed, true) if {
	fixed := expanded(p)
	fixed != ""
	name == "GOBIN"
} else := fix_lib.set_in_place(name, whole, true) if {
	name == "GOPATH"
	entries := [x | some raw in split(input.go.env.GOPATH.value, ":"); x := gopath_entry(raw)]
	every x in entries {
		x != ""
	}
	whole := concat(":", entries)
} else := []

gopath_entry("") := ""

gopath_entry(raw) := raw if {
	raw != ""
	startswith(raw, "/")
	not contains(raw, "$")
} else := expanded(raw)
