package envgate.go.go040_vendor_ignored_or_inconsistent_test

import data.envgate.go.go040_vendor_ignored_or_inconsistent as rule
import rego.v1

req(path, version, line) := {"path": path, "version": version, "indirect": false, "line": line}

vmod(path, version, explicit, packages, line) := {"path": path, "version": version, "explicit": explicit, "packages": packages, "line": line, "replacement_path": null, "replacement_version": null}

go_mod(go_line, requires, replaces) := {"file": "/src/app/go.mod", "go": {"value": go_line, "line": 3}, "requires": requires, "replaces": replaces}

vendor(modules) := {"dir": "/src/app/vendor", "exists": true, "modules_txt": {"file": "/src/app/vendor/modules.txt", "modules": modules}}

base(mod, vend, goflags) := {
	"host": {"home": "/home/dev"},
	"go": {"env": goflags_env(goflags)},
	"go_settings": {"goflags": [flag(i, f) | some i, f in goflags]},
	"workspace": {"go_mod": mod, "go_work": null, "vendor": vend},
}

flag(i, f) := {"index": i, "raw": f, "name": parts[0], "value": value(parts)} if parts := split(trim_prefix(f, "-"), "=")

value(parts) := parts[1] if count(parts) > 1 else := null

goflags_env(flags) := {"GOFLAGS": {"value": concat(" ", flags), "source": "env", "file": "/etc/environment", "line": 4}} if count(flags) > 0 else := {}

consistent := base(go_mod("1.21", [req("github.com/google/uuid", "v1.6.0", 5)], []), vendor([vmod("github.com/google/uuid", "v1.6.0", true, 1, 1)]), [])

test_fires_for_inconsistent_vendoring if {
	stale := base(
		go_mod("1.21", [req("github.com/google/uuid", "v1.6.0", 5), req("golang.org/x/sys", "v0.20.0", 6)], []),
		vendor([vmod("github.com/google/uuid", "v1.5.0", true, 1, 1), vmod("golang.org/x/sys", "v0.20.0", true, 2, 4)]),
		[],
	)
	findings := rule.deny with input as stale
	count(findings) == 1
	some finding in findings
	finding.vars.case == "inconsistent"
	finding.location == {"file": "/src/app/go.mod", "line": 5}
	contains(finding.msg, "`go: inconsistent vendoring`: github.com/google/uuid v1.6.0 is required in go.mod but not marked `## explicit`")
	contains(finding.msg, "vendor/modules.txt marks github.com/google/uuid v1.5.0 `## explicit` but go.mod does not require it")
}

test_fires_for_replacement_mismatch if {
	replace := {"old_path": "example.com/a", "old_version": null, "new_path": "../a", "new_version": null, "line": 9}
	input_value := base(go_mod("1.21", [], [replace]), vendor([]), [])
	some finding in rule.deny with input as input_value
	contains(finding.msg, "go.mod replaces example.com/a but vendor/modules.txt does not record that replacement")
}

test_fires_when_goflags_ignores_vendor if {
	input_value := object.union(consistent, base(consistent.workspace.go_mod, consistent.workspace.vendor, ["-mod=mod"]))
	some finding in rule.deny with input as input_value
	finding.vars.case == "mod_flag"
	finding.subject == "go.env.GOFLAGS"
	contains(finding.msg, "GOFLAGS sets -mod=mod (in /etc/environment:4)")
	startswith(finding.vars.fix, "sudo sed -i")
}

test_fires_for_an_old_go_line if {
	input_value := base(go_mod("1.13", [req("github.com/google/uuid", "v1.6.0", 5)], []), vendor([vmod("github.com/google/uuid", "v1.6.0", false, 1, 1)]), [])
	some finding in rule.deny with input as input_value
	finding.vars.case == "old_go_line"
	finding.location == {"file": "/src/app/go.mod", "line": 3}
}

test_fires_for_mod_vendor_without_vendor if {
	input_value := base(go_mod("1.21", [], []), {"dir": "/src/app/vendor", "exists": false, "modules_txt": null}, ["-trimpath", "-mod=vendor"])
	some finding in rule.deny with input as input_value
	finding.vars.case == "no_vendor"
	contains(finding.vars.fix, "GOFLAGS=-trimpath")
}

test_quiet_when_consistent_or_without_vendor if {
	count(rule.deny) == 0 with input as consistent
	count(rule.deny) == 0 with input as base(go_mod("1.21", [req("a.example/x", "v1.0.0", 5)], []), {"dir": "/src/app/vendor", "exists": false, "modules_txt": null}, [])
}

test_pre_1_14_only_checks_versions_under_mod_vendor if {
	input_value := base(go_mod("1.13", [req("github.com/google/uuid", "v1.6.0", 5)], []), vendor([vmod("github.com/google/uuid", "v1.6.0", false, 1, 1)]), ["-mod=vendor"])
	count(rule.deny) == 0 with input as input_value
}

test_quiet_in_workspace_mode if {
	stale := base(go_mod("1.13", [], []), vendor([]), [])
	count(rule.deny) == 0 with input as object.union(stale, {"workspace": {"go_work": {"file": "/src/go.work"}}})
}
