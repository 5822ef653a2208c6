# METADATA
# title: A step of the module download chain was not tested
# description: |
#   The probe tests what it can reach the way the go command does: HTTP(S) and
#   SOCKS5 proxies, https:// and http:// module proxies, checksum databases, and
#   `direct` modules whose repository is git over HTTP(S) or a `mod` server. The go
#   command can also use what envgate does not speak: a proxy of another scheme, a
#   repository reached over ssh or served by another VCS (hg, svn, bzr, fossil). (A
#   `file://` GOPROXY entry is read from disk, as Go reads it.) Such a step is neither passed nor failed; without this
#   rule the chain would end in a pass that nothing earned. Decision: a warning, not
#   an error, since nothing is known to fail; `--fail-on warning` makes it fail a
#   gate. Live only, with `--probe net`.
# related_resources:
#   - ref: https://go.dev/ref/mod#vcs-find
#   - ref: https://go.dev/ref/mod#goproxy-protocol
# custom:
#   id: GO069
#   severity: warning
#   since: 1.3.0
#   category: Modules & proxy
#   live_only: true
#   remediation: |
#     envgate could not test this step ({{ vars.why }}). Test it by hand where go runs:
#     {% if vars.what == "vcs" %}  git ls-remote {{ vars.target }}
#     {% else %}  curl -x {{ vars.target }} -sSI https://proxy.golang.org
#     {% endif %}or name a step envgate can test (an http:// or socks5:// proxy, an https:// GOPROXY).
package envgate.go.go069_net_step_not_probed

import data.envgate.go.net_lib
import rego.v1

# A proxy of a scheme envgate does not speak: the host's chain stopped before it.
deny contains finding if {
	some h in net_lib.failed_at("proxy-connect")
	s := net_lib.failed_step(h)
	s.error_kind == "not-probed"
	finding := {
		"msg": sprintf("%s (%s for %s) was not tested: %s", [h.url, h.role, h.setting, s.error]),
		"subject": net_lib.subject(h),
		"vars": {"url": h.url, "what": "proxy", "target": net_lib.proxy_url(h), "why": s.error},
	}
}

# A `direct` module's repository over ssh, or of another VCS.
deny contains finding if {
	some m in input.net_probe.modules
	m.outcome == "direct"
	v := m.vcs
	is_object(v)
	v.result == "not-probed"
	why := text(v.error)
	target := net_lib.repository(v)
	finding := {
		"msg": sprintf("%s (direct): its repository %s was not tested: %s", [m.path, target, why]),
		"subject": sprintf("go.env.%s", [net_lib.direct_setting(m)]),
		"vars": {"what": "vcs", "target": target, "why": why},
	}
}

text(e) := e if is_string(e)

text(e) := "no reason given" if not is_string(e)
