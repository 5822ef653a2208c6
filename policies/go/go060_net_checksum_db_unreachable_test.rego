package envgate.go.go060_net_checksum_db_unreachable_test

import data.envgate.go.go060_net_checksum_db_unreachable as rule
import rego.v1

probe(sumdb) := {"net_probe": {"nameservers": [], "hosts": [], "modules": [{"path": "golang.org/x/text", "outcome": "found", "attempts": [], "sumdb": sumdb}]}}

db(status, error, layer) := {"name": "sum.golang.org", "url": "https://sum.golang.org", "request": "/lookup/golang.org/x/text@v0.1.0", "status": status, "error": error, "failed_layer": layer}

test_fires_on_an_error_answer if {
	some finding in rule.deny with input as probe(db(500, null, null))
	finding.vars.error == "it answered 500"
	finding.subject == "go.env.GOSUMDB"
}

test_fires_on_an_http_timeout if {
	some finding in rule.deny with input as probe(db(null, "http: no answer", "http"))
	finding.vars.error == "http: no answer"
}

test_quiet_when_the_lookup_works if {
	count(rule.deny) == 0 with input as probe(db(200, null, null))
}

test_quiet_when_a_lower_layer_failed if {
	count(rule.deny) == 0 with input as probe(db(null, "tls: x", "tls"))
}

test_quiet_without_a_lookup if {
	count(rule.deny) == 0 with input as probe(null)
}
