# METADATA
# title: Checksum database disabled
# description: |
#   The checksum database (sum.golang.org) is what lets the go command notice that a
#   module version was changed or tampered with after its first release, by anyone
#   including the proxy. Turning it off for everything, usually as a quick fix for a
#   `410 Gone` or `verifying module` error on a private module, silently drops that
#   protection for every public dependency too. GOPRIVATE or GONOSUMDB listing only the
#   private module paths is the precise fix.
#   Decision: one finding per cause: GOSUMDB=off; GONOSUMDB or GOPRIVATE with a
#   comma-separated element that is exactly `*` (which matches every module path; narrower
#   globs are left alone); and GONOSUMCHECK set to `1` or `*` in the environment.
#   GONOSUMCHECK is not read by the go command at all, but it is a widely copied attempt
#   at switching verification off and shows up next to the settings that do.
# related_resources:
#   - ref: https://github.com/golang/go/issues/35164
#   - ref: https://github.com/golang/go/issues/41986
# custom:
#   id: GO029
#   severity: warning
#   since: 0.1.0
#   autofix: unsafe
#   category: Modules & proxy
#   remediation: |
#     Keep checksum verification for public modules:
#       {{ vars.fix }}
#     and exempt only your private module paths (the usual reason for turning it off):
#       go env -w GOPRIVATE='git.example.com/*'
package envgate.go.go029_checksum_db_disabled

import data.envgate.go.fix_lib
import data.envgate.go.lib
import rego.v1
matches_everything(value) if {
	some element in split(value, ",")
	trim_space(element) == "*"
}

deny contains finding if {
	lib.setting("GOSUMDB") == "off"
	v := input.go.env.GOSUMDB
	finding := {
		"msg": sprintf("GOSUMDB=off is set %s: downloaded modules are no longer checked against the checksum database", [lib.origin(v)]),
		"subject": "go.env.GOSUMDB",
		"vars": {"name": "GOSUMDB", "value": v.value, "fix": lib.remove_hint("GOSUMDB", "sum.golang.org")},
		"fix": fix_lib.setting_fix("GOSUMDB"),
	}
}

deny contains finding if {
	some name in ["GONOSUMDB", "GOPRIVATE"]
	v := input.go.env[name]
	matches_everything(v.value)
	finding := {
		"msg": sprintf("%s=%s is set %s: `*` matches every module path, so no module is checked against the checksum database%s", [name, v.value, lib.origin(v), proxy_note(name)]),
		"subject": sprintf("go.env.%s", [name]),
		"vars": {"name": name, "value": v.value, "fix": lib.remove_hint(name, "")},
		"fix": fix_lib.setting_fix(name),
	}
}

proxy_note("GOPRIVATE") := " (and none is fetched through the proxy)"

proxy_note("GONOSUMDB") := ""

deny contains finding if {
	value := input.env.GONOSUMCHECK
	value in {"1", "*"}
	finding := {
		"msg": sprintf("GONOSUMCHECK=%s is set%s: the go command ignores this name, but it is a copied attempt at turning checksum verification off", [value, env_origin("GONOSUMCHECK")]),
		"subject": "env.GONOSUMCHECK",
		"vars": {"name": "GONOSUMCHECK", "value": value, "fix": env_remove_hint("GONOSUMCHECK")},
	}
}

env_origin(name) := text if {
	o := input.env_origin[name]
	text := sprintf(" in %s:%d", [o.file, o.line])
	is_string(text)  # holds for any defined value (L012)
} else := " in the environment"

env_remove_hint(name) := text if {
	input.env_origin[name]
	text := lib.delete_line(name, input.env_origin[name].file)
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("unset %s   # and delete the line that sets it from your shell startup files", [name])
