package envgate.go.go032_credentials_in_proxy_urls_test

import data.envgate.go.go032_credentials_in_proxy_urls as rule
import rego.v1

base := {
	"host": {"home": "/home/dev", "user": "dev"},
	"env": {"HTTPS_PROXY": "http://proxy.corp:3128", "GOPROXY": "https://proxy.golang.org,direct"},
	"env_origin": {},
	"redactions": [],
	"go": {"goenv_file": {"path": "/home/dev/.config/go/env", "exists": false, "entries": []}},
	"security": {"files": {"netrc": {"path": "/home/dev/.netrc", "exists": false, "is_dir": false, "mode": null}}, "git_credentials": []},
}

test_fires_on_a_proxy_password_in_a_file if {
	inp := object.union(base, {
		"env": {"https_proxy": "http://dev:[REDACTED]@proxy.corp:3128"},
		"env_origin": {"https_proxy": {"file": "/etc/environment", "line": 3}},
		"redactions": [{"subject": "env.https_proxy", "kind": "url-password"}],
	})
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
	f.subject == "env.https_proxy"
	contains(f.msg, "https_proxy=http://dev:[REDACTED]@proxy.corp:3128 carries a password")
	f.vars.fix == `sudo sed -i '3s#://[^:@/]*:[^@/]*@#://#' /etc/environment`
	contains(f.vars.advice, "cntlm")
}

test_goproxy_advice_is_netrc if {
	inp := object.union(base, {
		"env": {"GOPROXY": "https://dev:[REDACTED]@goproxy.corp/,direct"},
		"redactions": [{"subject": "env.GOPROXY", "kind": "url-password"}, {"subject": "go.env.GOPROXY", "kind": "url-password"}],
	})
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
	contains(f.vars.advice, "machine goproxy.corp login dev password <secret>")
	f.vars.where == "GOPROXY in the environment"
}

test_fires_on_a_goenv_file_entry if {
	inp := object.union(base, {
		"go": {"goenv_file": {"path": "/home/dev/.config/go/env", "exists": true, "entries": [{"name": "GOPROXY", "value": "https://u:[REDACTED]@p.corp/", "line": 2}]}},
		"redactions": [{"subject": "go.goenv_file.entries[0]", "kind": "url-password"}],
	})
	some f in rule.deny with input as inp
	f.location == {"file": "/home/dev/.config/go/env", "line": 2}
	f.vars.fix == `sed -i '2s#://[^:@/]*:[^@/]*@#://#' /home/dev/.config/go/env`
}

test_fires_on_git_credentials if {
	inp := object.union(base, {"security": {"git_credentials": [{"file": "/home/dev/.gitconfig", "line": 4, "key": "http.proxy", "url": "http://dev:[REDACTED]@proxy:3128"}]}})
	some f in rule.deny with input as inp
	f.location.line == 4
	contains(f.msg, "/home/dev/.gitconfig:4 sets git's http.proxy with a password in the URL (http://dev:[REDACTED]@proxy:3128)")
}

test_fires_on_a_readable_netrc if {
	inp := object.union(base, {"security": {"files": {"netrc": {"path": "/home/dev/.netrc", "exists": true, "is_dir": false, "mode": 420}}}})
	some f in rule.deny with input as inp
	contains(f.msg, "/home/dev/.netrc holds login passwords but has mode 644, so other users can read it")
}

test_quiet_on_private_netrc_and_plain_proxies if {
	count(rule.deny) == 0 with input as base
	ro := object.union(base, {"security": {"files": {"netrc": {"path": "/home/dev/.netrc", "exists": true, "is_dir": false, "mode": 256}}}})
	count(rule.deny) == 0 with input as ro
	# A password redacted from another variable is not a proxy credential.
	other := object.union(base, {"redactions": [{"subject": "env.DATABASE_URL", "kind": "url-password"}], "env": {"DATABASE_URL": "postgres://u:[REDACTED]@db/x"}})
	count(rule.deny) == 0 with input as other
}
