package envgate.go.go059_net_module_proxy_refuses_test

import data.envgate.go.go059_net_module_proxy_refuses as rule
import rego.v1

attempt(status, result) := {"proxy": "https://goproxy.corp", "requests": ["/x/@v/list"], "status": status, "result": result, "error": "reading https://goproxy.corp/x/@v/list: 403", "separator": ",", "body": "blocked by policy"}

probe(outcome, attempts, host_failed) := {"net_probe": {"nameservers": [], "hosts": [{"url": "https://goproxy.corp", "failed": host_failed}], "modules": [{"path": "example.com/x", "outcome": outcome, "attempts": attempts}]}}

test_fires_on_a_403_that_stops_the_walk if {
	some finding in rule.deny with input as probe("error", [attempt(403, "error")], "http")
	finding.vars.status == 403
	contains(finding.msg, "blocked by policy")
	finding.subject == "go.env.GOPROXY"
}

test_fires_when_every_entry_says_not_found if {
	some finding in rule.deny with input as probe("not-found", [attempt(404, "not-found")], "http")
	contains(finding.msg, "404/410")
}

test_quiet_when_found if {
	count(rule.deny) == 0 with input as probe("found", [attempt(200, "found")], null)
}

test_quiet_when_a_lower_layer_failed if {
	count(rule.deny) == 0 with input as probe("error", [attempt(null, "error")], "tls")
}
