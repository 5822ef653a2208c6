package envgate.go.go071_windows_go_appended_into_wsl_test

import data.envgate.go.go071_windows_go_appended_into_wsl as rule
import rego.v1

go_on_path := {
	"host": {"os": "windows"},
	"path": {"entries": [{"index": 0, "programs": []}, {"index": 1, "programs": ["go", "gofmt"]}]},
	"windows": {"path": [
		{"index": 0, "dir": `C:\Windows\system32`},
		{"index": 1, "dir": `C:\Program Files\Go\bin`},
	]},
}

distro(extra) := object.union({"name": "Ubuntu", "origin": `HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss\{1}`, "state": "read", "linux_go": []}, extra)

with_wsl(ds) := object.union(go_on_path, {"windows": {"path": go_on_path.windows.path, "wsl": ds}})

test_fires_with_wsl_defaults_at_the_registry_key if {
	some finding in rule.deny with input as with_wsl([distro({})])
	finding.location.file == `HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss\{1}`
	finding.vars.mounted == "/mnt/c/Program Files/Go/bin"
	contains(finding.msg, "has no Go of its own")
}

test_fires_at_the_wsl_conf_line_when_written_true if {
	d := distro({"append_windows_path": {"value": "true", "enabled": true, "line": 2}, "linux_go": ["/usr/local/go/bin/go"]})
	some finding in rule.deny with input as with_wsl([d])
	finding.location == {"file": `\\wsl$\Ubuntu\etc\wsl.conf`, "line": 2}
	contains(finding.msg, "after its own /usr/local/go/bin/go")
}

test_quiet_when_append_is_off if {
	d := distro({"append_windows_path": {"value": "false", "enabled": false, "line": 2}})
	count(rule.deny) == 0 with input as with_wsl([d])
}

test_quiet_when_interop_is_off if {
	d := distro({"interop_enabled": {"value": "false", "enabled": false, "line": 2}})
	count(rule.deny) == 0 with input as with_wsl([d])
}

test_quiet_when_the_disk_was_not_read if {
	count(rule.deny) == 0 with input as with_wsl([distro({"state": "missing"})])
}

test_quiet_without_a_windows_go_on_path if {
	inp := object.union(with_wsl([distro({})]), {"path": {"entries": [{"index": 0, "programs": []}, {"index": 1, "programs": []}]}})
	count(rule.deny) == 0 with input as inp
}
