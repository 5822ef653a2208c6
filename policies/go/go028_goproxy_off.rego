# METADATA
# title: GOPROXY=off
# description: |
#   GOPROXY=off forbids the go command from downloading any module, from a proxy or
#   directly. Everything not already in the module cache (or vendored) then fails with
#   `module lookup disabled by GOPROXY=off`, in the go command and in gopls, which makes
#   a new dependency, a fresh clone or an empty cache look like a broken project.
#   Decision: fires whenever the effective GOPROXY is exactly `off`, whoever set it. It is
#   a warning, not an error: offline build machines and vendored projects set it on
#   purpose; on a developer machine it is usually left over from such a setup.
# related_resources:
#   - ref: https://github.com/golang/go/issues/71126
# custom:
#   id: GO028
#   severity: warning
#   since: 0.1.0
#   category: Modules & proxy
#   autofix: unsafe
#   remediation: |
#     If this machine is meant to download modules, stop setting it (the default is https://proxy.golang.org,direct):
#       {{ vars.fix }}
#     or point it at your internal proxy, keeping a fallback:
#       {{ vars.proxy_fix }}
package envgate.go.go028_goproxy_off

import data.envgate.go.fix_lib
import data.envgate.go.lib
import rego.v1
deny contains finding if {
	lib.setting("GOPROXY") == "off"
	v := input.go.env.GOPROXY
	finding := {
		"msg": sprintf("GOPROXY=off is set %s, so go and gopls download no modules: anything not already in the module cache fails with `module lookup disabled by GOPROXY=off`", [lib.origin(v)]),
		"subject": "go.env.GOPROXY",
		"vars": {
			"source": v.source,
			"fix": lib.remove_hint("GOPROXY", "https://proxy.golang.org,direct"),
			"proxy_fix": lib.set_hint("GOPROXY", "https://goproxy.example.com,direct"),
		},
		# Removing the setting is unsafe: a machine kept offline on purpose would start
		# downloading. Pointing it at an internal proxy needs a URL envgate does not have.
		"fix": fix_lib.setting_fix("GOPROXY"),
	}
}
