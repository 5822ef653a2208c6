package envgate.repo.repo021_dotenv_not_ignored_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo021_dotenv_not_ignored as rule
import rego.v1

dotenv(path, ignored) := {"files": [t.with_facts(t.doc(path, "dotenv", {}), {"git_ignored": ignored})]}

test_fires_on_an_env_file_git_would_add if {
	[f] := [x | some x in rule.deny] with input as dotenv("svc/.env", false)
	f.location == {"file": "svc/.env", "line": 1}
}

test_quiet_when_ignored_or_a_template if {
	count(rule.deny) == 0 with input as dotenv("svc/.env", true)
	count(rule.deny) == 0 with input as dotenv("svc/.env.example", false)
	count(rule.deny) == 0 with input as {"files": [t.doc(".env", "dotenv", {})]}
}
