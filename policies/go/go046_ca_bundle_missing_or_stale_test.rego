package envgate.go.go046_ca_bundle_missing_or_stale_test

import data.envgate.go.go046_ca_bundle_missing_or_stale as rule
import rego.v1

bundle(path, source) := {"path": path, "source": source, "exists": false, "is_file": false, "certificates": null, "expired": null, "unparsable": null, "error": null}

loaded(path, source, n, expired) := object.union(bundle(path, source), {"exists": true, "is_file": true, "certificates": n, "expired": expired, "unparsable": 0, "latest_not_after_date": "2099-12-31"})

dir(path, source, entries) := {"path": path, "source": source, "exists": true, "is_dir": true, "entries": entries, "error": null}

debian := "/etc/ssl/certs/ca-certificates.crt"

base := {
	"mode": "image",
	"host": {"os": "linux", "home": "/home/dev"},
	"env_origin": {},
	"tls": {
		"cert_file_env": null,
		"cert_dir_env": null,
		"bundles": [loaded(debian, "default", 140, 2), bundle("/etc/ssl/cert.pem", "default")],
		"dirs": [dir("/etc/ssl/certs", "default", 290), object.union(dir("/etc/pki/tls/certs", "default", 0), {"exists": false, "is_dir": false})],
		"go_bundle": debian,
		"local_cas": [],
		"os_release": "/etc/os-release",
	},
}

with_tls(t) := object.union(base, {"tls": t})

test_fires_when_no_bundle_exists if {
	inp := with_tls({
		"bundles": [bundle(debian, "default"), bundle("/etc/ssl/cert.pem", "default")],
		"dirs": [dir("/etc/ssl/certs", "default", 0)],
		"go_bundle": null,
	})
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
	f.location.file == debian
	contains(f.msg, "No CA certificates for Go: none of /etc/ssl/certs/ca-certificates.crt, /etc/ssl/cert.pem exists, and the certificate directories (/etc/ssl/certs) hold no files")
}

test_quiet_for_a_bare_tree_but_not_live if {
	bare := with_tls({
		"bundles": [bundle(debian, "default")],
		"dirs": [dir("/etc/ssl/certs", "default", 0)],
		"go_bundle": null,
		"os_release": null,
	})
	count(rule.deny) == 0 with input as bare
	count(rule.deny) == 1 with input as object.union(bare, {"mode": "live"})
}

test_quiet_when_the_directory_has_certificates if {
	inp := with_tls({"bundles": [bundle(debian, "default")], "go_bundle": null})
	count(rule.deny) == 0 with input as inp
}

test_fires_on_a_missing_ssl_cert_file if {
	inp := object.union(with_tls({
		"cert_file_env": "/etc/ssl/corp.pem",
		"bundles": [bundle("/etc/ssl/corp.pem", "SSL_CERT_FILE")],
		"go_bundle": null,
	}), {"env_origin": {"SSL_CERT_FILE": {"file": "/etc/environment", "line": 2}}})
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
	f.subject == "env.SSL_CERT_FILE"
	contains(f.msg, "SSL_CERT_FILE=/etc/ssl/corp.pem does not exist: Go then reads no system CA bundle")
	contains(f.msg, "only the certificate directories remain, with 290 file(s)")
	f.vars.fix == `sudo sed -i '/^\s*\(export \)\?SSL_CERT_FILE=/d' /etc/environment`
}

test_fires_on_an_empty_ssl_cert_file if {
	inp := with_tls({"cert_file_env": "/tmp/empty.pem", "bundles": [loaded("/tmp/empty.pem", "SSL_CERT_FILE", 0, 0)], "go_bundle": "/tmp/empty.pem"})
	some f in rule.deny with input as inp
	contains(f.msg, "holds no PEM certificate")
}

test_grades_an_empty_ssl_cert_dir if {
	inp := with_tls({"cert_dir_env": "/srv/certs", "dirs": [dir("/srv/certs", "SSL_CERT_DIR", 0)]})
	some f in rule.deny with input as inp
	f.severity == "warning"
	contains(f.msg, "SSL_CERT_DIR entry /srv/certs is empty; Go skips it")
	alone := with_tls({"cert_dir_env": "/srv/certs", "dirs": [dir("/srv/certs", "SSL_CERT_DIR", 0)], "bundles": [bundle(debian, "default")], "go_bundle": null})
	some g in rule.deny with input as alone
	g.severity == "error"
}

test_fires_when_every_root_expired if {
	inp := with_tls({"bundles": [loaded(debian, "default", 3, 3)]})
	some f in rule.deny with input as inp
	contains(f.msg, "Every certificate in /etc/ssl/certs/ca-certificates.crt had expired when checked (3 of 3; the latest ended 2099-12-31)")
}

test_fires_on_an_unmerged_local_ca if {
	inp := with_tls({"local_cas": [
		{"path": "/usr/local/share/ca-certificates/corp.crt", "certificates": 1, "in_go_bundle": false, "linked_as": null},
		{"path": "/usr/local/share/ca-certificates/merged.crt", "certificates": 1, "in_go_bundle": true, "linked_as": null},
		{"path": "/usr/local/share/ca-certificates/linked.crt", "certificates": 1, "in_go_bundle": false, "linked_as": "/etc/ssl/certs/linked.pem"},
		{"path": "/usr/local/share/ca-certificates/der.crt", "certificates": 0, "in_go_bundle": false, "linked_as": null},
	]})
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
	f.location.file == "/usr/local/share/ca-certificates/corp.crt"
	f.vars.fedora == false
	contains(f.msg, "is not in /etc/ssl/certs/ca-certificates.crt, the bundle Go loads")
}

test_quiet_on_a_healthy_machine_and_off_linux if {
	count(rule.deny) == 0 with input as base
	mac := object.union(base, {"host": {"os": "darwin"}, "tls": {"bundles": [], "dirs": [], "go_bundle": null}})
	count(rule.deny) == 0 with input as mac
}
