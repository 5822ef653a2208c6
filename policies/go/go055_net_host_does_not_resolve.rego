# METADATA
# title: A host the go command needs does not resolve (DNS)
# description: |
#   `envgate doctor --probe net` resolves every host the go command would contact to
#   download the modules asked about (the GOPROXY entries, the checksum database,
#   a private module's server) through the system resolver, as Go does on Linux, or
#   the HTTP proxy's host when `http.ProxyFromEnvironment` picks one. A name that does
#   not resolve makes `go mod download` fail with `dial tcp: lookup …: no such host`,
#   or hang for the resolver's timeout. Decision: the proxy's own name is judged at
#   the proxy variable (HTTPS_PROXY), other names at the Go setting that named them.
#   Live only, and only with `--probe net`.
# related_resources:
#   - ref: https://go.dev/ref/mod#module-proxy
# custom:
#   id: GO055
#   severity: error
#   since: 1.1.0
#   category: Modules & proxy
#   live_only: true
#   remediation: |
#     {% if vars.via_proxy %}The proxy host {{ vars.name }} named by {{ vars.variable }} does not resolve: fix the
#     proxy URL (ask for the proxy's name), or unset {{ vars.variable }} if this network needs none.
#     {% else %}{{ vars.name }} does not resolve ({{ vars.error }}). Check the name in {{ vars.setting }}{% if vars.hosts_file %}
#     and its line in /etc/hosts{% endif %}; test with: getent hosts {{ vars.name }}
#     Nameservers in /etc/resolv.conf: {{ vars.nameservers }}. On a network that reaches the
#     internet only through a proxy, set HTTPS_PROXY so the proxy resolves names for you.{% endif %}
package envgate.go.go055_net_host_does_not_resolve

import data.envgate.go.net_lib
import rego.v1

deny contains finding if {
	some h in net_lib.failed_at("dns")
	s := net_lib.failed_step(h)
	finding := {
		"msg": sprintf("%s (%s for %s): %s", [h.url, h.role, h.setting, s.error]),
		"subject": net_lib.subject(h),
		"vars": {
			"url": h.url,
			"name": s.dns.name,
			"error": s.error,
			"kind": s.error_kind,
			"setting": h.setting,
			"via_proxy": net_lib.proxied(h),
			"variable": net_lib.proxy_variable(h),
			"hosts_file": s.dns.hosts_file,
			"nameservers": concat(", ", input.net_probe.nameservers),
		},
	}
}
