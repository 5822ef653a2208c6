# METADATA
# title: Secret in a .env file
# description: |
#   A `.env` file that holds a real password, token or key and is checked (committed,
#   or about to be) puts the secret in the repository's history, every clone and every
#   CI log that prints the file. Decision: an error for each variable whose value
#   envgate's redactor hid: by its form (an AWS access key id, a GitHub, GitLab, Slack,
#   Stripe… token, a private key, a URL with a password: the same list the k8s pack's
#   K8S014 reads), whatever the name, or by a secret-like name (`*_SECRET*`,
#   `*PASSWORD*`, `*TOKEN*`, `*API_KEY*`…). Empty values are not secrets. The value is
#   never shown.
# related_resources:
#   - ref: https://github.com/gitleaks/gitleaks
#     description: gitleaks (aws-access-token, generic-api-key and the other rules of its default config)
#   - ref: https://docs.github.com/en/code-security/secret-scanning
#     description: GitHub secret scanning
# custom:
#   id: REPO020
#   severity: error
#   since: 1.0.0
#   reads: [dotenv]
#   per_file: true
#   category: Security
#   remediation: |
#     Rotate {{ vars.variable }} now (a committed value is in the history even after the file changes), then keep real values out of the repository: commit a {{ vars.file }}.example with empty or placeholder values, add {{ vars.file }} to .gitignore, and run `git rm --cached {{ vars.file }}`.
package envgate.repo.repo020_dotenv_secret

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some doc in lib.docs("dotenv")
	some name, value in doc.content
	why := lib.secret(name, value)
	finding := {
		"msg": sprintf("%s holds a secret%s", [name, lib.secret_note(why)]),
		"location": lib.location(doc, [name]),
		"vars": {"file": doc.path, "variable": name, "found_by": why.by},
	}
}
