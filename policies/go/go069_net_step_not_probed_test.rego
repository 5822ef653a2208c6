package envgate.go.go069_net_step_not_probed_test

import data.envgate.go.go069_net_step_not_probed as rule
import rego.v1

socks4 := {"url": "socks4://10.0.0.9:1080", "variable": "HTTPS_PROXY", "reason": "through socks4://10.0.0.9:1080 (HTTPS_PROXY)"}

settings_ok := {"layer": "settings", "ok": true, "detail": "through socks4://10.0.0.9:1080 (HTTPS_PROXY)", "error_kind": null, "error": null}

not_probed := {"layer": "proxy-connect", "ok": false, "detail": "proxy socks4://10.0.0.9:1080", "error_kind": "not-probed", "error": "a socks4:// proxy is not probed by envgate (http, https, socks5 and socks5h are)"}

refused := {"layer": "proxy-connect", "ok": false, "detail": "proxy http://10.0.0.9:3128", "error_kind": "proxy-auth-required", "error": "407"}

host(failed, steps) := {"url": "https://proxy.golang.org", "host": "proxy.golang.org", "port": 443, "role": "goproxy", "setting": "GOPROXY", "proxy": socks4, "failed": failed, "steps": steps}

module(attempts, outcome, vcs) := {"path": "example.com/mod", "reason": "--module", "noproxy_patterns": ["example.com"], "nosumdb_patterns": [], "insecure_patterns": [], "proxies": [], "attempts": attempts, "outcome": outcome, "vcs": vcs}

probe(hosts, modules) := {"net_probe": {"nameservers": [], "hosts": hosts, "modules": modules}}

test_fires_for_a_proxy_of_another_scheme if {
	some finding in rule.deny with input as probe([host("proxy-connect", [settings_ok, not_probed])], [])
	finding.subject == "env.HTTPS_PROXY"
	finding.vars.what == "proxy"
	finding.vars.target == "socks4://10.0.0.9:1080"
	contains(finding.msg, "was not tested")
}

test_quiet_when_the_proxy_failed_for_a_known_reason if {
	# GO057 judges a proxy that refused; this rule judges only what was not tried.
	count(rule.deny) == 0 with input as probe([host("proxy-connect", [settings_ok, refused])], [])
}

test_fires_for_a_repository_over_ssh if {
	vcs := {"url": "https://example.com/mod?go-get=1", "status": 200, "result": "not-probed", "error": "git over ssh:// is not probed by envgate (only HTTP(S))", "repo": "ssh://git@git.corp/mod.git"}
	some finding in rule.deny with input as probe([], [module([], "direct", vcs)])
	finding.subject == "go.env.GOPRIVATE"
	finding.vars.what == "vcs"
	finding.vars.target == "ssh://git@git.corp/mod.git"
}

test_quiet_when_every_step_was_tested if {
	attempt := {"proxy": "https://proxy.golang.org", "requests": ["/example.com/mod/@v/list"], "status": 200, "result": "found", "error": null}
	vcs := {"url": "https://example.com/mod?go-get=1", "status": 200, "result": "ok", "error": null, "repo": "https://git.corp/mod.git"}
	count(rule.deny) == 0 with input as probe([host(null, [settings_ok])], [module([attempt], "found", null), module([], "direct", vcs)])
}

test_quiet_without_a_net_probe if {
	count(rule.deny) == 0 with input as {}
}
