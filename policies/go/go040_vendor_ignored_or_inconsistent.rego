# METADATA
# title: Vendor directory ignored or inconsistent
# description: |
#   With a `vendor/` directory beside go.mod, the go command builds from it instead of
#   the module cache — but only under conditions that are easy to break. When go.mod
#   says `go 1.13` or older (or has no go line) the vendor directory is ignored unless
#   `-mod=vendor` is given; GOFLAGS with `-mod=mod` or `-mod=readonly` makes every
#   command ignore it too, so builds quietly use other code than the reviewed copies.
#   When vendor is in use, vendor/modules.txt must agree with go.mod (each requirement
#   marked `## explicit` at the same version, the same replacements), or every command
#   stops with `go: inconsistent vendoring`. And GOFLAGS=-mod=vendor with no vendor
#   directory breaks every module that does not vendor.
#   Decision: judges the go.mod of the checked directory; nothing is reported when a
#   go.work applies (workspace vendoring lives at the workspace root). The effective
#   `-mod` is the last `-mod=` word of GOFLAGS. Consistency is checked the way the go
#   command checks it (modload's checkVendorConsistency): before go 1.14 only version
#   mismatches of vendored packages count. One finding per cause; consistency
#   problems are listed together, located at the first one.
# related_resources:
#   - ref: https://github.com/golang/go/issues/37734
#   - ref: https://github.com/golang/vscode-go/issues/1595
#   - ref: https://go.dev/ref/mod#vendoring
# custom:
#   id: GO040
#   severity: warning
#   since: 1.0.0
#   category: Toolchain vs go.mod
#   remediation: |
#     {% if vars.case == "inconsistent" %}Regenerate the vendor directory from go.mod:
#       cd {{ vars.dir }} && go mod vendor{% elif vars.case == "old_go_line" %}Build from vendor/ by default: raise the go line (Go 1.14 or newer uses vendor/ automatically):
#       cd {{ vars.dir }} && go mod edit -go=1.14 && go mod vendor
#     or delete vendor/ if nobody maintains it.{% elif vars.case == "no_vendor" %}Stop forcing vendor mode for every module:
#       {{ vars.fix }}
#     and pass -mod=vendor only where a project vendors (its go line ≥ 1.14 does that by itself).{% else %}Stop overriding the module mode for every project:
#       {{ vars.fix }}
#     Projects with vendor/ then build from it; pass -mod=mod on the command line when you mean it.{% endif %}
package envgate.go.go040_vendor_ignored_or_inconsistent

import data.envgate.go.lib
import data.envgate.go.modules_lib
import rego.v1

go_mod := input.workspace.go_mod

vendor := object.get(input.workspace, "vendor", null)

mod_flag := modules_lib.mod_flag if modules_lib.mod_flag else := ""

go_line := value if {
	is_object(go_mod.go)
	value := go_mod.go.value
	value == value  # true for any value: tested so an undefined one reaches the else on unpatched regorus too (lint L012)
} else := ""

pre114 if go_line == ""

pre114 if {
	go_line != ""
	lib.version_less(go_line, "1.14")
}

# The go command builds from vendor/.
vendor_in_use if {
	vendor.exists
	mod_flag == "vendor"
}

vendor_in_use if {
	vendor.exists
	mod_flag == ""
	not pre114
}

txt := vendor.modules_txt if is_object(vendor.modules_txt) else := {"file": sprintf("%s/modules.txt", [vendor.dir]), "modules": []}

modules := object.get(txt, "modules", [])

# Consistency problems as [file, line, text].
problems contains [go_mod.file, r.line, sprintf("%s %s is required in go.mod but not marked `## explicit` in vendor/modules.txt", [r.path, r.version])] if {
	not pre114
	some r in go_mod.requires
	not explicit_entry(r.path, r.version)
}

problems contains [go_mod.file, r.line, sprintf("go.mod requires %s %s but vendor/modules.txt has %s", [r.path, r.version, vv])] if {
	pre114
	some r in go_mod.requires
	some m in modules
	m.path == r.path
	m.packages > 0
	vv := object.get(m, "version", "")
	vv != r.version
}

problems contains [txt.file, m.line, sprintf("vendor/modules.txt marks %s %s `## explicit` but go.mod does not require it", [m.path, object.get(m, "version", "")])] if {
	some m in modules
	m.explicit
	m.packages > 0
	not required(m.path, object.get(m, "version", null))
}

problems contains [go_mod.file, r.line, sprintf("go.mod replaces %s but vendor/modules.txt does not record that replacement", [r.old_path])] if {
	not pre114
	some r in go_mod.replaces
	not has_replacement_entry(r)
}

problems contains [go_mod.file, r.line, sprintf("go.mod replaces %s with %s but vendor/modules.txt records %s", [r.old_path, describe(r.new_path, object.get(r, "new_version", null)), describe(m.replacement_path, object.get(m, "replacement_version", null))])] if {
	some r in go_mod.replaces
	some m in modules
	replacement_entry(m, r)
	not same_replacement(r, m)
}

problems contains [txt.file, m.line, sprintf("vendor/modules.txt replaces %s but go.mod does not", [m.path])] if {
	some m in modules
	is_string(m.replacement_path)
	not replaced_in_go_mod(m)
}

explicit_entry(path, version) if {
	some m in modules
	m.path == path
	m.version == version
	m.explicit
}

required(path, version) if {
	some r in go_mod.requires
	r.path == path
	r.version == version
}

# `m` is modules.txt's record of the replacement `r` (same old path and version).
replacement_entry(m, r) if {
	m.path == r.old_path
	object.get(m, "version", null) == object.get(r, "old_version", null)
	is_string(m.replacement_path)
}

has_replacement_entry(r) if {
	some m in modules
	replacement_entry(m, r)
}

same_replacement(r, m) if {
	r.new_path == m.replacement_path
	object.get(r, "new_version", null) == object.get(m, "replacement_version", null)
}

replaced_in_go_mod(m) if {
	some r in go_mod.replaces
	r.old_path == m.path
	object.get(r, "old_version", null) in {null, object.get(m, "version", null)}
}

describe(path, version) := sprintf("%s %s", [path, version]) if is_string(version) else := path

# Causes, each [case, message, location or null].
causes contains ["mod_flag", sprintf("GOFLAGS sets -mod=%s (%s), so go commands ignore %s and build from the module cache instead of the vendored copies", [mod_flag, lib.origin(input.go.env.GOFLAGS), vendor.dir]), null] if {
	vendor.exists
	mod_flag in {"mod", "readonly"}
}

causes contains ["old_go_line", sprintf("%s exists but go.mod %s, so go commands ignore it unless given -mod=vendor and build from the module cache instead", [vendor.dir, old_line_text]), old_line_location] if {
	vendor.exists
	mod_flag == ""
	pre114
}

causes contains ["no_vendor", sprintf("GOFLAGS sets -mod=vendor (%s) but %s has no vendor directory: go commands fail with `go: inconsistent vendoring` or cannot find packages", [lib.origin(input.go.env.GOFLAGS), lib_dir]), null] if {
	mod_flag == "vendor"
	not vendor.exists
}

causes contains ["inconsistent", sprintf("vendor/modules.txt disagrees with go.mod, so go commands fail with `go: inconsistent vendoring`: %s", [shown_problems]), {"file": first[0], "line": first[1]}] if {
	vendor_in_use
	count(problems) > 0
}

sorted_problems := sort(problems)

# Sorted by file then line: go.mod's problems come first (`go.mod` sorts before
# `vendor/`), and they are the ones to read first.
first := sorted_problems[0]

first_three := concat("; ", [p[2] | some p in array.slice(sorted_problems, 0, 3)])

shown_problems := first_three if count(problems) <= 3 else := sprintf("%s; and %d more", [first_three, count(problems) - 3])

old_line_text := sprintf("says `go %s` (before 1.14)", [go_line]) if go_line != "" else := "has no go line"

old_line_location := location if {
	is_object(go_mod.go)
	location := {"file": go_mod.file, "line": go_mod.go.line}
	is_object(location)  # holds for any defined value (L012)
} else := {"file": go_mod.file}

lib_dir := modules_lib.dir_of(go_mod.file)

goflags_rest := modules_lib.goflags_without({f.index | some f in modules_lib.goflags; f.name == "mod"})

# A default and exclusive definitions, not an `else` chain: regorus's bytecode VM ends
# an `else` chain at a branch whose function call is undefined (GOFLAGS unset), where
# the interpreter goes on to the next branch.
default drop_mod_flag := ""

drop_mod_flag := lib.remove_hint("GOFLAGS", "") if goflags_rest == ""

drop_mod_flag := lib.set_hint("GOFLAGS", goflags_rest) if goflags_rest != ""

deny contains finding if {
	is_object(go_mod)
	is_object(vendor)
	not modules_lib.work_active
	some cause in causes
	[case, msg, location] := cause
	finding := object.union(
		{
			"msg": msg,
			"subject": subject(case),
			"vars": {
				"case": case,
				"dir": lib_dir,
				"vendor": vendor.dir,
				"mod_flag": mod_flag,
				"problems": [p[2] | some p in sorted_problems],
				"fix": drop_mod_flag,
			},
		},
		location_field(location),
	)
}

subject(case) := "go.env.GOFLAGS" if case in {"mod_flag", "no_vendor"} else := "workspace.vendor"

location_field(location) := {"location": location} if is_object(location) else := {}
