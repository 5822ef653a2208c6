package envgate.go.go041_workspace_root_without_module_test

import data.envgate.go.go041_workspace_root_without_module as rule
import rego.v1

base(ws) := {"host": {"home": "/home/dev"}, "go": {"env": {}}, "workspace": ws}

test_fires_for_a_repository_root_over_modules if {
	ws := {"dir": "/src/repo", "go_mod": null, "go_work": null, "nested_modules": ["/src/repo/api/go.mod", "/src/repo/services/billing/go.mod"]}
	some finding in rule.deny with input as base(ws)
	finding.vars.uses == ["./api", "./services/billing"]
	contains(finding.msg, "/src/repo has no go.mod or go.work, but 2 modules sit below it (./api, ./services/billing)")
}

test_fires_for_a_stray_go_work_in_a_parent if {
	ws := {
		"dir": "/home/dev/src/app",
		"go_mod": {"file": "/home/dev/src/app/go.mod"},
		"go_work": {"file": "/home/dev/go.work", "go": {"value": "1.22.0", "line": 1}},
		"work_uses": [{"value": "./experiments/x", "line": 3, "dir": "/home/dev/experiments/x", "has_go_mod": true}],
	}
	some finding in rule.deny with input as base(ws)
	finding.location == {"file": "/home/dev/go.work", "line": 1}
	contains(finding.msg, "/home/dev/go.work, in a parent directory of /home/dev/src/app, does not list the module")
	finding.vars.work_dir == "/home/dev"
}

test_quiet_when_go_work_uses_the_module_or_is_off if {
	ws := {
		"dir": "/src/repo/app",
		"go_mod": {"file": "/src/repo/app/go.mod"},
		"go_work": {"file": "/src/repo/go.work"},
		"work_uses": [{"value": "./app", "line": 3, "dir": "/src/repo/app", "has_go_mod": true}],
	}
	count(rule.deny) == 0 with input as base(ws)
	stray := object.union(ws, {"work_uses": []})
	count(rule.deny) == 0 with input as object.union(base(stray), {"go": {"env": {"GOWORK": {"value": "off", "source": "env"}}}})
}

test_quiet_for_a_module_root_and_the_home_directory if {
	count(rule.deny) == 0 with input as base({"dir": "/src/app", "go_mod": {"file": "/src/app/go.mod"}, "go_work": null, "nested_modules": []})
	count(rule.deny) == 0 with input as base({"dir": "/home/dev", "go_mod": null, "go_work": null, "nested_modules": ["/home/dev/src/x/go.mod"]})
}
