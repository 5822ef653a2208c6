# METADATA
# title: Go modules are not fetched through the company proxy
# description: |
#   ACME mirrors every public module it uses; builds must go through the mirror so an
#   upstream outage or a yanked module never breaks a release. The proxy address and
#   the private hosts come from this pack's data.json (data.pack_data.acme).
# related_resources:
#   - ref: https://go.dev/ref/mod#goproxy-protocol
# custom:
#   id: ACME001
#   severity: warning
#   since: 1.0.0
#   category: Modules & proxy
#   remediation: |
#     go env -w GOPROXY={{ vars.proxy }},direct GOPRIVATE={{ vars.private }}
package envgate.acme.acme001_company_proxy

import rego.v1

proxy := data.pack_data.acme.company_proxy

deny contains finding if {
	current := object.get(input.go.env, ["GOPROXY", "value"], "")
	not startswith(current, proxy)
	finding := {
		"msg": sprintf("GOPROXY is %q, not the company proxy %s", [current, proxy]),
		"subject": "go.env.GOPROXY",
		"vars": {"proxy": proxy, "private": data.pack_data.acme.private_hosts},
	}
}
