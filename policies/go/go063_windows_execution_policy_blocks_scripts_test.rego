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

user_config := `C:\Users\dev\Documents\PowerShell\powershell.config.json`

pwsh_inp(effective, scope, origin, line) := {
	"host": {"os": "windows"},
	"windows": {
		"execution_policy": {"effective": "RemoteSigned", "effective_scope": "LocalMachine", "effective_origin": policy_key},
		"powershell7": {"execution_policy": {"effective": effective, "effective_scope": scope, "effective_origin": origin, "effective_line": line}},
	},
}

test_pwsh_restricted_in_the_user_config_is_reported_at_its_line if {
	f := user_config
	findings := rule.deny with input as pwsh_inp("Restricted", "CurrentUser", f, 3)
	count(findings) == 1
	some finding in findings
	finding.location == {"file": f, "line": 3}
	finding.subject == "windows.powershell7.execution_policy"
	finding.severity == "warning"
	finding.vars.pwsh
	not finding.vars.group_policy
	startswith(finding.msg, "PowerShell 7's (pwsh) execution policy is Restricted (set for CurrentUser in ")
}

test_pwsh_group_policy_is_reported_at_its_registry_value if {
	k := `HKLM\SOFTWARE\Policies\Microsoft\PowerShellCore\EnableScripts`
	some finding in rule.deny with input as pwsh_inp("Restricted", "MachinePolicy", k, null)
	finding.location == {"file": k, "line": null}
	finding.vars.group_policy
}

test_pwsh_default_is_info_without_location if {
	some finding in rule.deny with input as pwsh_inp("Restricted", "default", null, null)
	finding.severity == "info"
	finding.vars.pwsh
	not finding.location
}

test_pwsh_remote_signed_and_windows_powershell_remote_signed_are_quiet if {
	f := user_config
	count(rule.deny) == 0 with input as pwsh_inp("RemoteSigned", "LocalMachine", f, 1)
}

test_windows_powershell_restricted_is_not_reported_as_pwsh if {
	k := policy_key
	findings := rule.deny with input as inp("Restricted", "CurrentUser", k)
	count(findings) == 1
	some finding in findings
	not finding.vars.pwsh
	finding.subject == "windows.execution_policy"
}
