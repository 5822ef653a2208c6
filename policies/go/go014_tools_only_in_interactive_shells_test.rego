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

# gvm activated from ~/.bashrc:115: gopls's directory comes from gvm's generated
# environments/default, which that line reads.
gvm_dir := "/home/dev/.gvm/pkgsets/go1.26.4/global/bin"

gvm_entry := entry(gvm_dir, "/home/dev/.gvm/environments/default", 7)

gvm_activation := {"manager": "gvm", "file": "/home/dev/.bashrc", "line": 115, "reads": ["/home/dev/.gvm/environments/default"]}

gvm_base := object.union(base, {
	"go": {"tools_dir": {"path": gvm_dir, "source": "GOPATH", "exists": true, "programs": ["gopls"]}},
	"shell": {
		"installed_managers": [{"name": "gvm", "path": "/home/dev/.gvm/scripts/gvm", "shims_dir": "/home/dev/.gvm/bin"}],
		"files": [
			{"path": "/home/dev/.bashrc", "exists": true, "interactive_guard_line": 9, "assignments": []},
			{"path": "/home/dev/.gvm/environments/default", "exists": true, "assignments": []},
		],
		"sessions": {"terminal": {"path": array.concat([gvm_entry], system), "activations": [gvm_activation]}},
	},
})

# GO010 reports gvm (active in terminals only) and says what to change.
test_quiet_for_a_directory_of_a_manager_go010_reports if {
	count(rule.deny) == 0 with input as gvm_base
}

# When GO010 does not report the manager (its Go reaches login shells another way),
# the finding points at the activation line and never at the file gvm generates.
test_points_at_the_activation_line_not_the_generated_file if {
	login := {"path": array.concat([entry("/home/dev/.gvm/gos/go1.26.4/bin", "/home/dev/.profile", 30)], system)}
	findings := rule.deny with input as object.union(gvm_base, {"shell": {"sessions": {"login": login}}})
	count(findings) == 1
	some finding in findings
	finding.location == {"file": "/home/dev/.bashrc", "line": 115}
	finding.vars.delete == ""
	finding.vars.manager == "gvm"
	contains(finding.msg, "(gvm's activation, through /home/dev/.gvm/environments/default:7), below its non-interactive guard (line 9)")
}
