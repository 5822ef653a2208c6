package envgate.go.go030_private_modules_not_covered_test

import data.envgate.go.go030_private_modules_not_covered as rule
import rego.v1

mp(path, line, matched) := {"path": path, "directive": "require", "file": "/src/app/go.mod", "line": line, "replaced_by_directory": false, "matched_by": matched}

base(paths, env) := {
	"host": {"home": "/home/dev"},
	"go": {"env": env},
	"workspace": {"module_paths": paths},
}

test_fires_for_a_corp_host_without_goprivate if {
	paths := [mp("github.com/google/uuid", 6, {}), mp("git.corp.example/platform/auth", 7, {})]
	findings := rule.deny with input as base(paths, {})
	count(findings) == 1
	some finding in findings
	finding.location == {"file": "/src/app/go.mod", "line": 7}
	contains(finding.msg, "go.mod requires git.corp.example/platform/auth from git.corp.example, which looks private (it ends in .example")
	finding.vars.fix == "go env -w GOPRIVATE='git.corp.example'"
}

test_groups_paths_by_host_and_extends_goprivate if {
	paths := [mp("gitlab.acme.io/a/x", 9, {}), mp("gitlab.acme.io/a/y", 5, {}), mp("intranet/tools", 11, {})]
	env := {"GOPRIVATE": {"value": "*.corp.example", "source": "goenv"}}
	findings := rule.deny with input as base(paths, env)
	count(findings) == 2
	some finding in findings
	finding.vars.host == "gitlab.acme.io"
	finding.location.line == 5
	finding.vars.paths == ["gitlab.acme.io/a/y", "gitlab.acme.io/a/x"]
	contains(finding.msg, "has a `gitlab` label")
	finding.vars.fix == "go env -w GOPRIVATE='*.corp.example,gitlab.acme.io'"
	some other in findings
	other.vars.host == "intranet"
	contains(other.msg, "has no dot")
}

test_quiet_when_a_pattern_covers_it if {
	paths := [mp("git.corp.example/platform/auth", 7, {"GOPRIVATE": [], "GONOSUMDB": ["git.corp.example"]})]
	count(rule.deny) == 0 with input as base(paths, {})
}

test_quiet_for_public_hosts_and_local_replacements if {
	paths := [
		mp("github.com/acme/private-but-on-github", 3, {}),
		mp("gitlab.com/group/project", 4, {}),
		mp("go.googlesource.com/x", 5, {}),
		object.union(mp("git.corp.example/platform/auth", 6, {}), {"replaced_by_directory": true}),
	]
	count(rule.deny) == 0 with input as base(paths, {})
}

test_quiet_without_a_workspace if {
	count(rule.deny) == 0 with input as {"go": {"env": {}}, "workspace": {"dir": null}}
}
