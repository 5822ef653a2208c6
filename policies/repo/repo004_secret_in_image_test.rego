package envgate.repo.repo004_secret_in_image_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo004_secret_in_image as rule
import rego.v1

dockerfile(cmd, args) := {"files": [t.doc("Dockerfile", "dockerfile", {"instructions": [{"cmd": cmd, "args": args, "line": 3}]})]}

test_fires_on_a_redacted_env_value if {
	[f] := [x | some x in rule.deny] with input as dockerfile("ENV", "DB_PASSWORD=[REDACTED]")
	f.msg == "ENV DB_PASSWORD holds a secret (by its name): it is stored in the image and in the repository"
	f.location == {"file": "Dockerfile", "line": 3}
}

test_fires_on_a_token_by_its_form if {
	[f] := [x | some x in rule.deny] with input as dockerfile("ARG", "HELPER=[REDACTED:github-token]")
	f.vars.found_by == "value"
}

test_quiet_on_plain_settings if {
	count(rule.deny) == 0 with input as dockerfile("ENV", "PORT=8080")
	count(rule.deny) == 0 with input as dockerfile("RUN", "echo [REDACTED]")
}
