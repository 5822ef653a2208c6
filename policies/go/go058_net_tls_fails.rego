# METADATA
# title: The TLS handshake with a host the go command needs fails
# description: |
#   The connection opened but TLS failed, verified the way Go verifies it on Linux:
#   against SSL_CERT_FILE (else the distribution bundle) and the files of SSL_CERT_DIR
#   (else /etc/ssl/certs). An unknown authority is most often a TLS-intercepting
#   corporate proxy whose CA is not installed; the issuer's name says which. An
#   expired certificate, a certificate for another name (wrong SNI, a captive portal)
#   and a server that never answers the handshake are named too, for the host and for
#   an `https://` proxy (TLS to the proxy itself, before CONNECT). `go` prints
#   `x509: certificate signed by unknown authority` and stops. Live only, with
#   `--probe net`.
# related_resources:
#   - ref: https://pkg.go.dev/crypto/x509#SystemCertPool
# custom:
#   id: GO058
#   severity: error
#   since: 1.1.0
#   category: Modules & proxy
#   live_only: true
#   remediation: |
#     {% if vars.kind == "unknown-authority" %}If "{{ vars.issuer }}" is your organisation's proxy CA, add it with update-ca-certificates or SSL_CERT_FILE.
#     Get its certificate from your IT department (or export it from a browser behind the proxy), then
#       sudo cp corp-proxy-ca.crt /usr/local/share/ca-certificates/ && sudo update-ca-certificates
#     or point SSL_CERT_FILE at a bundle that includes it (Go read {{ vars.roots }}).
#     Never set GOINSECURE or GOFLAGS=-insecure to get past this: anyone on the way could then change modules.
#     {% elif vars.kind == "expired" %}The server's certificate expired ({{ vars.not_after }}). If the clock is right, the
#     server (or the proxy re-signing it) must renew it; check the date with: date -u
#     {% elif vars.kind == "hostname-mismatch" %}The certificate is for {{ vars.names }}, not {{ vars.sni }}: the URL in {{ vars.setting }} names
#     another host than the server, or something on the way (a captive portal, a proxy) answers instead.
#     {% elif vars.kind == "timeout" %}The server accepted the connection but never answered the handshake: something on the
#     way swallows TLS. Try the proxy your network requires (HTTPS_PROXY).
#     {% else %}{{ vars.error }}: check the URL in {{ vars.setting }} and what answers at {{ vars.url }}.{% endif %}
package envgate.go.go058_net_tls_fails

import data.envgate.go.net_lib
import rego.v1

deny contains finding if {
	some layer in ["tls", "proxy-tls"]
	some h in net_lib.failed_at(layer)
	s := net_lib.failed_step(h)
	finding := {
		"msg": sprintf("%s (%s for %s): %s", [h.url, h.role, h.setting, s.error]),
		"subject": net_lib.subject(h),
		"vars": {
			"url": h.url,
			"error": s.error,
			"kind": s.error_kind,
			"setting": h.setting,
			"issuer": object.get(s.tls, "issuer", ""),
			"not_after": object.get(s.tls, "not_after", ""),
			"names": concat(", ", object.get(s.tls, "names", [])),
			"sni": object.get(s.tls, "sni", ""),
			"roots": concat(" and ", object.get(s.tls, "roots", [])),
		},
	}
}
