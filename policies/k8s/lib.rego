package envgate.k8s.lib

# Shared functions of the k8s pack. The entries they take come from lib_objects.rego
# (`objects`), lib_pods.rego (`pod_specs`) and lib_containers.rego (`containers`), each
# with the JSON path (`location.path`) it sits at inside its document, so a rule can
# point at the offending key and envgate can turn that into a line and column.
#
# Manifests are user data: any field may be missing, null or of the wrong type, and a
# builtin called with a wrong type (or `some x in null`) stops the whole run, so every
# walk goes through `list`/`mapping`, which turn anything else into an empty value.

import rego.v1

# `value` when it is an array, else [].
list(value) := value if is_array(value) else := []

# `value` when it is an object, else {}.
mapping(value) := value if is_object(value) else := {}

# `value` when it is a string, else "".
text(value) := value if is_string(value) else := ""

# `Deployment/web` for an object, pod spec or container entry's workload.
label(entry) := sprintf("%s/%s", [entry.kind, object_name(entry.object)])

object_name(obj) := name if {
	name := object.get(obj, ["metadata", "name"], null)
	is_string(name)
	name != ""
} else := name if {
	# A generateName object has no name yet; show the prefix it will get one from.
	prefix := object.get(obj, ["metadata", "generateName"], null)
	is_string(prefix)
	prefix != ""
	name := sprintf("%s*", [prefix])
} else := "(unnamed)"

# The object's namespace ("" when it has none).
namespace(entry) := text(object.get(entry.object, ["metadata", "namespace"], ""))

# The container's name, or where it is when it has none.
container_name(c) := c.container.name if {
	is_string(c.container.name)
	c.container.name != ""
} else := sprintf("%s[%d]", [c.field, c.index])

# A finding's location is written out in each rule as `{"file": entry.file, "document":
# entry.document, "path": path}`: the file, the document inside it and the JSON path of
# the key (the entry is an object, pod spec or container). A path to a missing key is
# fine: the report points at the deepest part of it that the file has (where the key
# should be added), which is cheaper there than in Rego. Written out, not made by a
# function here, as the entries' `label` and `vars` are read, not returned by one: a
# user function call costs regorus's VM ~2,000 instructions, paid once per finding.

# securityContext fields a pod may set for all its containers; a container that sets
# the same field wins.
pod_level_fields := {
	"runAsUser",
	"runAsGroup",
	"runAsNonRoot",
	"seccompProfile",
	"seLinuxOptions",
	"windowsOptions",
	"appArmorProfile",
}

# A securityContext field as the container sees it: `value` (null when set nowhere),
# `from` ("container", "pod" or null) and `path`, the key that sets it, or the
# container's key where it is missing (the report then points at the deepest part of
# that path the file has: its securityContext, else the container).
effective(c, field) := {"value": value, "from": "container", "path": path} if {
	value := object.get(c.container, ["securityContext", field], null)
	value != null
	path := array.concat(c.path, ["securityContext", field])
	is_array(path)  # holds for any defined value (L012)
} else := {"value": value, "from": "pod", "path": path} if {
	field in pod_level_fields
	value := object.get(c.pod.spec, ["securityContext", field], null)
	value != null
	path := array.concat(c.pod.path, ["securityContext", field])
	is_array(path)  # holds for any defined value (L012)
} else := {"value": null, "from": null, "path": array.concat(c.path, ["securityContext", field])}

# A JSON path as people write it: spec.template.spec.containers[0].securityContext.
dotted(path) := trim_prefix(concat("", [sprintf(formats[type_name(p)], [p]) | some p in path]), ".") if {
	formats := {"string": ".%s", "number": "[%v]"}
}

# The vars every object finding gives its remediation template.
object_vars(obj) := {
	"file": obj.file,
	"object": label(obj),
	"object_path": dotted(obj.prefix),
}

# A capability name as the runtime compares it: upper case, without `CAP_`.
capability(name) := trim_prefix(upper(name), "CAP_") if is_string(name)

# " (inherited from the pod's securityContext)" when a setting comes from the pod.
inherited_note(setting) := " (inherited from the pod's securityContext)" if setting.from == "pod" else := ""

# The repository and tag of an image reference without a digest (tag "" when none).
image_ref(image) := {"repository": repository, "tag": tag} if {
	segments := split(image, "/")
	last := segments[count(segments) - 1]
	contains(last, ":")
	tag := split(last, ":")[1]
	is_string(tag)  # holds for any defined value (L012)
	repository := substring(image, 0, (count(image) - count(tag)) - 1)
} else := {"repository": image, "tag": ""}
