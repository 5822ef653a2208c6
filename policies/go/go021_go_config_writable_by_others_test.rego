package envgate.go.go021_go_config_writable_by_others_test

import data.envgate.go.go021_go_config_writable_by_others as rule
import rego.v1

file(path, uid, gid, mode) := {"path": path, "exists": true, "is_symlink": false, "is_dir": false, "uid": uid, "gid": gid, "mode": mode, "error": null}

base := {
	"host": {"uid": 1000, "user": "dev", "home": "/home/dev", "root_owner_uid": 0},
	"security": {
		"user_gid": 1000,
		"root_gid": 0,
		"files": {
			"goenv_file": file("/home/dev/.config/go/env", 1000, 1000, 420),
			"goenv_dir": file("/home/dev/.config/go", 1000, 1000, 493),
			"goroot": file("/usr/local/go", 0, 0, 493),
			"goroot_bin": file("/usr/local/go/bin", 0, 0, 493),
			"goroot_go_env": file("/usr/local/go/go.env", 0, 0, 420),
		},
	},
}

with_file(role, f) := object.union(base, {"security": {"files": {role: f}}})

test_fires_on_a_world_writable_goenv_file if {
	findings := rule.deny with input as with_file("goenv_file", file("/home/dev/.config/go/env", 1000, 1000, 438))
	count(findings) == 1
	some f in findings
	f.location.file == "/home/dev/.config/go/env"
	contains(f.msg, "the `go env -w` file /home/dev/.config/go/env (mode 666) is writable by every user")
	f.vars.fix == "chmod 600 /home/dev/.config/go/env"
}

test_fires_on_a_goenv_dir_owned_by_someone_else if {
	findings := rule.deny with input as with_file("goenv_dir", file("/home/dev/.config/go", 1001, 1001, 493))
	some f in findings
	contains(f.msg, "is owned by uid 1001, not by you (uid 1000)")
	f.vars.fix == "chmod 700 /home/dev/.config/go\n  sudo chown dev /home/dev/.config/go"
}

test_fires_on_a_foreign_group_writable_goenv_file if {
	findings := rule.deny with input as with_file("goenv_file", file("/home/dev/.config/go/env", 1000, 27, 436))
	some f in findings
	contains(f.msg, "is writable by group 27")
}

test_quiet_on_own_group_and_root_owned_goenv if {
	count(rule.deny) == 0 with input as with_file("goenv_file", file("/home/dev/.config/go/env", 1000, 1000, 436))
	count(rule.deny) == 0 with input as with_file("goenv_file", file("/home/dev/.config/go/env", 0, 0, 420))
}

test_quiet_when_an_ordinary_account_unpacked_the_image if {
	inp := object.union(with_file("goenv_file", file("/home/dev/.config/go/env", 1234, 1234, 420)), {"host": {"root_owner_uid": 1234}})
	count(rule.deny) == 0 with input as inp
}

test_fires_on_a_user_owned_system_goroot if {
	findings := rule.deny with input as with_file("goroot_bin", file("/usr/local/go/bin", 1000, 1000, 493))
	count(findings) == 1
	some f in findings
	contains(f.msg, "$GOROOT/bin /usr/local/go/bin of the system Go install /usr/local/go (mode 755) is owned and writable by uid 1000, not root")
	f.vars.fix == "sudo chown -R root:root /usr/local/go\n  sudo chmod -R go-w /usr/local/go"
}

test_fires_on_a_world_writable_go_env if {
	findings := rule.deny with input as with_file("goroot_go_env", file("/usr/local/go/go.env", 0, 0, 438))
	some f in findings
	contains(f.msg, "$GOROOT/go.env /usr/local/go/go.env")
	contains(f.msg, "is writable by every user")
}

test_quiet_for_a_goroot_in_home_or_homebrew if {
	home := object.union(base, {"security": {"files": {
		"goroot": file("/home/dev/sdk/go1.22.1", 1000, 1000, 493),
		"goroot_bin": file("/home/dev/sdk/go1.22.1/bin", 1000, 1000, 493),
	}}})
	count(rule.deny) == 0 with input as home
	brew := object.union(base, {"security": {"files": {
		"goroot": file("/opt/homebrew/Cellar/go/1.24.4/libexec", 501, 20, 493),
		"goroot_bin": file("/opt/homebrew/Cellar/go/1.24.4/libexec/bin", 501, 20, 493),
	}}})
	count(rule.deny) == 0 with input as brew
}

test_quiet_on_a_clean_machine if {
	count(rule.deny) == 0 with input as base
	count(rule.deny) == 0 with input as {"host": {}}
}
