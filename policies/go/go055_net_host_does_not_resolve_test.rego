package envgate.go.go055_net_host_does_not_resolve_test

import data.envgate.go.go055_net_host_does_not_resolve as rule
import rego.v1

direct := {"url": null, "variable": null, "reason": "direct: HTTPS_PROXY/https_proxy not set"}

ok_steps := [{"layer": "settings", "ok": true, "detail": "direct", "error_kind": null, "error": null}]

dns_failed := array.concat(ok_steps, [{"layer": "dns", "ok": false, "detail": "proxy.corp.invalid", "error_kind": "no-such-host", "error": "proxy.corp.invalid does not resolve: no such host", "dns": {"name": "proxy.corp.invalid", "addresses": [], "hosts_file": false}}])

probe(failed, steps) := {"net_probe": {"nameservers": ["10.0.0.2"], "modules": [], "hosts": [{"url": "https://proxy.corp.invalid", "host": "proxy.corp.invalid", "port": 443, "role": "goproxy", "setting": "GOPROXY", "proxy": direct, "failed": failed, "steps": steps}]}}

test_fires_when_the_goproxy_host_does_not_resolve if {
	some finding in rule.deny with input as probe("dns", dns_failed)
	finding.subject == "go.env.GOPROXY"
	contains(finding.msg, "does not resolve")
	finding.vars.nameservers == "10.0.0.2"
}

test_quiet_when_dns_worked if {
	count(rule.deny) == 0 with input as probe(null, ok_steps)
}

test_quiet_without_a_net_probe if {
	count(rule.deny) == 0 with input as {}
}
