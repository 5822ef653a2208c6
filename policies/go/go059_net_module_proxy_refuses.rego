# METADATA
# title: The GOPROXY list does not give the module
# description: |
#   The go command walks GOPROXY in order. A 404 or 410 means "not here": it tries the
#   next entry. Any other answer (403 from a corporate proxy's policy, 401, 5xx, a
#   timeout) ends the walk after an entry followed by `,`; only `|` falls through on
#   any error. The probe asked each entry for `<module>/@v/list` and `@latest` as the
#   go command does and reports where the walk ends without the module: an error
#   that stops it, or every entry answering 404/410 (`go: module …: reading …: 404
#   Not Found`), or `off` reached. Failures of a host's DNS, TCP, proxy or TLS are
#   GO055–GO058. Live only, with `--probe net`.
# related_resources:
#   - ref: https://go.dev/ref/mod#goproxy-protocol
# custom:
#   id: GO059
#   severity: error
#   since: 1.1.0
#   category: Modules & proxy
#   live_only: true
#   remediation: |
#     {% if vars.outcome == "not-found" %}No proxy has {{ vars.module }}: check the path's spelling; a private module needs
#     GOPRIVATE={{ vars.module }} (or a pattern covering it) so it is fetched from its own server.
#     {% elif vars.outcome == "off" %}GOPROXY ends in off before the module was found: add a proxy or direct before off.
#     {% elif vars.status == 403 %}{{ vars.proxy }} answered 403 Forbidden for {{ vars.module }}: the proxy's policy blocks it.
#     Ask its owners to allow the module, or make it private (GOPRIVATE) if it is internal.
#     {% elif vars.status == 401 %}{{ vars.proxy }} wants credentials: the go command sends those of ~/.netrc (or GOAUTH)
#     for its host; add a machine line for it.
#     {% else %}{{ vars.proxy }} failed ({{ vars.error }}) and a `,` after it stops the go command there: fix that
#     proxy, or separate it from the next entry with `|` so any error falls through.{% endif %}
package envgate.go.go059_net_module_proxy_refuses

import rego.v1

# The host of an attempt failed below HTTP: GO055–GO058 name that.
lower_layer_failure(a) if {
	some h in input.net_probe.hosts
	h.url == a.proxy
	h.failed in {"settings", "dns", "tcp", "proxy-connect", "tls"}
}

deny contains finding if {
	some m in input.net_probe.modules
	m.outcome in {"error", "not-found", "off"}
	count(m.attempts) > 0
	last := m.attempts[count(m.attempts) - 1]
	not lower_layer_failure(last)
	last.result != "not-probed"
	finding := {
		"msg": message(m, last),
		"subject": "go.env.GOPROXY",
		"vars": {
			"module": m.path,
			"outcome": m.outcome,
			"proxy": last.proxy,
			"status": object.get(last, "status", null),
			"error": error_text(last),
		},
	}
}

message(m, last) := sprintf("%s: every GOPROXY entry answered 404/410 (not found); the last, %s, said: %s", [m.path, last.proxy, body_text(last)]) if m.outcome == "not-found"

message(m, last) := sprintf("%s: GOPROXY reaches off after %s answered %v", [m.path, last.proxy, status_text(last)]) if m.outcome == "off"

message(m, last) := sprintf("%s: %s stopped the go command: %s%s", [m.path, last.proxy, error_text(last), body_note(last)]) if m.outcome == "error"

body_note(last) := sprintf(" (%s)", [last.body]) if is_string(last.body)

body_note(last) := "" if not is_string(last.body)

body_text(last) := last.body if is_string(last.body)

body_text(last) := "(nothing)" if not is_string(last.body)

status_text(last) := sprintf("%d", [last.status]) if is_number(last.status)

status_text(last) := "nothing" if not is_number(last.status)

error_text(last) := last.error if is_string(last.error)

error_text(last) := "" if not is_string(last.error)
