# METADATA
# title: Pinned Go version is not installed
# description: |
#   Version managers choose Go per directory from a pin file: goenv reads `.go-version`
#   (walking up from the current directory) and then `~/.goenv/version`, gvm reads
#   `.go-version`, asdf reads `golang X` in `.tool-versions`, mise reads `.tool-versions`
#   and `[tools] go = "X"` in `mise.toml`. When the pinned version is not installed, every
#   `go` command in that directory fails (`goenv: version '1.22.3' is not installed (set
#   by …/.go-version)`, asdf's `No version is set for command go`, mise's `missing:
#   go@1.22.3`), often only in the editor or CI that honours the pin.
#   Decision: the nearest pin of each kind at or above the checked directory is judged,
#   plus the user-wide goenv default. A pin counts only when a version manager that
#   reads that file is installed in the home directory (a bare `.go-version` may be
#   there for CI's setup-go); it is satisfied when one of those managers has the version
#   installed, exactly or, for a prefix like `1.22` or `latest`, by any matching version
#   (mise's fuzzy matching). `system`, `ref:` and `path:` pins are not judged.
# related_resources:
#   - ref: https://github.com/go-nv/goenv/blob/master/COMMANDS.md
#   - ref: https://github.com/asdf-community/asdf-golang
#   - ref: https://mise.jdx.dev/configuration.html
# custom:
#   id: GO011
#   severity: error
#   since: 1.0.0
#   category: Toolchain
#   systems: [linux, darwin]
#   remediation: |
#     Install the pinned version:
#       {{ vars.install }}
#     or pin a version that is installed{% if vars.installed_text %} ({{ vars.installed_text }}){% endif %} in {{ vars.file }}, line {{ vars.line }}.
package envgate.go.go011_pinned_go_not_installed

import rego.v1

number(v) := trim_prefix(trim_prefix(v, "prefix:"), "go")

# Present managers that read the pin's file.
readers(pin) := [m |
	some m in input.go.version_managers
	m.present
	m.name in pin.read_by
]

install_command("goenv", pin) := sprintf("goenv install %s", [number(pin.value)])

install_command("asdf", pin) := sprintf("asdf install golang %s", [number(pin.value)])

install_command("mise", pin) := sprintf("mise install go@%s", [number(pin.value)])

install_command("gvm", pin) := sprintf("gvm install go%s", [number(pin.value)]) if pin.kind == "version"

wanted(m, pin) := text if {
	m.name == "gvm"
	pin.kind == "version"
	text := sprintf("go%s", [number(pin.value)])
	is_string(text)  # holds for any defined value (L012)
} else := number(pin.value) if pin.kind == "version"

# A pin like `1.27` is also met by any 1.27.x.
missing_text(m, pin) := sprintf("no %s in %s", [wanted(m, pin), m.versions_dir]) if {
	pin.kind == "version"
	count(split(number(pin.value), ".")) >= 3
}

missing_text(m, pin) := sprintf("no %s or %s.x in %s", [w, w, m.versions_dir]) if {
	pin.kind == "version"
	count(split(number(pin.value), ".")) < 3
	w := wanted(m, pin)
}

missing_text(m, pin) := sprintf("nothing in %s", [m.versions_dir]) if pin.kind == "latest"

dir_of(file) := regex.replace(file, `/[^/]*$`, "")

where(pin) := sprintf("go commands in %s and below fail", [dir_of(pin.file)]) if pin.scope == "project"

where(pin) := "go commands fail in every directory without its own pin" if pin.scope != "project"

# goenv's own words, the most common case.
symptom(pin, names) := text if {
	"goenv" in names
	text := sprintf(": `goenv: version '%s' is not installed (set by %s)`", [pin.value, pin.file])
	is_string(text)  # holds for any defined value (L012)
} else := ""

deny contains finding if {
	some i, pin in input.go.version_pins
	pin.kind in {"version", "latest"}
	count(pin.installed) == 0
	managers := readers(pin)
	count(managers) > 0
	names := [m.name | some m in managers]
	installed := sort({v | some m in managers; some v in m.versions})
	finding := {
		"msg": sprintf("%s:%d pins Go %s, which is not installed for %s (%s); %s%s", [
			pin.file, pin.line, pin.value, concat(", ", names),
			concat("; ", [missing_text(m, pin) | some m in managers]),
			where(pin), symptom(pin, names),
		]),
		"subject": sprintf("go.version_pins[%d]", [i]),
		"location": {"file": pin.file, "line": pin.line},
		"vars": {
			"file": pin.file,
			"line": pin.line,
			"value": pin.value,
			"managers": names,
			"install": concat("\n  ", [c | some m in managers; c := install_command(m.name, pin)]),
			"installed_text": concat(", ", installed),
		},
	}
}
