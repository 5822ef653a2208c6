package envgate.go.net_lib_test

import data.envgate.go.net_lib
import rego.v1

direct := {"url": null, "variable": null, "reason": "direct: HTTPS_PROXY/https_proxy not set"}

proxied := {"url": "http://proxy:3128", "variable": "https_proxy", "reason": "through http://proxy:3128 (https_proxy)"}

host(failed, proxy) := {"url": "https://proxy.golang.org", "host": "proxy.golang.org", "port": 443, "role": "goproxy", "setting": "GOPROXY", "proxy": proxy, "failed": failed, "steps": []}

test_the_proxy_is_the_subject_when_it_failed if {
	net_lib.subject(host("tcp", proxied)) == "env.https_proxy"
	net_lib.subject(host("proxy-tls", proxied)) == "env.https_proxy"
	net_lib.subject(host("tls", proxied)) == "go.env.GOPROXY"
	net_lib.subject(host("dns", direct)) == "go.env.GOPROXY"
}

test_a_failure_the_go_command_fell_back_from_is_not_a_cause if {
	hosts := [host("tcp", direct), object.union(host("tcp", direct), {"url": "https://corp.test", "fell_back_to": "http://corp.test/x?go-get=1"})]
	failed := net_lib.failed_at("tcp") with input as {"net_probe": {"hosts": hosts}}
	{h.url | some h in failed} == {"https://proxy.golang.org"}
}
