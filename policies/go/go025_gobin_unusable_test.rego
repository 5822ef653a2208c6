package envgate.go.go025_gobin_unusable_test

import data.envgate.go.go025_gobin_unusable as rule
import rego.v1

gobin(extra) := object.union(
	{"path": "/home/dev/bin", "absolute": true, "exists": true, "is_dir": true, "mode": 493, "uid": 1000, "gid": 1000, "nearest_existing_parent": null},
	extra,
)

base(g, path_entries) := {
	"mode": "live",
	"host": {"home": "/home/dev", "user": "dev", "uid": 1000, "login_shell": "/bin/bash"},
	"path": {"entries": [{"raw": e} | some e in path_entries]},
	"go": {
		"env": {"GOBIN": {"value": g.path, "source": "env", "file": "/home/dev/.config/environment.d/go.conf", "line": 1}},
		"tools_dir": {"path": g.path, "source": "GOBIN", "exists": g.exists, "programs": []},
	},
	"go_settings": {"gobin": g},
}

test_fires_when_gobin_is_missing_and_not_on_path if {
	g := gobin({"exists": false, "is_dir": false, "mode": null, "uid": null, "nearest_existing_parent": {"path": "/home/dev", "mode": 493, "uid": 1000, "gid": 1000}})
	some finding in rule.deny with input as base(g, ["/usr/bin"])
	contains(finding.msg, "GOBIN=/home/dev/bin (set in /home/dev/.config/environment.d/go.conf:1) does not exist; it is not on PATH")
	finding.vars.fix_dir == "mkdir -p /home/dev/bin"
	finding.vars.not_on_path == true
}

test_fires_when_a_missing_gobin_cannot_be_created if {
	g := gobin({"path": "/opt/tools/bin", "exists": false, "is_dir": false, "mode": null, "uid": null, "nearest_existing_parent": {"path": "/opt", "mode": 493, "uid": 0, "gid": 0}})
	some finding in rule.deny with input as base(g, ["/usr/bin", "/opt/tools/bin"])
	contains(finding.msg, "cannot be created: its parent /opt (mode 755, owner uid 0) is not writable by dev")
	finding.vars.not_on_path == false
	startswith(finding.vars.fix_dir, "sudo mkdir -p /opt/tools/bin")
}

test_fires_when_gobin_belongs_to_root if {
	g := gobin({"uid": 0})
	some finding in rule.deny with input as base(g, ["/usr/bin", "/home/dev/bin"])
	finding.vars.problems == ["is not writable by dev (mode 755, owner uid 0)"]
}

test_fires_for_a_read_only_directory_even_in_an_unpacked_image if {
	g := gobin({"uid": 1001, "mode": 365})
	input_value := object.union(base(g, ["/home/dev/bin"]), {"mode": "image", "host": {"root_owner_uid": 1001}})
	some finding in rule.deny with input as input_value
	contains(finding.msg, "not writable")
}

test_quiet_when_usable if {
	count(rule.deny) == 0 with input as base(gobin({}), ["/usr/bin", "/home/dev/bin/"])
}

test_quiet_for_group_writable_and_for_root if {
	count(rule.deny) == 0 with input as base(gobin({"uid": 0, "mode": 509}), ["/home/dev/bin"])
	count(rule.deny) == 0 with input as object.union(base(gobin({"uid": 0}), ["/home/dev/bin"]), {"host": {"uid": 0}})
}

test_quiet_for_image_files_owned_by_the_unpacking_account if {
	input_value := object.union(base(gobin({"uid": 1001}), ["/home/dev/bin"]), {"mode": "image", "host": {"root_owner_uid": 1001}})
	count(rule.deny) == 0 with input as input_value
}

test_leaves_not_on_path_to_go013_when_it_holds_programs if {
	input_value := object.union(base(gobin({}), ["/usr/bin"]), {"go": {"tools_dir": {"programs": ["gopls"]}}})
	count(rule.deny) == 0 with input as input_value
}

test_quiet_without_gobin if {
	count(rule.deny) == 0 with input as object.union(base(gobin({}), ["/usr/bin"]), {"go_settings": {"gobin": null}})
}

test_fix_creates_the_directory_and_puts_it_on_path if {
	g := gobin({"exists": false, "is_dir": false, "mode": null, "uid": null, "nearest_existing_parent": {"path": "/home/dev", "mode": 493, "uid": 1000, "gid": 1000}})
	some finding in rule.deny with input as base(g, ["/usr/bin"])
	finding.fix == [
		{"kind": "mkdir", "file": "/home/dev/bin", "mode": 493, "safe": true},
		{"kind": "append_line", "file": "/home/dev/.profile", "text": `export PATH="$PATH:/home/dev/bin"`, "safe": true},
	]
}

test_fix_makes_the_users_own_directory_writable if {
	g := gobin({"uid": 1001, "mode": 365})
	input_value := object.union(base(g, ["/home/dev/bin"]), {"mode": "image", "host": {"root_owner_uid": 1001}})
	some finding in rule.deny with input as input_value
	finding.fix == [{"kind": "chmod", "file": "/home/dev/bin", "mode": 493, "safe": true}]
}

test_no_fix_when_a_part_needs_root if {
	missing := gobin({"path": "/opt/tools/bin", "exists": false, "is_dir": false, "mode": null, "uid": null, "nearest_existing_parent": {"path": "/opt", "mode": 493, "uid": 0, "gid": 0}})
	some f1 in rule.deny with input as base(missing, ["/usr/bin"])
	f1.fix == []
	rooted := gobin({"uid": 0})
	some f2 in rule.deny with input as base(rooted, ["/usr/bin"])
	f2.fix == []
}

test_no_path_fix_for_a_gobin_with_programs if {
	# GO013 reports it, with its own fix: one problem, one edit.
	g := gobin({})
	input_value := object.union(base(g, ["/usr/bin"]), {"go": {"tools_dir": {"path": "/home/dev/bin", "source": "GOBIN", "exists": true, "programs": ["go", "gopls"]}}})
	count(rule.deny) == 0 with input as input_value
}
