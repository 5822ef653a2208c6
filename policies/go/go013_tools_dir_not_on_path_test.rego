package envgate.go.go013_tools_dir_not_on_path_test

import data.envgate.go.go013_tools_dir_not_on_path as rule
import rego.v1

base := {
	"host": {"home": "/home/dev", "login_shell": "/bin/bash"},
	"path": {"entries": [{"raw": "/usr/bin"}]},
	"go": {"tools_dir": {"path": "/home/dev/go/bin", "source": "GOPATH", "exists": true, "programs": ["dlv", "gopls"]}},
}

test_fires_when_installed_tools_are_unreachable if {
	some finding in rule.deny with input as base
	finding.vars.dir == "/home/dev/go/bin"
	finding.vars.file == "/home/dev/.profile"
	not finding.vars.shadowed
	contains(finding.msg, "dlv, gopls")
	contains(finding.msg, "cannot be found")
}

test_nothing_shadowed_so_the_directory_is_appended if {
	some finding in rule.deny with input as base
	finding.vars.line == `export PATH="$PATH:/home/dev/go/bin"`
}

test_quiet_when_the_directory_is_on_path if {
	count(rule.deny) == 0 with input as object.union(base, {"path": {"entries": [{"raw": "/usr/bin"}, {"raw": "/home/dev/go/bin/"}]}})
}

test_quiet_when_nothing_was_installed if {
	count(rule.deny) == 0 with input as object.union(base, {"go": {"tools_dir": {"path": "/home/dev/go/bin", "source": "GOPATH", "exists": true, "programs": []}}})
}

test_quiet_when_the_directory_does_not_exist if {
	count(rule.deny) == 0 with input as object.union(base, {"go": {"tools_dir": {"path": "/home/dev/go/bin", "source": "GOPATH", "exists": false, "programs": []}}})
}

# --- shadowed programs ---------------------------------------------------------------

lookup(session, program, dir) := {"session": session, "program": program, "found": {"index": 0, "dir": dir, "realpath": sprintf("%s/%s", [dir, program])}, "from_tools_dir": dir == "/home/dev/go/bin", "unknown_before": false}

not_found(session, program) := {"session": session, "program": program, "found": null, "from_tools_dir": false, "unknown_before": false}

read(path) := {"path": path, "sourced_from": null, "status": "read"}

sourced(path, file, line) := {"path": path, "sourced_from": {"file": file, "line": line}, "status": "read"}

bash_sessions := {
	"login": {"shell": "bash", "files_read": [read("/etc/profile"), read("/home/dev/.profile"), sourced("/home/dev/.bashrc", "/home/dev/.profile", 12)], "path": [{"dir": "/usr/bin", "file": null, "line": null}, {"dir": "/home/dev/go/bin", "file": "/home/dev/.bashrc", "line": 120}]},
	"terminal": {"shell": "bash", "files_read": [read("/etc/profile"), read("/home/dev/.profile"), sourced("/home/dev/.bashrc", "/home/dev/.profile", 12)], "path": [{"dir": "/usr/bin", "file": null, "line": null}, {"dir": "/home/dev/go/bin", "file": "/home/dev/.bashrc", "line": 120}]},
	"gui": {"shell": "sh", "files_read": [read("/etc/profile"), read("/home/dev/.profile")], "path": [{"dir": "/usr/bin", "file": null, "line": null}]},
}

shadowed_input := object.union(base, {
	"path": {"entries": [{"raw": "/usr/bin"}, {"raw": "/home/dev/go/bin"}]},
	"shell": {"sessions": bash_sessions},
	"go": {"tools_dir": {"lookups": [
		lookup("gui", "dlv", "/usr/bin"), lookup("gui", "gopls", "/usr/bin"),
		lookup("login", "dlv", "/home/dev/go/bin"), lookup("login", "gopls", "/usr/bin"),
		lookup("terminal", "dlv", "/home/dev/go/bin"), lookup("terminal", "gopls", "/usr/bin"),
	]}},
})

test_shadowed_everywhere_is_one_finding_for_the_file_all_sessions_read if {
	findings := rule.deny with input as shadowed_input
	count(findings) == 1
	some finding in findings
	finding.vars.shadowed
	finding.vars.file == "/home/dev/.profile"
	finding.vars.sessions == ["gui", "login", "terminal"]
	finding.vars.programs == ["dlv", "gopls"]
	finding.msg == "dlv, gopls in /home/dev/go/bin (where `go install` puts programs) are shadowed by /usr/bin/dlv, /usr/bin/gopls, found first on PATH in the gui, login, terminal sessions (to be fixed in /home/dev/.profile)"
	# It points at the line that put the directory on PATH too late.
	finding.location == {"file": "/home/dev/.bashrc", "line": 120}
}

test_the_fix_prepends_only_when_not_already_first if {
	some finding in rule.deny with input as shadowed_input
	finding.vars.line == `case ":$PATH:" in ":/home/dev/go/bin:"*) ;; *) export PATH="/home/dev/go/bin:$PATH" ;; esac`
}

test_a_shadowed_tool_is_not_called_unreachable if {
	some finding in rule.deny with input as shadowed_input
	not contains(finding.msg, "cannot be found")
}

test_shadowed_while_not_on_path_is_reported_as_shadowed if {
	input_ := object.union(shadowed_input, {"path": {"entries": [{"raw": "/usr/bin"}]}})
	findings := rule.deny with input as input_
	count(findings) == 1
	some finding in findings
	finding.vars.shadowed
}

test_sessions_reading_different_files_get_one_finding_each if {
	zsh := {
		"login": {"shell": "zsh", "files_read": [read("/etc/zsh/zshenv")], "path": []},
		"terminal": {"shell": "zsh", "files_read": [read("/etc/zsh/zshenv"), read("/home/dev/.zshrc")], "path": []},
		"gui": {"shell": "sh", "files_read": [read("/etc/profile"), read("/home/dev/.profile")], "path": []},
	}
	input_ := object.union(shadowed_input, {"host": {"login_shell": "/bin/zsh"}, "shell": {"sessions": zsh}})
	files := {f.vars.file: f.vars.sessions | some f in rule.deny with input as input_}
	files == {
		"/home/dev/.zprofile": ["login"],
		"/home/dev/.zshrc": ["terminal"],
		"/home/dev/.profile": ["gui"],
	}
}

test_fish_gets_a_fish_line if {
	fish := {"terminal": {"shell": "fish", "files_read": [read("/home/dev/.config/fish/config.fish")], "path": []}}
	input_ := object.union(base, {"shell": {"sessions": fish}, "go": {"tools_dir": {"lookups": [lookup("terminal", "gopls", "/usr/bin")]}}})
	some finding in rule.deny with input as input_
	finding.vars.file == "/home/dev/.config/fish/config.fish"
	finding.vars.line == "fish_add_path --move --path /home/dev/go/bin"
}

test_live_process_path_uses_the_login_file if {
	input_ := object.union(base, {"go": {"tools_dir": {"lookups": [lookup("process", "gopls", "/usr/bin")]}}})
	some finding in rule.deny with input as input_
	finding.vars.sessions == ["process"]
	finding.vars.file == "/home/dev/.profile"
	finding.subject == "go.env.GOPATH"
}

test_quiet_when_every_lookup_reaches_the_tools_dir if {
	input_ := object.union(shadowed_input, {"go": {"tools_dir": {"lookups": [
		lookup("login", "gopls", "/home/dev/go/bin"),
		lookup("gui", "gopls", "/home/dev/go/bin"),
	]}}})
	count(rule.deny) == 0 with input as input_
}

test_a_tool_found_nowhere_is_not_shadowed if {
	input_ := object.union(shadowed_input, {"go": {"tools_dir": {"lookups": [
		not_found("login", "gopls"),
		lookup("gui", "gopls", "/home/dev/go/bin"),
	]}}})
	count(rule.deny) == 0 with input as input_
}

test_windows_points_at_the_user_path_without_a_shell_fix if {
	inp := {
		"host": {"os": "windows", "home": `C:\Users\dev`},
		"path": {"entries": [{"raw": `C:\Windows\system32`}]},
		"go": {"tools_dir": {"path": `C:\Users\dev\go\bin`, "source": "GOPATH", "exists": true, "programs": ["gopls"], "lookups": []}},
		"shell": {"sessions": {}},
	}
	some finding in rule.deny with input as inp
	finding.location.file == `HKCU\Environment\Path`
	finding.vars.windows
	not finding.fix
}

test_windows_quiet_when_the_path_holds_it_in_another_case if {
	inp := {
		"host": {"os": "windows", "home": `C:\Users\dev`},
		"path": {"entries": [{"raw": `c:\users\dev\GO\bin\`}]},
		"go": {"tools_dir": {"path": `C:\Users\dev\go\bin`, "source": "GOPATH", "exists": true, "programs": ["gopls"], "lookups": []}},
		"shell": {"sessions": {}},
	}
	count(rule.deny) == 0 with input as inp
}

test_windows_shadowed_tool_names_the_registry_path if {
	inp := {
		"host": {"os": "windows", "home": `C:\Users\dev`},
		"path": {"entries": [{"raw": `C:\tools`}, {"raw": `C:\Users\dev\go\bin`}]},
		"go": {"tools_dir": {"path": `C:\Users\dev\go\bin`, "source": "GOPATH", "exists": true, "programs": ["gopls"], "lookups": [{"session": "terminal", "program": "gopls", "found": {"index": 0, "dir": `C:\tools`}, "from_tools_dir": false}]}},
		"shell": {"sessions": {}},
	}
	findings := rule.deny with input as inp
	count(findings) == 1
	some finding in findings
	contains(finding.msg, `shadowed by C:\tools\gopls.exe, found first on the registry Path`)
	finding.vars.shadowed
}
