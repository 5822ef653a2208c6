package envgate.go.go020_systemd_injects_go_env_test

import data.envgate.go.go020_systemd_injects_go_env as rule
import rego.v1

envd(path, scope, owner, mode, assignments) := {"path": path, "scope": scope, "owner_uid": owner, "mode": mode, "masked_by": null, "error": null, "assignments": assignments}

assign(name, value, line, keeps) := {"name": name, "value": value, "line": line, "keeps_previous": keeps}

user_conf := "/home/dev/.config/environment.d/go.conf"

base := {
	"host": {"home": "/home/dev", "user": "dev", "uid": 1000, "root_owner_uid": 0},
	"systemd_user": {"environment_d": [envd(user_conf, "user", 1000, 420, [assign("PATH", "$PATH:$HOME/go/bin", 1, true)])], "units": []},
}

test_quiet_for_own_file_extending_path if {
	count(rule.deny) == 0 with input as base
}

test_fires_when_path_is_replaced if {
	inp := object.union(base, {"systemd_user": {"environment_d": [envd(user_conf, "user", 1000, 420, [assign("PATH", "/usr/bin:/bin", 2, false)])]}})
	findings := rule.deny with input as inp
	count(findings) == 1
	some finding in findings
	finding.location == {"file": user_conf, "line": 2}
	contains(finding.msg, "replaces PATH instead of extending $PATH")
	startswith(finding.vars.fixes[0], "sed -i '2s/")
}

test_fires_for_behaviour_changing_go_settings if {
	inp := object.union(base, {"systemd_user": {"environment_d": [envd(user_conf, "user", 1000, 420, [assign("GOFLAGS", "-mod=mod", 1, false), assign("GOPATH", "$HOME/go", 2, false)])]}})
	findings := rule.deny with input as inp
	count(findings) == 1
	some finding in findings
	finding.vars.name == "GOFLAGS"
}

test_fires_for_writable_and_foreign_system_files if {
	file := envd("/etc/environment.d/90-go.conf", "system", 1001, 438, [assign("PATH", "$PATH:/opt/go/bin", 1, true)])
	findings := rule.deny with input as object.union(base, {"systemd_user": {"environment_d": [file]}})
	count(findings) == 1
	some finding in findings
	contains(finding.msg, "writable by group or others (mode 666)")
	contains(finding.msg, "owned by uid 1001")
	finding.vars.fixes[0] == "sudo chmod go-w /etc/environment.d/90-go.conf"
}

test_user_unit_environment if {
	unit := {"path": "/home/dev/.config/systemd/user/code.service", "scope": "user", "owner_uid": 1000, "mode": 420, "environment": [assign("GOPROXY", "off", 7, false)], "environment_files": []}
	findings := rule.deny with input as object.union(base, {"systemd_user": {"units": [unit]}})
	count(findings) == 1
	some finding in findings
	finding.location.line == 7
}

test_masked_files_are_not_judged if {
	file := object.union(envd("/usr/lib/environment.d/go.conf", "vendor", 0, 420, [assign("GOFLAGS", "-x", 1, false)]), {"masked_by": user_conf})
	count(rule.deny) == 0 with input as object.union(base, {"systemd_user": {"environment_d": [file]}})
}

# `PATH=/tmp/tools/bin:$PATH` with no /tmp/tools: anyone can create it (the miss).
missing_under_tmp := {"dir": "/tmp/tools/bin", "index": 0, "facts": {
	"exists": false, "owner_uid": null, "mode": null,
	"nearest_existing": {"path": "/tmp", "owner_uid": 0, "mode": 1023},
}}

test_fires_for_a_missing_directory_under_tmp if {
	line := object.union(assign("PATH", "/tmp/tools/bin:$PATH", 1, true), {"path_dirs": [missing_under_tmp]})
	inp := object.union(base, {"systemd_user": {"environment_d": [envd(user_conf, "user", 1000, 420, [line])]}})
	findings := rule.deny with input as inp
	count(findings) == 1
	some finding in findings
	finding.location == {"file": user_conf, "line": 1}
	contains(finding.msg, "it puts /tmp/tools/bin (which does not exist, and /tmp above it is writable by everyone, mode 1777")
	contains(finding.msg, "first, before every system directory")
	contains(finding.msg, "the desktop session")
	contains(finding.vars.fixes[0], "/tmp/tools/bin")
}

test_quiet_for_a_missing_directory_only_the_user_can_create if {
	own := object.union(missing_under_tmp, {"dir": "/home/dev/tools/bin", "facts": object.union(missing_under_tmp.facts, {"nearest_existing": {"path": "/home/dev", "owner_uid": 1000, "mode": 493}})})
	line := object.union(assign("PATH", "/home/dev/tools/bin:$PATH", 1, true), {"path_dirs": [own]})
	inp := object.union(base, {"systemd_user": {"environment_d": [envd(user_conf, "user", 1000, 420, [line])]}})
	count(rule.deny) == 0 with input as inp
}
