package envgate.go.go016_bash_profile_hides_profile_test

import data.envgate.go.go016_bash_profile_hides_profile as rule
import rego.v1

file(path, exists, assignments) := {"path": path, "exists": exists, "assignments": assignments}

go_path := {"name": "PATH", "line": 12, "value": "$PATH:/usr/local/go/bin", "dirs": [{"text": "/usr/local/go/bin", "dir": "/usr/local/go/bin", "programs": ["go"]}]}

base := {
	"host": {"home": "/home/dev", "login_shell": "/bin/bash"},
	"go": {},
	"shell": {
		"login_shell": "bash",
		"files": [
			file("/home/dev/.bash_login", false, []),
			file("/home/dev/.bash_profile", true, []),
			file("/home/dev/.profile", true, [go_path, {"name": "GOPATH", "line": 13, "value": "$HOME/go", "dirs": []}]),
		],
		"sessions": {"login": {
			"files_read": [{"path": "/home/dev/.bash_profile", "status": "read"}],
			"path": [{"dir": "/usr/bin", "programs": []}],
			"vars": {},
		}},
	},
}

test_fires_at_the_first_hidden_go_line if {
	findings := rule.deny with input as base
	count(findings) == 1
	some finding in findings
	finding.location == {"file": "/home/dev/.profile", "line": 12}
	finding.vars.hider == "/home/dev/.bash_profile"
	finding.vars.lines == "line 12, line 13"
	contains(finding.msg, "`PATH=$PATH:/usr/local/go/bin` and 1 more")
}

test_quiet_when_bash_profile_sources_profile if {
	login := object.union(base.shell.sessions.login, {"files_read": [
		{"path": "/home/dev/.bash_profile", "status": "read"},
		{"path": "/home/dev/.profile", "status": "read"},
	]})
	count(rule.deny) == 0 with input as object.union(base, {"shell": {"sessions": {"login": login}}})
}

test_quiet_for_a_zsh_user if {
	count(rule.deny) == 0 with input as object.union(base, {"shell": {"login_shell": "zsh"}})
}

test_quiet_when_bash_profile_sets_the_same_things if {
	login := object.union(base.shell.sessions.login, {
		"path": [{"dir": "/usr/bin", "programs": []}, {"dir": "/usr/local/go/bin", "programs": ["go"]}],
		"vars": {"GOPATH": {"value": "/home/dev/go"}},
	})
	count(rule.deny) == 0 with input as object.union(base, {"shell": {"sessions": {"login": login}}})
}
