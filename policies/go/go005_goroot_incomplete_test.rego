package envgate.go.go005_goroot_incomplete_test

import data.envgate.go.go005_goroot_incomplete as rule
import rego.v1

complete := {
	"bin_go": true, "src_runtime": true, "compile": true, "version_file": true,
	"go_env_file": true, "source_checkout": false, "tool_dir": "pkg/tool/linux_amd64",
	"tool_platforms": ["linux_amd64"],
}

base := {
	"host": {"home": "/home/dev", "os": "linux", "arch": "amd64"},
	"path": {
		"entries": [{"index": 0, "raw": "/usr/bin"}, {"index": 1, "raw": "/usr/local/go/bin"}],
		"resolved": {"go": {"index": 0, "path": "/usr/bin/go"}},
	},
	"go": {
		"toolchains": [{"goroot": "/usr/lib/go-1.19", "path_index": 0, "shim": false, "snap": false}],
		"active": 0,
		"env": {"GOROOT": {"value": "/opt/go", "source": "env", "file": "/etc/environment", "line": 2}},
		"goroot": {"value": "/opt/go", "source": "env", "realpath": "/opt/go", "exists": true},
		"goroot_layout": object.union(complete, {"src_runtime": false, "compile": false}),
		"install_links": [],
	},
}

test_fires_for_an_explicit_goroot_missing_parts if {
	some finding in rule.deny with input as base
	finding.subject == "go.env.GOROOT"
	finding.vars.missing == ["pkg/tool/linux_amd64/compile", "src/runtime"]
	contains(finding.msg, "GOROOT /opt/go (set in /etc/environment:2) lacks pkg/tool/linux_amd64/compile, src/runtime")
	finding.vars.fix == "sudo rm -rf /opt/go && sudo tar -C /opt -xzf go*.linux-amd64.tar.gz   # the archive from https://go.dev/dl/"
}

test_derived_goroot_of_a_debian_package_gets_apt if {
	inp := object.union(base, {"go": {
		"env": {"GOROOT": {"value": "/usr/lib/go-1.19", "source": "toolchain"}},
		"goroot": {"value": "/usr/lib/go-1.19", "source": "toolchain", "realpath": "/usr/lib/go-1.19", "exists": true},
		"goroot_layout": object.union(complete, {"version_file": false}),
	}})
	some finding in rule.deny with input as inp
	contains(finding.msg, "(found from the go on PATH, /usr/bin/go) lacks VERSION")
	finding.vars.fix == "sudo apt-get install --reinstall golang-1.19-go"
}

test_quiet_for_a_complete_goroot if {
	inp := object.union(base, {"go": {"goroot_layout": complete}})
	count(rule.deny) == 0 with input as inp
}

test_quiet_for_a_source_checkout_without_version if {
	inp := object.union(base, {"go": {"goroot_layout": object.union(complete, {"version_file": false, "source_checkout": true})}})
	count(rule.deny) == 0 with input as inp
}

test_quiet_for_a_shim_or_snap_derived_goroot if {
	empty := object.union(complete, {"bin_go": false, "src_runtime": false, "compile": false, "version_file": false})
	for_shim := object.union(base, {"go": {
		"toolchains": [{"goroot": "/home/dev/.goenv/shims", "path_index": 0, "shim": true, "snap": false}],
		"goroot": {"value": "/home/dev/.goenv/shims", "source": "toolchain", "realpath": "/home/dev/.goenv/shims", "exists": true},
		"goroot_layout": empty,
	}})
	count(rule.deny) == 0 with input as for_shim
	for_snap := object.union(for_shim, {"go": {"toolchains": [{"goroot": "/snap/go/10535", "path_index": 0, "shim": false, "snap": true}]}})
	count(rule.deny) == 0 with input as for_snap
}

test_fires_for_a_dangling_install_link_on_path if {
	inp := object.union(base, {"go": {
		"goroot_layout": complete,
		"install_links": [
			{"path": "/usr/lib/go", "kind": "known-location", "path_index": null, "realpath": "/usr/lib/go-1.19", "error": null},
			{"path": "/usr/local/go", "kind": "known-location", "path_index": null, "realpath": null, "error": null},
		],
	}})
	findings := rule.deny with input as inp
	count(findings) == 1
	some finding in findings
	finding.subject == "go.install_links[1]"
	finding.vars.link == "/usr/local/go"
	finding.vars.sudo == "sudo "
	finding.msg == "/usr/local/go is a symbolic link that leads nowhere (its target does not exist); PATH entry 1 (/usr/local/go/bin) goes through it"
}

test_fires_for_a_dangling_go_in_a_path_entry if {
	inp := object.union(base, {"go": {
		"goroot_layout": complete,
		"install_links": [{"path": "/usr/bin/go", "kind": "path", "path_index": 0, "realpath": null, "error": "too many levels of symbolic links"}],
	}})
	some finding in rule.deny with input as inp
	finding.subject == "path.entries[0]"
	contains(finding.msg, "(too many levels of symbolic links); PATH entry 0 (/usr/bin) holds this `go`")
}

# --- Windows volumes -----------------------------------------------------------

windows_base := {
	"host": {"home": `C:\Users\dev`, "os": "windows", "arch": "amd64"},
	"path": {
		"entries": [{"index": 0, "raw": `C:\Program Files\Go\bin`}],
		"resolved": {"go": {"index": 0, "path": `C:\Program Files\Go\bin\go.exe`}},
	},
	"go": {
		"toolchains": [{"goroot": `C:\Program Files\Go`, "path_index": 0, "shim": false, "snap": false, "found_by": ["known-location", "path"]}],
		"active": 0,
		"env": {"GOROOT": {"value": `C:\Program Files\Go`, "source": "toolchain"}},
		"goroot": {"value": `C:\Program Files\Go`, "source": "toolchain", "exists": true},
		"goroot_layout": object.union(complete, {"src_runtime": false, "compile": false, "tool_dir": "pkg/tool/windows_amd64"}),
		"install_links": [],
	},
}

test_windows_names_the_missing_parts_the_windows_way if {
	some finding in rule.deny with input as windows_base
	finding.vars.missing == [`pkg\tool\windows_amd64\compile.exe`, `src\runtime`]
	finding.msg == concat("", [`GOROOT C:\Program Files\Go (found from the go on PATH, C:\Program Files\Go\bin\go.exe) lacks pkg\tool\windows_amd64\compile.exe, src\runtime, so it is not a complete Go installation: go commands fail with errors such as `, "`go: cannot find GOROOT directory` or `package runtime is not in std`"])
	startswith(finding.vars.fix, "winget uninstall --id GoLang.Go --exact; Remove-Item -Recurse -Force 'C:\\Program Files\\Go'; winget install --id GoLang.Go --exact")
}

test_windows_reinstalls_with_what_installed_go if {
	choco := object.union(windows_base, {"go": {"toolchains": [{"goroot": `C:\Program Files\Go`, "path_index": 0, "shim": false, "snap": false, "found_by": ["chocolatey", "known-location"]}]}})
	some c in rule.deny with input as choco
	c.vars.fix == "choco uninstall golang -y; choco install golang -y   # from an elevated PowerShell"
	sdk := object.union(windows_base, {"go": {
		"env": {"GOROOT": {"value": `C:\Users\dev\sdk\go1.22.5`, "source": "env", "file": `HKCU\Environment\GOROOT`}},
		"goroot": {"value": `C:\Users\dev\sdk\go1.22.5`, "source": "env", "exists": true},
	}})
	some s in rule.deny with input as sdk
	s.vars.fix == `Remove-Item -Recurse -Force 'C:\Users\dev\sdk\go1.22.5'; go1.22.5 download`
	contains(s.msg, `(set in HKCU\Environment\GOROOT)`)
	scoop := object.union(sdk, {"go": {"goroot": {"value": `C:\Users\dev\scoop\apps\go\current`}, "env": {"GOROOT": {"value": `C:\Users\dev\scoop\apps\go\current`}}}})
	some sc in rule.deny with input as scoop
	sc.vars.fix == "scoop uninstall go; scoop install go"
}

test_windows_quiet_for_a_complete_goroot if {
	inp := object.union(windows_base, {"go": {"goroot_layout": object.union(complete, {"tool_dir": "pkg/tool/windows_amd64"})}})
	count(rule.deny) == 0 with input as inp
}
