# METADATA
# title: Windows Go appended to a WSL distribution's PATH (Windows)
# description: |
#   WSL appends the Windows Path to every Linux shell's PATH unless the
#   distribution's `/etc/wsl.conf` sets `[interop] appendWindowsPath = false` (or
#   turns interop off). A Windows Path that holds `go.exe` (`C:\Program Files\Go\bin`,
#   the MSI's) is then on PATH inside Linux as `/mnt/c/Program Files/Go/bin`: with no
#   Linux Go, `go` there is the Windows toolchain, building Windows programs against
#   the Windows GOPATH; with one, tools that look for `go.exe` and Windows editors
#   reaching into WSL still find the Windows one. This is GO012 seen from the Windows
#   disk: the distributions the user registered (`HKCU\…\Lxss`) are read from their
#   own disks (`ext4.vhdx`, or a WSL 1 `rootfs` directory) without running them.
#   Decision: one finding per distribution, naming the first Windows Go WSL would
#   append and whether the distribution has a Go of its own; at the wsl.conf line when
#   the setting is written, else at the distribution's registry key. A distribution
#   whose disk cannot be read is an input not read whole, not a pass.
# related_resources:
#   - ref: https://learn.microsoft.com/windows/wsl/wsl-config
#   - ref: https://github.com/golang/vscode-go/issues/3160
# custom:
#   id: GO071
#   severity: warning
#   since: 1.3.0
#   category: Toolchain
#   systems: [windows]
#   remediation: |
#     In {{ vars.distribution }}, stop WSL from appending the Windows Path: in its /etc/wsl.conf (from Windows:
#     {{ vars.conf }}) set
#       [interop]
#       appendWindowsPath = false
#     then run `wsl.exe --shutdown` in Windows and reopen it.{% if not vars.linux_go %} {{ vars.distribution }} has no Go of its own:
#     install one inside it (https://go.dev/dl/, the linux build for its CPU).{% endif %}
package envgate.go.go071_windows_go_appended_into_wsl

import rego.v1

deny contains finding if {
	input.host.os == "windows"
	some i, d in object.get(input, ["windows", "wsl"], [])
	d.state == "read"
	not off(d.append_windows_path)
	not off(d.interop_enabled)
	dirs := windows_go_dirs
	count(dirs) > 0
	first := dirs[0]
	base := {
		"msg": sprintf("WSL distribution %s appends the Windows Path, so %s\\go.exe is on its PATH as %s (%s)", [d.name, first, mounted(first), own_go(d)]),
		"subject": sprintf("windows.wsl[%d]", [i]),
		"vars": {
			"distribution": d.name,
			"windows_go": first,
			"mounted": mounted(first),
			"linux_go": concat(", ", d.linux_go),
			"conf": sprintf(`\\wsl$\%s\etc\wsl.conf`, [d.name]),
		},
	}
	finding := object.union(base, {"location": location(d)})
}

# The Windows Path's directories holding go.exe, in Path order.
windows_go_dirs := [e.dir |
	some e in object.get(input, ["windows", "path"], [])
	some p in input.path.entries
	p.index == e.index
	"go" in p.programs
]

off(setting) if setting.enabled == false

# C:\Program Files\Go\bin as WSL mounts it: /mnt/c/Program Files/Go/bin.
mounted(dir) := sprintf("/mnt/%s%s", [lower(substring(dir, 0, 1)), replace(substring(dir, 2, -1), `\`, "/")])

own_go(d) := sprintf("after its own %s", [d.linux_go[0]]) if count(d.linux_go) > 0

own_go(d) := "it has no Go of its own: `go` there runs the Windows toolchain" if count(d.linux_go) == 0

location(d) := {"file": sprintf(`\\wsl$\%s\etc\wsl.conf`, [d.name]), "line": d.append_windows_path.line} if is_object(d.append_windows_path)

location(d) := {"file": d.origin, "line": null} if not is_object(d.append_windows_path)
