package envgate.go.go006_mixed_version_goroot_test

import data.envgate.go.go006_mixed_version_goroot as rule
import rego.v1

program(part, version) := {"part": part, "path": sprintf("/usr/local/go/%s", [part]), "exists": true, "go_version": version}

toolchain(version_file, go, gofmt, compile) := {
	"goroot": "/usr/local/go",
	"version_file": version_file,
	"programs": [
		program("bin/go", go),
		program("bin/gofmt", gofmt),
		program("pkg/tool/linux_amd64/compile", compile),
	],
}

inp(t) := {"host": {"home": "/home/dev", "os": "linux", "arch": "amd64"}, "go": {"toolchains": [t]}}

test_fires_for_a_new_release_over_an_old_tree if {
	t := toolchain("go1.20.2", "go1.20.2", "go1.20.2", "go1.19.4")
	some finding in rule.deny with input as inp(t)
	finding.location == {"file": "/usr/local/go/VERSION", "line": 1}
	finding.vars.versions["pkg/tool/linux_amd64/compile"] == "go1.19.4"
	contains(finding.msg, "/usr/local/go mixes Go releases (VERSION is go1.20.2, bin/go is go1.20.2, bin/gofmt is go1.20.2, pkg/tool/linux_amd64/compile is go1.19.4)")
	contains(finding.msg, "`compile: version \"go1.19.4\" does not match go tool version \"go1.20.2\"`")
	startswith(finding.vars.fix, "sudo rm -rf /usr/local/go && sudo tar -C /usr/local -xzf go*.linux-amd64.tar.gz")
}

test_fires_without_version_file_when_programs_disagree if {
	t := toolchain(null, "go1.22.1", "go1.21.0", null)
	some finding in rule.deny with input as inp(t)
	not finding.location
	finding.subject == "go.toolchains[0]"
	contains(finding.msg, "old standard library or tools")
}

test_quiet_when_all_parts_agree if {
	t := toolchain("go1.22.5", "go1.22.5 X:boringcrypto", "go1.22.5", "go1.22.5")
	count(rule.deny) == 0 with input as inp(t)
}

test_quiet_for_devel_builds_and_missing_parts if {
	t := toolchain(null, "devel go1.24-abcdef Tue", "go1.23.0", null)
	count(rule.deny) == 0 with input as inp(t)
	count(rule.deny) == 0 with input as inp({"goroot": "/home/dev/.goenv/shims", "version_file": null, "programs": []})
}

test_windows_msi_over_an_older_tree_is_located_at_its_version_file if {
	inp := {
		"host": {"os": "windows", "arch": "amd64", "home": `C:\Users\dev`},
		"go": {"toolchains": [{
			"goroot": `C:\Program Files\Go`,
			"found_by": ["known-location"],
			"version_file": "go1.26.2",
			"programs": [
				{"part": "bin/go.exe", "go_version": "go1.26.2"},
				{"part": "bin/gofmt.exe", "go_version": "go1.26.2"},
				{"part": "pkg/tool/windows_amd64/compile.exe", "go_version": "go1.25.7"},
			],
		}]},
	}
	some finding in rule.deny with input as inp
	finding.location == {"file": `C:\Program Files\Go\VERSION`, "line": 1}
	contains(finding.msg, "`compile: version \"go1.25.7\" does not match go tool version \"go1.26.2\"`")
	startswith(finding.vars.fix, "winget uninstall --id GoLang.Go")
}

test_windows_one_release_is_quiet if {
	inp := {
		"host": {"os": "windows", "arch": "amd64"},
		"go": {"toolchains": [{
			"goroot": `C:\Go`,
			"version_file": "go1.26.2",
			"programs": [{"part": "bin/go.exe", "go_version": "go1.26.2"}, {"part": "pkg/tool/windows_amd64/compile.exe", "go_version": "go1.26.2"}],
		}]},
	}
	count(rule.deny) == 0 with input as inp
}
