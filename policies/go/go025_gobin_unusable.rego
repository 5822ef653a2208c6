# METADATA
# title: GOBIN is set but missing, not writable, or not on PATH
# description: |
#   GOBIN overrides where `go install` puts programs. When the directory does not exist
#   and cannot be created, or the user cannot write to it, every `go install` fails
#   (`go install: copying …: permission denied`, or `mkdir …: permission denied`); when it
#   is not on PATH, the programs installed there (gopls, dlv, staticcheck) are not found.
#   Decision: writability is judged from the directory's mode and owner against the
#   checked user: root writes anywhere; the owner needs `u+w`; anyone may write with
#   `o+w`. Group-writable directories count as writable because envgate does not read
#   group membership (no false alarm for shared team directories). In an image unpacked
#   by an ordinary account every file belongs to that account, so ownership by it says
#   nothing and is treated as the user's own. A missing GOBIN is judged by its closest
#   existing parent, which `go install` would have to create it in. "Not on PATH" is
#   reported here only when GO013 does not already report it (GO013 fires when GOBIN
#   exists and holds programs), so one problem never gives two findings.
#   The fix makes GOBIN usable as set: the directory created (mode 0755), `u+w` on the
#   user's own directory, and a PATH line in the login and desktop sessions' files
#   (safe: GOBIN holds no programs then, so no toolchain changes). There is none when a
#   part needs root (a parent or directory someone else owns) or GOBIN is not a
#   directory: half a fix fixes nothing.
# related_resources:
#   - ref: https://pkg.go.dev/cmd/go#hdr-Environment_variables
#   - ref: https://github.com/microsoft/vscode-go/issues/1039
# custom:
#   id: GO025
#   severity: error
#   since: 1.0.0
#   category: GOPATH
#   autofix: safe
#   remediation: |
#     {% if vars.fix_dir %}Make the directory yours:
#       {{ vars.fix_dir }}
#     {% endif %}{% if vars.not_on_path %}Add it to PATH in your login file:
#       echo 'export PATH="$PATH:{{ vars.dir }}"' >> {{ vars.profile }}
#     {% endif %}Or stop setting GOBIN, so programs go to the first GOPATH entry's bin:
#       {{ vars.unset }}
package envgate.go.go025_gobin_unusable

import data.envgate.go.fix_lib
import data.envgate.go.lib
import rego.v1

uid := input.host.uid

# The checked user counts as the owner of a file owned by uid `owner`.
owned_by_user(owner) if owner == uid

owned_by_user(owner) if {
	# An image unpacked by an ordinary account: that account owns every file.
	input.mode == "image"
	owner == object.get(input.host, "root_owner_uid", 0)
	owner != 0
}

writable(_, _) if uid == 0

writable(mode, owner) if {
	owned_by_user(owner)
	bits.and(mode, 128) != 0
}

writable(mode, _) if bits.and(mode, 16) != 0

writable(mode, _) if bits.and(mode, 2) != 0

problems(g) := [p | some p in [
	missing_problem(g),
	not_dir_problem(g),
	unwritable_problem(g),
	path_problem(g),
]; p != ""]

missing_problem(g) := sprintf("does not exist%s", [creatable_note(g)]) if not g.exists else := ""

creatable_note(g) := text if {
	p := g.nearest_existing_parent
	is_object(p)
	is_number(uid)
	not writable(p.mode, p.uid)
	text := sprintf(" and cannot be created: its parent %s (mode %s, owner uid %d) is not writable by %s", [p.path, format_int(p.mode, 8), p.uid, user])
	is_string(text)  # holds for any defined value (L012)
} else := ""

not_dir_problem(g) := "is not a directory" if {
	g.exists
	not g.is_dir
} else := ""

unwritable(g) if {
	g.exists
	g.is_dir
	is_number(uid)
	not writable(g.mode, g.uid)
}

unwritable_problem(g) := text if {
	unwritable(g)
	text := sprintf("is not writable by %s (mode %s, owner uid %d)", [user, format_int(g.mode, 8), g.uid])
	is_string(text)  # holds for any defined value (L012)
} else := ""

# GO013 reports an existing GOBIN holding programs that is not on PATH.
go013_reports(g) if {
	dir := input.go.tools_dir
	dir.source == "GOBIN"
	dir.exists
	count(dir.programs) > 0
}

not_on_path(g) if {
	not lib.on_path(g.path)
	not go013_reports(g)
}

path_problem(g) := "is not on PATH, so programs installed there are not found" if not_on_path(g) else := ""

user := input.host.user if is_string(input.host.user) else := "you"

deny contains finding if {
	g := input.go_settings.gobin
	is_object(g)
	g.absolute
	v := input.go.env.GOBIN
	found := problems(g)
	count(found) > 0
	finding := {
		"msg": sprintf("GOBIN=%s (set %s) %s", [g.path, lib.origin(v), concat("; it ", found)]),
		"subject": "go.env.GOBIN",
		"vars": {
			"dir": g.path,
			"problems": found,
			"fix_dir": fix_dir(g),
			"not_on_path": not_on_path_flag(g),
			"profile": lib.login_profile,
			"unset": lib.remove_hint("GOBIN", ""),
		},
		"fix": gobin_fix(g),
	}
}

gobin_fix(g) := edits if {
	not needs_root(g)
	edits := array.concat(array.concat(dir_edits(g), mode_edits(g)), path_edits(g))
	is_array(edits)  # holds for any defined value (L012)
} else := []

needs_root(g) if {
	not g.exists
	creatable_note(g) != ""
}

needs_root(g) if {
	g.exists
	not g.is_dir
}

needs_root(g) if {
	unwritable(g)
	not owned_by_user(g.uid)
}

dir_edits(g) := edits if {
	not g.exists
	edits := [{"kind": "mkdir", "file": g.path, "mode": 493, "safe": true}]
	is_array(edits)  # holds for any defined value (L012)
} else := []

mode_edits(g) := edits if {
	unwritable(g)
	edits := [{"kind": "chmod", "file": g.path, "mode": bits.or(g.mode, 128), "safe": true}]
	is_array(edits)  # holds for any defined value (L012)
} else := []

# Safe: GO025 reports "not on PATH" only for a GOBIN without programs (GO013 reports
# one with programs), so the new entry cannot change which toolchain runs.
path_edits(g) := edits if {
	not_on_path(g)
	edits := fix_lib.path_append_edits(g.path, true)
	is_array(edits)  # holds for any defined value (L012)
} else := []

fix_dir(g) := text if {
	not g.exists
	creatable_note(g) == ""
	text := sprintf("mkdir -p %s", [g.path])
	is_string(text)  # holds for any defined value (L012)
} else := text if {
	not g.exists
	text := sprintf("sudo mkdir -p %s && sudo chown %s %s", [g.path, user, g.path])
	is_string(text)  # holds for any defined value (L012)
} else := text if {
	unwritable(g)
	text := sprintf("sudo chown %s %s && chmod u+w %s", [user, g.path, g.path])
	is_string(text)  # holds for any defined value (L012)
} else := ""

not_on_path_flag(g) := true if not_on_path(g) else := false
