package envgate.go.go070_windows_defender_scans_go_dirs_test

import data.envgate.go.go070_windows_defender_scans_go_dirs as rule
import rego.v1

local_paths := `HKLM\SOFTWARE\Microsoft\Windows Defender\Exclusions\Paths`

dir(name, path, by) := {"name": name, "dir": path, "excluded_by": by, "user_variable_exclusion": null}

dirs := [
	dir("GOCACHE", `C:\Users\dev\AppData\Local\go-build`, null),
	dir("GOMODCACHE", `C:\Users\dev\go\pkg\mod`, null),
	dir("GOBIN", `C:\Users\dev\go\bin`, null),
]

inp(defender) := {
	"host": {"os": "windows"},
	"go": {"toolchains": [{"goroot": `C:\Program Files\Go`}]},
	"windows": {"defender": defender},
}

on(go_dirs) := {"realtime_protection": true, "realtime_origin": null, "local_exclusions_ignored": null, "exclusions": [], "go_dirs": go_dirs}

test_fires_with_every_missing_dir_in_order if {
	k := local_paths
	d := dirs
	some finding in rule.deny with input as inp(on(d))
	finding.location.file == k
	finding.vars.missing == [`C:\Users\dev\AppData\Local\go-build`, `C:\Users\dev\go\pkg\mod`, `C:\Users\dev\go\bin`]
	finding.vars.quoted == `'C:\Users\dev\AppData\Local\go-build','C:\Users\dev\go\pkg\mod','C:\Users\dev\go\bin'`
	contains(finding.msg, "on by Windows' default")
}

test_names_only_the_dirs_not_covered if {
	d := [dirs[0], dir("GOMODCACHE", `C:\Users\dev\go\pkg\mod`, `HKLM\x\C:\Users\dev`), dir("GOBIN", `C:\Users\dev\go\bin`, `HKLM\x\C:\Users\dev`)]
	some finding in rule.deny with input as inp(on(d))
	finding.vars.missing == [`C:\Users\dev\AppData\Local\go-build`]
	finding.vars.names == ["GOCACHE"]
}

test_says_a_user_variable_exclusion_names_another_folder if {
	d := [object.union(dirs[0], {"user_variable_exclusion": `HKLM\x\%LOCALAPPDATA%\go-build`})]
	some finding in rule.deny with input as inp(on(d))
	finding.vars.user_variable_exclusions == [`HKLM\x\%LOCALAPPDATA%\go-build`]
	contains(finding.msg, "SYSTEM account")
}

test_policy_key_when_local_exclusions_are_ignored if {
	d := object.union(on(dirs), {"local_exclusions_ignored": `HKLM\SOFTWARE\Policies\Microsoft\Windows Defender\DisableLocalAdminMerge`})
	some finding in rule.deny with input as inp(d)
	finding.location.file == `HKLM\SOFTWARE\Policies\Microsoft\Windows Defender\Exclusions\Paths`
}

test_quiet_when_every_dir_is_excluded if {
	d := [dir("GOCACHE", `C:\c`, "k1"), dir("GOMODCACHE", `C:\m`, "k2"), dir("GOBIN", `C:\b`, "k2")]
	count(rule.deny) == 0 with input as inp(on(d))
}

test_quiet_when_protection_is_off if {
	d := object.union(on(dirs), {"realtime_protection": false})
	count(rule.deny) == 0 with input as inp(d)
}

test_quiet_without_defender_facts_or_go if {
	count(rule.deny) == 0 with input as {"host": {"os": "windows"}, "go": {"toolchains": [{}]}, "windows": {}}
	d := on(dirs)
	count(rule.deny) == 0 with input as {"host": {"os": "windows"}, "go": {"toolchains": []}, "windows": {"defender": d}}
}
