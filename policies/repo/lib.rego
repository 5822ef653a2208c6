package envgate.repo.lib

# Shared functions of the repo pack. Documents come from `input.files`; Rust derives
# what is not plain content into each document's `facts` (src/files/facts.rs): Go
# versions with their lines and roles, a Dockerfile's stages, whether git ignores a
# .env file. Checked files are user data: any field may be missing or of another
# type, so walks go through `list`/`mapping`/`text`.

import rego.v1

list(value) := value if is_array(value) else := []

mapping(value) := value if is_object(value) else := {}

text(value) := value if is_string(value) else := ""

# The documents of one kind that parsed.
docs(kind) := [d | some d in input.files; d.kind == kind; is_object(d.content)]

facts(doc) := mapping(object.get(doc, "facts", {}))

# A finding at a line of a file.
at(doc, line) := {"file": doc.path, "line": line}

# A finding at a key of a document (the report turns the path into a line).
location(doc, path) := {"file": doc.path, "document": doc.document, "path": path}

# How the redactor found a secret in `value`, set under `name` (it runs before any
# rule sees a document, with the one list of secret forms the k8s pack's K8S014 reads
# too): `[REDACTED:<form>]` is a token or key known by its form, whatever the name;
# `[REDACTED]` a value of a secret-like name, unless the name says it refers to the
# secret (`DB_PASSWORD_FILE`: K8S014's `secret_names.reference_suffix`, shared).
secret(name, value) := {"by": "value", "form": form} if {
	is_string(value)
	[_, form] := regex.find_all_string_submatch_n(`\[REDACTED:([a-z0-9-]+)\]`, value, 1)[0]
	is_string(form)  # holds for any defined value (L012)
} else := {"by": "name", "form": ""} if {
	is_string(value)
	contains(value, "[REDACTED]")
	not regex.match(text(object.get(data.pack_data, ["repo", "secret_names", "reference_suffix"], "^$")), name)
}

# " (a aws-access-key-id, by its form)" or " (by its name)".
secret_note(why) := sprintf(" (recognised by its form: %s)", [why.form]) if why.by == "value"

secret_note(why) := " (by its name)" if why.by == "name"

# The final stage of a Dockerfile's facts.
final_stage(doc) := stage if {
	stages := list(facts(doc).stages)
	count(stages) > 0
	stage := stages[count(stages) - 1]
}

# A version place's release order: [major, minor, patch] (patch -1 when unwritten).
older(a, b) if a.major < b.major

older(a, b) if {
	a.major == b.major
	a.minor < b.minor
}

# Patches count only when both places write one: `1.23` in CI installs the newest
# 1.23.x, which satisfies `go 1.23.4`.
older(a, b) if {
	a.major == b.major
	a.minor == b.minor
	a.patch >= 0
	b.patch >= 0
	a.patch < b.patch
}

# Two places name the same release, as precisely as both are written.
same_release(a, b) if {
	not older(a, b)
	not older(b, a)
}

# VS Code settings a repository commits: `.vscode/settings.json` and a devcontainer's
# `customizations.vscode.settings`, each with the path of its settings object.
editor_settings contains {"doc": doc, "settings": doc.content, "path": []} if {
	some doc in docs("vscode-settings")
}

editor_settings contains {"doc": doc, "settings": settings, "path": ["customizations", "vscode", "settings"]} if {
	some doc in docs("devcontainer")
	settings := object.get(doc.content, ["customizations", "vscode", "settings"], null)
	is_object(settings)
}

# Whether setting `name` to `value` (in an image, a CI job, a devcontainer or a compose
# service) weakens how the go command verifies modules, how badly, and why; shared by
# REPO005 (Dockerfiles) and REPO007 (CI, devcontainers, compose).
weakens_module_checks("GOSUMDB", "off") := {"severity": "error", "msg": "go.sum entries of new modules are not checked against the checksum database"}

weakens_module_checks("GONOSUMDB", value) := {"severity": "error", "msg": "no module is checked against the checksum database"} if {
	some pattern in split(value, ",")
	trim_space(pattern) in {"*", "*/*"}
}

weakens_module_checks("GONOSUMCHECK", "1") := {"severity": "error", "msg": "no module is checked against the checksum database"}

weakens_module_checks("GOINSECURE", value) := {"severity": "error", "msg": "modules matching it are fetched over plain HTTP and not checked against the checksum database"} if value != ""

weakens_module_checks("GOFLAGS", value) := {"severity": "error", "msg": "-insecure fetches modules over plain HTTP"} if {
	some flag in split(value, " ")
	startswith(flag, "-insecure")
}

weakens_module_checks("GOPROXY", value) := {"severity": "warning", "msg": "without direct at the end, a module the proxy does not have cannot be downloaded at all"} if {
	value != ""
	entries := {trim_space(e) | some e in regex.split(`[,|]`, value)}
	not entries.direct
	not entries.off
}
