package envgate.go.go003_goroot_disagrees_with_path_test

import data.envgate.go.go003_goroot_disagrees_with_path as rule
import rego.v1

base := {
	"host": {"home": "/home/dev", "login_shell": "/bin/bash"},
	"path": {"resolved": {"go": {"index": 3, "path": "/usr/bin/go", "realpath": "/usr/lib/go-1.19/bin/go"}}},
	"go": {
		"toolchains": [{"goroot": "/usr/lib/go-1.19", "version": "go1.19.8", "path_index": 3}],
		"active": 0,
		"env": {"GOROOT": {"value": "/usr/local/go", "source": "env", "file": "/etc/environment", "line": 2}},
		"goroot": {"value": "/usr/local/go", "source": "env", "realpath": "/usr/local/go", "exists": true, "version_file": "go1.22.1"},
	},
}

test_fires_when_goroot_is_another_install if {
	some finding in rule.deny with input as base
	finding.subject == "go.env.GOROOT"
	finding.vars.active_goroot == "/usr/lib/go-1.19"
	finding.vars.fix == `sudo sed -i '/^\s*\(export \)\?GOROOT=/d' /etc/environment`
	contains(finding.msg, "set in the environment to /usr/local/go (go1.22.1) but the go on PATH, /usr/bin/go, belongs to /usr/lib/go-1.19 (go1.19.8)")
	contains(finding.msg, `compile: version "go1.22.1" does not match go tool version "go1.19.8"`)
}

test_fires_when_goroot_does_not_exist if {
	inp := object.union(base, {"go": {
		"env": {"GOROOT": {"value": "/opt/go", "source": "goenv", "file": "/home/dev/.config/go/env", "line": 1}},
		"goroot": {"value": "/opt/go", "source": "goenv", "realpath": null, "exists": false, "version_file": null},
	}})
	some finding in rule.deny with input as inp
	contains(finding.msg, "with `go env -w` to /opt/go, which does not exist")
	finding.vars.fix == `sed -i '/^\s*\(export \)\?GOROOT=/d' /home/dev/.config/go/env`
}

test_live_environment_gets_an_unset_hint if {
	inp := object.union(base, {"go": {"env": {"GOROOT": {"value": "/usr/local/go", "source": "env", "file": null, "line": null}}}})
	some finding in rule.deny with input as inp
	startswith(finding.vars.fix, "unset GOROOT")
}

test_quiet_when_goroot_resolves_to_the_active_root if {
	inp := object.union(base, {"go": {"goroot": {"value": "/usr/lib/go", "source": "env", "realpath": "/usr/lib/go-1.19", "exists": true, "version_file": "go1.19.8"}}})
	count(rule.deny) == 0 with input as inp
}

test_quiet_when_goroot_is_derived if {
	inp := object.union(base, {"go": {"goroot": {"value": "/usr/lib/go-1.19", "source": "toolchain", "realpath": "/usr/lib/go-1.19", "exists": true, "version_file": "go1.19.8"}}})
	count(rule.deny) == 0 with input as inp
}

test_quiet_without_go_on_path if {
	inp := object.union(base, {"go": {"active": null}})
	count(rule.deny) == 0 with input as inp
}

test_quiet_when_the_go_on_path_is_a_shim if {
	inp := object.union(base, {"go": {"toolchains": [{"goroot": "/home/dev/.goenv/shims", "version": null, "path_index": 3, "shim": true}]}})
	count(rule.deny) == 0 with input as inp
}

windows_input(goroot_value, realpath) := {
	"host": {"os": "windows", "home": `C:\Users\dev`},
	"path": {"resolved": {"go": {"index": 0, "path": `C:\Program Files\Go\bin\go.exe`}}},
	"go": {
		"toolchains": [{"goroot": `C:\Program Files\Go`, "version": "go1.27.1", "shim": false}],
		"active": 0,
		"env": {"GOROOT": {"value": goroot_value, "source": "env", "file": `HKCU\Environment\GOROOT`}},
		"goroot": {"value": goroot_value, "source": "env", "realpath": realpath, "exists": true, "version_file": "go1.21.0"},
	},
}

test_windows_goroot_elsewhere_is_unset_with_powershell if {
	some finding in rule.deny with input as windows_input(`C:\Go`, `C:\Go`)
	finding.vars.fix == "[Environment]::SetEnvironmentVariable('GOROOT', $null, 'User')"
	finding.fix == []
}

test_windows_goroot_in_another_case_agrees if {
	count(rule.deny) == 0 with input as windows_input(`c:\program files\go`, `C:\PROGRAM FILES\Go`)
}

test_windows_goroot_in_the_goenv_file_is_unset_there if {
	# %APPDATA%\go\env is a file of the volume: `envgate fix --root` edits it.
	inp := object.union(windows_input(`C:\Go`, `C:\Go`), {"go": {
		"env": {"GOROOT": {"value": `C:\Go`, "source": "goenv", "file": `C:\Users\dev\AppData\Roaming\go\env`, "line": 1}},
		"goenv_file": {"path": `C:\Users\dev\AppData\Roaming\go\env`},
	}})
	some finding in rule.deny with input as inp
	finding.fix == [{"kind": "go_env_unset", "file": `C:\Users\dev\AppData\Roaming\go\env`, "key": "GOROOT", "safe": false}]
}
