# Helpers for the module, proxy and go.mod rules (GO022–GO041): module hosts that
# look private, private-module patterns, the manifests cmd/go reads, GOFLAGS words.
# Not a rule: it has no METADATA id.
package envgate.go.modules_lib

import data.envgate.go.lib
import rego.v1

# The pack's lists of module hosts (policies/go/data.json, key `module_hosts`).
module_hosts := object.get(data.pack_data, ["go", "module_hosts"], {})

# The first element of a module path, lower-cased: the host it is fetched from.
host_of(path) := lower(split(path, "/")[0])

# A host the data lists as public: exactly, or under a listed `.suffix`.
public_host(host) if host in object.get(module_hosts, "public", [])

public_host(host) if {
	some entry in object.get(module_hosts, "public", [])
	startswith(entry, ".")
	endswith(host, entry)
}

# Why a module host looks private; undefined when it does not (or is listed public).
private_reason(host) := reason if {
	not public_host(host)
	reason := first_private_reason(host)
}

first_private_reason(host) := "has no dot, so it is no internet host name" if {
	not contains(host, ".")
} else := "is an IP address" if {
	regex.match(`^[0-9]{1,3}(\.[0-9]{1,3}){3}(:[0-9]+)?$`, host)
} else := sprintf("ends in .%s, a name that does not resolve on the public internet", [suffix]) if {
	suffix := private_suffix(host)
	is_string(suffix)  # holds for any defined value (L012)
} else := sprintf("has a `%s` label, typical of an internal server", [label]) if {
	labels := split(host, ".")
	some label in array.slice(labels, 0, count(labels) - 1)
	label in object.get(module_hosts, "private_labels", [])
}

# The private suffix a host ends in, undefined when none: a rule of its own, so that
# when its loop finds nothing, first_private_reason's next `else` is taken (unpatched
# regorus's VM returns nothing after a loop in a body followed by `else` matches
# nothing, lint L013).
private_suffix(host) := suffix if {
	some suffix in object.get(module_hosts, "private_suffixes", [])
	endswith(host, sprintf(".%s", [suffix]))
}

# Non-empty, trimmed elements of a comma-separated setting (GOPRIVATE, GOINSECURE, …).
pattern_list(value) := [p | some raw in split(value, ","); p := trim_space(raw); p != ""]

# The patterns of a Go setting; [] when it is unset.
patterns(name) := pattern_list(lib.setting(name))

# The manifests cmd/go reads: go.mod, and go.work unless GOWORK=off.
manifests contains input.workspace.go_mod if is_object(input.workspace.go_mod)

manifests contains input.workspace.go_work if {
	is_object(input.workspace.go_work)
	lib.setting("GOWORK") != "off"
}

# A go.work applies to the checked directory.
work_active if {
	is_object(input.workspace.go_work)
	lib.setting("GOWORK") != "off"
}

# A file's directory and base name.
dir_of(file) := regex.replace(file, `/[^/]*$`, "")

base_name(file) := regex.replace(file, `^.*/`, "")

# `mod` for go.mod, `work` for go.work: the `go mod edit` / `go work edit` verb.
edit_tool(file) := "work" if endswith(file, "go.work") else := "mod"

# The GOFLAGS words that are flags, as parsed by the collector.
goflags := [f | some f in object.get(input, ["go_settings", "goflags"], []); is_string(f.name)]

# The value of the last `-mod=` flag in GOFLAGS (the flag package keeps the last).
mod_flag := goflags[i].value if {
	mods := [j | some j, f in goflags; f.name == "mod"]
	count(mods) > 0
	i := mods[count(mods) - 1]
	is_string(goflags[i].value)
}

# GOFLAGS joined again without the words whose index is in `dropped`.
goflags_without(dropped) := concat(" ", [f.raw | some f in object.get(input, ["go_settings", "goflags"], []); not f.index in dropped])
