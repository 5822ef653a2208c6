# METADATA
# title: Private module paths not covered by GOPRIVATE, GONOPROXY or GONOSUMDB
# description: |
#   The go command fetches modules through GOPROXY (proxy.golang.org by default) and
#   checks each new one against the public checksum database (sum.golang.org). Neither
#   can see a company's internal Git server: the proxy answers 404/410 and, even when
#   the direct fetch works, the checksum lookup fails with `verifying module: … 410
#   Gone`. The module paths also leak to both services. GOPRIVATE (or GONOPROXY plus
#   GONOSUMDB) naming the private hosts sends those modules straight to their servers
#   and skips the public checksum database for them only.
#   Decision: checks the `require` paths of go.mod (and the module targets of go.mod's
#   and go.work's `replace` directives), except paths replaced by a local directory,
#   which are never downloaded. A module host looks private when it has no dot, is an IP
#   address, ends in a suffix that never resolves publicly (.internal, .corp, .local,
#   .lan, .home, .example, .test, …) or has a label typical of internal servers (git,
#   gitlab, corp, intranet, …), unless the pack data lists it as public (github.com,
#   gitlab.com, golang.org, …; key `module_hosts` of policies/go/data.json). It is
#   covered when any pattern of GOPRIVATE, GONOPROXY or GONOSUMDB matches it the way the
#   go command matches them. One finding per manifest and host, at its first line.
# related_resources:
#   - ref: https://github.com/golang/go/issues/35164
#   - ref: https://github.com/golang/go/issues/40358
#   - ref: https://github.com/golang/go/issues/32291
#   - ref: https://go.dev/ref/mod#private-modules
# custom:
#   id: GO030
#   severity: warning
#   since: 1.0.0
#   autofix: safe
#   category: Modules & proxy
#   remediation: |
#     Tell the go command which modules are private, so they skip the public proxy and checksum database:
#       {{ vars.fix }}
package envgate.go.go030_private_modules_not_covered

import data.envgate.go.fix_lib
import data.envgate.go.lib
import data.envgate.go.modules_lib
import rego.v1

covered(m) if {
	some patterns in object.get(m, "matched_by", {})
	count(patterns) > 0
}

# Module paths that look private and nothing covers.
uncovered contains m if {
	some m in object.get(input.workspace, "module_paths", [])
	not m.replaced_by_directory
	not covered(m)
	modules_lib.private_reason(modules_lib.host_of(m.path))
}

groups := {[m.file, modules_lib.host_of(m.path)] | some m in uncovered}

current_private := lib.setting("GOPRIVATE")

# One GOPRIVATE for every finding (all the uncovered hosts), so that the findings of
# several hosts make one edit of the `go env -w` file; not where the environment sets
# GOPRIVATE, which would override it.
all_private := concat(",", array.concat([current_private | current_private != ""], sort({host | some [_, host] in groups})))

private_fix := edits if {
	fix_lib.goenv_file
	object.get(input.go.env, ["GOPRIVATE", "source"], "") != "env"
	edits := [fix_lib.go_env_set("GOPRIVATE", all_private)]
	is_array(edits)  # holds for any defined value (L012)
} else := []

new_private(host) := sprintf("%s,%s", [current_private, host]) if current_private != "" else := host

deny contains finding if {
	some group in groups
	[file, host] := group
	members := sort([[m.line, m.path] | some m in uncovered; m.file == file; modules_lib.host_of(m.path) == host])
	paths := [member[1] | some member in members]
	finding := {
		"msg": sprintf("%s requires %s from %s, which looks private (it %s), but no GOPRIVATE, GONOPROXY or GONOSUMDB pattern covers it: downloads go through the public proxy and fail checksum verification with `410 Gone`", [
			modules_lib.base_name(file),
			shown(paths),
			host,
			modules_lib.private_reason(host),
		]),
		"location": {"file": file, "line": members[0][0]},
		"vars": {
			"host": host,
			"paths": paths,
			"file": file,
			"fix": lib.set_hint("GOPRIVATE", new_private(host)),
		},
		"fix": private_fix,
	}
}

shown(paths) := concat(", ", paths) if count(paths) <= 3 else := sprintf("%s and %d more", [concat(", ", array.slice(paths, 0, 3)), count(paths) - 3])
