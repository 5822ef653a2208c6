# METADATA
# title: RBAC read access to Secrets
# description: |
#   `get`, `list` or `watch` on `secrets` hands over every credential the namespace (or,
#   for a ClusterRole bound cluster-wide, the cluster) holds: service-account tokens,
#   registry credentials, TLS keys. `list` and `watch` return the values too, not only
#   the names.
#   Decision: a rule naming `secrets` in the core API group with any of `get`, `list`,
#   `watch` or `*` is reported at the `secrets` entry. A rule that only `get`s Secrets
#   named in `resourceNames` is not (access to those Secrets only). `resources: ["*"]`
#   is K8S022's.
# related_resources:
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=access-to-secrets
#     description: kube-linter access-to-secrets
# custom:
#   id: K8S023
#   severity: warning
#   since: 1.1.0
#   reads: [kubernetes]
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, narrow rule {{ vars.rule_path }} of {{ vars.object }}: list the Secrets it needs in `resourceNames` with only `get`, or mount them into the pod instead of reading them through the API.
package envgate.k8s.k8s023_rbac_secret_read

import data.envgate.k8s.lib
import data.envgate.k8s.lib_rbac
import rego.v1

read_verbs := {"get", "list", "watch"}

deny contains finding if {
	some entry in lib_rbac.role_rules
	lib_rbac.core_group(entry.rule)
	some j, resource in lib.list(object.get(entry.rule, "resources", []))
	resource == "secrets"
	verbs := lib_rbac.granted(entry.rule, read_verbs)
	count(verbs) > 0
	not only_named_gets(entry.rule, verbs)
	finding := {
		"msg": sprintf("%s rule %d can read Secrets (%s)", [lib_rbac.role_label(entry.role), entry.index, concat(", ", verbs)]),
		"location": {"file": entry.role.file, "document": entry.role.document, "path": array.concat(entry.path, ["resources", j])},
		"vars": object.union(lib.object_vars(entry.role), {"rule_path": lib.dotted(entry.path)}),
	}
}

only_named_gets(rule, verbs) if {
	verbs == ["get"]
	count(lib_rbac.strings(rule, "resourceNames")) > 0
}
