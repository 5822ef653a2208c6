# METADATA
# title: PowerShell's execution policy blocks scripts (Windows)
# description: |
#   Windows PowerShell refuses to run `.ps1` files under the `Restricted` policy (the
#   default on Windows clients) and runs only signed ones under `AllSigned`. Developer
#   tools ship such scripts: Scoop's and npm's command shims, virtual environments'
#   `Activate.ps1`, project `build.ps1`/`make.ps1` files around `go build`; they then
#   fail with "running scripts is disabled on this system", which reads like a broken
#   tool rather than a setting.
#   Decision: the policy is read from the registry in Windows PowerShell 5.1's order
#   (Group Policy for the machine, then for the user, then CurrentUser, then
#   LocalMachine; `Undefined` passes to the next; none set means `Restricted`), and the
#   finding points at the value that decides it. A policy set by Group Policy cannot be
#   changed by the user: the fix then names the administrator. Severity: warning when a
#   scope sets the policy; info when it is Windows' default.
#   PowerShell 7 (pwsh), when installed (`C:\Program Files\PowerShell\7\pwsh.exe`),
#   has its own policy, judged alike and reported on its own: Group Policy under
#   `Policies\Microsoft\PowerShellCore` (machine, then user; `ExecutionPolicy` counts
#   only with `EnableScripts` = 1), then `Microsoft.PowerShell:ExecutionPolicy` in the
#   user's `Documents\PowerShell\powershell.config.json`, then in
#   `$PSHOME\powershell.config.json` (which the installer ships with RemoteSigned);
#   none: Restricted. A JSON setting is pointed at by file and line. A value pwsh does
#   not know is Restricted, as its ParseExecutionPolicy makes it.
# related_resources:
#   - ref: https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_execution_policies
#   - ref: https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_powershell_config
# custom:
#   id: GO063
#   severity: warning
#   since: 1.2.0
#   category: Shell & PATH
#   systems: [windows]
#   remediation: |
#     {% if vars.group_policy %}The policy comes from Group Policy ({{ vars.origin }}): ask your administrator to allow signed remote scripts (RemoteSigned) for developers{% if vars.pwsh %} in PowerShell 7{% endif %}.{% elif vars.pwsh %}Allow local scripts and signed downloaded ones for your account, in PowerShell 7 (pwsh: it writes your Documents\PowerShell\powershell.config.json):
#       Set-ExecutionPolicy -Scope CurrentUser RemoteSigned
#     then check with `Get-ExecutionPolicy -List` in pwsh.{% else %}Allow local scripts and signed downloaded ones for your account (PowerShell):
#       Set-ExecutionPolicy -Scope CurrentUser RemoteSigned
#     then check with `Get-ExecutionPolicy -List`.{% endif %}
package envgate.go.go063_windows_execution_policy_blocks_scripts

import rego.v1

policy := object.get(input, ["windows", "execution_policy"], {})

blocking := {"restricted", "allsigned"}

deny contains finding if {
	input.host.os == "windows"
	lower(policy.effective) in blocking
	scope := policy.effective_scope
	origin := object.get(policy, "effective_origin", null)
	finding := object.union(
		{
			"msg": sprintf("PowerShell's execution policy is %s (%s), so .ps1 scripts of developer tools (Scoop and npm shims, build scripts) do not run", [policy.effective, where(scope, origin)]),
			"subject": "windows.execution_policy",
			"severity": severity(scope),
			"vars": {
				"policy": policy.effective,
				"scope": scope,
				"origin": origin,
				"group_policy": group_policy(scope),
				"pwsh": false,
			},
		},
		location(origin),
	)
}

pwsh := object.get(input, ["windows", "powershell7"], null)

deny contains finding if {
	input.host.os == "windows"
	is_object(pwsh)
	p := pwsh.execution_policy
	lower(p.effective) in blocking
	scope := p.effective_scope
	origin := object.get(p, "effective_origin", null)
	line := object.get(p, "effective_line", null)
	finding := object.union(
		{
			"msg": sprintf("PowerShell 7's (pwsh) execution policy is %s (%s), so .ps1 scripts of developer tools (Scoop and npm shims, build scripts) do not run in pwsh", [p.effective, pwsh_where(scope, origin, line)]),
			"subject": "windows.powershell7.execution_policy",
			"severity": severity(scope),
			"vars": {
				"policy": p.effective,
				"scope": scope,
				"origin": origin,
				"group_policy": group_policy(scope),
				"pwsh": true,
			},
		},
		pwsh_location(origin, line),
	)
}

pwsh_where("default", _, _) := "pwsh's default: no scope sets one"

pwsh_where(scope, origin, line) := sprintf("set for %s in %s:%d", [scope, origin, line]) if {
	scope != "default"
	is_number(line)
}

pwsh_where(scope, origin, null) := sprintf("set for %s in %s", [scope, origin]) if scope != "default"

pwsh_location(origin, line) := {"location": {"file": origin, "line": line}} if is_string(origin)

pwsh_location(origin, _) := {} if not is_string(origin)

where("default", _) := "Windows' default: no scope sets one"

where(scope, origin) := sprintf("set for %s in %s", [scope, origin]) if scope != "default"

group_policy(scope) := true if scope in {"MachinePolicy", "UserPolicy"} else := false

severity("default") := "info"

severity(scope) := "warning" if scope != "default"

location(origin) := {"location": {"file": origin, "line": null}} if is_string(origin)

location(origin) := {} if not is_string(origin)
