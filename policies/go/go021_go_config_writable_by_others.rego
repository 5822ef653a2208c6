# METADATA
# title: Go configuration files or GOROOT writable by others
# description: |
#   The `go env -w` file ($GOENV, default ~/.config/go/env) sets CC, GOFLAGS, GOPROXY and
#   GOTOOLCHAIN for every go command you run; $GOROOT/bin holds the go command itself and
#   $GOROOT/go.env sets defaults for everyone using that install. Whoever can write them
#   decides what runs on your next `go build` (`CC=/tmp/evil`, `GOFLAGS=-toolexec=…`,
#   `GOTOOLCHAIN=go1.99.0` fetched from a proxy they choose).
#   Decision: the $GOENV file and its directory are reported when writable by others,
#   writable by a group other than the user's own group (or the group of `/`, root's on a
#   running system), or owned by another user than the checked user or root. For an image
#   unpacked by an ordinary account, that account (the owner of `/`) counts as root.
#   $GOROOT/bin and $GOROOT/go.env are reported for a system install only — GOROOT outside
#   the user's home — when writable by others, by a group other than root's, or owned with
#   write permission by a non-root user (e.g. after `sudo chown -R $USER /usr/local/go`).
#   Homebrew's Cellar (/opt/homebrew, /usr/local/Cellar, /home/linuxbrew) is owned by the
#   user by design and is not reported for ownership. A file that does not exist is not
#   reported.
# related_resources:
#   - ref: https://go.dev/doc/toolchain
#   - ref: https://pkg.go.dev/cmd/go#hdr-Environment_variables
# custom:
#   id: GO021
#   severity: error
#   since: 1.0.0
#   autofix: safe
#   category: Security
#   systems: [linux, darwin]
#   remediation: |
#     Make {{ vars.path }} writable by {% if vars.system %}root only{% else %}you only{% endif %}:
#       {{ vars.fix }}
#     {% if vars.system %}Then check that nobody changed the go command or go.env meanwhile (reinstall Go if unsure).{% else %}Then check its contents (`cat {{ vars.goenv }}`) for settings you did not make: CC, CXX, GOFLAGS, GOPROXY, GOTOOLCHAIN.{% endif %}
package envgate.go.go021_go_config_writable_by_others

import data.envgate.go.fix_lib
import rego.v1

files := object.get(input, ["security", "files"], {})

mode_of(f) := f.mode if is_number(f.mode) else := 0

# An image unpacked by an ordinary account: that account owns every file.
image_owner(uid) if {
	is_number(input.host.root_owner_uid)
	input.host.root_owner_uid != 0
	uid == input.host.root_owner_uid
}

trusted_group(gid) if gid == object.get(input, ["security", "user_gid"], null)

trusted_group(gid) if gid == object.get(input, ["security", "root_gid"], null)

# --- the $GOENV file and its directory ---------------------------------------------

goenv_roles := {"goenv_file": "the `go env -w` file", "goenv_dir": "the directory of the `go env -w` file"}

user_problems(f) := [p | some p in [
	other_writable(f),
	user_group_writable(f),
	foreign_owner(f),
]; p != ""]

other_writable(f) := "is writable by every user" if bits.and(mode_of(f), 2) != 0 else := ""

user_group_writable(f) := sprintf("is writable by group %d", [f.gid]) if {
	bits.and(mode_of(f), 16) != 0
	is_number(f.gid)
	not trusted_group(f.gid)
} else := ""

foreign_owner(f) := sprintf("is owned by uid %d, not by you (uid %d)", [f.uid, input.host.uid]) if {
	is_number(f.uid)
	is_number(input.host.uid)
	f.uid != input.host.uid
	f.uid != 0
	not image_owner(f.uid)
} else := ""

deny contains finding if {
	some role, what in goenv_roles
	f := files[role]
	f.exists
	found := user_problems(f)
	count(found) > 0
	finding := {
		"msg": sprintf("%s %s (mode %s) %s: whoever can change it decides what your go commands run (CC, GOFLAGS, GOTOOLCHAIN)", [what, f.path, format_int(mode_of(f), 8), concat(" and ", found)]),
		"location": {"file": f.path},
		"vars": {
			"path": f.path,
			"role": role,
			"problems": found,
			"system": false,
			"goenv": object.get(files, ["goenv_file", "path"], f.path),
			"fix": user_fix(f, role),
		},
		"fix": chmod_fix(f, role),
	}
}

user_fix(f, role) := concat("\n  ", array.concat(
	[sprintf("chmod %s %s", [user_mode(role), f.path])],
	chown_user(f),
))

user_mode("goenv_file") := "600"

user_mode("goenv_dir") := "700"

chown_user(f) := lines if {
	foreign_owner(f) != ""
	lines := [sprintf("sudo chown %s %s", [user_name, f.path])]
	is_array(lines)  # holds for any defined value (L012)
} else := []

user_name := input.host.user if is_string(input.host.user) else := "$USER"

# --- a system GOROOT ---------------------------------------------------------------

goroot_roles := {"goroot_bin": "$GOROOT/bin", "goroot_go_env": "$GOROOT/go.env"}

system_goroot if {
	g := files.goroot
	not inside_home(g.path)
	not homebrew(g.path)
}

inside_home(path) if {
	is_string(input.host.home)
	startswith(path, sprintf("%s/", [trim_right(input.host.home, "/")]))
}

homebrew(path) if startswith(path, "/opt/homebrew/")

homebrew(path) if startswith(path, "/usr/local/Cellar/")

homebrew(path) if startswith(path, "/home/linuxbrew/")

system_problems(f) := [p | some p in [
	other_writable(f),
	system_group_writable(f),
	non_root_owner(f),
]; p != ""]

system_group_writable(f) := sprintf("is writable by group %d", [f.gid]) if {
	bits.and(mode_of(f), 16) != 0
	is_number(f.gid)
	f.gid != 0
	f.gid != object.get(input, ["security", "root_gid"], 0)
} else := ""

non_root_owner(f) := sprintf("is owned and writable by uid %d, not root", [f.uid]) if {
	bits.and(mode_of(f), 128) != 0
	is_number(f.uid)
	f.uid != 0
	not image_owner(f.uid)
} else := ""

deny contains finding if {
	system_goroot
	some role, what in goroot_roles
	f := files[role]
	f.exists
	found := system_problems(f)
	count(found) > 0
	goroot := files.goroot.path
	finding := {
		"msg": sprintf("%s %s of the system Go install %s (mode %s) %s: a non-root user can replace the go command or its defaults for everyone using it", [what, f.path, goroot, format_int(mode_of(f), 8), concat(" and ", found)]),
		"location": {"file": f.path},
		"vars": {
			"path": f.path,
			"role": role,
			"goroot": goroot,
			"problems": found,
			"system": true,
			"goenv": "",
			"fix": concat("\n  ", [sprintf("sudo chown -R root:root %s", [goroot]), sprintf("sudo chmod -R go-w %s", [goroot])]),
		},
	}
}

# chmod 600 (700 for the directory) when the owner is right; a foreign owner needs
# chown, which takes root.
chmod_fix(f, role) := edits if {
	foreign_owner(f) == ""
	edits := [fix_lib.chmod(f.path, user_mode_bits[role])]
	is_array(edits)  # holds for any defined value (L012)
} else := []

user_mode_bits := {"goenv_file": 384, "goenv_dir": 448}
