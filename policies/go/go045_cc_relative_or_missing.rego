# METADATA
# title: CC or CXX is a relative path or names a missing program
# description: |
#   cgo runs CC (C) and CXX (C++) for every package with C code. A relative path such as
#   `bin/gcc` or `./tools/cc` is looked up from each package's directory, so it works in
#   one place and fails everywhere else; `go env -w` refuses it outright (`CC entry is
#   relative; must be absolute path`). An absolute path or command name that does not
#   exist fails every cgo build with `exec: "…": executable file not found`, and when
#   CGO_ENABLED is unset Go 1.20 and later silently turn cgo off instead, so packages
#   that need it fail with confusing "build constraints exclude all Go files" errors.
#   Decision: fires for CC and CXX set explicitly (environment, `go env -w` file or
#   $GOROOT/go.env) whose program (the first field as cmd/go splits the value:
#   cmd/internal/quoted.Split, so `"C:\Program Files\LLVM\bin\clang.exe" -O2` is one
#   program and a flag) contains a `/` but does not start with one (a leading `~` is
#   not expanded by the go command, so it counts as relative), or which is not found
#   (an absolute path that is not an executable file, a bare command name that is not
#   on PATH). A missing CC while CGO_ENABLED=1 is set explicitly is GO042's finding and
#   not repeated here. A bare command name on PATH
#   (`gcc`, `clang`) is fine. On a Windows volume a program with `\` or `/` that is
#   not absolute (`C:\…`, `\\server\…`) is relative (so is `C:gcc`, relative to the
#   drive's current directory), a name is looked up on the registry's Path as Go's
#   os/exec does there (PATHEXT: `gcc` is found as `gcc.exe`), and the fixes are
#   PowerShell's. A value whose opening quote is not closed cannot be split: cmd/go
#   then stops every build (`go: CC environment variable could not be parsed:
#   unterminated " string`), which is reported whatever CGO_ENABLED says.
# related_resources:
#   - ref: https://pkg.go.dev/cmd/cgo
# custom:
#   id: GO045
#   severity: error
#   since: 1.0.0
#   category: cgo
#   systems: [linux, darwin, windows]
#   remediation: |
#     {% if vars.split_error %}Close the quote in {{ vars.name }} where it is set: a program path with spaces is quoted whole, and nothing inside the quotes is escaped ({% if host.os == "windows" %}"C:\Program Files\LLVM\bin\clang.exe" -O2{% else %}'/opt/my tools/gcc' -O2{% endif %}),
#     or stop setting it, so cgo uses {{ vars.default }}:
#       {{ vars.unset }}{% else %}Set {{ vars.name }} to an absolute path, or to a command name on PATH (install it if it is missing):
#       {{ vars.fix }}
#     or stop setting it, so cgo uses {{ vars.default }}:
#       {{ vars.unset }}{% endif %}
package envgate.go.go045_cc_relative_or_missing

import data.envgate.go.lib
import rego.v1

defaults := {"CC": "gcc", "CXX": "g++"}

relative(p) if {
	not lib.windows
	contains(p, "/")
	not startswith(p, "/")
}

relative(p) if {
	lib.windows
	regex.match(`[\\/:]`, p)
	not absolute(p)
}

absolute(p) if {
	not lib.windows
	startswith(p, "/")
}

# `C:\…`, `C:/…` or a share (`\\server\…`).
absolute(p) if {
	lib.windows
	regex.match(`^([A-Za-z]:[\\/]|\\\\)`, p)
}

# GO042 already reports a missing C compiler when CGO_ENABLED=1 is explicit.
reported_by_go042("CC") if {
	lib.explicit("CGO_ENABLED")
	lib.setting("CGO_ENABLED") == "1"
}

problem(name, p, lookup) := sprintf("is a relative path (%s), which the go command resolves from each package's directory", [p]) if {
	relative(p)
} else := sprintf("names %s, which does not exist or is not executable", [p]) if {
	absolute(p)
	lookup.found == null
	not reported_by_go042(name)
} else := sprintf("names %s, which is not on PATH", [p]) if {
	lookup.found == null
	not reported_by_go042(name)
}

base_name(p) := parts[count(parts) - 1] if parts := split(replace(p, `\`, "/"), "/")

deny contains finding if {
	some name in ["CC", "CXX"]
	lib.explicit(name)
	v := input.go.env[name]
	lookup := object.get(input, ["go", "commands", name], {"command": v.value, "found": null})
	p := lib.command_program(lookup)
	p != ""
	why := problem(name, p, lookup)
	finding := {
		"msg": sprintf("%s=%s (set %s) %s, so cgo cannot run it", [name, v.value, lib.origin(v), why]),
		"subject": sprintf("go.env.%s", [name]),
		"vars": {
			"name": name,
			"program": p,
			"default": defaults[name],
			"fix": lib.set_hint(name, base_name(p)),
			"unset": lib.remove_hint(name, defaults[name]),
			"split_error": "",
		},
	}
}

# cmd/go's BuildInit splits CC and CXX before any build, cgo or not, and stops on an
# unclosed quote: reported even when CGO_ENABLED=1 (GO042 stays quiet on it).
deny contains finding if {
	some name in ["CC", "CXX"]
	lib.explicit(name)
	v := input.go.env[name]
	error := input.go.commands[name].split_error
	is_string(error)
	finding := {
		"msg": sprintf("%s=%s (set %s) cannot be split into a program and its arguments (%s), so go build, go test and go install stop with `go: %s environment variable could not be parsed: %s`", [name, v.value, lib.origin(v), error, name, error]),
		"subject": sprintf("go.env.%s", [name]),
		"vars": {
			"name": name,
			"program": "",
			"default": defaults[name],
			"fix": "",
			"unset": lib.remove_hint(name, defaults[name]),
			"split_error": error,
		},
	}
}
