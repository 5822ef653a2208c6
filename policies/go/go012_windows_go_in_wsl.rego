# METADATA
# title: Windows Go visible inside WSL
# description: |
#   WSL appends the Windows PATH to the Linux one unless `/etc/wsl.conf` sets
#   `[interop] appendWindowsPath = false`, so `/mnt/c/Program Files/Go/bin` (or another
#   Windows Go) is on PATH inside Linux. Tools that look for `go.exe`, or a Windows editor
#   session that reaches into WSL, then run the Windows toolchain: it sees Windows paths,
#   builds Windows programs and reads the Windows GOPATH, so builds, gopls and tests go
#   wrong in confusing ways; Windows drives are also slow from Linux.
#   Decision: warns once per PATH entry under a Windows drive (`/mnt/<letter>/…`) that
#   holds `go.exe`, saying whether it comes before the Linux `go` on PATH, after it, or
#   with no Linux `go` at all, and what `/etc/wsl.conf` says (absent means WSL's default,
#   on). In an image the Windows PATH is only appended at run time: entries written
#   into the image's own files are judged as above, and when none is, a Windows Go at a
#   place its installers use (`/mnt/<letter>/Program Files/Go/bin`, `…/Go/bin`, Scoop's
#   `Users/<name>/scoop/apps/go/current/bin`; the MSI puts its bin on the Windows PATH)
#   is reported once per install while appendWindowsPath is on, at the wsl.conf line.
# related_resources:
#   - ref: https://github.com/golang/vscode-go/issues/3160
#   - ref: https://github.com/golang/vscode-go/issues/1575
#   - ref: https://learn.microsoft.com/windows/wsl/wsl-config
# custom:
#   id: GO012
#   severity: warning
#   since: 1.0.0
#   category: Toolchain
#   systems: [linux, darwin]
#   remediation: |
#     {% if vars.appended %}{{ vars.dir }} reaches WSL through the Windows PATH, not a file of this image.
#     {% elif finding.file %}Remove {{ vars.dir }} from PATH in {{ finding.file }}.
#     {% endif %}{% if vars.append_on %}Stop WSL from appending the Windows PATH:
#       {{ vars.conf_fix }}
#     then restart WSL from Windows (`wsl.exe --shutdown`) and open a new terminal.
#     {% endif %}{% if not finding.file and not vars.append_on %}Remove {{ vars.dir }} from PATH where your shell startup files add it.
#     {% endif %}Use a Linux Go inside WSL (https://go.dev/dl/, linux-{{ host.arch }}) first on PATH, and open projects with VS Code's WSL extension so tools run inside Linux.
package envgate.go.go012_windows_go_in_wsl

import data.envgate.go.lib
import rego.v1

wsl := input.go.wsl

# On WSL, `appendWindowsPath` is on unless wsl.conf sets it to false.
append_on if {
	input.host.wsl
	not wsl.append_windows_path.enabled == false
}

conf_state := text if {
	is_object(wsl.append_windows_path)
	text := sprintf("%s:%d sets appendWindowsPath = %s", [wsl.conf_file, wsl.append_windows_path.line, wsl.append_windows_path.value])
	is_string(text)  # holds for any defined value (L012)
} else := text if {
	wsl.conf_exists
	text := sprintf("%s does not set appendWindowsPath, so WSL appends the Windows PATH (its default)", [wsl.conf_file])
	is_string(text)  # holds for any defined value (L012)
} else := "there is no /etc/wsl.conf, so WSL appends the Windows PATH (its default)" if {
	input.host.wsl
} else := ""

# The edit that turns appending off, fitted to what wsl.conf holds now.
conf_fix := text if {
	is_object(wsl.append_windows_path)
	text := sprintf("sudo sed -i '%ds/.*/appendWindowsPath = false/' %s", [wsl.append_windows_path.line, wsl.conf_file])
	is_string(text)  # holds for any defined value (L012)
} else := text if {
	is_number(wsl.interop_line)
	text := sprintf("sudo sed -i '%da appendWindowsPath = false' %s", [wsl.interop_line, wsl.conf_file])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("printf '[interop]\\nappendWindowsPath = false\\n' | sudo tee -a %s", [wsl.conf_file])

linux_go := input.path.resolved.go

# The entry is looked up in the body, not the head: regorus's interpreter does not go
# on to a function's `else` when a head value is undefined (its VM and OPA do).
order(w) := text if {
	w.path_index < linux_go.index
	raw := input.path.entries[linux_go.index].raw
	text := sprintf("ahead of the Linux go in PATH entry %d (%s)", [linux_go.index, raw])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("behind the Linux go in PATH entry %d, but tools that look for go.exe still find it", [linux_go.index]) if {
	is_number(linux_go.index)
} else := "and there is no Linux go on PATH at all"

described(w) := text if {
	is_string(w.go_version)
	is_string(w.arch)
	text := sprintf("%s, %s/%s", [w.go_version, w.os, w.arch])
	is_string(text)  # holds for any defined value (L012)
} else := "version unknown"

deny contains finding if {
	some w in wsl.windows_go
	entry := input.path.entries[w.path_index].raw
	finding := {
		"msg": sprintf("PATH entry %d (%s) holds the Windows Go (%s), %s%s", [
			w.path_index, entry, described(w), order(w), conf_note,
		]),
		"subject": sprintf("path.entries[%d]", [w.path_index]),
		"vars": {
			"dir": entry,
			"exe": w.path,
			"append_on": append_on_value,
			"conf_fix": conf_fix,
		},
	}
}

append_on_value := true if append_on else := false

conf_note := sprintf("; %s", [conf_state]) if conf_state != "" else := ""

# Image mode: the Windows PATH WSL appends at run time is in no file, so a Windows Go
# installed where its installer puts it on that PATH is what sessions will reach.
deny contains finding if {
	input.mode == "image"
	append_on
	count(object.get(wsl, "windows_go", [])) == 0
	some w in object.get(wsl, "windows_installs", [])
	finding := object.union(
		{
			"msg": sprintf("%s is a Windows Go (%s) where its installer puts it on the Windows PATH, which WSL appends to every session of this image: %s; %s", [
				w.path, described(w), appended_order, conf_state,
			]),
			"subject": "go.wsl.windows_installs",
			"vars": {
				"dir": w.dir,
				"exe": w.path,
				"append_on": true,
				"appended": true,
				"conf_fix": conf_fix,
			},
		},
		conf_location,
	)
}

appended_order := text if {
	is_number(linux_go.index)
	text := sprintf("it comes after the Linux go in PATH entry %d (%s), but tools that look for go.exe still find it", [linux_go.index, input.path.entries[linux_go.index].raw])
	is_string(text)  # holds for any defined value (L012)
} else := "there is no Linux go on PATH at all"

# Where the image decides it: the appendWindowsPath line, else the [interop] header,
# else the file; nothing when there is no wsl.conf.
conf_location := location if {
	is_object(wsl.append_windows_path)
	location := {"location": {"file": wsl.conf_file, "line": wsl.append_windows_path.line}}
	is_object(location)  # holds for any defined value (L012)
} else := location if {
	is_number(wsl.interop_line)
	location := {"location": {"file": wsl.conf_file, "line": wsl.interop_line}}
	is_object(location)  # holds for any defined value (L012)
} else := location if {
	wsl.conf_exists
	location := {"location": {"file": wsl.conf_file}}
	is_object(location)  # holds for any defined value (L012)
} else := {}
