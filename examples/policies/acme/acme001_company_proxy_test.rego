package envgate.acme.acme001_company_proxy_test

import data.envgate.acme.acme001_company_proxy as rule
import rego.v1

test_public_proxy_is_flagged if {
	some finding in rule.deny with input as {"go": {"env": {"GOPROXY": {"value": "https://proxy.golang.org,direct"}}}}
	contains(finding.msg, "proxy.golang.org")
	finding.vars.proxy == "https://goproxy.acme.example"
}

test_company_proxy_passes if {
	count(rule.deny) == 0 with input as {"go": {"env": {"GOPROXY": {"value": "https://goproxy.acme.example,direct"}}}}
}
