# METADATA
# title: GOINSECURE is set
# description: |
#   GOINSECURE lists module path patterns the go command may fetch over plain HTTP and
#   without checking TLS certificates. Anyone on the network path (a café Wi-Fi, a
#   compromised proxy) can then serve different code for those modules; only the
#   checksum database still protects modules it knows, and private modules are usually
#   exempt from it too. It is typically set to get past an x509 error behind a
#   TLS-intercepting proxy, where installing the proxy's CA certificate is the fix.
#   Decision: any non-empty GOINSECURE is a warning; it is an error when a pattern's
#   first element is `*` (every host, so every module download is unauthenticated).
#   Patterns naming well-known public hosts (pack data `module_hosts.public`) are named
#   in the message: public hosts always serve valid HTTPS.
# related_resources:
#   - ref: https://go.dev/ref/mod#environment-variables
#   - ref: https://github.com/golang/go/issues/18519
# custom:
#   id: GO031
#   severity: warning
#   since: 1.0.0
#   autofix: unsafe
#   category: Modules & proxy
#   remediation: |
#     Stop fetching modules insecurely:
#       {{ vars.fix }}
#     If this was set to get past an x509 certificate error, install your network's CA certificate instead
#     (copy it to /usr/local/share/ca-certificates/ and run `sudo update-ca-certificates`; see GO046).
package envgate.go.go031_goinsecure_set

import data.envgate.go.fix_lib
import data.envgate.go.lib
import data.envgate.go.modules_lib
import rego.v1

patterns := modules_lib.patterns("GOINSECURE")

wildcards := [p | some p in patterns; split(p, "/")[0] == "*"]

public_patterns := [p | some p in patterns; modules_lib.public_host(modules_lib.host_of(p))]

severity := "error" if count(wildcards) > 0 else := "warning"

scope := text if {
	count(wildcards) > 0
	text := sprintf("`%s` matches every module, so no module download is authenticated", [wildcards[0]])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("modules matching %s are fetched over plain HTTP or with unchecked certificates", [concat(", ", patterns)])

public_note := sprintf("; %s always serve valid HTTPS, so exempting them only removes protection", [concat(", ", public_patterns)]) if count(public_patterns) > 0 else := ""

deny contains finding if {
	count(patterns) > 0
	v := input.go.env.GOINSECURE
	finding := {
		"msg": sprintf("GOINSECURE=%s is set %s: %s%s", [v.value, lib.origin(v), scope, public_note]),
		"subject": "go.env.GOINSECURE",
		"severity": severity,
		"vars": {
			"value": v.value,
			"wildcards": wildcards,
			"public": public_patterns,
			"fix": lib.remove_hint("GOINSECURE", ""),
		},
		"fix": fix_lib.setting_fix("GOINSECURE"),
	}
}
