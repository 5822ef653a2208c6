package envgate.go.go012_windows_go_in_wsl_test

import data.envgate.go.go012_windows_go_in_wsl as rule
import rego.v1

windows_go := {"path_index": 0, "path": "/mnt/c/Program Files/Go/bin/go.exe", "go_version": "go1.22.0", "os": "windows", "arch": "amd64"}

base := {
	"host": {"home": "/home/dev", "arch": "amd64", "wsl": true},
	"path": {
		"entries": [{"index": 0, "raw": "/mnt/c/Program Files/Go/bin"}, {"index": 1, "raw": "/usr/bin"}],
		"resolved": {"go": {"index": 1, "path": "/usr/bin/go"}},
	},
	"env_origin": {"PATH": {"file": "/etc/environment", "line": 1}},
	"go": {"wsl": {
		"conf_file": "/etc/wsl.conf", "conf_exists": true, "interop_line": 4,
		"append_windows_path": {"value": "true", "enabled": true, "line": 5},
		"interop_enabled": null,
		"windows_go": [windows_go],
	}},
}

test_fires_when_windows_go_comes_first if {
	some finding in rule.deny with input as base
	finding.subject == "path.entries[0]"
	finding.msg == "PATH entry 0 (/mnt/c/Program Files/Go/bin) holds the Windows Go (go1.22.0, windows/amd64), ahead of the Linux go in PATH entry 1 (/usr/bin); /etc/wsl.conf:5 sets appendWindowsPath = true"
	finding.vars.append_on == true
	finding.vars.conf_fix == "sudo sed -i '5s/.*/appendWindowsPath = false/' /etc/wsl.conf"
}

test_default_with_interop_section if {
	inp := object.union(base, {"go": {"wsl": {"append_windows_path": null}}})
	some finding in rule.deny with input as inp
	contains(finding.msg, "/etc/wsl.conf does not set appendWindowsPath, so WSL appends the Windows PATH (its default)")
	finding.vars.conf_fix == "sudo sed -i '4a appendWindowsPath = false' /etc/wsl.conf"
}

test_no_linux_go_and_no_wsl_conf if {
	inp := object.union(json.remove(base, ["path/resolved/go"]), {
		"go": {"wsl": {"conf_exists": false, "interop_line": null, "append_windows_path": null}},
	})
	some finding in rule.deny with input as inp
	contains(finding.msg, "and there is no Linux go on PATH at all; there is no /etc/wsl.conf")
	startswith(finding.vars.conf_fix, "printf '[interop]")
}

test_appending_off_leaves_only_the_path_entry_to_fix if {
	inp := object.union(base, {"go": {"wsl": {"append_windows_path": {"value": "false", "enabled": false, "line": 5}}}})
	some finding in rule.deny with input as inp
	finding.vars.append_on == false
	finding.subject == "path.entries[0]"
}

test_quiet_without_windows_go if {
	count(rule.deny) == 0 with input as object.union(base, {"go": {"wsl": {"windows_go": []}}})
}

# An image: the Windows PATH is appended at run time, so no PATH entry shows the
# Windows Go; its install where the MSI puts it is what sessions would reach.
installed := {"dir": "/mnt/c/Program Files/Go/bin", "path": "/mnt/c/Program Files/Go/bin/go.exe", "go_version": "go1.26.2", "os": "windows", "arch": "amd64"}

image := object.union(base, {
	"mode": "image",
	"path": {
		"entries": [{"index": 0, "raw": "/usr/local/go/bin"}],
		"resolved": {"go": {"index": 0, "path": "/usr/local/go/bin/go"}},
	},
	"go": {"wsl": {"windows_go": [], "windows_installs": [installed], "append_windows_path": null}},
})

test_image_reports_an_install_the_appended_windows_path_reaches if {
	[finding] := [f | some f in rule.deny] with input as image
	finding.subject == "go.wsl.windows_installs"
	finding.msg == "/mnt/c/Program Files/Go/bin/go.exe is a Windows Go (go1.26.2, windows/amd64) where its installer puts it on the Windows PATH, which WSL appends to every session of this image: it comes after the Linux go in PATH entry 0 (/usr/local/go/bin), but tools that look for go.exe still find it; /etc/wsl.conf does not set appendWindowsPath, so WSL appends the Windows PATH (its default)"
	finding.location == {"file": "/etc/wsl.conf", "line": 4}
	finding.vars.appended == true
	finding.vars.conf_fix == "sudo sed -i '4a appendWindowsPath = false' /etc/wsl.conf"
}

test_image_quiet_when_appending_is_off if {
	off := object.union(image, {"go": {"wsl": {"append_windows_path": {"value": "false", "enabled": false, "line": 5}}}})
	count(rule.deny) == 0 with input as off
}

test_live_mode_judges_only_the_path_it_has if {
	live := object.union(image, {"mode": "live"})
	count(rule.deny) == 0 with input as live
}

test_image_path_entry_wins_over_the_install if {
	both := object.union(image, {"go": {"wsl": {"windows_go": [windows_go]}}})
	findings := [f | some f in rule.deny] with input as both
	count(findings) == 1
	findings[0].subject == "path.entries[0]"
}
