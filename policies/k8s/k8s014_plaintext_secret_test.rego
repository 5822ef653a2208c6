package envgate.k8s.k8s014_plaintext_secret_test

import data.envgate.k8s.k8s014_plaintext_secret as rule
import data.envgate.k8s.lib_test as t
import rego.v1

env_input(env) := t.input_of(t.with_container({"env": env}))

test_fires_on_a_literal_password if {
	inp := env_input([{"name": "LOG_LEVEL", "value": "debug"}, {"name": "DB_Password", "value": "hunter2"}])
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == `Deployment/web container "app" sets DB_Password to a literal value in the manifest instead of reading it from a Secret`
	f.location == t.at(array.concat(t.container_path, ["env", 1, "value"]))
	f.vars.variable == "DB_Password"
	f.vars.env_path == "spec.template.spec.containers[0].env[1]"
	not contains(json.marshal(f), "hunter2")
}

test_fires_on_each_name_pattern if {
	names := ["API_KEY", "github-token", "AWS_SECRET_ACCESS_KEY", "PRIVATE_KEY", "SMTP_PASSWD", "GCP_CREDENTIALS", "apikey"]
	inp := env_input([{"name": n, "value": "x"} | some n in names])
	{f.vars.variable | some f in rule.deny with input as inp} == {n | some n in names}
}

test_warning_on_a_secret_with_literal_data if {
	secret := {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "shop"}, "stringData": {"username": "app", "password": "hunter2"}}
	[f] := [x | some x in rule.deny] with input as t.input_of(secret)
	f.severity == "warning"
	f.msg == "Secret/db holds 2 literal values in stringData (password, username): the repository and its history hold the secret"
	f.location == t.at(["stringData"])
	not contains(json.marshal(f), "hunter2")
}

test_quiet_on_secret_refs_references_and_empty_values if {
	inp := env_input([
		{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
		{"name": "TOKEN_COPY", "value": "$(API_TOKEN)"},
		{"name": "SECRET", "value": ""},
		{"name": "LOG_LEVEL", "value": "debug"},
	])
	count(rule.deny) == 0 with input as inp
	empty := {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "type": "kubernetes.io/service-account-token", "data": {}}
	count(rule.deny) == 0 with input as t.input_of(empty)
}
