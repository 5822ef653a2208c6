# METADATA
# title: CA bundle missing or stale, or SSL_CERT_FILE/SSL_CERT_DIR wrong
# description: |
#   On Linux, Go's crypto/x509 trusts the first CA bundle it can read from a fixed list
#   (/etc/ssl/certs/ca-certificates.crt, /etc/pki/tls/certs/ca-bundle.crt, …) plus every
#   file in /etc/ssl/certs and /etc/pki/tls/certs; SSL_CERT_FILE and SSL_CERT_DIR
#   replace those. When they hold no usable root, every HTTPS request of the go command
#   (module proxy, checksum database, `go get` from a VCS host) fails with `x509:
#   certificate signed by unknown authority`. Behind a TLS-inspecting proxy the
#   company's CA must also be in the bundle, not only dropped into
#   /usr/local/share/ca-certificates.
#   Decision: on Linux only (elsewhere Go uses the platform verifier). Reported: an
#   SSL_CERT_FILE that is missing, not a file, unreadable or holds no PEM certificate
#   (Go then ignores the system bundle); SSL_CERT_DIR entries that are missing, not
#   directories or empty (an error when nothing else supplies a certificate, a warning
#   otherwise); no bundle file with certificates and no file in the certificate
#   directories — judged live, and in an image only when it is an operating system
#   installation (it has /etc/os-release or /usr/lib/os-release), since a bare directory
#   tree (a home, a build context, a fixture) has no trust store to judge; a bundle whose every readable certificate had expired when checked;
#   and a local CA (*.crt in /usr/local/share/ca-certificates or a file in
#   /etc/pki/ca-trust/source/anchors, PEM only) none of whose certificates' base64 body is
#   in the bundle Go loads and that is not linked into a certificate directory by name.
#   Only the bundle Go loads is read (up to 1 MiB) and parsed.
# related_resources:
#   - ref: https://github.com/golang/go/issues/18519
#   - ref: https://github.com/golang/go/issues/40370
#   - ref: https://github.com/golang/go/issues/27175
#   - ref: https://pkg.go.dev/crypto/x509#SystemCertPool
# custom:
#   id: GO046
#   severity: error
#   since: 1.0.0
#   category: TLS
#   systems: [linux, darwin]
#   remediation: |
#     {% if vars.kind == "env" %}Point {{ vars.name }} at a real {% if vars.name == "SSL_CERT_FILE" %}CA bundle{% else %}directory of certificates{% endif %}, or stop setting it so Go uses the system's:
#       {{ vars.fix }}{% elif vars.kind == "local-ca" %}Merge the local CA into the system bundle:
#       {% if vars.fedora %}sudo update-ca-trust extract{% else %}sudo update-ca-certificates{% endif %}{% if vars.custom_bundle %}
#     and, since SSL_CERT_FILE selects {{ vars.bundle }}, add it there too: cat {{ vars.path }} >> {{ vars.bundle }}{% endif %}{% else %}Install (or refresh) the system's CA certificates:
#       sudo apt-get install --reinstall ca-certificates && sudo update-ca-certificates
#     (Fedora/RHEL: sudo dnf reinstall ca-certificates && sudo update-ca-trust; Alpine: apk add ca-certificates)
#     In a container image, add the ca-certificates package to the image.{% endif %}
package envgate.go.go046_ca_bundle_missing_or_stale

import data.envgate.go.lib
import rego.v1

tls := object.get(input, "tls", {})

linux if input.host.os == "linux"

# A running system, or an image that is an operating system installation.
system_root if input.mode == "live"

system_root if is_string(tls.os_release)

bundles := object.get(tls, "bundles", [])

dirs := object.get(tls, "dirs", [])

go_bundle := [b | some b in bundles; b.path == tls.go_bundle][0]

bundle_certificates := n if {
	n := go_bundle.certificates
	is_number(n)
} else := 0

dir_entries := sum([d.entries | some d in dirs; d.is_dir])

# --- SSL_CERT_FILE and SSL_CERT_DIR -------------------------------------------------

file_problem(b) := "does not exist" if not b.exists

file_problem(b) := "is not a regular file" if {
	b.exists
	not b.is_file
}

file_problem(b) := sprintf("cannot be read (%s)", [b.error]) if {
	b.exists
	b.is_file
	is_string(b.error)
}

file_problem(b) := "holds no PEM certificate" if {
	b.is_file
	not is_string(b.error)
	b.certificates == 0
}

env_fix(name) := text if {
	o := input.env_origin[name]
	text := lib.delete_line(name, o.file)
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("unset %s   # and remove it from your shell startup files", [name])

deny contains finding if {
	linux
	some b in bundles
	b.source == "SSL_CERT_FILE"
	why := file_problem(b)
	finding := {
		"msg": sprintf("SSL_CERT_FILE=%s %s: Go then reads no system CA bundle, so HTTPS downloads fail with `x509: certificate signed by unknown authority`%s", [b.path, why, dirs_note]),
		"subject": "env.SSL_CERT_FILE",
		"vars": {"kind": "env", "name": "SSL_CERT_FILE", "path": b.path, "fix": env_fix("SSL_CERT_FILE")},
	}
}

dirs_note := sprintf(" (only the certificate directories remain, with %d file(s))", [dir_entries]) if dir_entries > 0 else := ""

dir_problem(d) := "does not exist" if not d.exists

dir_problem(d) := "is not a directory" if {
	d.exists
	not d.is_dir
}

dir_problem(d) := sprintf("cannot be listed (%s)", [d.error]) if {
	d.is_dir
	is_string(d.error)
}

dir_problem(d) := "is empty" if {
	d.is_dir
	not is_string(d.error)
	d.entries == 0
}

no_other_source if {
	bundle_certificates == 0
	dir_entries == 0
}

deny contains finding if {
	linux
	some d in dirs
	d.source == "SSL_CERT_DIR"
	why := dir_problem(d)
	finding := {
		"msg": sprintf("SSL_CERT_DIR entry %s %s%s", [d.path, why, dir_consequence]),
		"subject": "env.SSL_CERT_DIR",
		"severity": dir_severity,
		"vars": {"kind": "env", "name": "SSL_CERT_DIR", "path": d.path, "fix": env_fix("SSL_CERT_DIR")},
	}
}

dir_consequence := ", and no CA bundle supplies certificates either: HTTPS downloads fail with `x509: certificate signed by unknown authority`" if no_other_source else := "; Go skips it (the CA bundle still works)"

dir_severity := "error" if no_other_source else := "warning"

# --- no bundle, expired bundle ------------------------------------------------------

default_paths := [b.path | some b in bundles; b.source == "default"]

deny contains finding if {
	linux
	not is_string(tls.cert_file_env)
	system_root
	count(default_paths) > 0
	bundle_certificates == 0
	dir_entries == 0
	finding := {
		"msg": sprintf("No CA certificates for Go: %s, and the certificate directories (%s) hold no files, so every HTTPS download (module proxy, checksum database, go get) fails with `x509: certificate signed by unknown authority`", [bundle_state, concat(" and ", [d.path | some d in dirs])]),
		"location": {"file": default_paths[0]},
		"vars": {"kind": "missing", "paths": default_paths},
	}
}

bundle_state := sprintf("%s holds no certificate", [tls.go_bundle]) if is_string(tls.go_bundle) else := sprintf("none of %s exists", [concat(", ", default_paths)])

deny contains finding if {
	linux
	b := go_bundle
	is_number(b.certificates)
	is_number(b.expired)
	b.certificates > 0
	b.expired > 0
	b.expired + number_or_zero(b.unparsable) == b.certificates
	finding := {
		"msg": sprintf("Every certificate in %s had expired when checked (%d of %d; the latest ended %s), so TLS verification fails for every server", [b.path, b.expired, b.certificates, object.get(b, "latest_not_after_date", "?")]),
		"location": {"file": b.path},
		"vars": {"kind": "expired", "path": b.path},
	}
}

number_or_zero(n) := n if is_number(n) else := 0

# --- a local CA not merged ----------------------------------------------------------

deny contains finding if {
	linux
	is_string(tls.go_bundle)
	some ca in object.get(tls, "local_cas", [])
	ca.certificates > 0
	not ca.in_go_bundle
	not is_string(ca.linked_as)
	finding := {
		"msg": sprintf("The local CA certificate %s is not in %s, the bundle Go loads: behind the proxy or server it signs, downloads fail with `x509: certificate signed by unknown authority`", [ca.path, tls.go_bundle]),
		"location": {"file": ca.path},
		"vars": {
			"kind": "local-ca",
			"path": ca.path,
			"bundle": tls.go_bundle,
			"fedora": startswith(ca.path, "/etc/pki/"),
			"custom_bundle": is_string(tls.cert_file_env),
		},
	}
}
