package envgate.go.go017_zsh_misses_go_setup_test

import data.envgate.go.go017_zsh_misses_go_setup as rule
import rego.v1

file(path, assignments) := {"path": path, "exists": true, "assignments": assignments}

go_bin := {"name": "PATH", "line": 7, "value": "\"$PATH:$HOME/go/bin\"", "dirs": [{"text": "$HOME/go/bin", "dir": "/home/dev/go/bin", "programs": ["gopls"]}]}

base := {
	"host": {"home": "/home/dev", "login_shell": "/usr/bin/zsh"},
	"go": {},
	"shell": {
		"login_shell": "zsh",
		"files": [
			file("/home/dev/.bashrc", [go_bin, {"name": "GOPATH", "line": 8, "value": "$HOME/go", "dirs": []}]),
			file("/home/dev/.zshrc", [{"name": "HISTSIZE", "line": 1, "value": "1000", "dirs": []}]),
		],
		"sessions": {"terminal": {
			"files_read": [{"path": "/home/dev/.zshrc", "status": "read"}],
			"path": [{"dir": "/usr/bin", "programs": []}],
			"vars": {},
		}},
	},
}

test_fires_for_go_setup_only_in_bashrc if {
	findings := rule.deny with input as base
	count(findings) == 1
	some finding in findings
	finding.location == {"file": "/home/dev/.bashrc", "line": 7}
	finding.vars.sed_lines == "7p;8p"
	finding.vars.profile_file == false
	contains(finding.msg, "never reads /home/dev/.bashrc")
}

test_quiet_when_zsh_has_its_own_go_setup if {
	files := [
		base.shell.files[0],
		file("/home/dev/.zshrc", [{"name": "GOPATH", "line": 3, "value": "$HOME/go", "dirs": []}]),
	]
	count(rule.deny) == 0 with input as object.union(base, {"shell": {"files": files}})
}

test_quiet_when_zprofile_reads_profile if {
	inp := object.union(base, {"shell": {
		"files": [file("/home/dev/.profile", [go_bin])],
		"sessions": {"terminal": {"files_read": [
			{"path": "/home/dev/.zprofile", "status": "read"},
			{"path": "/home/dev/.profile", "status": "read"},
		]}},
	}})
	count(rule.deny) == 0 with input as inp
}

test_quiet_for_a_bash_user if {
	count(rule.deny) == 0 with input as object.union(base, {"shell": {"login_shell": "bash"}})
}
