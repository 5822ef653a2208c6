# METADATA
# title: Go's temporary directory is on a noexec mount
# description: |
#   `go run` and `go test` build a binary under GOTMPDIR (default TMPDIR, default /tmp)
#   and execute it from there. On a filesystem mounted `noexec` (a hardened /tmp, a
#   CI runner's tmpfs) they fail with `fork/exec /tmp/go-build…/exe/main: permission
#   denied`, while `go build` still works, which makes the cause hard to see.
#   Decision: live, the kernel's mount table (/proc/mounts) is used; for an image,
#   /etc/fstab. The mount holding the directory is the one with the longest mount
#   point that is a path prefix of it (symlinks resolved; a later mount over the same
#   point wins). `noexec` counts as mount(8) applies it: the last of exec/noexec wins, and
#   `user`/`users` imply noexec. Mounts made by systemd units (tmp.mount) are not read in
#   an image.
# related_resources:
#   - ref: https://pkg.go.dev/cmd/go#hdr-Environment_variables
# custom:
#   id: GO050
#   severity: warning
#   since: 1.0.0
#   autofix: safe
#   category: Toolchain
#   systems: [linux, darwin]
#   remediation: |
#     Give the go command a temporary directory where programs may run{% if vars.home_noexec %} (your home is on a noexec mount too: pick a directory on a filesystem mounted with exec){% endif %}:
#       mkdir -p {{ vars.suggested }} && go env -w GOTMPDIR={{ vars.suggested }}
#     {% if vars.fstab %}or, if nothing needs /tmp to be noexec, drop `noexec` from {{ vars.mount_point }} in /etc/fstab (line {{ vars.line }}) and remount it.{% endif %}
package envgate.go.go050_gotmpdir_on_noexec_mount

import data.envgate.go.fix_lib
import data.envgate.go.lib
import rego.v1

mounts := object.get(input, "mounts", {})

home_noexec if mounts.entries[mounts.home_mount].noexec

describe(t) := text if {
	t.source == "GOTMPDIR"
	text := sprintf("GOTMPDIR=%s (set %s)", [t.path, lib.origin(input.go.env.GOTMPDIR)])
	is_string(text)  # holds for any defined value (L012)
} else := text if {
	t.source == "TMPDIR"
	text := sprintf("TMPDIR=%s", [t.path])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("%s (the default, with GOTMPDIR and TMPDIR unset)", [t.path])

deny contains finding if {
	t := mounts.go_tmp_dir
	is_number(t.mount)
	m := mounts.entries[t.mount]
	m.noexec
	finding := {
		"msg": sprintf("Go's temporary directory %s is on %s, mounted noexec (%s, %s), so `go run` and `go test` fail with `permission denied` when they start the program they built", [describe(t), m.mount_point, m.fs_type, concat(",", m.options)]),
		"location": {"file": mounts.source, "line": m.line},
		"vars": {
			"dir": t.path,
			"source": t.source,
			"mount_point": m.mount_point,
			"options": m.options,
			"line": m.line,
			"fstab": mounts.source == "/etc/fstab",
			"home_noexec": home_noexec_flag,
			"suggested": sprintf("%s/.cache/go-tmp", [lib.home]),
		},
		"fix": tmp_fix(t),
	}
}

home_noexec_flag := true if home_noexec else := false

# A directory in the home (mode 0700) for GOTMPDIR, set where GOTMPDIR is set now or
# with `go env -w`: safe, only where the go command builds its temporary programs
# changes. Not when the home is noexec too.
tmp_fix(t) := array.concat([mkdir], set) if {
	not home_noexec
	dir := sprintf("%s/.cache/go-tmp", [lib.home])
	mkdir := {"kind": "mkdir", "file": dir, "mode": 448, "safe": true}
	set := gotmpdir_edits(t, dir)
	count(set) > 0
} else := []

gotmpdir_edits(t, dir) := fix_lib.set_in_place("GOTMPDIR", dir, true) if {
	t.source == "GOTMPDIR"
} else := [fix_lib.go_env_set("GOTMPDIR", dir)] if {
	fix_lib.goenv_file
}
