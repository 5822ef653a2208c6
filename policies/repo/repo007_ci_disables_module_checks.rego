# METADATA
# title: CI, devcontainer or compose weakens Go module verification
# description: |
#   The settings REPO005 finds in images do the same harm where a repository sets them
#   for its builds and its developers: `GOSUMDB=off`, `GONOSUMDB=*`, `GOINSECURE`, or
#   `-insecure` in `GOFLAGS` in a GitHub Actions workflow's `env:` (the workflow's, a
#   job's, a step's, a job container's), GitLab CI `variables:` (global, `default:`
#   has none, each job's), a devcontainer's `containerEnv`/`remoteEnv`, or a compose
#   service's `environment`, turn off the checks that stop a tampered module; a
#   `GOPROXY` without `direct` (nor `off`) makes every module the proxy lacks fail to
#   download. Decision: the same judgement and severities as REPO005 (error for the
#   settings that switch verification off, warning for `GOPROXY` without `direct`),
#   at the key that sets it. A value that is a CI expression (`${{ … }}`, `$VAR`) is
#   not judged: its value is not in the file.
# related_resources:
#   - ref: https://go.dev/ref/mod#checksum-database
#     description: Go modules reference, checksum database
#   - ref: https://go.dev/ref/mod#environment-variables
#     description: GOINSECURE, GONOSUMDB, GOSUMDB, GOPROXY
# custom:
#   id: REPO007
#   severity: error
#   since: 1.1.0
#   reads: [github-workflow, gitlab-ci, devcontainer, compose]
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }} ({{ vars.where }}), {% if vars.variable == "GOPROXY" %}end the proxy list with direct: GOPROXY={{ vars.value }},direct{% else %}remove {{ vars.variable }}={{ vars.value }}; for private modules set GOPRIVATE=<your module path prefix> instead, which skips the public checksum database for them only and keeps go.sum verification{% endif %}.
package envgate.repo.repo007_ci_disables_module_checks

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some setting in settings
	not is_expression(setting.value)
	why := lib.weakens_module_checks(setting.name, setting.value)
	finding := {
		"msg": sprintf("%s=%s is set for %s: %s", [setting.name, setting.value, setting.where, why.msg]),
		"severity": why.severity,
		"location": lib.location(setting.doc, setting.path),
		"vars": {"file": setting.doc.path, "where": setting.where, "variable": setting.name, "value": setting.value},
	}
}

# Every Go setting the repository's CI, devcontainer and compose files write, with the
# key path that writes it.
settings contains s if {
	some doc in lib.docs("github-workflow")
	some s in env_settings(doc, [], "the whole workflow")
}

settings contains s if {
	some doc in lib.docs("github-workflow")
	some job_id, job in lib.mapping(doc.content.jobs)
	some s in env_settings(doc, ["jobs", job_id], sprintf("job %s", [job_id]))
}

settings contains s if {
	some doc in lib.docs("github-workflow")
	some job_id, job in lib.mapping(doc.content.jobs)
	some s in env_settings(doc, ["jobs", job_id, "container"], sprintf("job %s's container", [job_id]))
}

settings contains s if {
	some doc in lib.docs("github-workflow")
	some job_id, job in lib.mapping(doc.content.jobs)
	some i, step in lib.list(object.get(job, "steps", []))
	some s in env_settings(doc, ["jobs", job_id, "steps", i], sprintf("step %d of job %s", [i + 1, job_id]))
}

settings contains s if {
	some doc in lib.docs("gitlab-ci")
	some name, raw in lib.mapping(object.get(doc.content, "variables", {}))
	value := gitlab_value(raw)
	s := setting_at(doc, ["variables", name], name, value, "every GitLab CI job")
}

settings contains s if {
	some doc in lib.docs("gitlab-ci")
	some job_id, job in lib.mapping(doc.content)
	job_id != "variables"
	is_object(job)
	some name, raw in lib.mapping(object.get(job, "variables", {}))
	value := gitlab_value(raw)
	s := setting_at(doc, [job_id, "variables", name], name, value, sprintf("GitLab CI job %s", [job_id]))
}

settings contains s if {
	some doc in lib.docs("devcontainer")
	some key in ["containerEnv", "remoteEnv"]
	some name, raw in lib.mapping(object.get(doc.content, key, {}))
	value := scalar(raw)
	s := setting_at(doc, [key, name], name, value, sprintf("the devcontainer (%s)", [key]))
}

settings contains s if {
	some doc in lib.docs("compose")
	some service, body in lib.mapping(object.get(doc.content, "services", {}))
	env := object.get(body, "environment", {})
	some name, raw in lib.mapping(env)
	value := scalar(raw)
	s := setting_at(doc, ["services", service, "environment", name], name, value, sprintf("compose service %s", [service]))
}

settings contains s if {
	some doc in lib.docs("compose")
	some service, body in lib.mapping(object.get(doc.content, "services", {}))
	some i, entry in lib.list(object.get(body, "environment", []))
	is_string(entry)
	contains(entry, "=")
	name := split(entry, "=")[0]
	value := substring(entry, count(name) + 1, -1)
	s := setting_at(doc, ["services", service, "environment", i], name, value, sprintf("compose service %s", [service]))
}

# The `env:` mapping at `prefix` of a workflow.
env_settings(doc, prefix, where) := {s |
	env := object.get(doc.content, array.concat(prefix, ["env"]), {})
	some name, raw in lib.mapping(env)
	value := scalar(raw)
	s := setting_at(doc, array.concat(prefix, ["env", name]), name, value, where)
}

setting_at(doc, path, name, value, where) := {"doc": doc, "path": path, "name": name, "value": value, "where": where}

# A GitLab variable is a value or `{value: …, description: …}`.
gitlab_value(raw) := scalar(raw.value) if is_object(raw)

gitlab_value(raw) := scalar(raw) if not is_object(raw)

# YAML and JSON write `1` or `true` unquoted; the process sees their text.
scalar(raw) := raw if is_string(raw)

scalar(raw) := format_int(raw, 10) if {
	is_number(raw)
	raw == floor(raw)
}

scalar(raw) := sprintf("%v", [raw]) if is_boolean(raw)

is_expression(value) if contains(value, "${{")

is_expression(value) if startswith(value, "$")
