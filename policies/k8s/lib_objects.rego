package envgate.k8s.lib_objects

# The Kubernetes objects of the checked files (`objects`).
#
# Kept in a package of its own: regorus evaluates every rule of a package the first
# time a rule of it is used, so a rule that needs only the objects does not pay for
# the pod specs and containers, and the lib's functions cost nothing until called.

import rego.v1

# Every Kubernetes object of the checked files: one per document, and the items of a
# `kind: List` document (what `kubectl get -o yaml` prints). Each entry holds `object`,
# its `kind`, `file` and `document`, `prefix` (where the object sits inside its
# document: [] or ["items", i]) and `doc_index` (to find the document again without
# copying it).
#
# Performance: this, `pod_specs` and `containers` are computed over every document
# (once per entry point and batch), so this one's body uses builtins only (a user
# function call costs regorus's VM ~2,000 instructions, its interpreter more; the pod
# specs and containers call a few, once per workload or container), they are arrays
# (a set compares whole manifests to stay ordered), and `input.files` is read directly
# (a rule holding it costs ~0.1 ms per document). Names and labels for messages are
# made by `lib.label` when a rule reports, not for every entry.
objects := array.concat(
	[entry |
		is_array(input.files)
		some doc_index, doc in input.files
		doc.kind == "kubernetes"
		kind := doc.resource_kind
		is_string(kind)
		not list_documents[doc_index]
		entry := {
			"file": doc.path,
			"document": doc.document,
			"doc_index": doc_index,
			"prefix": [],
			"object": doc.content,
			"kind": kind,
		}
	],
	[entry |
		some doc_index in list_documents
		doc := input.files[doc_index]
		some i, item in doc.content.items
		is_object(item)
		item_kind := object.get(item, "kind", null)
		is_string(item_kind)
		entry := {
			"file": doc.path,
			"document": doc.document,
			"doc_index": doc_index,
			"prefix": ["items", i],
			"object": item,
			"kind": item_kind,
		}
	],
)

# The documents that wrap other objects: a kind ending in List with an items array
# (PodList, List…). Anything else is an object of its own, whatever its name.
list_documents contains doc_index if {
	is_array(input.files)
	some doc_index, doc in input.files
	kind := doc.resource_kind
	is_string(kind)
	endswith(kind, "List")
	is_array(doc.content.items)
}
