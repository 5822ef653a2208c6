package envgate.go.go067_cgo_flags_name_another_arch_test

import data.envgate.go.go067_cgo_flags_name_another_arch as rule
import rego.v1

mac(env) := {"go": {"env": object.union(
	{
		"GOOS": {"value": "darwin", "source": "default"},
		"GOARCH": {"value": "arm64", "source": "default"},
		"CGO_ENABLED": {"value": "1", "source": "default"},
	},
	env,
)}}

test_intel_arch_on_an_arm64_build if {
	findings := rule.deny with input as mac({"CGO_CFLAGS": {"value": "-O2 -g -arch x86_64", "source": "env", "file": "/Users/dev/.zprofile", "line": 3}})
	count(findings) == 1
	some f in findings
	f.vars.wanted == "amd64"
	f.vars.without == "-O2 -g"
	f.subject == "go.env.CGO_CFLAGS"
}

test_quiet_for_the_same_cpu_without_cgo_or_off_darwin if {
	count(rule.deny) == 0 with input as mac({"CGO_LDFLAGS": {"value": "-arch arm64e", "source": "env"}})
	count(rule.deny) == 0 with input as mac({
		"CGO_CFLAGS": {"value": "-arch x86_64", "source": "env"},
		"CGO_ENABLED": {"value": "0", "source": "env"},
	})
	count(rule.deny) == 0 with input as mac({
		"CGO_CFLAGS": {"value": "-arch x86_64", "source": "env"},
		"GOOS": {"value": "linux", "source": "env"},
	})
	count(rule.deny) == 0 with input as mac({"CGO_CFLAGS": {"value": "-O2 -g", "source": "default"}})
}
