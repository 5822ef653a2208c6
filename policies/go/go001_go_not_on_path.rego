# METADATA
# title: No `go` executable on PATH
# description: |
#   Looks `go` up in every PATH entry, the way a shell, an editor or a build script would.
#   When none holds it, nothing that runs `go` works: terminals say "command not found",
#   editors cannot start gopls, and scripts fail. Most often Go was installed (e.g. the
#   official tarball in /usr/local/go) but its bin directory was never added to PATH, or
#   was added only to ~/.bashrc, which login sessions and GUI editors do not read.
#   Decision: the finding names every installed toolchain envgate found in a known install
#   place whose bin/go exists (version-manager shims excluded), and a snap install even
#   when it is not mounted (an image), reached through /snap/bin; the fix suggests the bin
#   directory of the newest one. Without any installed toolchain it suggests installing Go.
# related_resources:
#   - ref: https://go.dev/doc/install
# custom:
#   id: GO001
#   severity: error
#   since: 0.1.0
#   autofix: safe
#   category: Toolchain
#   remediation: |
#     {% if host.os == "windows" %}{% if vars.dir %}Add Go's bin directory to your user Path in the registry (PowerShell), which every new session reads:
#       [Environment]::SetEnvironmentVariable('Path', [Environment]::GetEnvironmentVariable('Path', 'User') + ';{{ vars.dir }}', 'User')
#     then open a new terminal (running ones keep their old environment).{% else %}Install Go with the MSI from https://go.dev/dl/ (go*.windows-{{ host.arch }}.msi) or `winget install GoLang.Go`, then open a new terminal.{% endif %}{% elif vars.dir %}Add Go's bin directory to PATH in your login file, which terminals and desktop sessions read:
#       echo 'export PATH="$PATH:{{ vars.dir }}"' >> {{ vars.profile }}
#     then log out and back in (or run `. {{ vars.profile }}` in open terminals).{% else %}Install Go from https://go.dev/dl/ (sudo tar -C /usr/local -xzf go*.linux-{{ host.arch }}.tar.gz) or your package manager, then:
#       echo 'export PATH="$PATH:/usr/local/go/bin"' >> {{ vars.profile }}{% endif %}
package envgate.go.go001_go_not_on_path

import data.envgate.go.fix_lib
import data.envgate.go.lib
import rego.v1

# Installed toolchains that PATH does not reach, with the directory to add.
installed contains {"goroot": t.goroot, "dir": bin_dir(t), "version": object.get(t, "version", null)} if {
	some t in input.go.toolchains
	not t.shim
	runnable(t)
}

runnable(t) if t.layout.bin_go

# A snap's files are visible only while it is mounted; it runs through /snap/bin.
runnable(t) if t.snap

bin_dir(t) := "/snap/bin" if t.snap

bin_dir(t) := sprintf(`%s\bin`, [trim_right(t.goroot, `\`)]) if {
	not t.snap
	input.host.os == "windows"
}

bin_dir(t) := sprintf("%s/bin", [trim_right(t.goroot, "/")]) if {
	not t.snap
	not input.host.os == "windows"
}

# No other installed toolchain has a newer known version.
newest contains c if {
	some c in installed
	not newer_exists(c)
}

newer_exists(c) if {
	some other in installed
	is_string(other.version)
	not is_string(c.version)
}

newer_exists(c) if {
	some other in installed
	is_string(other.version)
	is_string(c.version)
	lib.version_less(c.version, other.version)
}

describe(c) := sprintf("%s (%s)", [c.goroot, c.version]) if is_string(c.version)

describe(c) := c.goroot if not is_string(c.version)

deny contains finding if {
	not input.path.resolved.go
	count(installed) > 0
	names := sort([describe(c) | some c in installed])
	dir := sort([c.dir | some c in newest])[0]
	finding := {
		"msg": sprintf("no `go` on PATH, but Go is installed at %s; add %s to PATH", [concat(", ", names), dir]),
		"subject": "path",
		"vars": {
			"dir": dir,
			"installed": sort([c.goroot | some c in installed]),
			"profile": lib.login_profile,
		},
		# Safe: no go runs now, so none is replaced. Not for a version manager's Go
		# (GO010 says how to activate the manager instead).
		"fix": path_fix(dir),
	}
}

deny contains finding if {
	not input.path.resolved.go
	count(installed) == 0
	finding := {
		"msg": "no `go` on PATH and no Go installation was found in the usual places",
		"subject": "path",
		"vars": {"dir": "", "installed": [], "profile": lib.login_profile},
	}
}

path_fix(dir) := [] if {
	count(object.get(input, ["shell", "installed_managers"], [])) > 0
} else := fix_lib.path_append_edits(dir, true)
