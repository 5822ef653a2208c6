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
	startswith(finding.msg, "asdf is installed but activated only in interactive shells (/home/dev/.bashrc:120, read by the desktop terminal)")
	endswith(finding.msg, "the desktop session and SSH and console logins do not get its Go")
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

gvm := {"name": "gvm", "path": "/home/dev/.gvm/scripts/gvm", "shims_dir": "/home/dev/.gvm/bin"}

gvm_line := `[[ -s "/home/dev/.gvm/scripts/gvm" ]] && source "/home/dev/.gvm/scripts/gvm"`

# What gvm's activation gives a bash session: its bin, then what environments/default adds.
gvm_path := array.concat(
	[
		entry("/home/dev/.gvm/gos/go1.26.4/bin", "shell", "/home/dev/.gvm/environments/default", 7, ["go", "gofmt"]),
		entry("/home/dev/.gvm/bin", "activation", "/home/dev/.bashrc", 115, []),
	],
	system,
)

gvm_activation(file, line) := {"manager": "gvm", "file": file, "line": line, "reads": ["/home/dev/.gvm/environments/default"]}

gvm_base := {
	"host": {"home": "/home/dev", "login_shell": "/bin/bash"},
	"shell": {
		"installed_managers": [gvm],
		"files": [{"path": "/home/dev/.profile", "activations": [{"manager": "gvm", "line": 28, "text": gvm_line}]}],
		"sessions": {
			"login": {"path": system, "activations": []},
			"gui": {"path": system, "activations": [], "program": "dash"},
			"terminal": {"path": gvm_path, "activations": [gvm_activation("/home/dev/.bashrc", 115)]},
		},
	},
}

test_gvm_fix_loads_its_default_environment_not_its_loader if {
	findings := rule.deny with input as gvm_base
	count(findings) == 1
	some finding in findings
	finding.location == {"file": "/home/dev/.bashrc", "line": 115}
	finding.vars.kind == "interactive"
	finding.vars.default_env == "/home/dev/.gvm/environments/default"
}

# gvm's own bin holds the `gvm` command, not Go: on the desktop's PATH it is no fix.
test_gvm_bin_on_the_desktop_path_is_not_gvm_go if {
	gui := {"path": array.concat([entry("/home/dev/.gvm/bin", "environment.d", "/home/dev/.config/environment.d/go.conf", 1, [])], system), "activations": []}
	count(rule.deny) == 1 with input as object.union(gvm_base, {"shell": {"sessions": {"gui": gui}}})
}

test_quiet_when_the_desktop_has_a_gvm_go if {
	gui := {"path": array.concat([entry("/home/dev/.gvm/gos/go1.26.4/bin", "shell", "/home/dev/.gvm/environments/default", 7, ["go"])], system), "activations": []}
	count(rule.deny) == 0 with input as object.union(gvm_base, {"shell": {"sessions": {"gui": gui}}})
}

# The installer's line moved as written to ~/.profile: bash login shells run it, the
# desktop's dash does not (`[[` is not a command there).
moved := object.union(gvm_base, {"shell": {"sessions": {
	"login": {"path": gvm_path, "activations": [gvm_activation("/home/dev/.profile", 28)]},
	"terminal": {"path": gvm_path, "activations": [gvm_activation("/home/dev/.profile", 28)]},
	"gui": {"path": system, "activations": [], "program": "dash", "unsupported": [{"file": "/home/dev/.profile", "line": 28, "command": "[[", "effect": "not-found"}]},
}}})

test_fires_at_a_line_the_desktop_sh_cannot_run if {
	findings := rule.deny with input as moved
	count(findings) == 1
	some finding in findings
	finding.location == {"file": "/home/dev/.profile", "line": 28}
	finding.vars.kind == "sh"
	finding.vars.sh == "/bin/sh (dash)"
	finding.vars.rc == "/home/dev/.bashrc"
	finding.vars.rc_keeps_gvm == false
	finding.vars.text == gvm_line
	contains(finding.msg, "has no `[[` (command not found)")
}

test_a_sh_failure_names_the_syntax_error_that_stops_dash if {
	inp := object.union(moved, {"shell": {"sessions": {"gui": {"unsupported": [{"file": "/home/dev/.profile", "line": 28, "command": ".", "effect": "stops"}]}}}})
	some finding in rule.deny with input as inp
	contains(finding.msg, "stops at a syntax error")
}

test_quiet_when_the_failing_line_is_not_an_activation if {
	inp := object.union(moved, {"shell": {"files": [{"path": "/home/dev/.profile", "activations": []}]}})
	count(rule.deny) == 0 with input as inp
}

test_quiet_when_the_desktop_gets_gvm_go_anyway if {
	gui := {"path": gvm_path, "activations": [], "unsupported": moved.shell.sessions.gui.unsupported}
	count(rule.deny) == 0 with input as object.union(moved, {"shell": {"sessions": {"gui": gui}}})
}

test_an_unknown_sh_is_taken_to_be_dash if {
	inp := object.union(moved, {"shell": {"sessions": {"gui": {"program": null}}}})
	some finding in rule.deny with input as inp
	finding.vars.sh == "/bin/sh (taken to be dash, as on Debian and Ubuntu)"
}
