# METADATA
# title: The HTTP proxy refuses to open a tunnel (CONNECT)
# description: |
#   Go reaches an https:// host through an HTTP proxy with `CONNECT host:443`. The
#   proxy answered with an error instead of opening the tunnel: 407 when it wants
#   credentials (Go sends them only when the proxy URL carries `user:password@`),
#   403 when its policy forbids the destination. A `socks5://` or `socks5h://` proxy
#   is asked the same in SOCKS5 (Go sends the URL's user and password by RFC 1929,
#   and the proxy resolves the name: its "host unreachable" is no local DNS
#   failure). `go` prints `proxyconnect tcp: …` or
#   `Proxy Authentication Required`. The probe sends the proxy URL's credentials to
#   that proxy only and never shows them. Live only, with `--probe net`.
# related_resources:
#   - ref: https://pkg.go.dev/net/http#ProxyFromEnvironment
# custom:
#   id: GO057
#   severity: error
#   since: 1.1.0
#   category: Modules & proxy
#   live_only: true
#   remediation: |
#     {% if vars.kind == "proxy-auth-required" %}The proxy wants credentials: put them in the proxy URL, e.g.
#       {{ vars.variable }}={{ vars.scheme }}://USER:PASSWORD@host:port   (percent-encode @ and : in them)
#     or ask for a proxy that authenticates this machine another way.
#     {% else %}The proxy refused to tunnel to {{ vars.target }}: ask your network team to allow it, or set
#     GOPROXY to the module proxy your organisation provides{% if vars.target_host %}, or add {{ vars.target_host }} to NO_PROXY if it is
#     reachable without the proxy{% endif %}.{% endif %}
package envgate.go.go057_net_proxy_refuses_tunnel

import data.envgate.go.net_lib
import rego.v1

deny contains finding if {
	some h in net_lib.failed_at("proxy-connect")
	s := net_lib.failed_step(h)
	s.error_kind != "not-probed"
	finding := {
		"msg": sprintf("%s (%s for %s), through %s: %s", [h.url, h.role, h.setting, net_lib.proxy_url(h), s.error]),
		"subject": net_lib.subject(h),
		"vars": {
			"url": h.url,
			"error": s.error,
			"kind": s.error_kind,
			"variable": net_lib.proxy_variable(h),
			"target": sprintf("%s:%d", [h.host, h.port]),
			"target_host": h.host,
			"scheme": scheme(h),
		},
	}
}

scheme(h) := split(net_lib.proxy_url(h), ":")[0] if net_lib.via_proxy(h)

scheme(h) := "http" if not net_lib.via_proxy(h)
