package envgate.k8s.lib_rbac

# The rules of every Role and ClusterRole (`role_rules`), for the RBAC checks.
#
# Kept in a package of its own, like lib_pods: only the RBAC rules pay for it.

import data.envgate.k8s.lib
import data.envgate.k8s.lib_objects
import rego.v1

role_kinds := {"Role", "ClusterRole"}

# Each rule of each role: `role` (the object entry), `rule` (the PolicyRule object),
# `index` and `path` (its JSON path inside the document).
role_rules := [entry |
	some obj in lib_objects.objects
	obj.kind in role_kinds
	some index, rule in lib.list(object.get(obj.object, "rules", []))
	is_object(rule)
	entry := {
		"role": obj,
		"rule": rule,
		"index": index,
		"path": array.concat(obj.prefix, ["rules", index]),
	}
]

# The strings of one of a rule's lists (`verbs`, `resources`, `apiGroups`…).
strings(rule, field) := [s | some s in lib.list(object.get(rule, field, [])); is_string(s)]

# The rule covers the core API group ("" — where Secrets and Pods live), also through "*".
# A rule without apiGroups is rejected by the API server for resources; it is taken as
# the core group, so a malformed role is not judged as harmless.
core_group(rule) if {
	some group in strings(rule, "apiGroups")
	group in {"", "*"}
}

core_group(rule) if count(strings(rule, "apiGroups")) == 0

# The verbs of a rule that are among `wanted` ("*" grants all of them).
granted(rule, wanted) := sort([verb |
	some verb in strings(rule, "verbs")
	verb in (wanted | {"*"})
])

# `Role shop/reader` as messages name it (the namespace when there is one).
role_label(obj) := text if {
	ns := lib.namespace(obj)
	ns != ""
	text := sprintf("%s %s/%s", [obj.kind, ns, lib.object_name(obj.object)])
	is_string(text)  # holds for any defined value (L012)
} else := lib.label(obj)
