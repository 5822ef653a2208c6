# METADATA
# title: Plaintext secret in a manifest
# description: |
#   A password, token or key written into a manifest is in the repository, its history,
#   every clone and CI log, and in the cluster's object (readable by anyone who can
#   `get` the workload, unlike a Secret, which RBAC can fence off). Environment
#   variables should take secrets from a Secret with `valueFrom.secretKeyRef`, and the
#   Secret itself should not be committed in clear text.
#   Decision: an error for each `env` entry whose name matches
#   `(?i)(secret|passw(or)?d|token|api[_-]?key|private[_-]?key|credential)` and whose
#   `value` is a non-empty string, unless it is only a `$(VAR)` reference to another
#   variable. A `kind: Secret` with non-empty `data` or `stringData` is a warning, one
#   per field (sealed or externally managed secrets use other kinds and are not
#   reported). The secret's value never appears in the message or the evidence, only
#   the variable or key names.
# related_resources:
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=env-var-secret
#     description: kube-linter env-var-secret
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_35
# custom:
#   id: K8S014
#   severity: error
#   since: 1.0.0
#   per_file: true
#   category: Security
#   remediation: |
#     {% if vars.kind == "env" %}Rotate the value (it is in the repository's history), store it in a Secret created outside the repository:
#       kubectl create secret generic {{ vars.secret_name }} --from-literal={{ vars.key }}=<the new value>
#     and in {{ vars.file }} make {{ vars.env_path }} read it from there:
#       - name: {{ vars.variable }}
#         valueFrom:
#           secretKeyRef: {name: {{ vars.secret_name }}, key: {{ vars.key }}}{% else %}Rotate the values of {{ vars.object }} (they are in the repository's history) and stop committing them in clear text: encrypt the file (SOPS, Sealed Secrets) or create the Secret outside the repository (External Secrets, `kubectl create secret`), then delete {{ vars.field }} from {{ vars.file }}.{% endif %}
package envgate.k8s.k8s014_plaintext_secret

import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import data.envgate.k8s.lib_objects
import rego.v1

secret_name_pattern := `(?i)(secret|passw(or)?d|token|api[_-]?key|private[_-]?key|credential)`

deny contains finding if {
	some c in lib_containers.containers
	some i, env in lib.list(c.container.env)
	is_object(env)
	name := lib.text(env.name)
	regex.match(secret_name_pattern, name)
	value := env.value
	is_string(value)
	value != ""
	not regex.match(`^\$\([A-Za-z_][A-Za-z0-9_]*\)$`, value)
	env_path := array.concat(c.path, ["env", i])
	finding := {
		"msg": sprintf("%s sets %s to a literal value in the manifest instead of reading it from a Secret", [lib.container_label(c), name]),
		"location": lib.location(c, array.concat(env_path, ["value"])),
		"vars": object.union(lib.container_vars(c), {
			"kind": "env",
			"variable": name,
			"env_path": lib.dotted(env_path),
			"secret_name": sprintf("%s-secrets", [lib.object_name(c.pod.object)]),
			"key": lower(replace(name, "_", "-")),
		}),
	}
}

deny contains finding if {
	some obj in lib_objects.objects
	obj.kind == "Secret"
	some field in ["data", "stringData"]
	values := obj.object[field]
	is_object(values)
	count(values) > 0
	keys := sort([key | some key, _ in values])
	finding := {
		"msg": sprintf("%s holds %d literal %s in %s (%s): the repository and its history hold the secret", [lib.label(obj), count(keys), plural(count(keys)), field, concat(", ", keys)]),
		"severity": "warning",
		"location": lib.location(obj, array.concat(obj.prefix, [field])),
		"vars": object.union(lib.object_vars(obj), {"kind": "secret", "field": field, "keys": keys}),
	}
}

plural(1) := "value"

plural(n) := "values" if n != 1
