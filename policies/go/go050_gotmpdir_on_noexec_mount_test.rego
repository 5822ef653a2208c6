package envgate.go.go050_gotmpdir_on_noexec_mount_test

import data.envgate.go.go050_gotmpdir_on_noexec_mount as rule
import rego.v1

entry(point, fs, options, noexec, line) := {"device": fs, "mount_point": point, "fs_type": fs, "options": options, "noexec": noexec, "line": line}

base := {
	"host": {"home": "/home/dev"},
	"go": {"env": {}},
	"mounts": {
		"source": "/etc/fstab",
		"entries": [
			entry("/", "ext4", ["defaults"], false, 1),
			entry("/tmp", "tmpfs", ["rw", "nosuid", "nodev", "noexec"], true, 2),
		],
		"go_tmp_dir": {"path": "/tmp", "source": "default", "exists": true, "realpath": "/tmp", "mount": 1},
		"home_mount": 0,
	},
}

test_fires_on_a_noexec_tmp if {
	findings := rule.deny with input as base
	count(findings) == 1
	some f in findings
	f.location == {"file": "/etc/fstab", "line": 2}
	contains(f.msg, "Go's temporary directory /tmp (the default, with GOTMPDIR and TMPDIR unset) is on /tmp, mounted noexec (tmpfs, rw,nosuid,nodev,noexec)")
	f.vars.suggested == "/home/dev/.cache/go-tmp"
	f.vars.home_noexec == false
}

test_names_gotmpdir_and_a_noexec_home if {
	inp := object.union(base, {
		"go": {"env": {"GOTMPDIR": {"value": "/home/dev/tmp", "source": "goenv", "file": "/home/dev/.config/go/env", "line": 1}}},
		"mounts": {"go_tmp_dir": {"path": "/home/dev/tmp", "source": "GOTMPDIR", "mount": 1}, "home_mount": 1},
	})
	some f in rule.deny with input as inp
	contains(f.msg, "GOTMPDIR=/home/dev/tmp (set in /home/dev/.config/go/env:1)")
	f.vars.home_noexec == true
}

test_quiet_when_exec_allowed_or_unknown if {
	exec := object.union(base, {"mounts": {"go_tmp_dir": {"mount": 0}}})
	count(rule.deny) == 0 with input as exec
	unknown := object.union(base, {"mounts": {"go_tmp_dir": {"mount": null}}})
	count(rule.deny) == 0 with input as unknown
	count(rule.deny) == 0 with input as {"host": {}}
}
