package envgate.go.go019_unsafe_path_entries_test

import data.envgate.go.go019_unsafe_path_entries as rule
import rego.v1

entry(i, raw) := {
	"index": i,
	"raw": raw,
	"empty": raw == "",
	"relative": relative(raw),
	"tilde": startswith(raw, "~"),
	"exists": true,
	"owner_uid": 0,
	"mode": 493,
	"world_writable": false,
}

relative(raw) := true if {
	raw != ""
	not startswith(raw, "/")
} else := false

base := {
	"host": {"uid": 1000, "user": "dev", "home": "/home/dev"},
	"env_origin": {"PATH": {"file": "/etc/environment", "line": 1}},
	"path": {"entries": [entry(0, "/usr/bin"), entry(1, "/bin")]},
}

with_entries(entries) := object.union(base, {"path": {"entries": entries}})

finding_for(findings, i) := f if {
	some f in findings
	f.subject == sprintf("path.entries[%d]", [i])
}

test_fires_on_empty_dot_and_relative_entries if {
	findings := rule.deny with input as with_entries([entry(0, ""), entry(1, "/usr/bin"), entry(2, "."), entry(3, "node_modules/.bin")])
	count(findings) == 3
	contains(finding_for(findings, 0).msg, "PATH entry 0 (empty) is empty, which means the current directory")
	contains(finding_for(findings, 2).msg, "is `.`, the current directory")
	contains(finding_for(findings, 3).msg, "node_modules/.bin) is relative")
	finding_for(findings, 3).subject == "path.entries[3]"
}

test_fires_on_world_writable_even_with_sticky_bit if {
	tmp := object.union(entry(1, "/tmp"), {"mode": 1023})
	shared := object.union(entry(2, "/opt/shared/bin"), {"mode": 511, "world_writable": true})
	findings := rule.deny with input as with_entries([entry(0, "/usr/bin"), tmp, shared])
	contains(finding_for(findings, 1).msg, "writable by everyone (mode 1777); the sticky bit")
	contains(finding_for(findings, 2).msg, "writable by everyone (mode 777)")
	finding_for(findings, 2).vars.writable == true
}

test_fires_on_directory_owned_by_another_user if {
	other := object.union(entry(0, "/home/alice/bin"), {"owner_uid": 1001, "mode": 511, "world_writable": true})
	findings := rule.deny with input as with_entries([other])
	f := finding_for(findings, 0)
	contains(f.msg, "is owned by uid 1001")
	contains(f.msg, "is writable by everyone (mode 777); it is owned by uid 1001")
	f.vars.foreign_owner == true
	f.vars.user == "dev"
}

test_quiet_on_own_and_root_directories if {
	own := object.union(entry(0, "/home/dev/bin"), {"owner_uid": 1000})
	group_writable := object.union(entry(1, "/opt/team/bin"), {"mode": 1533})
	missing := object.union(entry(2, "/opt/gone/bin"), {"exists": false, "owner_uid": null, "mode": null})
	count(rule.deny) == 0 with input as with_entries([own, group_writable, missing, entry(3, "/usr/bin")])
}

test_quiet_when_uid_unknown if {
	other := object.union(entry(0, "/srv/bin"), {"owner_uid": 1001})
	inp := object.union(with_entries([other]), {"host": {"uid": null}})
	count(rule.deny) == 0 with input as inp
}

test_tilde_and_variables_are_left_to_go018 if {
	count(rule.deny) == 0 with input as with_entries([entry(0, "~/bin"), entry(1, "$HOME/go/bin")])
}

test_quiet_on_directories_owned_by_whoever_unpacked_the_image if {
	unpacked := object.union(entry(0, "/usr/bin"), {"owner_uid": 1001})
	inp := object.union(with_entries([unpacked]), {"host": {"root_owner_uid": 1001}})
	count(rule.deny) == 0 with input as inp
}

# A desktop session whose environment.d line puts a missing /tmp/tools/bin first.
creatable_entry := {
	"dir": "/tmp/tools/bin", "raw": "/tmp/tools/bin", "source": "environment.d",
	"file": "/home/dev/.config/environment.d/50-go.conf", "line": 1, "assumed": false, "programs": [],
	"dir_facts": {"exists": false, "owner_uid": null, "mode": null, "nearest_existing": {"path": "/tmp", "owner_uid": 0, "mode": 1023}},
}

system_entry := {"dir": "/usr/bin", "raw": "/usr/bin", "source": "default", "file": null, "line": null, "assumed": false, "programs": [], "dir_facts": {"exists": true, "owner_uid": 0, "mode": 493, "nearest_existing": null}}

with_desktop(entries) := object.union(base, {"shell": {"sessions": {"gui": {
	"description": "the desktop session (/etc/profile and ~/.profile read by login /bin/sh, non-interactive after environment.d)",
	"path": entries,
}}}})

test_fires_on_a_missing_directory_others_can_create_in_a_session if {
	findings := rule.deny with input as with_desktop([creatable_entry, system_entry])
	count(findings) == 1
	some finding in findings
	finding.location == {"file": "/home/dev/.config/environment.d/50-go.conf", "line": 1}
	contains(finding.msg, "/tmp/tools/bin, added by /home/dev/.config/environment.d/50-go.conf:1, does not exist, and /tmp above it is writable by everyone (mode 1777)")
	contains(finding.msg, "the desktop session (/etc/profile")
	contains(finding.msg, "(first, before every system directory)")
}

test_quiet_on_a_missing_directory_under_the_home if {
	own := object.union(creatable_entry, {"dir": "/home/dev/tools/bin", "dir_facts": object.union(creatable_entry.dir_facts, {"nearest_existing": {"path": "/home/dev", "owner_uid": 1000, "mode": 493}})})
	count(rule.deny) == 0 with input as with_desktop([own, system_entry])
}
