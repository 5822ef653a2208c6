package envgate.k8s.k8s006_host_pid_ipc_test

import data.envgate.k8s.k8s006_host_pid_ipc as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_once_per_field if {
	findings := rule.deny with input as t.input_of(t.with_pod({"hostPID": true, "hostIPC": true}))
	{f.location.path | some f in findings} == {
		array.concat(t.pod_path, ["hostPID"]),
		array.concat(t.pod_path, ["hostIPC"]),
	}
	some f in findings
	f.msg == "Deployment/web shares the node's PID namespace (hostPID: true): it sees every process on the node, with their command lines and environment"
	f.vars.field == "hostPID"
}

test_quiet_when_false if {
	count(rule.deny) == 0 with input as t.input_of(t.with_pod({"hostPID": false, "hostIPC": false}))
}
