package envgate.go.go061_windows_msi_path_missing_test

import data.envgate.go.go061_windows_msi_path_missing as rule
import rego.v1

msi := {"goroot": `C:\Program Files\Go`, "version": "go1.23.4", "layout": {"bin_go": true}}

base := {
	"host": {"os": "windows", "arch": "amd64"},
	"go": {"toolchains": [msi]},
	"windows": {"path": [{"dir": `C:\Windows\system32`}]},
}

test_fires_when_the_msi_bin_is_on_no_registry_path if {
	some finding in rule.deny with input as base
	finding.vars.dir == `C:\Program Files\Go\bin`
	finding.location.file == `HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment\Path`
	contains(finding.msg, "(go1.23.4)")
}

test_quiet_when_the_user_path_holds_it_in_another_case if {
	inp := object.union(base, {"windows": {"path": [{"dir": `c:\program files\go\BIN\`}]}})
	count(rule.deny) == 0 with input as inp
}

test_quiet_on_linux if {
	inp := object.union(base, {"host": {"os": "linux"}})
	count(rule.deny) == 0 with input as inp
}
