package envgate.go.go010_version_manager_interactive_only_test

import data.envgate.go.go010_version_manager_interactive_only as rule
import rego.v1

entry(dir, source, file, line, programs) := {"dir": dir, "raw": dir, "source": source, "file": file, "line": line, "assumed": false, "programs": programs}

asdf := {"name": "asdf", "path": "/home/dev/.asdf/shims", "shims_dir": "/home/dev/.asdf/shims"}

system := [entry("/usr/bin", "default", null, null, [])]

base := {
	"host": {"home": "/home/dev", "login_shell": "/bin/bash"},
	"shell": {
		"installed_managers": [asdf],
		"sessions": {
			"login": {"path": system, "activations": []},
			"gui": {"path": system, "activations": []},
			"terminal": {
				"path": array.concat([entry("/home/dev/.asdf/shims", "activation", "/home/dev/.bashrc", 120, ["go"])], system),
				"activations": [{"manager": "asdf", "file": "/home/dev/.bashrc", "line": 120}],
			},
		},
	},
}

test_fires_for_a_bashrc_only_activation if {
	findings := rule.deny with input as base
	count(findings) == 1
	some finding in findings
	finding.location == {"file": "/home/dev/.bashrc", "line": 120}
	finding.vars.kind == "interactive"
	finding.vars.profile == "/home/dev/.profile"
	startswith(finding.msg, "asdf is installed but activated only in interactive shells (/home/dev/.bashrc:120)")
}

test_quiet_when_the_desktop_has_the_shims if {
	gui := {"path": array.concat(system, [entry("/home/dev/.asdf/shims", "environment.d", "/home/dev/.config/environment.d/asdf.conf", 1, ["go"])]), "activations": []}
	count(rule.deny) == 0 with input as object.union(base, {"shell": {"sessions": {"gui": gui}}})
}

test_quiet_when_activated_in_the_login_file if {
	login := {"path": system, "activations": [{"manager": "asdf", "file": "/home/dev/.profile", "line": 30}]}
	count(rule.deny) == 0 with input as object.union(base, {"shell": {"sessions": {"login": login}}})
}

goenv := {"name": "goenv", "path": "/home/dev/.goenv/shims", "shims_dir": "/home/dev/.goenv/shims"}

appended := {
	"path": [entry("/usr/bin", "default", null, null, ["go"]), entry("/home/dev/.goenv/shims", "activation", "/home/dev/.profile", 9, ["go"])],
	"activations": [{"manager": "goenv", "file": "/home/dev/.profile", "line": 9}],
}

test_fires_for_appended_goenv_shims if {
	inp := object.union(base, {"shell": {"installed_managers": [goenv], "sessions": {"terminal": appended, "login": appended, "gui": appended}}})
	findings := rule.deny with input as inp
	count(findings) == 1
	some finding in findings
	finding.vars.kind == "order"
	finding.vars.shadowed_by == "/usr/bin"
	finding.location == {"file": "/home/dev/.profile", "line": 9}
}

test_quiet_for_goenv_shims_in_front if {
	front := object.union(appended, {"path": [appended.path[1], appended.path[0]]})
	inp := object.union(base, {"shell": {"installed_managers": [goenv], "sessions": {"terminal": front, "login": front, "gui": front}}})
	count(rule.deny) == 0 with input as inp
}
