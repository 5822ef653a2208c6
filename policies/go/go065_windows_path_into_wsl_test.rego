package envgate.go.go065_windows_path_into_wsl_test

import data.envgate.go.go065_windows_path_into_wsl as rule
import rego.v1

entry(dir, wsl) := {"index": 2, "dir": dir, "raw": dir, "scope": "user", "origin": `HKCU\Environment\Path`, "wsl": wsl}

test_fires_on_a_wsl_share if {
	inp := {"host": {"os": "windows"}, "windows": {"path": [entry(`\\wsl$\Ubuntu\usr\local\go\bin`, true)]}}
	some finding in rule.deny with input as inp
	finding.location.file == `HKCU\Environment\Path`
	finding.vars.target == "User"
}

test_quiet_on_local_directories if {
	inp := {"host": {"os": "windows"}, "windows": {"path": [entry(`C:\Program Files\Go\bin`, false)]}}
	count(rule.deny) == 0 with input as inp
}
