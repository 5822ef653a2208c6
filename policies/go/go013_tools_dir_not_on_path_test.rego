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
	finding.vars.profile == "/home/dev/.profile"
	contains(finding.msg, "dlv, gopls")
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
