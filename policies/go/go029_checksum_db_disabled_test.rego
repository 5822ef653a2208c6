package envgate.go.go029_checksum_db_disabled_test

import data.envgate.go.go029_checksum_db_disabled as rule
import rego.v1

setting(value, file, line) := {"value": value, "source": "env", "file": file, "line": line}

base := {
	"host": {"home": "/home/dev"},
	"env": {},
	"env_origin": {},
	"go": {"env": {"GOSUMDB": {"value": "sum.golang.org", "source": "default", "file": null, "line": null}}},
}

test_fires_on_gosumdb_off if {
	inp := object.union(base, {"go": {"env": {"GOSUMDB": setting("off", "/etc/environment", 1)}}})
	findings := rule.deny with input as inp
	count(findings) == 1
	some finding in findings
	finding.subject == "go.env.GOSUMDB"
	finding.vars.fix == `sudo sed -i '/^\s*\(export \)\?GOSUMDB=/d' /etc/environment`
	contains(finding.msg, "GOSUMDB=off is set in /etc/environment:1")
}

test_one_finding_per_cause if {
	inp := object.union(base, {
		"env": {"GONOSUMCHECK": "1"},
		"env_origin": {"GONOSUMCHECK": {"file": "/home/dev/.config/environment.d/go.conf", "line": 4}},
		"go": {"env": {
			"GOSUMDB": {"value": "off", "source": "goenv", "file": "/home/dev/.config/go/env", "line": 1},
			"GONOSUMDB": setting("git.corp.example.com/*, *", "/etc/environment", 2),
			"GOPRIVATE": setting("*", "/etc/environment", 3),
		}},
	})
	findings := rule.deny with input as inp
	{f.subject | some f in findings} == {"go.env.GOSUMDB", "go.env.GONOSUMDB", "go.env.GOPRIVATE", "env.GONOSUMCHECK"}
	some check in findings
	check.subject == "env.GONOSUMCHECK"
	check.vars.fix == `sed -i '/^\s*\(export \)\?GONOSUMCHECK=/d' /home/dev/.config/environment.d/go.conf`
	contains(check.msg, "GONOSUMCHECK=1 is set in /home/dev/.config/environment.d/go.conf:4")
	some private in findings
	private.subject == "go.env.GOPRIVATE"
	contains(private.msg, "none is fetched through the proxy")
	some sumdb in findings
	sumdb.subject == "go.env.GOSUMDB"
	sumdb.vars.fix == "go env -u GOSUMDB"
}

test_quiet_on_narrow_exemptions if {
	inp := object.union(base, {
		"env": {"GONOSUMCHECK": "github.com/org/*"},
		"go": {"env": {
			"GOSUMDB": setting("sum.golang.google.cn", "/etc/environment", 1),
			"GONOSUMDB": setting("git.corp.example.com/*", "/etc/environment", 2),
			"GOPRIVATE": setting("*.corp.example.com", "/etc/environment", 3),
		}},
	})
	count(rule.deny) == 0 with input as inp
}

test_quiet_on_defaults if {
	count(rule.deny) == 0 with input as base
}
