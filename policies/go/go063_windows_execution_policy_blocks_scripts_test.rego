package envgate.go.go063_windows_execution_policy_blocks_scripts_test

import data.envgate.go.go063_windows_execution_policy_blocks_scripts as rule
import rego.v1

policy_key := `HKCU\Software\Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell\ExecutionPolicy`

inp(effective, scope, origin) := {
	"host": {"os": "windows"},
	"windows": {"execution_policy": {"effective": effective, "effective_scope": scope, "effective_origin": origin}},
}

test_fires_on_restricted_set_by_the_user if {
	# Bound before the `with`: regorus loses a package rule evaluated under it.
	k := policy_key
	some finding in rule.deny with input as inp("Restricted", "CurrentUser", k)
	finding.severity == "warning"
	finding.location.file == k
	not finding.vars.group_policy
}

test_the_default_is_info_without_location if {
	some finding in rule.deny with input as inp("Restricted", "default", null)
	finding.severity == "info"
	not finding.location
}

test_group_policy_names_the_administrator if {
	some finding in rule.deny with input as inp("AllSigned", "MachinePolicy", `HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell\ExecutionPolicy`)
	finding.vars.group_policy
}

test_quiet_on_remote_signed if {
	count(rule.deny) == 0 with input as inp("RemoteSigned", "LocalMachine", policy_key)
}
