# METADATA
# title: Microsoft Defender scans Go's build cache and module cache (Windows)
# description: |
#   With real-time protection on, Microsoft Defender scans every file as it is
#   written and opened. `go build` and `go test` write thousands of small objects into
#   the build cache (GOCACHE, by default `%LOCALAPPDATA%\go-build`), `go mod download`
#   unpacks every module into the module cache (GOMODCACHE, by default
#   `%USERPROFILE%\go\pkg\mod`) and `go install` writes programs into GOBIN (by
#   default `%USERPROFILE%\go\bin`): each is scanned, which makes builds and installs
#   markedly slower, and a freshly linked program (test binaries most often) is now
#   and then taken for malware and quarantined, failing the build with "Access is
#   denied" or a vanished file.
#   Decision: reports, per user, the directories of those three that no path exclusion
#   covers (the directory itself or a parent, compared without regard to case), when
#   a Go toolchain is installed and real-time protection is on (Group Policy's
#   `DisableRealtimeMonitoring` wins over the local one; neither set is on). An
#   exclusion is expanded as Defender expands it, with the SYSTEM account's variables
#   (Microsoft: "system environment variables, not user environment variables"), so
#   one written `%LOCALAPPDATA%\go-build` does not cover the user's cache, and the
#   finding says so. Exclusions with wildcards are not matched. A volume whose
#   SOFTWARE hive has no Defender key is not judged (`custom.requires`): another
#   antivirus may run there, and nothing is known of it. Tamper Protection and
#   Defender's passive mode are not read.
#   Severity: info. Builds work, only slower, with the odd quarantine; and the fix is
#   a security trade-off (files in an excluded folder are not scanned at all) that
#   the user should make with their security team, not a setting envgate should push
#   as a failure. Never remedied by turning protection off.
#   Not reported: an exclusion covering a PATH directory that non-administrators can
#   write (a place to drop a program Defender will not scan) needs the directory's
#   ACL, which envgate does not read from a volume.
# related_resources:
#   - ref: https://learn.microsoft.com/defender-endpoint/configure-extension-file-exclusions-microsoft-defender-antivirus
#   - ref: https://learn.microsoft.com/windows/dev-drive/
# custom:
#   id: GO070
#   severity: info
#   since: 1.3.0
#   category: Toolchain
#   systems: [windows]
#   requires: [windows.defender]
#   remediation: |
#     {% if vars.local_exclusions_ignored %}Group Policy ignores exclusions set on this machine ({{ vars.local_exclusions_ignored }}): ask your administrator whether these folders may be added to the policy's path exclusions:
#     {% for dir in vars.missing %}  {{ dir }}
#     {% endfor %}{% else %}An excluded folder is not scanned at all, so decide this trade-off with your security team. If you exclude them, do it from an elevated PowerShell, with the paths written out (Defender expands %VARIABLES% as the SYSTEM account, not as you):
#       Add-MpPreference -ExclusionPath {{ vars.quoted }}
#     and check with `(Get-MpPreference).ExclusionPath`.{% endif %}
#     Or keep the caches on a Dev Drive, whose Defender performance mode scans without holding up each write, and point Go at it (`go env -w GOCACHE=D:\go-build GOMODCACHE=D:\go\pkg\mod`). Keep real-time protection on.
package envgate.go.go070_windows_defender_scans_go_dirs

import rego.v1

defender := object.get(input, ["windows", "defender"], null)

# Defender's facts, empty when the snapshot has none (`null` included).
facts := defender if is_object(defender) else := {}

deny contains finding if {
	input.host.os == "windows"
	is_object(defender)
	defender.realtime_protection == true
	count(object.get(input, ["go", "toolchains"], [])) > 0
	count(missing) > 0
	finding := {
		"msg": sprintf("Microsoft Defender's real-time protection (%s) scans %s as Go writes them: no exclusion covers %s, so builds and installs are slower and freshly built programs can be quarantined%s", [
			realtime_state,
			concat(" and ", [d.name | some d in unexcluded]),
			concat(", ", [sprintf("%s (%s)", [d.dir, d.name]) | some d in unexcluded]),
			user_variable_note,
		]),
		"subject": "windows.defender",
		"location": {"file": exclusions_key, "line": null},
		"vars": {
			"missing": missing,
			"names": [d.name | some d in unexcluded],
			"quoted": concat(",", [sprintf("'%s'", [replace(dir, "'", "''")]) | some dir in missing]),
			"realtime_origin": object.get(facts, "realtime_origin", null),
			"local_exclusions_ignored": object.get(facts, "local_exclusions_ignored", null),
			"user_variable_exclusions": user_variable_exclusions,
		},
	}
}

# In the collector's order (GOCACHE, GOMODCACHE, GOBIN), each directory once.
unexcluded := [d |
	some i, d in object.get(facts, "go_dirs", [])
	d.excluded_by == null
	not earlier_same_dir(i, d.dir)
]

earlier_same_dir(i, dir) if {
	some j, other in facts.go_dirs
	j < i
	other.excluded_by == null
	lower(other.dir) == lower(dir)
}

missing := [d.dir | some d in unexcluded]

user_variable_exclusions := sort({d.user_variable_exclusion |
	some d in unexcluded
	is_string(d.user_variable_exclusion)
})

user_variable_note := "" if {
	count(user_variable_exclusions) == 0
} else := sprintf(" (%s is expanded with the SYSTEM account's variables, not the user's, and so names another folder)", [concat(", ", user_variable_exclusions)])

realtime_state := "on by Windows' default" if {
	not is_string(object.get(facts, "realtime_origin", null))
} else := sprintf("on: %s = 0", [facts.realtime_origin])

# Where the exclusions that apply are kept: the policy's key when Group Policy
# ignores the machine's own.
exclusions_key := `HKLM\SOFTWARE\Policies\Microsoft\Windows Defender\Exclusions\Paths` if {
	is_string(object.get(facts, "local_exclusions_ignored", null))
} else := `HKLM\SOFTWARE\Microsoft\Windows Defender\Exclusions\Paths`
