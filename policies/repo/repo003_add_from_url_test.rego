package envgate.repo.repo003_add_from_url_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo003_add_from_url as rule
import rego.v1

dockerfile(args) := {"files": [t.with_facts(
	t.doc("Dockerfile", "dockerfile", {"instructions": [{"cmd": "ADD", "args": args, "line": 4}]}),
	{"stages": [{"add_urls": [{"value": "https://example.com/tool.tgz", "line": 4}]}]},
)]}

test_fires_on_an_unverified_download if {
	[f] := [x | some x in rule.deny] with input as dockerfile("https://example.com/tool.tgz /opt/")
	f.location == {"file": "Dockerfile", "line": 4}
	f.vars.url == "https://example.com/tool.tgz"
}

test_quiet_with_a_checksum if {
	count(rule.deny) == 0 with input as dockerfile("--checksum=sha256:abc https://example.com/tool.tgz /opt/")
}
