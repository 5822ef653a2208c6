# METADATA
# title: GOPROXY has no `direct` fallback
# description: |
#   GOPROXY is a list of proxies tried in order (`,` moves on only after a 404/410, `|`
#   after any error); the word `direct` at the end lets the go command fetch a module from
#   its origin server when no proxy has it. Without it, and with neither GOPRIVATE nor
#   GONOPROXY naming the modules that must skip the proxy, every module the proxy cannot
#   serve fails to download: private repositories, internal hosts, and tags pushed
#   minutes ago.
#   Decision: fires when the effective GOPROXY, split on `,` and `|`, has no `direct`
#   element, is not `off` (GO028) and GOPRIVATE and GONOPROXY are both empty, whether or
#   not a go.mod is being checked, since any `go get`/`go install` can hit it. When the
#   checked go.mod requires modules whose first path element has no dot or ends in
#   .internal, .corp, .local or .lan (likely private), up to five are named.
# related_resources:
#   - ref: https://github.com/golang/go/issues/31818
# custom:
#   id: GO027
#   severity: warning
#   since: 0.1.0
#   autofix: safe
#   category: Modules & proxy
#   remediation: |
#     Keep your proxy but let the go command fall back to the origin server:
#       {{ vars.fix }}
#     and send private modules straight to their servers (your private module path prefixes):
#       go env -w GOPRIVATE='{% if vars.private_pattern %}{{ vars.private_pattern }}{% else %}git.example.com/*{% endif %}'
package envgate.go.go027_goproxy_without_direct

import data.envgate.go.fix_lib
import data.envgate.go.lib
import rego.v1

elements(value) := [trim_space(e) | some e in regex.split(`[,|]`, value)]

likely_private(path) if {
	first := split(path, "/")[0]
	is_string(first)  # holds for any defined value (L012)
	not contains(first, ".")
}

likely_private(path) if {
	first := split(path, "/")[0]
	regex.match(`\.(internal|corp|local|lan)$`, first)
}

private_requires := sort([r.path | some r in input.workspace.go_mod.requires; likely_private(r.path)]) if {
	input.workspace.go_mod.requires
} else := []

named_private := array.slice(private_requires, 0, 5)

private_pattern := concat(",", sort({sprintf("%s/*", [split(p, "/")[0]]) | some p in private_requires}))

private_note := text if {
	count(named_private) > 0
	text := sprintf("; %s requires %s, which look private", [input.workspace.go_mod.file, concat(", ", named_private)])
	is_string(text)  # holds for any defined value (L012)
} else := ""

# How to append `,direct` to GOPROXY where it is set now. The value is not repeated in
# the command: it may hold a redacted password.
append_direct := sprintf(`%ssed -i '/^\s*\(export \)\?GOPROXY=/ s/\("\?\)\s*$/,direct\1/' %s`, [lib.sudo_for(v.file), v.file]) if {
	v := input.go.env.GOPROXY
	v.source == "env"
	is_string(v.file)
} else := `export GOPROXY="$GOPROXY,direct"   # where it is set now` if {
	input.go.env.GOPROXY.source == "env"
} else := `go env -w GOPROXY="$(go env GOPROXY),direct"`

deny contains finding if {
	value := lib.setting("GOPROXY")
	value != ""
	value != "off"
	not "direct" in elements(value)
	lib.setting("GOPRIVATE") == ""
	lib.setting("GONOPROXY") == ""
	finding := {
		"msg": sprintf("GOPROXY=%s has no `direct` fallback and GOPRIVATE/GONOPROXY are empty, so modules the proxy cannot serve (private repositories, brand-new tags) fail to download%s", [value, private_note]),
		"subject": "go.env.GOPROXY",
		"vars": {
			"value": value,
			"fix": append_direct,
			"private": named_private,
			"private_pattern": private_pattern,
		},
		"fix": fix_lib.setting_fix("GOPROXY"),
	}
}
