# METADATA
# title: go.mod `go` line is newer than the local toolchain
# description: |
#   Compares the `go` directive of the checked module (go.work when one applies, else
#   go.mod) with the version of the `go` on PATH. What happens next depends on that
#   toolchain. Before Go 1.21 there is no way to get the required release: a `go 1.N.P`
#   line (the form Go 1.21 writes) stops every go command (verified with go1.19.8: `go:
#   errors parsing go.mod: invalid go version '1.22.0': must match format 1.23`), and a
#   `go 1.N` line builds with the old release's semantics, so newer language features
#   fail to compile and changed ones behave differently without a word (verified: a
#   `go 1.22` module capturing a loop variable prints 333 under go1.19.8 and 012 under
#   go1.26.8, Go 1.22's per-iteration loop variables).
#   From Go 1.21 on, GOTOOLCHAIN decides: with `auto` (the default) the go command quietly
#   downloads and runs a newer toolchain, which needs network access and trust in the
#   download; with `local` it refuses every command: `go: go.mod requires go >= X
#   (running go Y; GOTOOLCHAIN=local)`.
#   Decision: severity per finding: local toolchain older than 1.21 -> error (it cannot
#   build the module as written: it refuses it or builds it with other semantics; graded
#   a warning before, this let `check` pass such a module);
#   1.21 or newer with GOTOOLCHAIN `local`, `path`/`<name>+path` (switching only to goX
#   binaries already on PATH, which envgate does not look for) or pinned to a release
#   older than required -> error; otherwise (unset, `auto`, `<name>+auto`, or pinned to a
#   new-enough release) -> info. GOWORK=off makes go.mod win over go.work. Nothing is
#   reported when either version is unknown.
# related_resources:
#   - ref: https://github.com/vmware-tanzu/vm-operator/issues/565
#   - ref: https://github.com/celestiaorg/celestia-app/issues/6317
#   - ref: https://go.dev/doc/toolchain
# custom:
#   id: GO034
#   severity: error
#   since: 0.1.0
#   category: Toolchain vs go.mod
#   remediation: |
#     Install Go {{ vars.required }} or newer (https://go.dev/dl/) and put its bin first on PATH in {{ vars.profile }}{% if vars.case == "refused" %}, or let the go command download it:
#       {{ vars.fix }}{% elif vars.case == "download" %}; otherwise the go command keeps fetching it into the module cache and running it (GOTOOLCHAIN=local forbids that).{% else %}; this toolchain predates automatic switching.{% endif %}
#     If the module does not really need Go {{ vars.required }}, lower the directive instead:
#       cd {{ vars.dir }} && go {{ vars.tool }} edit -go={{ vars.local_number }}
package envgate.go.go034_go_directive_newer_than_toolchain

import data.envgate.go.lib
import rego.v1

manifest := input.workspace.go_work if {
	is_object(input.workspace.go_work)
	lib.setting("GOWORK") != "off"
} else := input.workspace.go_mod if {
	is_object(input.workspace.go_mod)
}

tool := "work" if endswith(manifest.file, "go.work") else := "mod"

file_name := regex.replace(manifest.file, `^.*/`, "")

dir := regex.replace(manifest.file, `/[^/]*$`, "")

gotoolchain := lib.setting("GOTOOLCHAIN")

shown_gotoolchain := gotoolchain if gotoolchain != "" else := "auto"

# Whether the go command (>= 1.21) may switch to the required release.
switch_allowed(_) if gotoolchain in {"", "auto"}

switch_allowed(_) if endswith(gotoolchain, "+auto")

switch_allowed(required) if {
	not gotoolchain in {"", "auto", "local", "path"}
	not contains(gotoolchain, "+")
	not lib.version_less(gotoolchain, required)
}

case(local, _) := "old" if lib.version_less(local, "1.21")

case(local, required) := "download" if {
	not lib.version_less(local, "1.21")
	switch_allowed(required)
}

case(local, required) := "refused" if {
	not lib.version_less(local, "1.21")
	not switch_allowed(required)
}

severity := {"old": "error", "download": "info", "refused": "error"}

# Before Go 1.21 only `1.N` parses as a go line.
message("old", required, local) := text if {
	not regex.match(`^[0-9]+\.[0-9]+$`, required)
	text := sprintf("%s requires go %s but the local toolchain is %s, which predates toolchain switching and cannot read that version: go commands fail with `go: errors parsing %s: invalid go version '%s'`", [file_name, required, local, file_name, required])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("%s requires go %s but the local toolchain is %s, which predates toolchain switching: it builds the module anyway with %s's semantics, so newer language features fail to compile and changed ones (like Go 1.22's per-iteration loop variables) behave differently", [file_name, required, local, local])

message("download", required, local) := sprintf("%s requires go %s but the local toolchain is %s, so with GOTOOLCHAIN=%s the go command downloads a newer toolchain from the network and runs it", [file_name, required, local, shown_gotoolchain])

message("refused", required, local) := sprintf("%s requires go %s but the local toolchain is %s and GOTOOLCHAIN=%s does not let it switch: go commands fail with `go: %s requires go >= %s (running go %s; GOTOOLCHAIN=%s)`", [file_name, required, local, gotoolchain, file_name, required, running(local), gotoolchain])

# The release that actually runs: a pinned GOTOOLCHAIN name, else the local toolchain.
running(local) := trim_prefix(gotoolchain, "go") if {
	regex.match(`^go[0-9]`, gotoolchain)
	not contains(gotoolchain, "+")
} else := trim_prefix(local, "go")

# The local version as a `go` directive: before Go 1.21 only `1.N` is accepted.
directive_version(local) := text if {
	lib.version_less(local, "1.21")
	p := lib.version_parts(local)
	text := sprintf("%d.%d", [p[0], p[1]])
	is_string(text)  # holds for any defined value (L012)
} else := trim_prefix(local, "go")

deny contains finding if {
	required := manifest.go.value
	local := lib.active_toolchain.version
	is_string(required)
	is_string(local)
	lib.version_less(local, required)
	c := case(local, required)
	finding := {
		"msg": message(c, required, local),
		"subject": sprintf("workspace.go_%s.go", [tool]),
		"severity": severity[c],
		"location": {"file": manifest.file, "line": manifest.go.line},
		"vars": {
			"required": required,
			"local": local,
			"local_number": directive_version(local),
			"file": manifest.file,
			"dir": dir,
			"tool": tool,
			"case": c,
			"gotoolchain": gotoolchain,
			"fix": lib.set_hint("GOTOOLCHAIN", "auto"),
			"profile": lib.login_profile,
		},
	}
}
