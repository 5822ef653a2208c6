# METADATA
# title: A host the go command needs cannot be connected to (TCP)
# description: |
#   The name resolved, but a TCP connection to it (or to the HTTP proxy chosen for
#   it) was refused, unreachable, or got no answer within the probe's timeout: the
#   typical firewall that drops traffic to the internet on a network where only a
#   proxy may connect out, or a proxy variable with the wrong port. `go` then fails
#   with `connect: connection refused` or hangs until `i/o timeout`. Live only, with
#   `--probe net`.
# related_resources:
#   - ref: https://pkg.go.dev/net/http#ProxyFromEnvironment
# custom:
#   id: GO056
#   severity: error
#   since: 1.1.0
#   category: Modules & proxy
#   live_only: true
#   remediation: |
#     {% if vars.via_proxy %}The proxy in {{ vars.variable }} ({{ vars.proxy }}) does not accept connections: check its
#     host and port with your network team (curl -x {{ vars.proxy }} https://proxy.golang.org checks it).
#     {% elif vars.kind == "timeout" %}Nothing answered: outbound traffic is probably filtered. If this network has an HTTP
#     proxy, set HTTPS_PROXY (and NO_PROXY for internal hosts); otherwise use a GOPROXY you can reach.
#     {% else %}Nothing listens at {{ vars.url }}: check the URL in {{ vars.setting }}.{% endif %}
package envgate.go.go056_net_connection_fails

import data.envgate.go.net_lib
import rego.v1

deny contains finding if {
	some h in net_lib.failed_at("tcp")
	s := net_lib.failed_step(h)
	finding := {
		"msg": sprintf("%s (%s for %s): %s", [h.url, h.role, h.setting, s.error]),
		"subject": net_lib.subject(h),
		"vars": {
			"url": h.url,
			"error": s.error,
			"kind": s.error_kind,
			"setting": h.setting,
			"via_proxy": net_lib.proxied(h),
			"variable": net_lib.proxy_variable(h),
			"proxy": net_lib.proxy_url(h),
		},
	}
}
