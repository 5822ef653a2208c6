# METADATA
# title: Deprecated or removed API version
# description: |
#   Kubernetes removes beta API versions a few releases after their stable replacement
#   ships, and alpha ones whenever it likes; a manifest still written against one is
#   rejected by `kubectl apply` ("no matches for kind … in version …") on any cluster at
#   or past that release, and often fails only on the day the cluster is upgraded.
#   Decision: the apiVersion (and, where a group version was reused for other kinds,
#   the kind) is looked up in the pack data's `api_lifecycle` table: every API version
#   the official deprecation guide lists as removed, plus the alpha versions removed
#   without notice, each with the release that deprecated and removed it and what
#   replaces it. It is judged against the target Kubernetes version, the pack data's
#   `kubernetes_version` (`kubernetes-version:` in .envgate.yaml), a quoted
#   MAJOR.MINOR[.PATCH] with an optional `v`; unset, or not such a version, the newest
#   release the table knows (`api_lifecycle.newest_release`) is the target. An API
#   removed at or before the target is a warning; one deprecated at or before it but
#   removed later is info (it still works on that cluster, not on the next ones).
#   PodSecurityPolicy, PodPreset and ClusterCIDR have no replacement API; the message
#   says what replaces them.
# related_resources:
#   - ref: https://kubernetes.io/docs/reference/using-api/deprecation-guide/
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score stable-version
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=no-extensions-v1beta
#     description: kube-linter no-extensions-v1beta
# custom:
#   id: K8S018
#   severity: warning
#   since: 1.0.0
#   reads: [kubernetes]
#   autofix: safe
#   per_file: true
#   category: Hygiene
#   remediation: |
#     {% if vars.replacement %}In {{ vars.file }}, move {{ vars.object }} to `apiVersion: {{ vars.replacement }}`{% if vars.replacement == "apps/v1" %} (apps/v1 requires `spec.selector`){% endif %}. `kubectl convert -f {{ vars.file }} --output-version {{ vars.replacement }}` (the kubectl-convert plugin) does most of it; check the fields the new version renamed.{% else %}{{ vars.object }} cannot be moved to another version: {{ vars.note }}. Then delete it from {{ vars.file }}.{% endif %}
package envgate.k8s.k8s018_removed_api_version

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_objects
import rego.v1

lifecycle := object.get(data.pack_data, ["k8s", "api_lifecycle"], {})

# A release as [major, minor] numbers: "1.29", "v1.29.3" → [1, 29]; undefined for
# anything else (a YAML number such as 1.30 has already lost its zero).
release(version) := [to_number(parts[1]), to_number(parts[2])] if {
	is_string(version)
	parts := regex.find_all_string_submatch_n(`^v?([0-9]+)\.([0-9]+)(\.[0-9]+)?$`, trim_space(version), 1)[0]
}

# The release findings are judged for: the configured one, else the newest the table
# knows (so an unset or unreadable target reports the most, never the least).
target := version if {
	version := object.get(data.pack_data, ["k8s", "kubernetes_version"], null)
	release(version)
} else := lifecycle.newest_release

# The target as MAJOR.MINOR, for messages.
target_release := sprintf("%d.%d", release(target))

apis := lib.list(lifecycle.apis)

# The table's entries by apiVersion, built once per evaluation: each document looks up
# its own instead of scanning the whole table.
by_api_version := {version: [e | some e in apis; e.api_version == version] |
	some version in {e.api_version | some e in apis}
}

# The table's entries for an apiVersion and kind: those that name the kind, else those
# for every kind of the group version.
entries(api_version, kind) := named if {
	named := [e | some e in object.get(by_api_version, api_version, []); kind in lib.list(object.get(e, "kinds", []))]
	count(named) > 0
} else := [e | some e in object.get(by_api_version, api_version, []); object.get(e, "kinds", null) == null]

# At or before the target release.
reached(version) if {
	version != null
	release(version) <= release(target)
}

deny contains finding if {
	some obj in lib_objects.objects
	api_version := obj.object.apiVersion
	is_string(api_version)
	some entry in entries(api_version, obj.kind)
	status := status_of(entry)
	finding := object.union(severity_of(status), {
		"msg": message(obj, api_version, entry, status),
		"location": {"file": obj.file, "document": obj.document, "path": array.concat(obj.prefix, ["apiVersion"])},
		"vars": object.union(lib.object_vars(obj), {
			"api_version": api_version,
			"status": status,
			"target": target_release,
			"deprecated_in": object.get(entry, "deprecated", null),
			"removed_in": object.get(entry, "removed", null),
			"replacement": object.get(entry, "replacement", null),
			"note": object.get(entry, "note", ""),
		}),
		"fix": [edit | fix_lib.wanted; some edit in move_fix(obj, api_version, object.get(entry, "replacement", null))],
	})
}

status_of(entry) := "removed" if {
	reached(object.get(entry, "removed", null))
} else := "deprecated" if {
	reached(object.get(entry, "deprecated", null))
}

severity_of("removed") := {}

severity_of("deprecated") := {"severity": "info"}

message(obj, api_version, entry, "removed") := sprintf("%s uses apiVersion %s, removed in Kubernetes %s: clusters since then reject it; %s", [lib.label(obj), api_version, entry.removed, instead(entry)])

message(obj, api_version, entry, "deprecated") := sprintf("%s uses apiVersion %s, deprecated since Kubernetes %s%s: %s", [lib.label(obj), api_version, entry.deprecated, removal_note(entry), instead(entry)])

removal_note(entry) := sprintf(" and removed in %s, after the target %s", [entry.removed, target_release]) if entry.removed != null

removal_note(entry) := "" if object.get(entry, "removed", null) == null

instead(entry) := sprintf("use %s", [entry.replacement]) if entry.replacement != null

instead(entry) := sprintf("it has no replacement API (%s)", [object.get(entry, "note", "see the deprecation guide")]) if entry.replacement == null

# Moves whose new version has the same fields and defaults as the old one (the
# Kubernetes deprecated-API migration guide lists "no notable changes" for them):
# changing apiVersion is the whole move, so the edit is safe.
same_schema := {
	["batch/v1beta1", "CronJob"],
	["rbac.authorization.k8s.io/v1beta1", "Role"],
	["rbac.authorization.k8s.io/v1beta1", "ClusterRole"],
	["rbac.authorization.k8s.io/v1beta1", "RoleBinding"],
	["rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"],
	["scheduling.k8s.io/v1beta1", "PriorityClass"],
	["coordination.k8s.io/v1beta1", "Lease"],
	["networking.k8s.io/v1beta1", "IngressClass"],
	["storage.k8s.io/v1beta1", "StorageClass"],
	["storage.k8s.io/v1beta1", "CSIStorageCapacity"],
	["apiregistration.k8s.io/v1beta1", "APIService"],
}

# The workload kinds' move to apps/v1 needs a selector (apps/v1 requires one) and
# changes defaults (revisionHistoryLimit, progressDeadlineSeconds, the rolling update's
# surge): unsafe. Other moves rename or restructure fields: no structured fix.
apps_kinds := {"Deployment", "DaemonSet", "ReplicaSet", "StatefulSet"}

move_fix(obj, api_version, replacement) := edits if {
	is_string(replacement)
	[api_version, obj.kind] in same_schema
	edits := [fix_lib.yaml_set(obj, array.concat(obj.prefix, ["apiVersion"]), replacement, true)]
	is_array(edits)  # holds for any defined value (L012)
} else := edits if {
	replacement == "apps/v1"
	obj.kind in apps_kinds
	is_object(object.get(obj.object, ["spec", "selector"], null))
	edits := [fix_lib.yaml_set(obj, array.concat(obj.prefix, ["apiVersion"]), replacement, false)]
	is_array(edits)  # holds for any defined value (L012)
} else := []
