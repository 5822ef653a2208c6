# METADATA
# title: The checksum database cannot be asked
# description: |
#   After downloading a module that GONOSUMDB (or GOPRIVATE) does not cover, the go
#   command checks its hash against GOSUMDB (sum.golang.org by default, asked through
#   the first GOPROXY entry that serves `/sumdb/<name>/supported`, else directly).
#   When that lookup fails, `go mod download` fails with `verifying module: …` even
#   though the module itself downloaded. Live only, with `--probe net`.
# related_resources:
#   - ref: https://go.dev/ref/mod#checksum-database
# custom:
#   id: GO060
#   severity: error
#   since: 1.1.0
#   category: Modules & proxy
#   live_only: true
#   remediation: |
#     {{ vars.url }} did not answer the lookup ({{ vars.error }}). Let the network reach it (or its proxy
#     through HTTPS_PROXY); for private modules set GONOSUMDB (or GOPRIVATE) to cover them.
#     Turning it off (GOSUMDB=off) gives up tamper checks of every public module.
package envgate.go.go060_net_checksum_db_unreachable

import rego.v1

deny contains finding if {
	some m in input.net_probe.modules
	is_object(m.sumdb)
	m.sumdb.status != 200
	# A failure below HTTP is GO055–GO058's, at the host.
	not m.sumdb.failed_layer in {"settings", "dns", "tcp", "proxy-tls", "proxy-connect", "tls"}
	error := why(m.sumdb)
	finding := {
		"msg": sprintf("%s: the checksum database %s at %s cannot be asked: %s", [m.path, m.sumdb.name, m.sumdb.url, error]),
		"subject": "go.env.GOSUMDB",
		"vars": {"module": m.path, "url": m.sumdb.url, "error": error},
	}
}

why(db) := db.error if is_string(db.error)

why(db) := sprintf("it answered %d", [db.status]) if {
	not is_string(db.error)
	is_number(db.status)
}
