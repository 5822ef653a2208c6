package envgate.go.go018_unexpanded_path_values_test

import data.envgate.go.go018_unexpanded_path_values as rule
import rego.v1

entry(i, raw, tilde) := {"index": i, "raw": raw, "tilde": tilde}

base := {
	"host": {"home": "/home/dev"},
	"env_origin": {"PATH": {"file": "/etc/environment", "line": 1}},
	"path": {"entries": [entry(0, "/usr/bin", false), entry(1, "/bin", false)]},
	"go": {"env": {"GOPATH": {"value": "/home/dev/go", "source": "default", "file": null, "line": null}}},
}

test_fires_on_tilde_path_entry if {
	inp := object.union(base, {"path": {"entries": [entry(0, "/usr/bin", false), entry(1, "~/go/bin", true)]}})
	findings := rule.deny with input as inp
	count(findings) == 1
	some finding in findings
	finding.subject == "path.entries[1]"
	finding.vars.fixed == "/home/dev/go/bin"
	contains(finding.msg, "PATH entry 1 is the literal text ~/go/bin")
}

test_fires_on_unexpanded_variable_in_path if {
	inp := object.union(base, {"path": {"entries": [entry(0, "${HOME}/bin", false), entry(1, "$GOPATH/bin", false)]}})
	findings := rule.deny with input as inp
	{f.vars.fixed | some f in findings} == {"/home/dev/bin", ""}
	some f in findings
	f.subject == "path.entries[1]"
	contains(f.msg, "unexpanded variable")
}

test_fires_on_each_bad_gopath_entry if {
	inp := object.union(base, {"go": {"env": {"GOPATH": {"value": "~/go:/srv/go:work/go", "source": "env", "file": "/home/dev/.config/environment.d/go.conf", "line": 2}}}})
	findings := rule.deny with input as inp
	count(findings) == 2
	some tilde in findings
	tilde.vars.value == "~/go"
	tilde.vars.fixed == "/home/dev/go"
	tilde.subject == "go.env.GOPATH"
	contains(tilde.msg, "GOPATH entry cannot start with shell metacharacter '~'")
	some relative in findings
	relative.vars.value == "work/go"
	contains(relative.msg, "GOPATH entry is relative; must be absolute path")
}

test_fires_on_relative_gobin if {
	inp := object.union(base, {"go": {"env": {"GOBIN": {"value": "$HOME/bin", "source": "goenv", "file": "/home/dev/.config/go/env", "line": 1}}}})
	some finding in rule.deny with input as inp
	finding.subject == "go.env.GOBIN"
	finding.vars.fixed == "/home/dev/bin"
	contains(finding.msg, "GOBIN must be an absolute path")
}

test_quiet_on_absolute_values if {
	inp := object.union(base, {"go": {"env": {
		"GOPATH": {"value": "/home/dev/go:/srv/go", "source": "env"},
		"GOBIN": {"value": "/home/dev/bin", "source": "env"},
	}}})
	count(rule.deny) == 0 with input as inp
}

test_other_relative_path_entries_are_left_to_go019 if {
	inp := object.union(base, {"path": {"entries": [entry(0, "bin", false), entry(1, ".", false), entry(2, "", false)]}})
	count(rule.deny) == 0 with input as inp
}

windows_input(path_raw, gopath) := {
	"host": {"os": "windows", "home": `C:\Users\dev`},
	"path": {"entries": [{"index": 0, "raw": path_raw, "tilde": false}]},
	"go": {"env": {"GOPATH": {"value": gopath, "source": "env"}}},
}

test_windows_paths_with_dollar_signs_and_drive_letters_are_fine if {
	count(rule.deny) == 0 with input as windows_input(`\\wsl$\Ubuntu\bin`, `C:\Users\dev\go;D:\work`)
}

test_windows_unexpanded_references_fire if {
	findings := rule.deny with input as windows_input(`%USERPROFILE%\go\bin`, `%USERPROFILE%\go`)
	count(findings) == 2
	some f in findings
	contains(f.msg, "%VARIABLE% the session does not have")
}

test_windows_relative_gopath_fires if {
	some f in rule.deny with input as windows_input(`C:\Windows`, `go`)
	contains(f.msg, "is relative")
}
