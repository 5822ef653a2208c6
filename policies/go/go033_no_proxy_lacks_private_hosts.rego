# METADATA
# title: HTTPS proxy set but private module hosts missing from NO_PROXY
# description: |
#   Modules matched by GOPRIVATE or GONOPROXY skip the module proxy and are fetched
#   straight from their servers, with git or HTTPS. Both honour HTTPS_PROXY, so behind a
#   corporate proxy those "direct" fetches still go through it unless NO_PROXY names the
#   host, and a proxy that cannot reach (or is not allowed to reach) the internal Git
#   server turns every private module download into a timeout or a 403.
#   Decision: fires when HTTPS_PROXY or https_proxy is set and the host of at least one
#   GOPRIVATE/GONOPROXY pattern (its first path element) is not covered by NO_PROXY or
#   no_proxy, read the way Go reads it: `*` covers everything, `corp.example` covers that
#   host and its subdomains, `.corp.example` and `*.corp.example` only subdomains; ports
#   are ignored. A pattern host `*.corp.example` needs an entry covering every subdomain
#   of corp.example. Hosts with other glob characters cannot be written in NO_PROXY and
#   are skipped. One finding listing every uncovered host.
# related_resources:
#   - ref: https://pkg.go.dev/golang.org/x/net/http/httpproxy#Config
#   - ref: https://go.dev/ref/mod#private-module-proxy-direct
# custom:
#   id: GO033
#   severity: info
#   since: 1.0.0
#   autofix: safe
#   category: Modules & proxy
#   remediation: |
#     Let direct fetches of private modules bypass the proxy, where NO_PROXY is set{% if vars.file %} ({{ vars.file }}){% endif %}:
#       NO_PROXY={{ vars.suggested }}
#     (set no_proxy to the same value: curl and git read the lower-case name).
package envgate.go.go033_no_proxy_lacks_private_hosts

import data.envgate.go.modules_lib
import data.envgate.go.fix_lib
import rego.v1

first_set(names) := [input.env[n] | some n in names; is_string(input.env[n]); input.env[n] != ""][0]

proxy_name := [n | some n in ["HTTPS_PROXY", "https_proxy"]; is_string(input.env[n]); input.env[n] != ""][0]

no_proxy := first_set(["NO_PROXY", "no_proxy"]) if first_set(["NO_PROXY", "no_proxy"]) else := ""

# NO_PROXY entries, lower-case, ports removed.
entries := [regex.replace(e, `:\d+$`, "") | some raw in split(no_proxy, ","); e := lower(trim_space(raw)); e != ""]

# The domain an entry names, and whether it also covers that exact host.
domain(e) := trim_prefix(trim_prefix(e, "*"), ".")

covers_exact(e) if not startswith(trim_prefix(e, "*"), ".")

# A host `h` (no glob) is covered.
covered(h) if "*" in entries

covered(h) if {
	some e in entries
	endswith(h, sprintf(".%s", [domain(e)]))
}

covered(h) if {
	some e in entries
	covers_exact(e)
	h == domain(e)
}

# Every subdomain of `d` is covered.
covered_subdomains(d) if "*" in entries

covered_subdomains(d) if {
	some e in entries
	d == domain(e)
}

covered_subdomains(d) if {
	some e in entries
	endswith(d, sprintf(".%s", [domain(e)]))
}

pattern_hosts contains h if {
	some name in ["GOPRIVATE", "GONOPROXY"]
	some p in modules_lib.patterns(name)
	h := lower(split(p, "/")[0])
	h != ""
}

uncovered contains h if {
	some h in pattern_hosts
	not regex.match(`[*?\[\\]`, h)
	not covered(h)
}

uncovered contains h if {
	some h in pattern_hosts
	startswith(h, "*.")
	d := substring(h, 2, -1)
	not regex.match(`[*?\[\\]`, d)
	not covered_subdomains(d)
}

# What to add: the host itself, or the domain with a leading dot for `*.d`.
entry_for(h) := sprintf(".%s", [substring(h, 2, -1)]) if startswith(h, "*.") else := h

suggested := concat(",", array.concat([e | some raw in split(no_proxy, ","); e := trim_space(raw); e != ""], sort([entry_for(h) | some h in uncovered])))

no_proxy_file := file if {
	input.env_origin.NO_PROXY
	file := input.env_origin.NO_PROXY.file
	file == file  # true for any value: tested so an undefined one reaches the else on unpatched regorus too (lint L012)
} else := file if {
	input.env_origin.no_proxy
	file := input.env_origin.no_proxy.file
	file == file  # true for any value: tested so an undefined one reaches the else on unpatched regorus too (lint L012)
} else := ""

deny contains finding if {
	count(uncovered) > 0
	name := proxy_name
	hosts := sort(uncovered)
	finding := {
		"msg": sprintf("%s is set but %s %s not in NO_PROXY (%s), so direct fetches of private modules (GOPRIVATE/GONOPROXY) go through the proxy too", [name, concat(", ", hosts), verb(hosts), shown_no_proxy]),
		"subject": sprintf("env.%s", [name]),
		"vars": {
			"proxy_variable": name,
			"hosts": hosts,
			"no_proxy": no_proxy,
			"suggested": suggested,
			"file": no_proxy_file,
		},
		"fix": no_proxy_fix(name),
	}
}

verb(hosts) := "is" if count(hosts) == 1 else := "are"

shown_no_proxy := "it is empty" if no_proxy == "" else := sprintf("it is %s", [no_proxy])

# NO_PROXY (and no_proxy, when set) get the hosts on the lines that set them; when
# neither is set, NO_PROXY is added to the file that sets the proxy. Safe: only the
# private hosts' fetches stop going through the proxy, as GOPRIVATE meant.
no_proxy_fix(_) := edits if {
	set := [n | some n in ["NO_PROXY", "no_proxy"]; is_string(input.env[n]); input.env[n] != ""]
	count(set) > 0
	edits := [object.union(fix_lib.env_var_edit(input.env_origin[n], n, input.env[n], suggested), {"safe": true}) |
		some n in set
	]
	count(edits) == count(set)
} else := [fix_lib.append_line(o.file, line, true)] if {
	no_proxy == ""
	o := input.env_origin[proxy_name]
	fix_lib.startup_file(o.file)
	line := fix_lib.assignment(o.file, "NO_PROXY", suggested)
	is_string(line)  # holds for any defined value (L012)
} else := []
