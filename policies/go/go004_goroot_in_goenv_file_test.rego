package envgate.go.go004_goroot_in_goenv_file_test

import data.envgate.go.go004_goroot_in_goenv_file as rule
import rego.v1

goenv(entries) := {"go": {"goenv_file": {"path": "/home/dev/.config/go/env", "exists": true, "entries": entries}}}

test_fires_on_a_goroot_line if {
	inp := goenv([
		{"name": "GOPRIVATE", "value": "git.corp.example.com", "line": 1},
		{"name": "GOROOT", "value": "/usr/local/go-1.20", "line": 2},
	])
	findings := rule.deny with input as inp
	count(findings) == 1
	some finding in findings
	finding.location == {"file": "/home/dev/.config/go/env", "line": 2}
	finding.vars.file == "/home/dev/.config/go/env"
	contains(finding.msg, "sets GOROOT=/usr/local/go-1.20")
}

test_one_finding_per_line if {
	inp := goenv([
		{"name": "GOROOT", "value": "/a", "line": 1},
		{"name": "GOROOT", "value": "/b", "line": 3},
	])
	count(rule.deny) == 2 with input as inp
}

test_quiet_without_goroot if {
	inp := goenv([{"name": "GOPROXY", "value": "https://proxy.golang.org,direct", "line": 1}])
	count(rule.deny) == 0 with input as inp
}

test_quiet_without_file if {
	inp := {"go": {"goenv_file": {"path": null, "exists": false, "entries": []}}}
	count(rule.deny) == 0 with input as inp
}
