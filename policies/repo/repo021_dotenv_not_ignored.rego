# METADATA
# title: .env file not ignored by git
# description: |
#   `.env` files hold the values a developer's machine needs, secrets among them, and
#   are meant to stay on that machine. One that no `.gitignore` (nor
#   `.git/info/exclude`) covers is one `git add .` away from the repository. Decision:
#   a warning for each checked `.env` file (`.env`, `.env.local`, `.env.production`…)
#   that git would not ignore, judged from the committed ignore files from its
#   directory up to the repository's top (the user's global excludes do not protect
#   the other clones). Templates meant to be committed (`.env.example`, `.sample`,
#   `.template`, `.dist`, `.defaults`) are not reported.
# related_resources:
#   - ref: https://git-scm.com/docs/gitignore
#     description: gitignore
#   - ref: https://github.com/github/gitignore
#     description: github/gitignore templates (all ignore .env)
# custom:
#   id: REPO021
#   severity: warning
#   since: 1.0.0
#   reads: [dotenv]
#   per_file: true
#   category: Security
#   remediation: |
#     Add the file to the repository's .gitignore (a line `.env` and `.env.*`, with `!.env.example` to keep the template), and if it was ever committed, run `git rm --cached {{ vars.file }}` and rotate what it held.
package envgate.repo.repo021_dotenv_not_ignored

import data.envgate.repo.lib
import rego.v1

templates := {s | some s in lib.list(data.pack_data.repo.example_env_suffixes)}

deny contains finding if {
	some doc in lib.docs("dotenv")
	lib.facts(doc).git_ignored == false
	name := regex.replace(doc.path, `^.*/`, "")
	not template(name)
	finding := {
		"msg": sprintf("%s is not ignored by git: nothing stops it, and the values in it, from being committed", [doc.path]),
		"location": {"file": doc.path, "line": 1},
		"vars": {"file": doc.path},
	}
}

template(name) if {
	parts := split(lower(name), ".")
	templates[parts[count(parts) - 1]]
}
