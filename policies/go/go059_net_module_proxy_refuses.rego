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
#   GO055–GO058. A 401 names where the go command would take credentials for that
#   host: the netrc machine line whose login was refused (the finding points at it),
#   the user and password of the GOPROXY URL, or the netrc file that has no line for
#   it; GOAUTH's `git` and command methods are never run by envgate and are named as
#   not followed. Live only, with `--probe net`.
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
#     {% elif vars.status == 401 and vars.login_source == "netrc" %}{{ vars.proxy }} refused the login of {{ vars.netrc }} line {{ vars.netrc_line }}
#     (machine {{ vars.machine }}): correct its login and password (a token, for most private proxies).
#     {% elif vars.status == 401 and vars.login_source == "userinfo" %}{{ vars.proxy }} refused the user and password written in GOPROXY's URL:
#     correct them, or move them to a netrc line (machine {{ vars.machine }}) so they are not in GOPROXY.
#     {% elif vars.status == 401 and vars.goauth == "off" %}{{ vars.proxy }} wants credentials and GOAUTH=off sends none: set GOAUTH=netrc (the default)
#     and add a line "machine {{ vars.machine }} login USER password TOKEN" to {{ vars.netrc }}.
#     {% elif vars.status == 401 %}{{ vars.proxy }} wants credentials and none were sent: the go command sends those of the
#     netrc line for its host; add "machine {{ vars.machine }} login USER password TOKEN" to {{ vars.netrc }} (chmod 600).{% if vars.not_followed %}
#     GOAUTH also names {{ vars.not_followed }}: envgate did not run it; the go command would.{% endif %}
#     {% else %}{{ vars.proxy }} failed ({{ vars.error }}) and a `,` after it stops the go command there: fix that
#     proxy, or separate it from the next entry with `|` so any error falls through.{% endif %}
package envgate.go.go059_net_module_proxy_refuses

import rego.v1

# The host of an attempt failed below HTTP: GO055–GO058 name that.
lower_layer_failure(a) if {
	some h in input.net_probe.hosts
	h.url == a.proxy
	h.failed in {"settings", "dns", "tcp", "proxy-tls", "proxy-connect", "tls"}
}

deny contains finding if {
	some m in input.net_probe.modules
	m.outcome in {"error", "not-found", "off"}
	count(m.attempts) > 0
	last := m.attempts[count(m.attempts) - 1]
	not lower_layer_failure(last)
	last.result != "not-probed"
	login := login_of(last)
	base := {
		"msg": message(m, last, login),
		"subject": subject(last, login),
		"vars": {
			"module": m.path,
			"outcome": m.outcome,
			"proxy": answered_by(last),
			"status": object.get(last, "status", null),
			"error": error_text(last),
			"login_source": login.source,
			"machine": login.machine,
			"netrc": netrc_file(login),
			"netrc_line": object.get(login, "line", null),
			"goauth": object.get(input.net_probe, ["logins", "goauth"], "netrc"),
			"not_followed": concat("; ", object.get(input.net_probe, ["logins", "not_followed"], [])),
		},
	}
	finding := located(base, last, login)
}

# The host that gave the last answer (another one after a redirect).
answered_by(last) := last.answered_by if is_string(last.answered_by)

answered_by(last) := last.proxy if not is_string(last.answered_by)

# What was sent to that host as Authorization: always an object.
login_of(last) := h.login if {
	some h in input.net_probe.hosts
	h.url == answered_by(last)
	is_object(h.login)
}

login_of(last) := {"source": "none", "machine": ""} if {
	not has_login(last)
}

has_login(last) if {
	some h in input.net_probe.hosts
	h.url == answered_by(last)
	is_object(h.login)
}

netrc_file(login) := login.file if is_string(login.file)

netrc_file(login) := "~/.netrc" if not is_string(login.file)

# A refused netrc login is at its machine line.
located(base, last, login) := object.union(base, {"location": {"file": login.file, "line": login.line}}) if {
	last.status == 401
	login.source == "netrc"
	is_string(login.file)
	is_number(login.line)
}

located(base, last, login) := base if not netrc_located(last, login)

netrc_located(last, login) if {
	last.status == 401
	login.source == "netrc"
	is_string(login.file)
	is_number(login.line)
}

subject(last, login) := "go.env.GOAUTH" if {
	last.status == 401
	login.source == "none"
	object.get(input.net_probe, ["logins", "goauth"], "netrc") == "off"
}

subject(last, login) := "go.env.GOPROXY" if not goauth_off_401(last, login)

goauth_off_401(last, login) if {
	last.status == 401
	login.source == "none"
	object.get(input.net_probe, ["logins", "goauth"], "netrc") == "off"
}

message(m, last, _) := sprintf("%s: every GOPROXY entry answered 404/410 (not found); the last, %s, said: %s", [m.path, last.proxy, body_text(last)]) if m.outcome == "not-found"

message(m, last, _) := sprintf("%s: GOPROXY reaches off after %s answered %v", [m.path, last.proxy, status_text(last)]) if m.outcome == "off"

message(m, last, _) := sprintf("%s: %s stopped the go command: %s%s", [m.path, answered_by(last), error_text(last), body_note(last)]) if {
	m.outcome == "error"
	last.status != 401
}

message(m, last, _) := sprintf("%s: %s stopped the go command: %s%s", [m.path, answered_by(last), error_text(last), body_note(last)]) if {
	m.outcome == "error"
	not is_number(last.status)
}

message(m, last, login) := sprintf("%s: %s answered 401 Unauthorized: %s", [m.path, answered_by(last), login_text(login)]) if {
	m.outcome == "error"
	last.status == 401
}

login_text(login) := sprintf("it refused the login of %s line %d (machine %s)", [login.file, login.line, login.machine]) if {
	login.source == "netrc"
}

login_text(login) := "it refused the user and password in GOPROXY's URL" if login.source == "userinfo"

login_text(login) := sprintf("no credentials were sent (%s)", [why_none(login)]) if login.source == "none"

why_none(login) := "GOAUTH=off" if object.get(input.net_probe, ["logins", "goauth"], "netrc") == "off"

why_none(login) := login.note if {
	object.get(input.net_probe, ["logins", "goauth"], "netrc") != "off"
	is_string(login.note)
}

why_none(login) := sprintf("%s has no machine line for %s", [netrc_file(login), login.machine]) if {
	object.get(input.net_probe, ["logins", "goauth"], "netrc") != "off"
	not is_string(login.note)
}

body_note(last) := sprintf(" (%s)", [last.body]) if is_string(last.body)

body_note(last) := "" if not is_string(last.body)

body_text(last) := last.body if is_string(last.body)

body_text(last) := "(nothing)" if not is_string(last.body)

status_text(last) := sprintf("%d", [last.status]) if is_number(last.status)

status_text(last) := "nothing" if not is_number(last.status)

error_text(last) := last.error if is_string(last.error)

error_text(last) := "" if not is_string(last.error)
