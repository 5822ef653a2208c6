# METADATA
# title: Folder without go.mod over nested modules, or a stray go.work above the module
# description: |
#   gopls and the go command work from the nearest go.mod or go.work at or above the
#   folder. An editor opened on a repository root that has no go.mod, with the modules
#   one or two levels down, sees no module at all: gopls reports that it was not able to
#   find modules in the workspace, and nothing resolves. The reverse also bites: a
#   go.work left in a parent directory (often `~/go.work` from an experiment) takes over
#   every module below it, and a module it does not `use` fails with `go: directory . is
#   contained in a module that is not one of the workspace modules listed in go.work`.
#   Decision: the first case fires when the checked directory has no go.mod or go.work
#   at or above it and go.mod files exist one or two levels below (directories starting
#   with `.` or `_`, `testdata`, `vendor` and `node_modules` skipped; never a full walk),
#   except for the home directory itself, which is no project. The second fires when a
#   go.work applies (GOWORK is not `off`) and none of its `use` directories is the
#   checked module's directory.
# related_resources:
#   - ref: https://github.com/golang/vscode-go/issues/2249
#   - ref: https://github.com/golang/vscode-go/issues/2529
#   - ref: https://github.com/golang/go/issues/32667
#   - ref: https://go.dev/ref/mod#workspaces
# custom:
#   id: GO041
#   severity: info
#   since: 1.0.0
#   category: Toolchain vs go.mod
#   remediation: |
#     {% if vars.case == "nested" %}Open the module's own folder in your editor, or tie the modules together with a go.work:
#       cd {{ vars.dir }} && go work init {{ vars.uses | join(sep=" ") }}{% else %}If {{ vars.work }} is left over, remove it (or run with GOWORK=off):
#       rm {{ vars.work }}
#     If the workspace is meant to include this module, add it:
#       cd {{ vars.work_dir }} && go work use {{ vars.module_dir }}{% endif %}
package envgate.go.go041_workspace_root_without_module

import data.envgate.go.lib
import data.envgate.go.modules_lib
import rego.v1

ws := input.workspace

nested := object.get(ws, "nested_modules", [])

# `./a/b` for /dir/a/b/go.mod.
relative(dir, file) := sprintf("./%s", [trim_suffix(trim_prefix(file, sprintf("%s/", [dir])), "/go.mod")])

deny contains finding if {
	is_string(ws.dir)
	not is_object(ws.go_mod)
	not is_object(ws.go_work)
	count(nested) > 0
	trim_right(ws.dir, "/") != trim_right(lib.home, "/")
	uses := [relative(ws.dir, f) | some f in nested]
	finding := {
		"msg": sprintf("%s has no go.mod or go.work, but %d module%s below it (%s): gopls and go commands started here see no module", [ws.dir, count(nested), plural(count(nested)), shown(uses)]),
		"subject": "workspace.nested_modules",
		"vars": {"case": "nested", "dir": ws.dir, "modules": nested, "uses": uses},
	}
}

plural(n) := " sits" if n == 1 else := "s sit"

shown(uses) := concat(", ", uses) if count(uses) <= 5 else := sprintf("%s and %d more", [concat(", ", array.slice(uses, 0, 5)), count(uses) - 5])

deny contains finding if {
	modules_lib.work_active
	is_object(ws.go_mod)
	work := ws.go_work.file
	module_dir := modules_lib.dir_of(ws.go_mod.file)
	not module_dir in {u.dir | some u in object.get(ws, "work_uses", [])}
	work_dir := modules_lib.dir_of(work)
	finding := {
		"msg": sprintf("%s%s does not list the module at %s in a `use` directive, so go commands there fail with `go: directory . is contained in a module that is not one of the workspace modules listed in go.work`", [work, place(work_dir, module_dir), module_dir]),
		"subject": "workspace.go_work",
		"location": {"file": work, "line": first_line(ws.go_work)},
		"vars": {"case": "stray_work", "work": work, "work_dir": work_dir, "module_dir": module_dir},
	}
}

place(work_dir, module_dir) := sprintf(", in a parent directory of %s,", [module_dir]) if {
	work_dir != module_dir
	startswith(module_dir, sprintf("%s/", [trim_right(work_dir, "/")]))
} else := ""

first_line(work) := line if {
	is_object(work.go)
	line := work.go.line
	line == line  # true for any value: tested so an undefined one reaches the else on unpatched regorus too (lint L012)
} else := 1
