package envgate.go.go058_net_tls_fails_test

import data.envgate.go.go058_net_tls_fails as rule
import rego.v1

direct := {"url": null, "variable": null, "reason": "direct"}

tls := {"sni": "proxy.golang.org", "version": null, "roots": ["/etc/ssl/certs/ca-certificates.crt"], "root_count": 140, "subject": "proxy.golang.org", "issuer": "Corp Proxy CA", "not_after": "2030-01-01", "names": ["proxy.golang.org"]}

probe(failed) := {"net_probe": {"nameservers": [], "modules": [], "hosts": [{"url": "https://proxy.golang.org", "host": "proxy.golang.org", "port": 443, "role": "goproxy", "setting": "GOPROXY", "proxy": direct, "failed": failed, "steps": [{"layer": "tls", "ok": failed == null, "detail": "handshake", "error_kind": "unknown-authority", "error": "certificate signed by unknown authority \"Corp Proxy CA\"", "tls": tls}]}]}}

test_fires_with_the_issuer if {
	some finding in rule.deny with input as probe("tls")
	finding.vars.issuer == "Corp Proxy CA"
	finding.vars.roots == "/etc/ssl/certs/ca-certificates.crt"
	finding.subject == "go.env.GOPROXY"
}

test_quiet_after_a_good_handshake if {
	count(rule.deny) == 0 with input as probe(null)
}
