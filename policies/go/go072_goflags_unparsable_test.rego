package envgate.go.go072_goflags_unparsable_test

import data.envgate.go.go072_goflags_unparsable as rule
import rego.v1

flag(i, raw, name) := {"index": i, "raw": raw, "name": name, "value": null}

base(settings, raw, source) := {
	"host": {"home": "/home/dev"},
	"go": {"env": {"GOFLAGS": {"value": raw, "source": source, "file": "/home/dev/.config/go/env", "line": 1}}},
	"go_settings": settings,
}

test_fires_on_a_word_without_its_dash_and_keeps_the_flags if {
	input_value := base(
		{"goflags": [flag(0, "-mod=mod", "mod"), flag(1, "trimpath", null)]},
		"-mod=mod trimpath",
		"goenv",
	)
	some finding in rule.deny with input as input_value
	contains(finding.msg, "in /home/dev/.config/go/env:1")
	contains(finding.msg, "`go: parsing $GOFLAGS: non-flag \"trimpath\"`")
	finding.vars.kept == "-mod=mod"
	finding.vars.fix == "go env -w GOFLAGS='-mod=mod'"
	finding.vars.unclosed == false
}

test_names_the_first_word_go_refuses_once if {
	input_value := base(
		{"goflags": [flag(0, "-", null), flag(1, "x", null)]},
		"- x",
		"goenv",
	)
	findings := rule.deny with input as input_value
	count(findings) == 1
	some finding in findings
	contains(finding.msg, `non-flag "-"`)
	finding.vars.kept == ""
	finding.vars.fix == "go env -u GOFLAGS"
}

test_fires_on_an_unclosed_quote if {
	input_value := base(
		{"goflags": [], "goflags_error": "unterminated ' string"},
		"'-ldflags=-s -w",
		"goenv",
	)
	some finding in rule.deny with input as input_value
	contains(finding.msg, "`go: parsing $GOFLAGS: unterminated ' string`")
	finding.vars.unclosed == true
	finding.vars.fix == "go env -u GOFLAGS"
}

test_quiet_when_every_word_is_a_flag if {
	input_value := base(
		{"goflags": [flag(0, "-mod=mod", "mod"), flag(1, "--trimpath", "trimpath")]},
		"-mod=mod --trimpath",
		"goenv",
	)
	count(rule.deny) == 0 with input as input_value
}

test_quiet_without_goflags if {
	count(rule.deny) == 0 with input as {"go": {"env": {}}, "go_settings": {"goflags": []}}
}
