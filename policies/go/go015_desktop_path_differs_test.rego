package envgate.go.go015_desktop_path_differs_test

import data.envgate.go.go015_desktop_path_differs as rule
import rego.v1

entry(dir, source, file, line, programs) := {"dir": dir, "raw": dir, "source": source, "file": file, "line": line, "assumed": false, "programs": programs}

login := {
	"path": [
		entry("/usr/bin", "default", null, null, []),
		entry("/usr/local/go/bin", "pam_env", "/etc/environment", 1, ["go", "gofmt"]),
	],
	"resolved": {"go": {"index": 1, "dir": "/usr/local/go/bin", "realpath": "/usr/local/go/bin/go"}},
}

# environment.d replaced PATH without $PATH, dropping /usr/local/go/bin.
gui := {
	"path": [entry("/usr/bin", "environment.d", "/home/dev/.config/environment.d/path.conf", 1, [])],
	"resolved": {},
	"path_set_at": {"file": "/home/dev/.config/environment.d/path.conf", "line": 1},
}

base := {
	"mode": "image",
	"host": {"home": "/home/dev"},
	"go": {"tools_dir": {"path": "/home/dev/go/bin", "source": "GOPATH", "exists": false, "programs": []}},
	"shell": {"sessions": {"login": login, "gui": gui}},
}

test_fires_where_the_desktop_loses_go if {
	findings := rule.deny with input as base
	count(findings) == 1
	some finding in findings
	finding.location == {"file": "/home/dev/.config/environment.d/path.conf", "line": 1}
	finding.vars.programs == ["go"]
	finding.vars.line == "PATH=$PATH:/usr/local/go/bin"
	contains(finding.msg, "go → not found")
}

test_fires_for_a_different_go if {
	other := object.union(gui, {
		"path": [entry("/usr/bin", "default", null, null, ["go"])],
		"resolved": {"go": {"index": 0, "dir": "/usr/bin", "realpath": "/usr/lib/go-1.19/bin/go"}},
		"path_set_at": null,
	})
	findings := rule.deny with input as object.union(base, {"shell": {"sessions": {"gui": other}}})
	some finding in findings
	finding.vars.line == "PATH=/usr/local/go/bin:$PATH"
	contains(finding.msg, "go → /usr/bin/go")
	finding.subject == "path"
}

test_quiet_for_the_same_program_through_another_directory if {
	same := object.union(gui, {
		"path": [entry("/bin", "default", null, null, ["go"])],
		"resolved": {"go": {"index": 0, "dir": "/bin", "realpath": "/usr/local/go/bin/go"}},
	})
	count(rule.deny) == 0 with input as object.union(base, {"shell": {"sessions": {"gui": same}}})
}

test_quiet_when_the_desktop_path_is_partly_unknown if {
	unknown := object.union(gui, {"path": [entry(null, "shell", "/home/dev/.profile", 3, [])]})
	count(rule.deny) == 0 with input as object.union(base, {"shell": {"sessions": {"gui": unknown}}})
}

test_tools_dir_on_login_path_only if {
	with_tools := object.union(login, {"path": array.concat(login.path, [entry("/home/dev/go/bin", "shell", "/home/dev/.bash_profile", 4, [])])})
	same_go := object.union(gui, {
		"path": [entry("/usr/local/go/bin", "pam_env", "/etc/environment", 1, ["go"])],
		"resolved": {"go": {"index": 0, "dir": "/usr/local/go/bin", "realpath": "/usr/local/go/bin/go"}},
	})
	inp := object.union(base, {
		"go": {"tools_dir": {"path": "/home/dev/go/bin", "source": "GOPATH", "exists": true, "programs": ["staticcheck"]}},
		"shell": {"sessions": {"login": with_tools, "gui": same_go}},
	})
	findings := rule.deny with input as inp
	count(findings) == 1
	some finding in findings
	finding.location == {"file": "/home/dev/.bash_profile", "line": 4}
	contains(finding.msg, "staticcheck")
}

# gvm's installer line moved to ~/.profile: bash login shells run it, the desktop's dash
# does not. GO010 reports that line; the directories gvm's activation adds are not
# reported again here, at the file gvm generates.
gvm_login := {
	"path": [
		entry("/home/dev/.gvm/gos/go1.26.4/bin", "shell", "/home/dev/.gvm/environments/default", 7, ["go", "gofmt"]),
		entry("/usr/bin", "default", null, null, []),
	],
	"resolved": {"go": {"index": 0, "dir": "/home/dev/.gvm/gos/go1.26.4/bin", "realpath": "/home/dev/.gvm/gos/go1.26.4/bin/go"}},
	"activations": [{"manager": "gvm", "file": "/home/dev/.profile", "line": 28, "reads": ["/home/dev/.gvm/environments/default"]}],
}

gvm_gui := {
	"path": [entry("/usr/bin", "default", null, null, [])],
	"resolved": {},
	"activations": [],
	"unsupported": [{"file": "/home/dev/.profile", "line": 28, "command": "[[", "effect": "not-found"}],
}

gvm_base := object.union(base, {"shell": {
	"installed_managers": [{"name": "gvm", "path": "/home/dev/.gvm/scripts/gvm", "shims_dir": "/home/dev/.gvm/bin"}],
	"files": [{"path": "/home/dev/.profile", "activations": [{"manager": "gvm", "line": 28, "text": "source ~/.gvm/scripts/gvm"}]}],
	"sessions": {"login": gvm_login, "gui": gvm_gui},
}})

test_quiet_for_what_a_manager_go010_reports_adds if {
	count(rule.deny) == 0 with input as gvm_base
}

test_fires_for_what_a_manager_adds_when_go010_is_quiet if {
	# The failing line is no activation GO010 knows of: this rule reports the loss.
	inp := object.union(gvm_base, {"shell": {"files": [{"path": "/home/dev/.profile", "activations": []}]}})
	findings := rule.deny with input as inp
	count(findings) == 1
	some finding in findings
	finding.vars.programs == ["go"]
}
