# METADATA
# title: RBAC allows exec or attach into pods
# description: |
#   `pods/exec` and `pods/attach` run commands in, or take over the terminal of, any pod
#   the role reaches: whatever those pods can read (mounted Secrets, tokens, the
#   service's data) the subject can read too, and audit logs show only that a session
#   was opened.
#   Decision: a rule naming `pods/exec`, `pods/attach` or `pods/*` in the core group
#   with `create`, `get` or `*` is reported at the entry (`get` too, since WebSocket
#   clients open exec sessions with it).
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/rbac/
#     description: Polaris clusterrolePodExecAttach, rolePodExecAttach
# custom:
#   id: K8S024
#   severity: warning
#   since: 1.1.0
#   reads: [kubernetes]
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, remove `{{ vars.resource }}` from rule {{ vars.rule_path }} of {{ vars.object }} unless its subjects are people who debug these pods; give them a separate role bound only where they need it.
package envgate.k8s.k8s024_rbac_pod_exec

import data.envgate.k8s.lib
import data.envgate.k8s.lib_rbac
import rego.v1

session_resources := {"pods/exec", "pods/attach", "pods/*"}

session_verbs := {"create", "get"}

deny contains finding if {
	some entry in lib_rbac.role_rules
	lib_rbac.core_group(entry.rule)
	some j, resource in lib.list(object.get(entry.rule, "resources", []))
	resource in session_resources
	verbs := lib_rbac.granted(entry.rule, session_verbs)
	count(verbs) > 0
	finding := {
		"msg": sprintf("%s rule %d lets its subjects open sessions in pods (%s: %s)", [lib_rbac.role_label(entry.role), entry.index, resource, concat(", ", verbs)]),
		"location": {"file": entry.role.file, "document": entry.role.document, "path": array.concat(entry.path, ["resources", j])},
		"vars": object.union(lib.object_vars(entry.role), {"resource": resource, "rule_path": lib.dotted(entry.path)}),
	}
}
