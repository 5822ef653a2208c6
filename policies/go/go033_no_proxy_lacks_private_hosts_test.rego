package envgate.go.go033_no_proxy_lacks_private_hosts_test

import data.envgate.go.go033_no_proxy_lacks_private_hosts as rule
import rego.v1

base(env, goprivate) := {
	"env": env,
	"env_origin": {},
	"go": {"env": {"GOPRIVATE": {"value": goprivate, "source": "goenv"}}},
}

proxy := {"HTTPS_PROXY": "http://proxy.corp.example:3128"}

test_fires_when_no_proxy_is_empty if {
	some finding in rule.deny with input as base(proxy, "git.corp.example/*,*.internal.example")
	finding.vars.hosts == ["*.internal.example", "git.corp.example"]
	contains(finding.msg, "HTTPS_PROXY is set but *.internal.example, git.corp.example are not in NO_PROXY (it is empty)")
	finding.subject == "env.HTTPS_PROXY"
	finding.vars.suggested == ".internal.example,git.corp.example"
}

test_lower_case_proxy_and_partial_no_proxy if {
	env := {"https_proxy": "http://p:3128", "no_proxy": "localhost, .corp.example"}
	some finding in rule.deny with input as base(env, "corp.example,git.other.example")
	finding.vars.hosts == ["corp.example", "git.other.example"]
	finding.vars.suggested == "localhost,.corp.example,corp.example,git.other.example"
}

test_quiet_when_no_proxy_covers_the_hosts if {
	env := object.union(proxy, {"NO_PROXY": "localhost,corp.example:443,*.internal.example"})
	count(rule.deny) == 0 with input as base(env, "git.corp.example/*,*.internal.example,corp.example")
	count(rule.deny) == 0 with input as base(object.union(proxy, {"no_proxy": "*"}), "git.corp.example")
}

test_quiet_without_a_proxy_or_private_patterns if {
	count(rule.deny) == 0 with input as base({}, "git.corp.example")
	count(rule.deny) == 0 with input as base(proxy, "")
}
