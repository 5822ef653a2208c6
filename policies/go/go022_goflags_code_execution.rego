# METADATA
# title: GOFLAGS carries code-execution or build-override flags
# description: |
#   GOFLAGS is added to every go command that accepts the flags, for every project, from
#   wherever it is set (the environment, systemd's environment.d, the `go env -w` file,
#   $GOROOT/go.env). Some flags hand control to another program or silently change what
#   gets built: `-toolexec=prog` runs prog in front of every compiler, assembler and
#   linker call (verified: `GOFLAGS=-toolexec=/bin/echo go build` runs it for every tool
#   call); `-exec=prog` runs every `go run` and `go test` binary through prog;
#   `-overlay=file.json` replaces source files with other files; `-modfile=file` reads
#   another go.mod than the project's; `-ldflags` with `-X` overwrites string variables of
#   every binary built. Set once by an installer, a dotfile or an attacker, they apply
#   to every build on the machine with no sign on the command line.
#   Decision: judges the effective GOFLAGS (the value cmd/go would use; a GOFLAGS that a
#   higher-priority source hides is not judged). Flags match by name with one or two
#   leading dashes; `-ldflags` only when its value has a `-X` word. `-mod=vendor` with no
#   vendor directory is GO040's (it breaks builds, it runs nothing). One finding per
#   GOFLAGS naming every such flag.
# related_resources:
#   - ref: https://pkg.go.dev/cmd/go#hdr-Environment_variables
#   - ref: https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies
# custom:
#   id: GO022
#   severity: error
#   since: 1.0.0
#   autofix: unsafe
#   category: Security
#   remediation: |
#     Check who added {{ vars.flags | join(sep=", ") }} to GOFLAGS and why, then remove {% if vars.rest %}{% if vars.flags | length > 1 %}them{% else %}it{% endif %}, keeping the other flags{% else %}GOFLAGS{% endif %}:
#       {{ vars.fix }}
#     Pass such flags on the command line of the one build that needs them (`go build -ldflags=...`).
package envgate.go.go022_goflags_code_execution

import data.envgate.go.fix_lib
import data.envgate.go.lib
import data.envgate.go.modules_lib
import rego.v1

effect := {
	"toolexec": "runs that program in front of every compiler and linker call",
	"exec": "runs every `go run` and `go test` binary through that program",
	"overlay": "swaps source files for the files that JSON names",
	"modfile": "makes every build read that file instead of the project's go.mod",
	"ldflags": "overwrites string variables (`-X`) in every binary built",
}

risky(f) if {
	f.name in {"toolexec", "exec", "overlay", "modfile"}
}

risky(f) if {
	f.name == "ldflags"
	is_string(f.value)
	regex.match(`(^|[\s='"])--?X([=\s]|$)`, f.value)
}

flagged := [f | some f in modules_lib.goflags; risky(f)]

rest := modules_lib.goflags_without({f.index | some f in flagged})

fix := text if {
	rest == ""
	text := lib.remove_hint("GOFLAGS", "")
	is_string(text)  # holds for any defined value (L012)
} else := lib.set_hint("GOFLAGS", rest)

describe(f) := sprintf("%s (%s)", [f.raw, effect[f.name]])

deny contains finding if {
	count(flagged) > 0
	v := input.go.env.GOFLAGS
	finding := {
		"msg": sprintf("GOFLAGS is set %s with %s: it applies to every go command on this machine", [lib.origin(v), concat("; ", [describe(f) | some f in flagged])]),
		"subject": "go.env.GOFLAGS",
		"vars": {
			"value": v.value,
			"flags": [f.raw | some f in flagged],
			"rest": rest,
			"fix": fix,
		},
		# Unsafe: the program the flag runs stops running.
		"fix": goflags_fix,
	}
}

goflags_fix := edits if {
	rest != ""
	edits := fix_lib.set_in_place("GOFLAGS", rest, false)
	is_array(edits)  # holds for any defined value (L012)
} else := unset_goflags

unset_goflags := edits if {
	input.go.env.GOFLAGS.source == "goenv"
	fix_lib.goenv_file
	edits := [object.union(fix_lib.go_env_unset("GOFLAGS"), {"safe": false})]
	is_array(edits)  # holds for any defined value (L012)
} else := []
