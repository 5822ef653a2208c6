package envgate.go.go038_downloaded_toolchains_test

import data.envgate.go.go038_downloaded_toolchains as rule
import rego.v1

cache := "/home/dev/go/pkg/mod/golang.org"

inp(downloaded) := {"go": {
	"toolchains": [{"goroot": "/usr/local/go", "version": "go1.21.13"}],
	"active": 0,
	"downloaded_toolchains": downloaded,
}}

test_lists_every_downloaded_toolchain if {
	downloaded := [
		{"dir": sprintf("%s/toolchain@v0.0.1-go1.23.4.linux-amd64", [cache]), "version": "go1.23.4", "os": "linux", "arch": "amd64"},
		{"dir": sprintf("%s/toolchain@v0.0.1-go1.22.3.linux-amd64", [cache]), "version": "go1.22.3", "os": "linux", "arch": "amd64"},
	]
	some finding in rule.deny with input as inp(downloaded)
	finding.vars.versions == ["go1.22.3", "go1.23.4"]
	finding.msg == "GOTOOLCHAIN switching has downloaded 2 toolchain(s) into /home/dev/go/pkg/mod/golang.org: go1.22.3 (linux/amd64), go1.23.4 (linux/amd64); the go command runs them instead of the installed go1.21.13 whenever a go.mod or go.work asks for a newer Go"
	startswith(finding.vars.dirs, "'/home/dev/go/pkg/mod/golang.org/toolchain@v0.0.1-go1.22.3.linux-amd64' ")
}

test_quiet_without_downloads if {
	count(rule.deny) == 0 with input as inp([])
}
