package envgate.go.go027_goproxy_without_direct_test

import data.envgate.go.go027_goproxy_without_direct as rule
import rego.v1

setting(value) := {"value": value, "source": "env", "file": "/etc/environment", "line": 2}

base := {
	"host": {"home": "/home/dev"},
	"go": {"env": {"GOPROXY": setting("https://goproxy.corp.example.com")}},
	"workspace": {"go_mod": null},
}

test_fires_without_direct if {
	some finding in rule.deny with input as base
	finding.subject == "go.env.GOPROXY"
	finding.vars.fix == `sudo sed -i '/^\s*\(export \)\?GOPROXY=/ s/\("\?\)\s*$/,direct\1/' /etc/environment`
	finding.vars.private == []
	contains(finding.msg, "GOPROXY=https://goproxy.corp.example.com has no `direct` fallback")
}

test_fires_with_pipe_list_and_names_private_requires if {
	requires := [
		{"path": "github.com/pkg/errors", "version": "v0.9.1"},
		{"path": "git.corp.local/platform/auth", "version": "v1.2.0"},
		{"path": "mycompany/lib", "version": "v0.1.0"},
	]
	inp := object.union(base, {
		"go": {"env": {"GOPROXY": {"value": "https://a.example.com|https://b.example.com", "source": "goenv", "file": "/home/dev/.config/go/env", "line": 1}}},
		"workspace": {"go_mod": {"file": "/src/app/go.mod", "requires": requires}},
	})
	some finding in rule.deny with input as inp
	finding.vars.private == ["git.corp.local/platform/auth", "mycompany/lib"]
	finding.vars.private_pattern == "git.corp.local/*,mycompany/*"
	finding.vars.fix == `go env -w GOPROXY="$(go env GOPROXY),direct"`
	contains(finding.msg, "/src/app/go.mod requires git.corp.local/platform/auth, mycompany/lib, which look private")
}

test_quiet_with_direct_after_a_pipe if {
	inp := object.union(base, {"go": {"env": {"GOPROXY": setting("https://goproxy.io|direct")}}})
	count(rule.deny) == 0 with input as inp
}

test_quiet_when_goprivate_is_set if {
	inp := object.union(base, {"go": {"env": {"GOPRIVATE": setting("git.corp.example.com")}}})
	count(rule.deny) == 0 with input as inp
}

test_quiet_when_off if {
	inp := object.union(base, {"go": {"env": {"GOPROXY": setting("off")}}})
	count(rule.deny) == 0 with input as inp
}

test_quiet_on_default if {
	inp := object.union(base, {"go": {"env": {"GOPROXY": {"value": "https://proxy.golang.org,direct", "source": "default"}}}})
	count(rule.deny) == 0 with input as inp
}
