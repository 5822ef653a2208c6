# METADATA
# title: Wildcard in RBAC rules
# description: |
#   A `*` in a Role's or ClusterRole's `verbs` or `resources` grants everything there is,
#   including what the API adds later (new subresources, new kinds of a CRD group) and
#   Secrets: the role grows without anyone editing it.
#   Decision: each `*` in `verbs` or `resources` of a rule is reported, at the entry. A
#   `*` in `apiGroups` alone is not (with named resources and verbs the rule still says
#   what it grants); `nonResourceURLs: ["*"]` is not (read-only health and version
#   endpoints in practice).
# related_resources:
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=wildcard-in-rules
#     description: kube-linter wildcard-in-rules
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_49
# custom:
#   id: K8S022
#   severity: warning
#   since: 1.1.0
#   reads: [kubernetes]
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, replace `*` in {{ vars.entry_path }} of {{ vars.object }} with the {{ vars.field }} it needs, listed one by one.
#     `kubectl auth can-i --list --as=<subject>` on a test cluster shows what the role's subjects use.
package envgate.k8s.k8s022_rbac_wildcard

import data.envgate.k8s.lib
import data.envgate.k8s.lib_rbac
import rego.v1

deny contains finding if {
	some entry in lib_rbac.role_rules
	some field in ["verbs", "resources"]
	some j, value in lib.list(object.get(entry.rule, field, []))
	value == "*"
	entry_path := array.concat(entry.path, [field, j])
	finding := {
		"msg": sprintf("%s rule %d grants every %s (`*` in %s)", [lib_rbac.role_label(entry.role), entry.index, noun[field], field]),
		"location": {"file": entry.role.file, "document": entry.role.document, "path": entry_path},
		"vars": object.union(lib.object_vars(entry.role), {"field": field, "entry_path": lib.dotted(entry_path)}),
	}
}

noun := {"verbs": "verb", "resources": "resource"}
