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
#   autofix: unsafe
#   category: Modules & proxy
#   remediation: |
#     Stop setting it; module mode is the default since Go 1.16:
#       {{ vars.fix }}
#     For old GOPATH-layout code, add a go.mod (`go mod init <module path>`) instead of switching modules off.
package envgate.go.go026_go111module_off_or_auto

import data.envgate.go.fix_lib
import data.envgate.go.lib
import rego.v1

effect("off") := "module mode is off, so go and gopls ignore go.mod (\"modules disabled by GO111MODULE=off\")"

effect("auto") := "outside a directory with go.mod the go command and gopls fall back to GOPATH mode"

deny contains finding if {
	lib.explicit("GO111MODULE")
	v := input.go.env.GO111MODULE
	value := v.value
	value in {"off", "auto"}
	finding := {
		"msg": sprintf("GO111MODULE=%s is set %s: %s", [value, lib.origin(v), effect(value)]),
		"subject": "go.env.GO111MODULE",
		"vars": {"value": value, "source": v.source, "fix": lib.remove_hint("GO111MODULE", "on")},
		"fix": fix_lib.setting_fix("GO111MODULE"),
	}
}
