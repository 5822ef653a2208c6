# METADATA
# title: GO111MODULE set to off or auto
# description: |
#   Module mode is the default since Go 1.16 and GOPATH mode is on its way out. With
#   GO111MODULE=off the go command and gopls ignore go.mod altogether (gopls reports
#   "modules disabled by GO111MODULE=off" or cannot resolve imports); with
#   GO111MODULE=auto they fall back to GOPATH mode in every directory without a go.mod,
#   so the same command behaves differently depending on where it runs. Both are usually
#   leftovers from pre-1.13 setup guides.
#   Decision: fires only for an explicit setting (environment, `go env -w` file or
#   $GOROOT/go.env) whose value is exactly `off` or `auto`; an unset or `on` value is fine.
# related_resources:
#   - ref: https://github.com/golang/go/issues/39264
#   - ref: https://github.com/neovim/nvim-lspconfig/issues/417
#   - ref: https://github.com/golang/vscode-go/issues/2318
# custom:
#   id: GO026
#   severity: warning
#   since: 0.1.0
#   category: Modules & proxy
#   remediation: |
#     Stop setting it; module mode is the default since Go 1.16:
#       {{ vars.fix }}
#     For old GOPATH-layout code, add a go.mod (`go mod init <module path>`) instead of switching modules off.
package envgate.go.go026_go111module_off_or_auto

import data.envgate.go.lib
import rego.v1

effect("off") := "module mode is off, so go and gopls ignore go.mod (\"modules disabled by GO111MODULE=off\")"

effect("auto") := "outside a directory with go.mod the go command and gopls fall back to GOPATH mode"

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

# How to stop setting `name` where it is set now. $GOROOT/go.env belongs to the
# installation, so there it is overridden with `go env -w name=fallback`.
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

remove_hint(name, fallback) := sprintf("go env -w %s=%s", [name, fallback]) if input.go.env[name].source == "goroot"

deny contains finding if {
	lib.explicit("GO111MODULE")
	v := input.go.env.GO111MODULE
	value := v.value
	value in {"off", "auto"}
	finding := {
		"msg": sprintf("GO111MODULE=%s is set %s: %s", [value, origin(v), effect(value)]),
		"subject": "go.env.GO111MODULE",
		"vars": {"value": value, "source": v.source, "fix": remove_hint("GO111MODULE", "on")},
	}
}
