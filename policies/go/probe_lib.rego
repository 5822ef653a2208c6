# Helpers for the probe rules (GO051–GO054): the steps `doctor --probe` ran.
package envgate.go.probe_lib

import rego.v1

# The step called `name`, when the probe ran.
step(name) := s if {
	some s in input.probe.steps
	s.name == name
}

# A step that ran and did not succeed.
failed(name) := s if {
	s := step(name)
	s.ran
	not s.ok
}

# How a failed step ended: "exit status 1", "stopped after 10s", ….
outcome(s) := sprintf("exit status %d", [s.exit_code]) if is_number(s.exit_code)

outcome(s) := s.note if {
	not is_number(s.exit_code)
	is_string(s.note)
}

outcome(s) := "it failed" if {
	not is_number(s.exit_code)
	not is_string(s.note)
}

# What it printed, or a dash.
printed(s) := s.output if is_string(s.output)

printed(s) := "(nothing)" if not is_string(s.output)
