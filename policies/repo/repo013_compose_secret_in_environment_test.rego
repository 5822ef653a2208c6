package envgate.repo.repo013_compose_secret_in_environment_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo013_compose_secret_in_environment as rule
import rego.v1

compose(env) := {"files": [t.doc("compose.yaml", "compose", {"services": {"db": {"environment": env}}})]}

test_fires_on_map_and_list_forms if {
	[f] := [x | some x in rule.deny] with input as compose({"DB_PASSWORD": "[REDACTED]", "PGDATA": "/data"})
	f.msg == `service "db" sets DB_PASSWORD to a literal secret (by its name) in the compose file`
	f.location.path == ["services", "db", "environment", "DB_PASSWORD"]
	[g] := [x | some x in rule.deny] with input as compose(["PGDATA=/data", "HOOK=[REDACTED:slack-webhook]"])
	g.location.path == ["services", "db", "environment", 1]
	g.vars.variable == "HOOK"
}

test_quiet_on_references_and_plain_values if {
	count(rule.deny) == 0 with input as compose({"DB_PASSWORD": "${DB_PASSWORD}", "PGDATA": "/data"})
	count(rule.deny) == 0 with input as compose(["PGDATA=/data"])
}
