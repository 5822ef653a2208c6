package envgate.go.go062_windows_virtualstore_copy_test

import data.envgate.go.go062_windows_virtualstore_copy as rule
import rego.v1

copy := {
	"path": `C:\Users\dev\AppData\Local\VirtualStore\Program Files\Go\bin\gopls.exe`,
	"intended": `C:\Program Files\Go\bin\gopls.exe`,
	"intended_exists": true,
}

test_fires_on_a_redirected_copy if {
	inp := {"host": {"os": "windows"}, "windows": {"virtual_store": [copy]}}
	some finding in rule.deny with input as inp
	finding.vars.store == `C:\Users\dev\AppData\Local\VirtualStore\Program Files\Go`
	contains(finding.msg, "stale copy")
}

test_quiet_without_copies if {
	inp := {"host": {"os": "windows"}, "windows": {"virtual_store": []}}
	count(rule.deny) == 0 with input as inp
}
