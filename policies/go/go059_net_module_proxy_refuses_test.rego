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

probe_401(login, logins) := {"net_probe": {"nameservers": [], "logins": logins, "hosts": [{"url": "https://goproxy.corp", "failed": "http", "login": login}], "modules": [{"path": "example.com/x", "outcome": "error", "attempts": [attempt(401, "error")]}]}}

netrc_logins := {"goauth": "netrc", "netrc": "/home/dev/.netrc", "netrc_state": "read", "netrc_machines": 1, "not_followed": []}

test_a_refused_netrc_login_is_at_its_line if {
	login := {"source": "netrc", "file": "/home/dev/.netrc", "line": 3, "machine": "goproxy.corp"}
	some finding in rule.deny with input as probe_401(login, netrc_logins)
	finding.location == {"file": "/home/dev/.netrc", "line": 3}
	contains(finding.msg, "refused the login of /home/dev/.netrc line 3 (machine goproxy.corp)")
}

test_no_login_names_the_netrc_file_and_machine if {
	login := {"source": "none", "file": "/home/dev/.netrc", "machine": "goproxy.corp"}
	some finding in rule.deny with input as probe_401(login, netrc_logins)
	not finding.location
	finding.subject == "go.env.GOPROXY"
	contains(finding.msg, "/home/dev/.netrc has no machine line for goproxy.corp")
}

test_goauth_off_points_at_goauth if {
	login := {"source": "none", "machine": "goproxy.corp"}
	logins := object.union(netrc_logins, {"goauth": "off", "netrc": null})
	some finding in rule.deny with input as probe_401(login, logins)
	finding.subject == "go.env.GOAUTH"
	contains(finding.msg, "GOAUTH=off")
}

test_userinfo_refused if {
	login := {"source": "userinfo", "machine": "goproxy.corp"}
	some finding in rule.deny with input as probe_401(login, netrc_logins)
	contains(finding.msg, "user and password in GOPROXY's URL")
}
