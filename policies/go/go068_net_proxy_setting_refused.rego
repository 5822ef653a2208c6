# METADATA
# title: The go command refuses its proxy setting (CGI environment)
# description: |
#   Before any connection, Go's `http.ProxyFromEnvironment` decides the proxy of each
#   request. When `REQUEST_METHOD` is set, Go takes the process for a CGI program,
#   where `HTTP_PROXY` could have come from a request's `Proxy:` header (httpoxy), and
#   refuses it for every http:// URL: `refusing to use HTTP_PROXY value in CGI
#   environment`. A plain-HTTP GOPROXY entry, a GOINSECURE module's fallback or a
#   checksum database over http:// then fail before a packet is sent. The probe
#   follows Go's decision and stops the host's chain at its settings step; no layer
#   below it was tried. Live only, with `--probe net`.
# related_resources:
#   - ref: https://pkg.go.dev/golang.org/x/net/http/httpproxy#FromEnvironment
#   - ref: https://httpoxy.org/
# custom:
#   id: GO068
#   severity: error
#   since: 1.3.0
#   category: Modules & proxy
#   live_only: true
#   remediation: |
#     REQUEST_METHOD is set in this environment, so Go refuses HTTP_PROXY for {{ vars.url }}.
#     Unset it where go runs (unset REQUEST_METHOD), or, if the shell is really a CGI program,
#     reach the module proxy over https:// (HTTPS_PROXY is not refused).
package envgate.go.go068_net_proxy_setting_refused

import data.envgate.go.net_lib
import rego.v1

deny contains finding if {
	some h in net_lib.failed_at("settings")
	s := net_lib.failed_step(h)
	finding := {
		"msg": sprintf("%s (%s for %s): %s", [h.url, h.role, h.setting, s.error]),
		"subject": "env.HTTP_PROXY",
		"vars": {
			"url": h.url,
			"error": s.error,
			"kind": s.error_kind,
			"setting": h.setting,
		},
	}
}
