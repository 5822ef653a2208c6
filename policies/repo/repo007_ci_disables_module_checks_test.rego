package envgate.repo.repo007_ci_disables_module_checks_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo007_ci_disables_module_checks as rule
import rego.v1

workflow(content) := {"files": [t.doc(".github/workflows/ci.yml", "github-workflow", content)]}

test_fires_at_every_env_level_of_a_workflow if {
	content := {
		"env": {"GOSUMDB": "off"},
		"jobs": {"build": {
			"env": {"GONOSUMDB": "*"},
			"container": {"image": "golang:1.26", "env": {"GOINSECURE": "git.example.com"}},
			"steps": [{"run": "go test"}, {"env": {"GOFLAGS": "-insecure"}}],
		}},
	}
	findings := rule.deny with input as workflow(content)
	paths := {f.location.path | some f in findings}
	paths == {
		["env", "GOSUMDB"],
		["jobs", "build", "env", "GONOSUMDB"],
		["jobs", "build", "container", "env", "GOINSECURE"],
		["jobs", "build", "steps", 1, "env", "GOFLAGS"],
	}
}

test_expressions_and_safe_values_are_not_judged if {
	content := {"jobs": {"build": {"env": {
		"GOINSECURE": "${{ vars.hosts }}",
		"GOSUMDB": "$SUMDB",
		"GOPROXY": "https://proxy.example.com,direct",
		"GONOSUMDB": "git.example.com",
	}}}}
	count(rule.deny) == 0 with input as workflow(content)
}

test_gitlab_variables_written_as_objects_and_numbers if {
	content := {
		"variables": {"GONOSUMCHECK": 1},
		"lint": {"variables": {"GOSUMDB": {"value": "off", "description": "x"}}},
	}
	findings := rule.deny with input as {"files": [t.doc(".gitlab-ci.yml", "gitlab-ci", content)]}
	count(findings) == 2
}
