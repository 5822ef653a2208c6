# METADATA
# title: Go release out of support
# description: |
#   The Go team supports the two newest major releases: each gets security and critical
#   fixes until two newer majors exist (https://go.dev/doc/devel/release#policy). An older
#   toolchain gets no more fixes, and current modules, gopls and linters increasingly
#   require newer Go.
#   Decision: the supported releases are policy data (`supported_go` in the pack's
#   data.json, so a site can pin its own list) and the check fires when the version of
#   the `go` on PATH (build info of `bin/go`, else `VERSION`) is older than the oldest of
#   them. Go ships a major release every February and August: 1.25 (August 2025), 1.26
#   (February 2026) and 1.27 (August 2026), so as of 2026-11-23 the supported releases
#   are 1.27 and 1.26, and anything before 1.26 is out of support; the list needs an
#   update when 1.28 ships (February 2027). Only the active toolchain is judged (the one
#   that builds your code; shadowed ones are GO002's), and an unknown version (a snap in
#   an image, a shim, a development build) is not judged.
# related_resources:
#   - ref: https://go.dev/doc/devel/release#policy
#   - ref: https://go.dev/dl/
# custom:
#   id: GO008
#   severity: warning
#   since: 1.0.0
#   category: Toolchain
#   remediation: |
#     Install a supported release (Go {{ vars.newest }}) from https://go.dev/dl/ and put it first on PATH:
#       sudo rm -rf /usr/local/go && sudo tar -C /usr/local -xzf go{{ vars.newest }}*.{{ host.os }}-{{ host.arch }}.tar.gz
#       echo 'export PATH="/usr/local/go/bin:$PATH"' >> {{ vars.profile }}
#     or with your version manager (`goenv install`, `asdf install golang`, `mise use -g go@{{ vars.newest }}`).{% if vars.package %}
#     Then remove the distribution's old package if nothing else needs it: sudo apt-get remove {{ vars.package }}{% endif %}
package envgate.go.go008_go_release_out_of_support

import data.envgate.go.lib
import rego.v1

supported := data.pack_data.go.supported_go

# The oldest supported major: no other supported release is older.
oldest := v if {
	some v in supported
	not older_exists(v)
}

older_exists(v) if {
	some other in supported
	lib.version_less(other, v)
}

newest := v if {
	some v in supported
	not newer_exists(v)
}

newer_exists(v) if {
	some other in supported
	lib.version_less(v, other)
}

# Debian's versioned package, for the cleanup hint.
package_of(goroot) := sprintf("golang-%s-go", [trim_prefix(goroot, "/usr/lib/go-")]) if {
	startswith(goroot, "/usr/lib/go-")
} else := ""

deny contains finding if {
	t := lib.active_toolchain
	is_string(t.version)
	lib.version_parts(t.version)
	lib.version_less(t.version, oldest)
	finding := {
		"msg": sprintf("the go on PATH is %s (%s), which no longer gets security fixes: the Go team supports only the two newest releases, %s (as of %s)", [
			t.version, t.goroot, concat(" and ", sort_versions_desc(supported)),
			object.get(data.pack_data.go, "supported_go_as_of", "the pack's release date"),
		]),
		"subject": sprintf("go.toolchains[%d]", [input.go.active]),
		"vars": {
			"version": t.version,
			"goroot": t.goroot,
			"supported": supported,
			"newest": newest,
			"package": package_of(t.goroot),
			"profile": lib.login_profile,
		},
	}
}

sort_versions_desc(vs) := [v | some v in array.reverse(sort(vs))]
