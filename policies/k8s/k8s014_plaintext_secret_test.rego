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

test_quiet_on_names_that_refer_to_a_secret if {
	inp := env_input([
		{"name": "DB_SECRET_NAME", "value": "db-credentials"},
		{"name": "TOKEN_FILE", "value": "token.txt"},
		{"name": "PASSWORD_FILE", "value": "/run/secrets/db-password"},
		{"name": "API_KEY_HEADER", "value": "X-Api-Key"},
		{"name": "TOKEN_URL", "value": "https://auth.example.com/oauth/token"},
		{"name": "SESSION_TOKEN_TTL", "value": "3600"},
		{"name": "CLIENT_SECRET_PATH", "value": "secrets/client"},
		{"name": "VAULT_TOKEN", "value": "/var/run/secrets/vault/token"},
		{"name": "REQUIRE_API_KEY", "value": "true"},
	])
	count(rule.deny) == 0 with input as inp
}

test_fires_on_secret_values_whatever_the_name if {
	key_header := concat("", ["-----BEGIN RSA PRIVATE", " KEY-----"])
	inp := env_input([
		{"name": "DATABASE_URL", "value": "postgres://app:hunter2@db.shop.svc:5432/shop"},
		{"name": "TLS_KEY", "value": concat("\n", [key_header, "MIIEowIBAAKCAQEA", "-----END RSA PRIVATE KEY-----"])},
		{"name": "GH", "value": concat("", ["ghp_", "0123456789abcdefghijABCDEFGHIJ012345"])},
		{"name": "AWS_ACCESS_KEY_ID", "value": concat("", ["AKIA", "IOSFODNN7EXAMPLE"])},
		{"name": "SLACK_HOOK_URL", "value": concat("", ["xoxb-", "1234567890-abcdefghij"])},
		{"name": "NOTIFY", "value": concat("", ["https://hooks.slack.com/services/", "T0123/B0456/abcdefghij"])},
	])
	{[f.vars.variable, f.vars.found_by, f.msg] | some f in rule.deny with input as inp} == {
		["DATABASE_URL", "value", `Deployment/web container "app" sets DATABASE_URL to a literal value that looks like a password inside a URL in the manifest instead of reading it from a Secret`],
		["TLS_KEY", "value", `Deployment/web container "app" sets TLS_KEY to a literal value that looks like a PEM private key in the manifest instead of reading it from a Secret`],
		["GH", "value", `Deployment/web container "app" sets GH to a literal value that looks like a GitHub token in the manifest instead of reading it from a Secret`],
		["AWS_ACCESS_KEY_ID", "value", `Deployment/web container "app" sets AWS_ACCESS_KEY_ID to a literal value that looks like an AWS access key id in the manifest instead of reading it from a Secret`],
		["SLACK_HOOK_URL", "value", `Deployment/web container "app" sets SLACK_HOOK_URL to a literal value that looks like a Slack token in the manifest instead of reading it from a Secret`],
		["NOTIFY", "value", `Deployment/web container "app" sets NOTIFY to a literal value that looks like a Slack webhook URL in the manifest instead of reading it from a Secret`],
	}
	not contains(json.marshal(rule.deny), "hunter2") with input as inp
}

test_quiet_on_urls_without_a_literal_password if {
	inp := env_input([
		{"name": "DATABASE_URL", "value": "postgres://app:$(DB_PASSWORD)@db.shop.svc:5432/shop"},
		{"name": "REDIS_URL", "value": "redis://redis.shop.svc:6379/0"},
		{"name": "UPSTREAM", "value": "https://user@example.com/path"},
		{"name": "DOCS", "value": "see https://example.com:8443/x@y"},
	])
	count(rule.deny) == 0 with input as inp
}

test_fires_on_secrets_in_a_configmap if {
	cm := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web-config", "namespace": "shop"}, "data": {
		"LOG_LEVEL": "info",
		"db_password": "hunter2",
		"application.properties": "spring.datasource.url=jdbc:postgresql://db/shop\nspring.datasource.password=x\nupstream=https://svc:s3cr3t-value@api.example.com/\n",
		"token_file": "/etc/token",
	}}
	found := {[f.vars.key, f.msg] | some f in rule.deny with input as t.input_of(cm)}
	found == {
		["db_password", `ConfigMap/web-config holds a literal secret in key "db_password": a ConfigMap is readable by anyone who can read the namespace's configuration, and the repository keeps it`],
		["application.properties", `ConfigMap/web-config holds a password inside a URL in key "application.properties": a ConfigMap is readable by anyone who can read the namespace's configuration, and the repository keeps it`],
	}
	[f] := [x | some x in rule.deny; x.vars.key == "db_password"] with input as t.input_of(cm)
	f.location == t.at(["data", "db_password"])
	f.vars.data_path == "data.db_password"
	not contains(json.marshal(rule.deny), "hunter2") with input as t.input_of(cm)
}

# What the rule sees on a real run: envgate redacts secret values (by name, and URL
# passwords) before the document reaches the rules.
test_fires_on_redacted_values_as_envgate_passes_them if {
	inp := env_input([
		{"name": "DATABASE_URL", "value": "postgres://app:[REDACTED]@db.shop.svc:5432/shop"},
		{"name": "REDIS_URL", "value": "redis://:[REDACTED]@redis:6379/0"},
		{"name": "DB_PASSWORD", "value": "[REDACTED]"},
		{"name": "DB_SECRET_NAME", "value": "[REDACTED]"},
	])
	{[f.vars.variable, f.vars.found_by] | some f in rule.deny with input as inp} == {
		["DATABASE_URL", "value"],
		["REDIS_URL", "value"],
		["DB_PASSWORD", "name"],
	}
}

# Tokens and keys recognised by their form reach the rules as `[REDACTED:<id>]`.
test_fires_on_tokens_redacted_by_their_form if {
	inp := env_input([
		{"name": "SETTINGS", "value": "token=[REDACTED:github-token]"},
		{"name": "TLS_KEY_PEM", "value": "-----BEGIN RSA PRIVATE KEY-----[REDACTED:pem-private-key]"},
		{"name": "GREETING", "value": "[REDACTED] is not a marker of a form"},
		{"name": "NOTIFY", "value": "[REDACTED:slack-webhook]"},
		{"name": "GH_PAT", "value": "[REDACTED:github-token]"},
	])
	{[f.vars.variable, f.vars.found_by] | some f in rule.deny with input as inp} == {
		["SETTINGS", "value"],
		["TLS_KEY_PEM", "value"],
		["NOTIFY", "value"],
		["GH_PAT", "value"],
	}
}
