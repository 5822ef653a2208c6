# Structured fixes (`fix: [...]` in a finding, applied by `envgate fix`): the safe
# defaults a container or pod spec can be given in place, as YAML edits at the path
# the finding is about.
package envgate.k8s.fix_lib

import rego.v1

# Whether the rules build their findings' edits (every finding's `fix` is written
# `[edit | fix_lib.wanted; ...]`). A check judged in batches reports findings and never
# applies their edits (`envgate fix` judges the whole input, with them): it runs with
# `data.envgate_run.edits` false, and building the edits (their paths, the `needs`
# texts) was a tenth of the work of a 10,000-document check with 150,000 findings.
default wanted := true

wanted := false if data.envgate_run.edits == false

yaml_set(entry, path, value, safe) := {
	"kind": "yaml_set",
	"file": entry.file,
	"document": entry.document,
	"path": path,
	"value": value,
	"safe": safe,
}

yaml_delete(entry, path, safe) := {
	"kind": "yaml_delete",
	"file": entry.file,
	"document": entry.document,
	"path": path,
	"safe": safe,
}

# A new document at the end of the entry's file (added once: not when a document of
# the file already reads as `content`).
yaml_add_document(entry, content, safe) := {
	"kind": "yaml_add_document",
	"file": entry.file,
	"content": content,
	"safe": safe,
}

# A value the manifest does not have (a digest, a UID, a namespace, a quantity): the
# edit is shown with `<what>` in its place, never applied, and says what to fill in. A
# `yaml_set` written out, not made from one with `object.union`: two calls fewer.
yaml_needs(entry, path, value, needs) := {
	"kind": "yaml_set",
	"file": entry.file,
	"document": entry.document,
	"path": path,
	"value": value,
	"safe": false,
	"needs": needs,
}

# What counts as safe here: the edit sets the restrictive value the rule asks for, or
# removes an entry whose effect another one overrides, and invents no value. Edits that
# change how the workload is reached or scheduled (hostNetwork, hostPort, a Service's
# type, the replica count), or that can stop a container from starting for a reason the
# manifest cannot show (runAsNonRoot: true with an image whose USER is root), are unsafe.
