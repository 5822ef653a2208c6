package envgate.repo.lib_test

import data.envgate.repo.lib
import rego.v1

# One document of a checked file.
doc(path, kind, content) := {"path": path, "document": 0, "line": 1, "kind": kind, "content": content}

with_facts(d, facts) := object.union(d, {"facts": facts})

# A Go version place as src/files/facts.rs writes it.
place(version, role, line) := {
	"written": version,
	"version": version,
	"major": to_number(parts[0]),
	"minor": to_number(parts[1]),
	"patch": patch_of(parts),
	"prerelease": "",
	"role": role,
	"what": "",
	"line": line,
} if {
	parts := split(version, ".")
}

patch_of(parts) := to_number(parts[2]) if count(parts) > 2

patch_of(parts) := -1 if count(parts) <= 2

gomod(path, go, toolchain) := with_facts(doc(path, "go.mod", {}), {
	"dir": dir_of(path),
	"go_versions": [p | some p in [place(go, "go", 3), tc_place(toolchain)]; is_object(p)],
})

tc_place(toolchain) := place(toolchain, "toolchain", 5) if toolchain != ""

tc_place("") := null

dir_of(path) := "" if not contains(path, "/")

dir_of(path) := concat("", [concat("/", array.slice(parts, 0, count(parts) - 1)), "/"]) if {
	contains(path, "/")
	parts := split(path, "/")
}

test_older_compares_patches_only_when_both_have_one if {
	lib.older(place("1.21", "ci", 1), place("1.23", "go", 1))
	not lib.older(place("1.23", "ci", 1), place("1.23.4", "go", 1))
	lib.older(place("1.23.1", "ci", 1), place("1.23.4", "go", 1))
	lib.same_release(place("1.23", "ci", 1), place("1.23.4", "go", 1))
	not lib.same_release(place("1.24", "ci", 1), place("1.23.4", "go", 1))
}

test_secret_says_how_it_was_found if {
	lib.secret("HELPER", "x [REDACTED:github-token] y") == {"by": "value", "form": "github-token"}
	lib.secret("DB_PASSWORD", "[REDACTED]") == {"by": "name", "form": ""}
	not lib.secret("DB_PASSWORD", "plain")
}

test_names_that_refer_to_a_secret_are_not_secrets if {
	suffix := {"repo": {"secret_names": {"reference_suffix": `(?i)[_.-](FILE|PATH)S?$`}}}
	not lib.secret("DB_PASSWORD_FILE", "[REDACTED]") with data.pack_data as suffix
	lib.secret("DB_PASSWORD_FILE", "[REDACTED:github-token]") with data.pack_data as suffix
}
