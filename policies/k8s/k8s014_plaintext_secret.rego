# METADATA
# title: Plaintext secret in a manifest
# description: |
#   A password, token or key written into a manifest is in the repository, its history,
#   every clone and CI log, and in the cluster's object (readable by anyone who can
#   `get` the workload, unlike a Secret, which RBAC can fence off). Environment
#   variables should take secrets from a Secret with `valueFrom.secretKeyRef`, and the
#   Secret itself should not be committed in clear text.
#   Decision: an error for each `env` entry with a non-empty literal `value` that is a
#   secret by its value or by its name. By value: it matches one of the pack data's
#   `secret_value_patterns` (a password inside a URL such as `DATABASE_URL`, a PEM
#   private key, AWS, GitHub, GitLab, Slack, Stripe live, Google, OpenAI/Anthropic,
#   npm and SendGrid keys, JSON Web Tokens, Slack webhook URLs, Azure account keys:
#   the list envgate's redactor reads too), whatever the name. By
#   name: it matches
#   `(?i)(secret|passw(or)?d|token|api[_-]?key|private[_-]?key|credential)` and does not
#   end in a suffix that names a reference to the secret rather than the secret
#   (`_NAME`, `_FILE`, `_PATH`, `_HEADER`, `_URL`, `_ENDPOINT`, `_TTL`… : the pack
#   data's `secret_names.reference_suffix`), and the value is not an absolute path or
#   a boolean. A `$(VAR)` reference to another variable is never reported, nor is a URL
#   whose password is one. The same two tests apply to each key of a ConfigMap's
#   `data` (error: a ConfigMap is not meant for secrets and has no access control of
#   its own). A `kind: Secret` with non-empty `data` or `stringData` is a warning, one
#   per field (sealed or externally managed secrets use other kinds and are not
#   reported). The secret's value never appears in the message or the evidence, only
#   the variable or key names and the kind of secret it looks like.
# related_resources:
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=env-var-secret
#     description: kube-linter env-var-secret
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_35
# custom:
#   id: K8S014
#   severity: error
#   since: 1.0.0
#   reads: [kubernetes]
#   per_file: true
#   category: Security
#   remediation: |
#     {% if vars.kind == "configmap" %}Rotate the value of key "{{ vars.key }}" of {{ vars.object }} (it is in the repository's history), move it into a Secret created outside the repository:
#       kubectl create secret generic {{ vars.secret_name }} --from-literal={{ vars.key }}=<the new value>
#     then delete {{ vars.data_path }} from {{ vars.file }} and have the pods read the Secret (`secretKeyRef` or a secret volume) instead of the ConfigMap.
#     {% elif vars.kind == "env" %}Rotate the value (it is in the repository's history), store it in a Secret created outside the repository:
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

names := object.get(data.pack_data, ["k8s", "secret_names"], {})

value_patterns := [p | some p in lib.list(object.get(data.pack_data, ["k8s", "secret_value_patterns"], [])); is_string(p.pattern); is_string(p.description)]

# Why a literal value under `name` is a secret: {"by": "value", "looks_like": what} or
# {"by": "name"}; undefined when it is not one. The value itself is never kept.
secret(name, value) := found if {
	hits := [p.description | some p in value_patterns; matches_form(p, value)]
	count(hits) > 0
	found := {"by": "value", "looks_like": hits[0]}
	is_object(found)  # holds for any defined value (L012)
} else := {"by": "name"} if {
	regex.match(secret_name_pattern, name)
	not regex.match(lib.text(names.reference_suffix), name)
	not regex.match(lib.text(names.reference_value), value)
}

# envgate redacts a token recognised by its form to `[REDACTED:<id>]` before any rule
# sees it, so the marker counts as that pattern's match.
matches_form(p, value) if regex.match(p.pattern, value)

matches_form(p, value) if contains(value, sprintf("[REDACTED:%s]", [p.id]))

# A literal value worth judging: not empty and not only a `$(VAR)` reference.
literal(value) if {
	is_string(value)
	value != ""
	not regex.match(`^\$\([A-Za-z_][A-Za-z0-9_]*\)$`, value)
}

deny contains finding if {
	some c in lib_containers.containers
	some i, env in lib.list(c.container.env)
	is_object(env)
	name := lib.text(env.name)
	value := object.get(env, "value", null)
	literal(value)
	why := secret(name, value)
	env_path := array.concat(c.path, ["env", i])
	finding := {
		"msg": sprintf("%s sets %s to a literal value%s in the manifest instead of reading it from a Secret", [c.label, name, looks_like(why)]),
		"location": {"file": c.file, "document": c.document, "path": array.concat(env_path, ["value"])},
		"vars": object.union(c.vars, {
			"kind": "env",
			"variable": name,
			"env_path": lib.dotted(env_path),
			"secret_name": sprintf("%s-secrets", [lib.object_name(c.pod.object)]),
			"key": lower(replace(name, "_", "-")),
			"found_by": why.by,
		}),
	}
}

deny contains finding if {
	some obj in lib_objects.objects
	obj.kind == "ConfigMap"
	some key, value in lib.mapping(object.get(obj.object, "data", {}))
	literal(value)
	why := secret(key, value)
	data_path := array.concat(obj.prefix, ["data", key])
	finding := {
		"msg": sprintf("%s holds %s in key %q: a ConfigMap is readable by anyone who can read the namespace's configuration, and the repository keeps it", [lib.label(obj), holds(why), key]),
		"location": {"file": obj.file, "document": obj.document, "path": data_path},
		"vars": object.union(lib.object_vars(obj), {
			"kind": "configmap",
			"key": key,
			"data_path": lib.dotted(data_path),
			"secret_name": lib.object_name(obj.object),
			"found_by": why.by,
		}),
	}
}

looks_like(why) := sprintf(" that looks like %s", [why.looks_like]) if why.by == "value"

looks_like(why) := "" if why.by == "name"

holds(why) := why.looks_like if why.by == "value"

holds(why) := "a literal secret" if why.by == "name"

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
		"location": {"file": obj.file, "document": obj.document, "path": array.concat(obj.prefix, [field])},
		"vars": object.union(lib.object_vars(obj), {"kind": "secret", "field": field, "keys": keys}),
	}
}

plural(1) := "value"

plural(n) := "values" if n != 1
