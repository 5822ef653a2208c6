package envgate.go.go066_net_direct_repository_fails_test

import data.envgate.go.go066_net_direct_repository_fails as rule
import rego.v1

vcs(result, extra) := object.union({"url": "https://corp.test/x?go-get=1", "status": 200, "result": result, "error": "why"}, extra)

probe(v) := {"net_probe": {"nameservers": [], "hosts": [], "modules": [{"path": "corp.test/x", "outcome": "direct", "noproxy_patterns": ["corp.test"], "attempts": [], "vcs": v}]}}

test_fires_without_a_meta_tag if {
	some finding in rule.deny with input as probe(vcs("no-meta", {}))
	finding.subject == "go.env.GOPRIVATE"
	finding.vars.result == "no-meta"
}

test_fires_when_the_shorter_prefix_disagrees if {
	some finding in rule.deny with input as probe(vcs("meta-disagree", {"url": "https://corp.test/?go-get=1", "error": "https://corp.test/x?go-get=1 and https://corp.test/?go-get=1 disagree about go-import for corp.test"}))
	finding.vars.result == "meta-disagree"
	contains(finding.msg, "disagree about go-import")
}

test_fires_on_credentials_at_the_repository if {
	some finding in rule.deny with input as probe(vcs("credentials", {"repo": "https://git.corp.test/x.git", "refs_status": 401}))
	finding.vars.where == "https://git.corp.test/x.git"
}

test_quiet_when_the_repository_answers if {
	count(rule.deny) == 0 with input as probe(vcs("ok", {"repo": "https://git.corp.test/x.git"}))
}

test_quiet_when_not_probed if {
	count(rule.deny) == 0 with input as probe(vcs("not-probed", {}))
}

test_quiet_when_a_lower_layer_failed if {
	count(rule.deny) == 0 with input as probe(vcs("error", {"failed_layer": "tls"}))
}
