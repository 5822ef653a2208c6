# METADATA
# title: Credentials in proxy URLs or a loose `.netrc`
# description: |
#   A password written into GOPROXY or an HTTP(S) proxy variable
#   (`https://user:pass@proxy/`) is handed to every process you start, shows up in
#   `go env`, `env`, shell history, CI logs and crash reports, and is easy to paste into
#   an issue. The same goes for a proxy or URL with a password in git's configuration.
#   `~/.netrc`, the proper place for such credentials, must be readable by you alone.
#   Decision: reported are GOPROXY, HTTP_PROXY, HTTPS_PROXY and ALL_PROXY in any case
#   (from the environment, or GOPROXY in the `go env -w` file) whose value had a URL
#   password redacted; every value or `[url "…"]` section with a URL password in
#   /etc/gitconfig, ~/.gitconfig, ~/.config/git/config and the checked repository's
#   .git/config; and `$NETRC` (default ~/.netrc) when any group or other permission bit
#   is set (0600 and 0400 are fine). The password itself is never stored or shown.
# related_resources:
#   - ref: https://go.dev/ref/mod#private-module-proxy-auth
# custom:
#   id: GO032
#   severity: error
#   since: 1.0.0
#   autofix: safe
#   category: Security
#   remediation: |
#     {% if vars.kind == "netrc" %}Make {{ vars.path }} readable by you only:
#       chmod 600 {{ vars.path }}
#     and change the passwords in it if other users could have read it.{% else %}Take the password out of {{ vars.where }}:
#       {{ vars.fix }}
#     {{ vars.advice }}
#     The password has been exposed: change it.{% endif %}
package envgate.go.go032_credentials_in_proxy_urls

import data.envgate.go.fix_lib
import rego.v1

proxy_vars := {"GOPROXY", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"}

url_password_subjects := {r.subject | some r in object.get(input, "redactions", []); r.kind == "url-password"}

# User and host of the first URL with credentials in a value (the password is redacted).
url_parts(value) := parts if {
	m := regex.find_all_string_submatch_n(`[A-Za-z][A-Za-z0-9+.-]*://([^/\t\n\f\r :@]*):[^@\t\n\f\r /]*@([^/\t\n\f\r :,|]+)`, value, 1)[0]
	parts := {"user": m[1], "host": m[2]}
	is_object(parts)  # holds for any defined value (L012)
} else := {"user": "<user>", "host": "<proxy host>"}

# Removes `user:password@` from the URLs on one line of a file.
strip_credentials(file, line) := sprintf(`%ssed -i '%ds#://[^:@/]*:[^@/]*@#://#' %s`, [sudo_for(file), line, file])

sudo_for(file) := "" if {
	is_string(input.host.home)
	startswith(file, sprintf("%s/", [input.host.home]))
} else := "sudo "

env_fix(name) := text if {
	o := input.env_origin[name]
	text := strip_credentials(o.file, o.line)
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("export %s='<the same URL without user:password@>'   # where it is set now", [name])

where_env(name) := text if {
	o := input.env_origin[name]
	text := sprintf("%s in %s:%d", [name, o.file, o.line])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("%s in the environment", [name])

advice(name, parts) := text if {
	upper(name) == "GOPROXY"
	text := sprintf("and put the credentials in ~/.netrc (chmod 600), which the go command reads for GOPROXY hosts:\n  machine %s login %s password <secret>", [parts.host, parts.user])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("Go's HTTP client takes proxy credentials only from the URL: if %s needs a login, run a local authenticating forwarder (cntlm, px) and point %s at it, or ask for access by address.", [parts.host, name])

# GOPROXY's credentials out (the same edits as GO020 and GO027, unsafe: downloads
# fail until the credentials are in ~/.netrc), and the ~/.netrc line, which needs the
# password the snapshot never had.
proxy_fix(name, parts) := edits if {
	name == "GOPROXY"
	moved := fix_lib.setting_fix("GOPROXY")
	count(moved) > 0
	netrc := {
		"kind": "append_line",
		"file": object.get(input, ["security", "files", "netrc", "path"], sprintf("%s/.netrc", [input.host.home])),
		"text": sprintf("machine %s login %s password <secret>", [parts.host, parts.user]),
		"needs": sprintf("the password for %s at %s (in place of <secret>)", [parts.user, parts.host]),
	}
	edits := array.concat(moved, [netrc])
	is_array(edits)  # holds for any defined value (L012)
} else := []

git_advice := "and let a credential helper keep it: git config --global credential.helper libsecret   (or `store`, which writes ~/.git-credentials with mode 0600)"

deny contains finding if {
	some subject in url_password_subjects
	startswith(subject, "env.")
	name := substring(subject, 4, -1)
	upper(name) in proxy_vars
	value := input.env[name]
	parts := url_parts(value)
	finding := {
		"msg": sprintf("%s=%s carries a password: every program you start receives it, and `env`, `go env`, logs and shell history show it", [name, value]),
		"subject": subject,
		"vars": {"kind": "env", "name": name, "where": where_env(name), "fix": env_fix(name), "advice": advice(name, parts)},
		"fix": proxy_fix(name, parts),
	}
}

deny contains finding if {
	some i, entry in object.get(input, ["go", "goenv_file", "entries"], [])
	sprintf("go.goenv_file.entries[%d]", [i]) in url_password_subjects
	entry.name in proxy_vars
	file := input.go.goenv_file.path
	parts := url_parts(entry.value)
	finding := {
		"msg": sprintf("%s:%d sets %s=%s with `go env -w`: the password is stored in plain text and printed by every `go env`", [file, entry.line, entry.name, entry.value]),
		"location": {"file": file, "line": entry.line},
		"vars": {"kind": "goenv", "name": entry.name, "where": sprintf("%s in %s", [entry.name, file]), "fix": strip_credentials(file, entry.line), "advice": advice(entry.name, parts)},
		"fix": proxy_fix(entry.name, parts),
	}
}

deny contains finding if {
	some cred in object.get(input, ["security", "git_credentials"], [])
	finding := {
		"msg": sprintf("%s:%d sets git's %s with a password in the URL (%s); git sends it on every fetch, including the go command's", [cred.file, cred.line, cred.key, cred.url]),
		"location": {"file": cred.file, "line": cred.line},
		"vars": {"kind": "git", "name": cred.key, "where": sprintf("%s:%d", [cred.file, cred.line]), "fix": strip_credentials(cred.file, cred.line), "advice": git_advice},
	}
}

deny contains finding if {
	f := input.security.files.netrc
	f.exists
	not f.is_dir
	is_number(f.mode)
	bits.and(f.mode, 63) != 0
	finding := {
		"msg": sprintf("%s holds login passwords but has mode %s, so other users can %s it; it must be 0600 (or 0400)", [f.path, format_int(f.mode, 8), access(f.mode)]),
		"location": {"file": f.path},
		"vars": {"kind": "netrc", "path": f.path, "mode": format_int(f.mode, 8)},
		"fix": [fix_lib.chmod(f.path, 384)], # 0600
	}
}

access(mode) := "read and change" if bits.and(mode, 18) != 0 else := "read"
