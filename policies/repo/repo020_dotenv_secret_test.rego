package envgate.repo.repo020_dotenv_secret_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo020_dotenv_secret as rule
import rego.v1

dotenv(content) := {"files": [t.doc(".env", "dotenv", content)]}

test_fires_by_name_and_by_form if {
	findings := rule.deny with input as dotenv({
		"AWS_SECRET_ACCESS_KEY": "[REDACTED]",
		"HELPER": "[REDACTED:aws-access-key-id]",
		"PORT": "8080",
	})
	{f.msg | some f in findings} == {
		"AWS_SECRET_ACCESS_KEY holds a secret (by its name)",
		"HELPER holds a secret (recognised by its form: aws-access-key-id)",
	}
}

test_quiet_on_plain_values if {
	count(rule.deny) == 0 with input as dotenv({"PORT": "8080", "DB_PASSWORD": ""})
}
