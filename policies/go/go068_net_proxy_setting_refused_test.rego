package envgate.go.go068_net_proxy_setting_refused_test

import data.envgate.go.go068_net_proxy_setting_refused as rule
import rego.v1

why := "refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy"

refused := [{"layer": "settings", "ok": false, "detail": why, "error_kind": "proxy-refused", "error": why}]

passed := [{"layer": "settings", "ok": true, "detail": "direct: HTTP_PROXY/http_proxy not set", "error_kind": null, "error": null}]

probe(failed, steps) := {"net_probe": {"nameservers": [], "modules": [], "hosts": [{"url": "http://proxy.corp", "host": "proxy.corp", "port": 80, "role": "goproxy", "setting": "GOPROXY", "proxy": {"url": null, "variable": null, "reason": why}, "failed": failed, "steps": steps}]}}

test_fires_when_go_refuses_http_proxy if {
	some finding in rule.deny with input as probe("settings", refused)
	finding.subject == "env.HTTP_PROXY"
	contains(finding.msg, "CGI environment")
	finding.vars.url == "http://proxy.corp"
}

test_quiet_when_the_settings_step_passed if {
	count(rule.deny) == 0 with input as probe(null, passed)
}

test_quiet_without_a_net_probe if {
	count(rule.deny) == 0 with input as {}
}
