package envgate.repo.repo005_image_disables_module_checks_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo005_image_disables_module_checks as rule
import rego.v1

dockerfile(env) := {"files": [t.with_facts(t.doc("Dockerfile", "dockerfile", {}), {"stages": [{"from": "golang:1.23", "env": env}]})]}

test_fires_on_each_setting_that_turns_checks_off if {
	env := {
		"GOSUMDB": {"value": "off", "line": 2},
		"GONOSUMDB": {"value": "*", "line": 3},
		"GOINSECURE": {"value": "example.com", "line": 4},
		"GOFLAGS": {"value": "-mod=mod -insecure", "line": 5},
		"GOPROXY": {"value": "https://proxy.example.com", "line": 6},
	}
	findings := rule.deny with input as dockerfile(env)
	count(findings) == 5
	some f in findings
	f.vars.variable == "GOPROXY"
	f.severity == "warning"
	f.location.line == 6
}

test_quiet_on_safe_settings if {
	env := {
		"GOSUMDB": {"value": "sum.golang.org", "line": 2},
		"GONOSUMDB": {"value": "example.com/private", "line": 3},
		"GOFLAGS": {"value": "-mod=mod", "line": 5},
		"GOPROXY": {"value": "https://proxy.example.com,direct", "line": 6},
		"GOPRIVATE": {"value": "example.com", "line": 7},
	}
	count(rule.deny) == 0 with input as dockerfile(env)
}
