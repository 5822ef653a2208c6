# METADATA
# title: Environment variable set twice
# description: |
#   When a container's `env` names a variable twice, the last entry wins without a word:
#   the first is dead configuration that reviewers read as live, and a merge or a Helm
#   override that adds the second silently changes what the process sees.
#   Decision: each entry of a container's `env` whose `name` an earlier entry already
#   has is reported at that name, with the line it overrides. `envFrom` is not
#   compared (keys of a ConfigMap are not in the manifest).
# related_resources:
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=duplicate-env-var
#     description: kube-linter duplicate-env-var
# custom:
#   id: K8S026
#   severity: warning
#   since: 1.1.0
#   reads: [kubernetes]
#   autofix: safe
#   per_file: true
#   category: Hygiene
#   remediation: |
#     In {{ vars.file }}, keep one `{{ vars.name }}` in the env of {{ vars.workload }} container "{{ vars.container }}" ({{ vars.container_path }}.env): delete the entry that should not apply (today env[{{ vars.index }}] wins over env[{{ vars.first }}]).
package envgate.k8s.k8s026_duplicate_env_var

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

deny contains finding if {
	some c in lib_containers.containers
	env := lib.list(c.container.env)
	some j, variable in env
	is_object(variable)
	name := object.get(variable, "name", null)
	is_string(name)
	earlier := [i | some i, other in env; i < j; is_object(other); other.name == name]
	count(earlier) > 0
	first := earlier[0]
	finding := {
		"msg": sprintf("%s sets %s twice in env (entries %d and %d; the last one wins)", [c.label, name, first, j]),
		"location": {"file": c.file, "document": c.document, "path": array.concat(c.path, ["env", j, "name"])},
		"vars": object.union(c.vars, {"name": name, "index": j, "first": first}),
		"fix": [fix_lib.yaml_delete(c, array.concat(c.path, ["env", i]), unreferenced(env, name)) | fix_lib.wanted; some i in earlier],
	}
}

# The earlier entries are deleted: the last one wins, so the container's environment
# stays the same, unless an entry's value reads the variable as `$(NAME)`, which
# Kubernetes expands with the value defined above it: then the edit is unsafe.
referenced(env, name) if {
	some variable in env
	is_object(variable)
	value := object.get(variable, "value", null)
	is_string(value)
	contains(value, sprintf("$(%s)", [name]))
}

unreferenced(env, name) := false if referenced(env, name) else := true
