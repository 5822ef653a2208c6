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

# SSH logins read ~/.profile through ~/.zprofile; the desktop terminal inherits what
# the desktop session's /bin/sh read of it.
profile_read := [
	{"path": "/home/dev/.zprofile", "status": "read"},
	{"path": "/home/dev/.profile", "status": "read"},
]

test_quiet_when_zprofile_reads_profile if {
	inp := object.union(base, {"shell": {
		"files": [file("/home/dev/.profile", [go_bin])],
		"sessions": {
			"login": {"files_read": profile_read},
			"gui": {"files_read": [{"path": "/home/dev/.profile", "status": "read"}]},
		},
	}})
	count(rule.deny) == 0 with input as inp
}

test_names_ssh_logins_when_only_the_desktop_reads_profile if {
	inp := object.union(base, {"shell": {
		"files": [file("/home/dev/.profile", [go_bin])],
		"sessions": {
			"login": {"description": "SSH and console logins (login zsh, non-interactive: `ssh host cmd`, `bash -lc`)", "files_read": []},
			"gui": {"files_read": [{"path": "/home/dev/.profile", "status": "read"}]},
		},
	}})
	findings := rule.deny with input as inp
	count(findings) == 1
	some finding in findings
	finding.vars.sessions == ["login"]
	contains(finding.msg, "missing from SSH and console logins (login zsh")
	not contains(finding.msg, "desktop terminal")
}

# Debian's /etc/zsh/zshenv lists /usr/bin, which holds golang-go's `go`: a default
# PATH, not a Go setup (the bookworm miss).
test_system_directories_are_not_a_zsh_go_setup if {
	zshenv := file("/etc/zsh/zshenv", [{
		"name": "PATH", "line": 16, "value": "\"/usr/local/bin:/usr/bin:/bin:/usr/games\"",
		"dirs": [
			{"text": "/usr/local/bin", "dir": "/usr/local/bin", "programs": []},
			{"text": "/usr/bin", "dir": "/usr/bin", "programs": ["go", "gofmt", "gopls"]},
			{"text": "/bin", "dir": "/bin", "programs": ["go"]},
			{"text": "/usr/games", "dir": "/usr/games", "programs": []},
		],
	}])
	terminal := object.union(base.shell.sessions.terminal, {"files_read": [
		{"path": "/etc/zsh/zshenv", "status": "read"},
		{"path": "/home/dev/.zshrc", "status": "read"},
	]})
	inp := object.union(base, {"shell": {
		"files": array.concat(base.shell.files, [zshenv]),
		"sessions": {"terminal": terminal},
	}})
	findings := rule.deny with input as inp
	count(findings) == 1
	some finding in findings
	finding.location == {"file": "/home/dev/.bashrc", "line": 7}
}

test_quiet_for_a_bash_user if {
	count(rule.deny) == 0 with input as object.union(base, {"shell": {"login_shell": "bash"}})
}
