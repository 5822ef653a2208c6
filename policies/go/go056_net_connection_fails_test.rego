package envgate.go.go056_net_connection_fails_test

import data.envgate.go.go056_net_connection_fails as rule
import rego.v1

proxied := {"url": "http://proxy:3128", "variable": "HTTPS_PROXY", "reason": "through http://proxy:3128 (HTTPS_PROXY)"}

steps(ok) := [
	{"layer": "settings", "ok": true, "detail": "x", "error_kind": null, "error": null},
	{"layer": "tcp", "ok": ok, "detail": "the proxy proxy:3128", "error_kind": "refused", "error": "the proxy proxy:3128 refused the connection"},
]

probe(failed, ok) := {"net_probe": {"nameservers": [], "modules": [], "hosts": [{"url": "https://proxy.golang.org", "host": "proxy.golang.org", "port": 443, "role": "goproxy", "setting": "GOPROXY", "proxy": proxied, "failed": failed, "steps": steps(ok)}]}}

test_fires_at_the_proxy_variable if {
	some finding in rule.deny with input as probe("tcp", false)
	finding.subject == "env.HTTPS_PROXY"
	finding.vars.via_proxy
	finding.vars.kind == "refused"
}

test_quiet_when_connected if {
	count(rule.deny) == 0 with input as probe(null, true)
}

test_fires_on_a_direct_timeout if {
	direct := {"url": null, "variable": null, "reason": "direct"}
	input_direct := {"net_probe": {"nameservers": [], "modules": [], "hosts": [{"url": "https://proxy.golang.org", "host": "proxy.golang.org", "port": 443, "role": "goproxy", "setting": "GOPROXY", "proxy": direct, "failed": "tcp", "steps": [{"layer": "tcp", "ok": false, "detail": "x", "error_kind": "timeout", "error": "no answer"}]}]}}
	some finding in rule.deny with input as input_direct
	finding.vars.via_proxy == false
	finding.subject == "go.env.GOPROXY"
}
