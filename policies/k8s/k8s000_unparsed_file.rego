# METADATA
# title: File not read as written
# description: |
#   envgate judges what it can read. A checked file it cannot parse (a YAML or JSON
#   syntax error, an unreadable or non-UTF-8 file) would otherwise pass the gate with
#   nothing in it judged, so it is an error of its own, at the line and column where
#   the parser stopped. A duplicate key is read as kubectl reads it (the last value
#   wins) and reported as a warning: the value meant may be the other one.
#   `--allow-unparsed` (or `allow-unparsed: true` in .envgate.yaml) lists unparsable
#   files without failing the check; waivers and severity overrides apply as to any rule.
#   A file that cannot be read at all or is too large to judge fails the check (exit 2)
#   whatever those say: nothing in it was judged.
# custom:
#   id: K8S000
#   severity: error
#   since: 1.0.0
#   per_file: true
#   category: Hygiene
#   remediation: |
#     Fix {{ vars.file }} at line {{ vars.line }}, column {{ vars.column }}: {{ vars.problem }}
#     Check what the cluster would read with: kubectl apply --dry-run=client -f {{ vars.file }}
#     If the file is not meant to be checked, exclude it (--exclude GLOB, or exclude: in .envgate.yaml).
package envgate.k8s.k8s000_unparsed_file

import rego.v1

# Files that could not be parsed: nothing in them was judged.
deny contains finding if {
	not allowed
	some doc in input.files
	is_object(doc.error)
	finding := {
		"msg": sprintf("%s could not be parsed, so nothing in it was judged: %s", [doc.path, doc.error.message]),
		"location": {"file": doc.path, "line": doc.error.line, "column": doc.error.column},
		"vars": vars(doc, doc.error),
	}
}

# Duplicate keys: read as kubectl reads them, but possibly not as meant.
deny contains finding if {
	some doc in input.files
	some warning in object.get(doc, "warnings", [])
	finding := {
		"msg": sprintf("%s: %s", [doc.path, warning.message]),
		"location": {"file": doc.path, "line": warning.line, "column": warning.column},
		"severity": "warning",
		"vars": vars(doc, warning),
	}
}

allowed if input.files_summary.unparsed_allowed == true

vars(doc, problem) := {
	"file": doc.path,
	"line": problem.line,
	"column": problem.column,
	"problem": problem.message,
}
