package envgate.go.go057_net_proxy_refuses_tunnel_test

import data.envgate.go.go057_net_proxy_refuses_tunnel as rule
import rego.v1

proxied := {"url": "http://proxy:3128", "variable": "https_proxy", "reason": "through"}

probe(failed, kind) := {"net_probe": {"nameservers": [], "modules": [], "hosts": [{"url": "https://proxy.golang.org", "host": "proxy.golang.org", "port": 443, "role": "goproxy", "setting": "GOPROXY", "proxy": proxied, "failed": failed, "steps": [{"layer": "proxy-connect", "ok": failed == null, "detail": "CONNECT", "error_kind": kind, "error": "the proxy demands credentials: 407 Proxy Authentication Required"}]}]}}

test_fires_on_407 if {
	some finding in rule.deny with input as probe("proxy-connect", "proxy-auth-required")
	finding.vars.kind == "proxy-auth-required"
	finding.subject == "env.https_proxy"
	finding.vars.target == "proxy.golang.org:443"
}

test_quiet_when_the_tunnel_opens if {
	count(rule.deny) == 0 with input as probe(null, null)
}

test_quiet_when_the_proxy_was_not_probed if {
	count(rule.deny) == 0 with input as probe("proxy-connect", "not-probed")
}
