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
#   remediation: |
#     If this machine is meant to download modules, stop setting it (the default is https://proxy.golang.org,direct):
#       {{ vars.fix }}
#     or point it at your internal proxy, keeping a fallback:
#       {{ vars.proxy_fix }}
package envgate.go.go028_goproxy_off

import data.envgate.go.lib
import rego.v1

origin(v) := sprintf("in %s:%d", [v.file, v.line]) if is_string(v.file)

origin(v) := "in the environment" if {
	not is_string(v.file)
	v.source == "env"
}

origin(v) := "with `go env -w`" if {
	not is_string(v.file)
	v.source == "goenv"
}

origin(v) := "in $GOROOT/go.env" if {
	not is_string(v.file)
	v.source == "goroot"
}

sudo_for(file) := "" if {
	is_string(input.host.home)
	startswith(file, sprintf("%s/", [input.host.home]))
} else := "sudo "

remove_hint(name, _) := sprintf(`%ssed -i '/^\s*\(export \)\?%s=/d' %s`, [sudo_for(v.file), name, v.file]) if {
	v := input.go.env[name]
	v.source == "env"
	is_string(v.file)
}

remove_hint(name, _) := sprintf("unset %s   # and delete the line that sets it from your shell startup files", [name]) if {
	v := input.go.env[name]
	v.source == "env"
	not is_string(v.file)
}

remove_hint(name, _) := sprintf("go env -u %s", [name]) if input.go.env[name].source == "goenv"

remove_hint(name, fallback) := sprintf("go env -w %s='%s'", [name, fallback]) if input.go.env[name].source == "goroot"

set_hint(name, value) := sprintf(`%ssed -i '/^\s*\(export \)\?%s=/c %s=%s' %s`, [sudo_for(v.file), name, name, value, v.file]) if {
	v := input.go.env[name]
	v.source == "env"
	is_string(v.file)
}

set_hint(name, value) := sprintf("export %s='%s'   # where it is set now", [name, value]) if {
	v := input.go.env[name]
	v.source == "env"
	not is_string(v.file)
}

set_hint(name, value) := sprintf("go env -w %s='%s'", [name, value]) if {
	not input.go.env[name].source == "env"
}

deny contains finding if {
	lib.setting("GOPROXY") == "off"
	v := input.go.env.GOPROXY
	finding := {
		"msg": sprintf("GOPROXY=off is set %s, so go and gopls download no modules: anything not already in the module cache fails with `module lookup disabled by GOPROXY=off`", [origin(v)]),
		"subject": "go.env.GOPROXY",
		"vars": {
			"source": v.source,
			"fix": remove_hint("GOPROXY", "https://proxy.golang.org,direct"),
			"proxy_fix": set_hint("GOPROXY", "https://goproxy.example.com,direct"),
		},
	}
}
