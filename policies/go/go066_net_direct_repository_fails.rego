# METADATA
# title: A module fetched direct cannot be had from its own server
# description: |
#   For a module GOPRIVATE/GONOPROXY sends `direct` (or reached by `direct` in
#   GOPROXY), the go command asks `https://<path>?go-get=1` for a
#   `<meta name="go-import" content="prefix vcs repo">` tag (github.com and
#   bitbucket.org paths need none), then has git fetch the repository. The probe does
#   the same up to git's first request (`<repo>/info/refs?service=git-upload-pack`)
#   and reports where it ends: the page has no go-import tag for the path
#   (`unrecognized import path`), a tag for a shorter prefix whose own page does not
#   carry it too (`… disagree about go-import for …`), the server or the repository wants credentials
#   (401/403), the repository URL is not a git server (a login page), or an error
#   answer. Failures of a host's DNS, TCP, proxy or TLS are GO055–GO058. Live only,
#   with `--probe net`.
# related_resources:
#   - ref: https://go.dev/ref/mod#vcs-find
#   - ref: https://go.dev/ref/mod#private-modules
# custom:
#   id: GO066
#   severity: error
#   since: 1.2.0
#   category: Modules & proxy
#   live_only: true
#   remediation: |
#     {% if vars.result == "no-meta" %}{{ vars.url }} has no go-import tag for {{ vars.module }}: check the path's spelling, or have
#     the server answer ?go-get=1 with <meta name="go-import" content="ROOT git https://…">; if the module is public, take it
#     out of GOPRIVATE so the proxy serves it.
#     {% elif vars.result == "meta-disagree" %}The go-import tag for {{ vars.module }} names a shorter prefix, and the go command trusts
#     it only when that prefix's own page ({{ vars.url }}) carries the same tag: serve the same
#     <meta name="go-import" content="PREFIX VCS REPO"> at both, or a tag for the module's own path.
#     {% elif vars.result == "credentials" %}{{ vars.where }} wants credentials ({{ vars.error }}): git reads them from a credential helper
#     or ~/.netrc; add "machine HOST login USER password TOKEN" to ~/.netrc (chmod 600), or configure
#     git config --global url."https://USER:TOKEN@HOST/".insteadOf "https://HOST/" only on a machine you own.
#     {% elif vars.result == "not-git" %}{{ vars.where }} is not a git server answering smart HTTP: fix the repository URL of the go-import tag
#     (a login page in between means the server needs credentials or a VPN).
#     {% else %}{{ vars.where }} failed: {{ vars.error }}.{% endif %}
package envgate.go.go066_net_direct_repository_fails

import data.envgate.go.net_lib
import rego.v1

deny contains finding if {
	some m in input.net_probe.modules
	m.outcome == "direct"
	v := m.vcs
	is_object(v)
	v.result in {"no-meta", "meta-disagree", "credentials", "not-git", "error"}
	# A failure below HTTP is GO055–GO058's, at the host.
	not object.get(v, "failed_layer", null) in {"settings", "dns", "tcp", "proxy-tls", "proxy-connect", "tls"}
	error := text(v.error)
	finding := {
		"msg": sprintf("%s (direct, %s): %s", [m.path, net_lib.direct_setting(m), error]),
		"subject": sprintf("go.env.%s", [net_lib.direct_setting(m)]),
		"vars": {
			"module": m.path,
			"result": v.result,
			"url": v.url,
			"where": net_lib.repository(v),
			"error": error,
		},
	}
}

text(e) := e if is_string(e)

text(e) := "no answer" if not is_string(e)
