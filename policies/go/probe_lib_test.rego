package envgate.go.probe_lib_test

import data.envgate.go.probe_lib
import rego.v1

test_outcome_prefers_the_exit_status if {
	probe_lib.outcome({"exit_code": 2, "note": null}) == "exit status 2"
	probe_lib.outcome({"exit_code": null, "note": "stopped after 10s"}) == "stopped after 10s"
}

test_a_skipped_step_is_not_failed if {
	not probe_lib.failed("build") with input as {"probe": {"steps": [{"name": "build", "ran": false, "ok": false}]}}
}
