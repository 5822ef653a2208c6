# Helpers shared by the rules of the go pack. Not a rule: it has no METADATA id.
package envgate.go.lib

import rego.v1

# The effective value of a Go setting; "" when nothing sets it.
setting(name) := input.go.env[name].value

setting(name) := "" if not input.go.env[name]

# The setting was made by someone (environment, `go env -w` file or $GOROOT/go.env),
# not left to cmd/go's default or read from the toolchain.
explicit(name) if input.go.env[name].source in {"env", "goenv", "goroot"}

# `dir` is an entry of PATH (a trailing slash does not matter).
on_path(dir) if {
	some entry in input.path.entries
	trim_right(entry.raw, "/") == trim_right(dir, "/")
}

# The toolchain PATH's `go` belongs to.
active_toolchain := input.go.toolchains[input.go.active]

# The user's home directory; "~" when the snapshot does not know it.
home := input.host.home if is_string(input.host.home) else := "~"

# The login file of the user's shell, where PATH edits reach every session.
login_profile := sprintf("%s/.zprofile", [home]) if {
	is_string(input.host.login_shell)
	endswith(input.host.login_shell, "/zsh")
} else := sprintf("%s/.profile", [home])

# "go1.19.8", "1.22", "go1.21rc1" -> [1, 19, 8], [1, 22, 0], [1, 21, 0].
version_parts(v) := [to_number(m[1]), minor, patch] if {
	m := regex.find_all_string_submatch_n(`^(?:go)?(\d+)(?:\.(\d+))?(?:\.(\d+))?`, v, 1)[0]
	minor := number_or_zero(m[2])
	patch := number_or_zero(m[3])
}

number_or_zero(s) := 0 if s == ""

number_or_zero(s) := to_number(s) if s != ""

# Go version a is older than b.
version_less(a, b) if {
	pa := version_parts(a)
	pb := version_parts(b)
	pa[0] < pb[0]
}

version_less(a, b) if {
	pa := version_parts(a)
	pb := version_parts(b)
	pa[0] == pb[0]
	pa[1] < pb[1]
}

version_less(a, b) if {
	pa := version_parts(a)
	pb := version_parts(b)
	pa[0] == pb[0]
	pa[1] == pb[1]
	pa[2] < pb[2]
}
