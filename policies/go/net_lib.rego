# Helpers for the `doctor --probe net` rules (GO055–GO060): the hosts the probe
# contacted, the layer each failed at, and the setting that led there.
package envgate.go.net_lib

import rego.v1

# Hosts whose chain failed at `layer` and stopped the go command (a GOINSECURE
# module's HTTPS failure is not the cause when plain HTTP then answered).
failed_at(layer) := {h |
	some h in input.net_probe.hosts
	h.failed == layer
	not is_string(object.get(h, "fell_back_to", null))
}

# The step that failed.
failed_step(h) := s if {
	some s in h.steps
	s.ok == false
	s.layer == h.failed
}

# Whether the connection went through an HTTP proxy.
via_proxy(h) if is_string(h.proxy.url)

# The setting a finding points at: the proxy variable when the proxy itself failed
# (its name, its port, its CONNECT), else the Go setting that named the host.
subject(h) := sprintf("env.%s", [h.proxy.variable]) if {
	via_proxy(h)
	h.failed in {"dns", "tcp", "proxy-tls", "proxy-connect"}
}

subject(h) := sprintf("go.env.%s", [h.setting]) if {
	not via_proxy(h)
}

subject(h) := sprintf("go.env.%s", [h.setting]) if {
	via_proxy(h)
	not h.failed in {"dns", "tcp", "proxy-tls", "proxy-connect"}
}

# "through http://proxy:3128 (HTTPS_PROXY)" or "direct: …", for messages.
route(h) := h.proxy.reason

proxy_url(h) := h.proxy.url if via_proxy(h)

proxy_url(h) := "" if not via_proxy(h)

proxy_variable(h) := h.proxy.variable if via_proxy(h)

proxy_variable(h) := "" if not via_proxy(h)

# via_proxy as a value: true or false, never undefined.
proxied(h) := true if via_proxy(h)

proxied(h) := false if not via_proxy(h)

# The setting that sends a module `direct`: GOPRIVATE/GONOPROXY when a pattern matched,
# else `direct` in GOPROXY (GO066, GO069).
direct_setting(m) := "GOPRIVATE" if count(m.noproxy_patterns) > 0

direct_setting(m) := "GOPROXY" if count(m.noproxy_patterns) == 0

# A `direct` module's repository: the go-import tag's, else the URL asked.
repository(v) := v.repo if is_string(v.repo)

repository(v) := v.url if not is_string(v.repo)
