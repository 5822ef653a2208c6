package envgate.k8s.k8s027_unmasked_proc_mount_test

import data.envgate.k8s.k8s027_unmasked_proc_mount as rule
import data.envgate.k8s.lib_test as t
import rego.v1

context(extra) := object.union(t.hardened_container.securityContext, extra)

test_fires_on_unmasked if {
	inp := t.input_of(t.with_container({"securityContext": context({"procMount": "Unmasked"})}))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == `Deployment/web container "app" sets procMount: Unmasked, so /proc is not masked`
	f.location == t.at(array.concat(t.container_path, ["securityContext", "procMount"]))
}

test_quiet_on_default if {
	count(rule.deny) == 0 with input as t.input_of(t.with_container({"securityContext": context({"procMount": "Default"})}))
}
