package envgate.go.go014_tools_only_in_interactive_shells_test

import data.envgate.go.go014_tools_only_in_interactive_shells as rule
import rego.v1

entry(dir, file, line) := {"dir": dir, "raw": dir, "source": "shell", "file": file, "line": line, "assumed": false, "programs": []}

system := [entry("/usr/bin", null, null)]

base := {
	"host": {"home": "/home/dev", "login_shell": "/bin/bash"},
	"go": {"tools_dir": {"path": "/home/dev/go/bin", "source": "GOPATH", "exists": true, "programs": ["dlv", "gopls", "staticcheck"]}},
	"shell": {
		"files": [{"path": "/home/dev/.bashrc", "exists": true, "interactive_guard_line": 6, "assignments": []}],
		"sessions": {
			"login": {"path": system},
			"terminal": {"path": array.concat(system, [entry("/home/dev/go/bin", "/home/dev/.bashrc", 118)])},
			"gui": {"path": system},
		},
	},
}

test_fires_at_the_bashrc_line if {
	findings := rule.deny with input as base
	count(findings) == 1
	some finding in findings
	finding.location == {"file": "/home/dev/.bashrc", "line": 118}
	finding.vars.programs == ["dlv", "gopls"]
	finding.vars.delete == "sed -i '118d' /home/dev/.bashrc"
	finding.vars.profile == "/home/dev/.profile"
	contains(finding.msg, "below its non-interactive guard (line 6)")
}

test_quiet_when_the_desktop_has_it if {
	gui := {"path": array.concat(system, [entry("/home/dev/go/bin/", "/home/dev/.config/environment.d/go.conf", 1)])}
	count(rule.deny) == 0 with input as object.union(base, {"shell": {"sessions": {"gui": gui}}})
}

test_quiet_when_login_shells_have_it if {
	login := {"path": array.concat(system, [entry("/home/dev/go/bin", "/home/dev/.profile", 10)])}
	count(rule.deny) == 0 with input as object.union(base, {"shell": {"sessions": {"login": login}}})
}

test_quiet_without_gopls_or_dlv if {
	inp := object.union(base, {"go": {"tools_dir": {"path": "/home/dev/go/bin", "source": "GOPATH", "exists": true, "programs": ["staticcheck"]}}})
	count(rule.deny) == 0 with input as inp
}
