# METADATA
# title: VS Code Go paths point to missing or version-pinned directories
# description: |
#   `go.goroot`, `go.gopath`, `go.toolsGopath` and `go.alternateTools` override where
#   the VS Code Go extension finds Go and its tools. A path that does not exist makes it
#   report "Go not found" or fail to install tools even though Go works in the terminal.
#   A path with a version in it (`/opt/homebrew/Cellar/go/1.24.4/libexec`,
#   `/snap/go/8627`, `/usr/local/go1.21.3`) works until the next upgrade removes that
#   version, then breaks the same way — or keeps an old Go in use without anyone noticing.
#   Decision: each path (each `:`-separated entry of go.gopath, each go.alternateTools
#   member) is resolved like the extension does (`~`, `${workspaceFolder}`,
#   `${env:NAME}`); a bare command name in go.alternateTools is looked up on PATH. It is
#   reported when it does not exist (is not on PATH), or when a path component names a
#   Go version: `go1.21.3`, `go-1.19`, Homebrew's `Cellar/go/<version>`, `snap/go/<revision>`,
#   or a version manager's install directory (goenv, asdf, mise, gvm). A path with a
#   variable that cannot be resolved here is skipped.
# related_resources:
#   - ref: https://github.com/golang/vscode-go/issues/3688
#   - ref: https://github.com/golang/vscode-go/issues/1924
#   - ref: https://github.com/golang/vscode-go/blob/master/docs/settings.md
# custom:
#   id: GO048
#   severity: warning
#   since: 1.0.0
#   autofix: safe
#   category: Editor
#   remediation: |
#     {% if vars.stable %}Point {{ vars.setting }} in {{ vars.file }} (line {{ vars.line }}) at the link that survives upgrades:
#       {{ vars.stable }}{% else %}Remove {{ vars.setting }} from {{ vars.file }} (line {{ vars.line }}): the extension then uses the go on PATH and its GOROOT/GOPATH{% if vars.kind == "command" %}, and finds {{ vars.value }} once it is installed on PATH{% endif %}.{% endif %}
package envgate.go.go048_vscode_go_paths_missing_or_pinned

import data.envgate.go.fix_lib
import rego.v1

pinned_patterns := [
	`(^|/)go-?[0-9]+\.[0-9]+(\.[0-9]+)?((rc|beta)[0-9]+)?(/|$)`,
	`/Cellar/go(@[0-9.]+)?/[0-9][^/]*(/|$)`,
	`/snap/go/[0-9]+(/|$)`,
	`/(\.goenv/versions|\.asdf/installs/golang|mise/installs/go|\.gvm/gos)/[^/]*[0-9]+\.[0-9]+[^/]*(/|$)`,
]

pinned(path) if {
	some pattern in pinned_patterns
	regex.match(pattern, path)
}

# The stable spelling of a pinned path, where one exists.
stable(path) := regex.replace(path, `/Cellar/go(@[0-9.]+)?/[^/]+`, "/opt/go$1") if {
	regex.match(`/Cellar/go(@[0-9.]+)?/[0-9]`, path)
} else := regex.replace(path, `/snap/go/[0-9]+`, "/snap/go/current") if {
	regex.match(`/snap/go/[0-9]+(/|$)`, path)
} else := regex.replace(path, `^/usr/lib/go-[0-9.]+`, "/usr/lib/go") if {
	regex.match(`^/usr/lib/go-[0-9.]+(/|$)`, path)
} else := ""

problems(p) := [x | some x in [missing(p), pinned_problem(p)]; x != ""]

missing(p) := "is not found on PATH" if {
	p.kind == "command"
	not p.exists
} else := "does not exist" if {
	not p.exists
} else := ""

pinned_problem(p) := "names a Go version, so it breaks when Go is upgraded" if pinned(p.resolved) else := ""

setting_name(setting, p) := name if {
	is_string(p.member)
	name := sprintf("%s.%s", [setting.key, p.member])
	is_string(name)  # holds for any defined value (L012)
} else := setting.key

shown(p) := p.value if p.value == p.resolved else := sprintf("%s (%s)", [p.value, p.resolved])

deny contains finding if {
	some file in object.get(input, ["editor", "settings_files"], [])
	some setting in file.settings
	some p in setting.paths
	is_string(p.resolved)
	found := problems(p)
	count(found) > 0
	name := setting_name(setting, p)
	better := stable(p.resolved)
	finding := {
		"msg": sprintf("%s sets %s to %s, which %s", [file.path, name, shown(p), concat(" and ", found)]),
		"location": {"file": file.path, "line": p.line},
		"vars": {
			"file": file.path,
			"line": p.line,
			"setting": name,
			"value": p.value,
			"kind": p.kind,
			"problems": found,
			"stable": stable_hint(name, better),
		},
		"fix": stable_fix(file, setting, p, better),
	}
}

stable_hint(_, better) := "" if better == ""

stable_hint(name, better) := sprintf(`"%s": "%s"`, [name, better]) if better != ""

# A pinned path that exists, set to its stable spelling (the same installation, by the
# link that survives upgrades): safe. A missing path has no value to put there.
stable_fix(file, setting, p, better) := edits if {
	better != ""
	missing(p) == ""
	edits := [{"kind": "json_set", "file": file.path, "path": json_path(setting, p), "value": better, "safe": true}]
	is_array(edits)  # holds for any defined value (L012)
} else := []

json_path(setting, p) := path if {
	is_string(p.member)
	path := [setting.key, p.member]
	is_array(path)  # holds for any defined value (L012)
} else := [setting.key]
