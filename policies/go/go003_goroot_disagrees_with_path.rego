# METADATA
# title: GOROOT is set and disagrees with the `go` on PATH
# description: |
#   The go command finds its own GOROOT from where its binary lives, so GOROOT rarely needs
#   setting. When it is set (in the environment or with `go env -w`) to a different
#   installation than the `go` that PATH runs, the go binary of one release drives the
#   compiler and standard library of another: builds fail with `compile: version "goX"
#   does not match go tool version "goY"`, or with "cannot find GOROOT directory" when the
#   directory is gone.
#   Decision: fires when GOROOT comes from the environment or the `go env -w` file (not
#   from $GOROOT/go.env or cmd/go's own derivation), a `go` is on PATH, and GOROOT either
#   does not exist or resolves (symlinks followed) to another directory than the root of
#   that `go`. A GOROOT that resolves to the same root is fine even when spelled
#   differently (/usr/lib/go vs /usr/lib/go-1.19); a VERSION file that disagrees with bin/go
#   inside that one root is a mixed-version tree, reported by GO006, not here. When the
#   `go` on PATH is a version-manager shim its real root is not known, so nothing is said.
# related_resources:
#   - ref: https://github.com/golang/go/issues/26933
#   - ref: https://github.com/golang/go/issues/34214
# custom:
#   id: GO003
#   severity: error
#   since: 0.1.0
#   autofix: unsafe
#   category: Toolchain
#   remediation: |
#     Stop setting GOROOT; the go command finds its own root ({{ vars.active_goroot }}):
#       {{ vars.fix }}
#     If you really want {{ vars.goroot }}, keep GOROOT and put its bin first on PATH instead:
#     {% if host.os == "windows" %}  [Environment]::SetEnvironmentVariable('Path', '{{ vars.goroot }}\bin;' + [Environment]::GetEnvironmentVariable('Path', 'User'), 'User')
#     (the machine Path comes first: remove another Go's bin there, from an elevated PowerShell), then open a new terminal.{% else %}  echo 'export PATH="{{ vars.goroot }}/bin:$PATH"' >> {{ vars.profile }}{% endif %}
package envgate.go.go003_goroot_disagrees_with_path

import data.envgate.go.fix_lib
import data.envgate.go.lib
import rego.v1

disagrees(g, _) if not is_string(g.realpath)

disagrees(g, active) if {
	is_string(g.realpath)
	not same_root(g.realpath, active.goroot)
}

same_root(a, b) if a == b

# A Windows volume matches names without regard to case.
same_root(a, b) if {
	input.host.os == "windows"
	lib.same_windows_dir(a, b)
}

windows := input.host.os == "windows"

# Which environment a Windows value is in: the machine's key or the user's.
registry_target(file) := "Machine" if startswith(file, "HKLM") else := "User"

elevated("Machine") := "   # from an elevated PowerShell"

elevated("User") := ""

described(dir, version) := sprintf("%s (%s)", [dir, version]) if is_string(version)

described(dir, version) := dir if not is_string(version)

goroot_state(g) := described(g.value, g.version_file) if g.exists

goroot_state(g) := sprintf("%s, which does not exist", [g.value]) if not g.exists

how_set("env") := "in the environment"

how_set("goenv") := "with `go env -w`"

# The typical failure, when both versions are known and differ.
symptom(g, active) := sprintf("; builds fail with `compile: version \"%s\" does not match go tool version \"%s\"`", [g.version_file, active.version]) if {
	is_string(g.version_file)
	is_string(active.version)
	g.version_file != active.version
} else := ""

# How to stop setting GOROOT. `go env -u GOROOT` fails when GOROOT is broken, so the
# `go env -w` file is edited by hand too.
fix := text if {
	windows
	v := input.go.env.GOROOT
	v.source == "env"
	target := registry_target(object.get(v, "file", ""))
	text := sprintf("[Environment]::SetEnvironmentVariable('GOROOT', $null, '%s')%s", [target, elevated(target)])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("(Get-Content '%s') -notmatch '^GOROOT=' | Set-Content '%s'", [v.file, v.file]) if {
	windows
	v := input.go.env.GOROOT
	is_string(v.file)
} else := lib.delete_line("GOROOT", v.file) if {
	v := input.go.env.GOROOT
	is_string(v.file)
} else := "unset GOROOT   # and delete the line that sets it from your shell startup files"

# The same edits as GO004 and GO020 make for the line that sets GOROOT; unsafe (the go
# command then uses its own root).
# On Windows only the `go env -w` file's line is an edit; a registry value's
# remediation says how to change it.
goroot_fix := [object.union(e, {"safe": false}) | some e in edits] if {
	input.go.env.GOROOT.source == "goenv"
	edits := [fix_lib.go_env_unset("GOROOT")]
	is_array(edits)  # holds for any defined value (L012)
} else := [object.union(e, {"safe": false}) | some e in edits] if {
	v := input.go.env.GOROOT
	v.file in fix_lib.environment_d_files
	is_number(v.line)
	edits := [fix_lib.delete_line(v.file, v.line, "GOROOT", v.value)]
	is_array(edits)  # holds for any defined value (L012)
} else := []

deny contains finding if {
	g := input.go.goroot
	g.source in {"env", "goenv"}
	active := lib.active_toolchain
	not active.shim
	disagrees(g, active)
	go := input.path.resolved.go.path
	state := goroot_state(g)
	finding := {
		"msg": sprintf("GOROOT is set %s to %s but the go on PATH, %s, belongs to %s%s", [
			how_set(g.source), state, go,
			described(active.goroot, object.get(active, "version", null)),
			symptom(g, active),
		]),
		"subject": "go.env.GOROOT",
		"vars": {
			"goroot": g.value,
			"active_goroot": active.goroot,
			"active_version": object.get(active, "version", null),
			"go": go,
			"fix": fix,
			"profile": lib.login_profile,
		},
		"fix": goroot_fix,
	}
}
