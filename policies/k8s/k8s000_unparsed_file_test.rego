package envgate.k8s.k8s000_unparsed_file_test

import data.envgate.k8s.k8s000_unparsed_file as rule
import rego.v1

broken := {
	"path": "deploy/web.yaml", "document": 1, "line": 9, "kind": "yaml",
	"content": null, "positions": {}, "redacted": [],
	"error": {"message": "did not find expected key", "line": 12, "column": 5},
}

duplicated := {
	"path": "deploy/db.yaml", "document": 0, "line": 1, "kind": "kubernetes",
	"content": {"apiVersion": "v1", "kind": "Pod"}, "positions": {}, "redacted": [], "error": null,
	"warnings": [{"message": "duplicate key \"image\": the value given last is used, as kubectl does", "line": 8, "column": 9}],
}

test_an_unparsed_document_is_an_error_at_the_parser_position if {
	[f] := [x | some x in rule.deny] with input as {"files": [broken], "files_summary": {}}
	f.location == {"file": "deploy/web.yaml", "line": 12, "column": 5}
	f.msg == "deploy/web.yaml could not be parsed, so nothing in it was judged: did not find expected key"
	not f.severity
	f.vars.problem == "did not find expected key"
}

test_allow_unparsed_keeps_it_out if {
	count(rule.deny) == 0 with input as {"files": [broken], "files_summary": {"unparsed_allowed": true}}
}

test_a_duplicate_key_is_a_warning if {
	[f] := [x | some x in rule.deny] with input as {"files": [duplicated], "files_summary": {"unparsed_allowed": true}}
	f.severity == "warning"
	f.location.line == 8
}

test_quiet_on_parsed_documents if {
	clean := object.remove(duplicated, ["warnings"])
	count(rule.deny) == 0 with input as {"files": [clean], "files_summary": {}}
}
