package envgate.go.go043_pkg_config_missing_for_cgo_test

import data.envgate.go.go043_pkg_config_missing_for_cgo as rule
import rego.v1

pack := {"cgo_pkg_config_modules": {"github.com/gotk3/gotk3": ["gtk+-3.0", "glib-2.0"], "github.com/libgit2/git2go": ["libgit2"]}}

base := {
	"host": {"home": "/home/dev"},
	"go": {
		"env": {},
		"commands": {
			"CC": {"command": "gcc", "source": "default", "found": "/usr/bin/gcc"},
			"PKG_CONFIG": {"command": "pkg-config", "source": "default", "found": null},
		},
	},
	"workspace": {"go_mod": {"file": "/home/dev/app/go.mod", "requires": [
		{"path": "golang.org/x/sys", "version": "v0.20.0", "indirect": false, "line": 5},
		{"path": "github.com/libgit2/git2go/v34", "version": "v34.0.0", "indirect": false, "line": 6},
		{"path": "github.com/gotk3/gotk3", "version": "v0.6.3", "indirect": true, "line": 9},
	]}},
}

test_fires_when_pkg_config_is_missing if {
	findings := rule.deny with input as base with data.pack_data.go as pack
	count(findings) == 1
	some f in findings
	f.location == {"file": "/home/dev/app/go.mod", "line": 6}
	f.vars.modules == ["github.com/libgit2/git2go/v34", "github.com/gotk3/gotk3"]
	f.vars.packages == ["glib-2.0", "gtk+-3.0", "libgit2"]
	contains(f.msg, "go.mod requires github.com/libgit2/git2go/v34, github.com/gotk3/gotk3, whose cgo code runs pkg-config (for glib-2.0, gtk+-3.0, libgit2), but pkg-config is not installed or not on PATH")
	f.vars.explicit == false
}

test_names_an_explicit_pkg_config if {
	inp := object.union(base, {"go": {
		"env": {"PKG_CONFIG": {"value": "/opt/pc/bin/pkg-config", "source": "env", "file": "/etc/environment", "line": 2}},
		"commands": {"PKG_CONFIG": {"command": "/opt/pc/bin/pkg-config", "source": "env", "found": null}},
	}})
	some f in rule.deny with input as inp with data.pack_data.go as pack
	contains(f.msg, "pkg-config (PKG_CONFIG=/opt/pc/bin/pkg-config, set in /etc/environment:2) is not installed")
	f.vars.fix == `sudo sed -i '/^\s*\(export \)\?PKG_CONFIG=/d' /etc/environment`
}

test_quiet_when_pkg_config_is_found if {
	inp := object.union(base, {"go": {"commands": {"PKG_CONFIG": {"command": "pkg-config", "source": "default", "found": "/usr/bin/pkg-config"}}}})
	count(rule.deny) == 0 with input as inp with data.pack_data.go as pack
}

test_quiet_without_listed_modules_or_go_mod if {
	inp := object.union(base, {"workspace": {"go_mod": {"requires": [{"path": "github.com/gotk3/gotk3-extra", "version": "v1.0.0", "indirect": false, "line": 4}]}}})
	count(rule.deny) == 0 with input as inp with data.pack_data.go as pack
	count(rule.deny) == 0 with input as object.union(base, {"workspace": {"go_mod": null}}) with data.pack_data.go as pack
}

test_quiet_when_cgo_is_off if {
	off := object.union(base, {"go": {"env": {"CGO_ENABLED": {"value": "0", "source": "env", "file": null, "line": null}}}})
	count(rule.deny) == 0 with input as off with data.pack_data.go as pack
	no_cc := object.union(base, {"go": {"commands": {"CC": {"command": "gcc", "source": "default", "found": null}}}})
	count(rule.deny) == 0 with input as no_cc with data.pack_data.go as pack
}

windows_base := object.union(base, {
	"host": {"home": `C:\Users\dev`, "os": "windows", "arch": "amd64"},
	"go": {"commands": {"CC": {"command": "gcc", "source": "default", "found": `C:\msys64\ucrt64\bin\gcc.exe`}}},
	"workspace": {"go_mod": {"file": `C:\Users\dev\app\go.mod`}},
})

test_windows_fires_when_msys2_has_gcc_but_no_pkg_config if {
	findings := rule.deny with input as windows_base with data.pack_data.go as pack
	count(findings) == 1
	some f in findings
	f.location == {"file": `C:\Users\dev\app\go.mod`, "line": 6}
	f.vars.explicit == false
	endswith(f.msg, "but pkg-config is not installed or not on Path: the build fails with `exec: \"pkg-config\": executable file not found in %PATH%`")
}

test_linux_quotes_go_s_unix_error if {
	some f in rule.deny with input as base with data.pack_data.go as pack
	endswith(f.msg, "but pkg-config is not installed or not on PATH: the build fails with `exec: \"pkg-config\": executable file not found in $PATH`")
}

test_the_program_is_the_first_field_of_pkg_config if {
	inp := object.union(base, {"go": {
		"env": {"PKG_CONFIG": {"value": "pkg-config --static", "source": "env", "file": "/etc/environment", "line": 2}},
		"commands": {"PKG_CONFIG": {"command": "pkg-config --static", "source": "env", "args": ["pkg-config", "--static"], "found": null}},
	}})
	some f in rule.deny with input as inp with data.pack_data.go as pack
	contains(f.msg, "pkg-config (PKG_CONFIG=pkg-config --static, set in /etc/environment:2) is not installed")
	endswith(f.msg, "`exec: \"pkg-config\": executable file not found in $PATH`")
}

test_windows_pkg_config_set_in_the_registry_is_removed_with_powershell if {
	inp := object.union(windows_base, {"go": {
		"env": {"PKG_CONFIG": {"value": "pkgconf", "source": "env", "file": `HKCU\Environment\PKG_CONFIG`}},
		"commands": {"PKG_CONFIG": {"command": "pkgconf", "source": "env", "found": null}},
	}})
	some f in rule.deny with input as inp with data.pack_data.go as pack
	contains(f.msg, `pkg-config (PKG_CONFIG=pkgconf, set in HKCU\Environment\PKG_CONFIG) is not installed`)
	f.vars.fix == "[Environment]::SetEnvironmentVariable('PKG_CONFIG', $null, 'User')"
}

test_windows_quiet_when_cgo_is_off_without_a_compiler if {
	inp := object.union(windows_base, {"go": {"commands": {"CC": {"found": null}}}})
	count(rule.deny) == 0 with input as inp with data.pack_data.go as pack
}

test_a_pkg_config_path_is_a_missing_file if {
	inp := object.union(base, {"go": {
		"env": {"PKG_CONFIG": {"value": "/opt/pkgconf/bin/pkg-config", "source": "env", "file": "/etc/environment", "line": 2}},
		"commands": {"PKG_CONFIG": {"command": "/opt/pkgconf/bin/pkg-config", "source": "env", "args": ["/opt/pkgconf/bin/pkg-config"], "found": null}},
	}})
	some f in rule.deny with input as inp with data.pack_data.go as pack
	endswith(f.msg, "the build fails with `/opt/pkgconf/bin/pkg-config: no such file or directory`")
}

test_windows_a_pkg_config_path_is_quoted_as_go_quotes_it if {
	inp := object.union(windows_base, {"go": {
		"env": {"PKG_CONFIG": {"value": `C:\msys64\ucrt64\bin\pkg-config.exe`, "source": "env", "file": `HKCU\Environment\PKG_CONFIG`}},
		"commands": {"PKG_CONFIG": {"command": `C:\msys64\ucrt64\bin\pkg-config.exe`, "source": "env", "args": [`C:\msys64\ucrt64\bin\pkg-config.exe`], "found": null}},
	}})
	some f in rule.deny with input as inp with data.pack_data.go as pack
	endswith(f.msg, concat("", ["the build fails with `", `exec: "C:\\msys64\\ucrt64\\bin\\pkg-config.exe": file does not exist`, "`"]))
}
