# Structured fixes (`fix: [...]` in a finding, applied by `envgate fix`): the safe
# defaults a container or pod spec can be given in place, as YAML edits at the path
# the finding is about.
package envgate.k8s.fix_lib

import rego.v1

yaml_set(entry, path, value, safe) := {
	"kind": "yaml_set",
	"file": entry.file,
	"document": entry.document,
	"path": path,
	"value": value,
	"safe": safe,
}
