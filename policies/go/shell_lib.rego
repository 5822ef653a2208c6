# Helpers for the shell and session rules (GO010, GO014–GO017, GO019, GO020): the
# sessions envgate reconstructs from startup files (see `shell.sessions` in the
# snapshot schema: "login" for SSH and console logins, "gui" for the desktop session,
# "terminal" for the desktop terminal, a non-login interactive shell started by the
# desktop session, "editor" for what editors started from the desktop run), and the
# Go-related lines of those files.
# Not a rule: it has no METADATA id.
package envgate.go.shell_lib

import data.envgate.go.lib
import rego.v1

# A session: "login", "terminal", "gui" or "editor"; {} when the snapshot has none.
session(name) := object.get(input, ["shell", "sessions", name], {})

# How messages name a session ("the desktop terminal (non-login interactive bash
# started by the desktop session)"); older snapshots have no description.
session_name(name) := d if {
	d := session(name).description
	is_string(d)
} else := default_session_names[name]

default_session_names := {
	"login": "SSH and console logins",
	"terminal": "the desktop terminal",
	"gui": "the desktop session",
	"editor": "programs started by editors from the desktop",
}

# The PATH entries of a session.
session_path(name) := object.get(session(name), "path", [])

# The directories of a session's PATH that could be evaluated (no trailing slash).
session_dirs(name) := {trim_right(e.dir, "/") | some e in session_path(name); is_string(e.dir)}

# `dir` is on the session's PATH.
on_session_path(name, dir) if trim_right(dir, "/") in session_dirs(name)

# The first entry of the session's PATH that is `dir`.
session_entry(name, dir) := entries[0] if {
	entries := [e |
		some e in session_path(name)
		is_string(e.dir)
		trim_right(e.dir, "/") == trim_right(dir, "/")
	]
	count(entries) > 0
}

# Some entry of the session's PATH could not be evaluated (`$(brew --prefix)/bin`):
# the session may hold more than envgate can see.
has_unknown_entries(name) if {
	some e in session_path(name)
	not is_string(e.dir)
}

# The session read `path` (fully or its first MiB).
session_read(name, path) if {
	some f in object.get(session(name), "files_read", [])
	f.path == path
	f.status in {"read", "truncated"}
}

# The session read `path` or inherited what it set: the desktop terminal and the
# editor start from the desktop session's environment.
session_read_or_inherited(name, path) if session_read(name, path)

session_read_or_inherited(name, path) if {
	name in {"terminal", "editor"}
	session_read("gui", path)
}

# A startup file's facts, by path.
startup_file(path) := f if {
	some f in object.get(input, ["shell", "files"], [])
	f.path == path
}

# The file exists.
file_exists(path) if startup_file(path).exists

# The user's file `name` (".profile") as a path.
user_file(name) := sprintf("%s/%s", [lib.home, name])

# Variables that are Go's own settings.
go_variable(name) if startswith(name, "GO")

go_variable(name) if startswith(name, "CGO_")

# Programs a Go developer reaches through PATH.
go_programs := {"go", "gofmt", "gopls", "dlv"}

# A PATH entry written by a startup file that is about Go: it holds a Go program (and
# is not one of the system's standard directories, which hold a distribution's `go`
# without being a Go setup: Debian's /etc/zsh/zshenv lists /usr/bin), is the
# `go install` directory, or names Go in its text (`$GOPATH/bin`, `/usr/local/go/bin`,
# `$(go env GOPATH)/bin`, a version manager's directory).
go_dir(d) if {
	some p in object.get(d, "programs", [])
	p in go_programs
	not system_dir(d)
}

# The standard directories of a default PATH (login.defs, /etc/profile, zshenv).
system_dirs := {
	"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin",
	"/usr/games", "/usr/local/games", "/snap/bin",
}

system_dir(d) if trim_right(d.dir, "/") in system_dirs

go_dir(d) if {
	is_string(d.dir)
	is_string(input.go.tools_dir.path)
	trim_right(d.dir, "/") == trim_right(input.go.tools_dir.path, "/")
}

go_dir(d) if regex.match(`(?i)((^|/)go(lang)?(/|$)|\$\{?(GOPATH|GOROOT|GOBIN)|go env|\.goenv|\.gvm|/sdk/go)`, d.text)

# An assignment line of a startup file that sets up Go: a Go variable, or a PATH
# edit adding a Go directory.
go_line(a) if go_variable(a.name)

go_line(a) if {
	a.name in {"PATH", "path"}
	some d in a.dirs
	go_dir(d)
}

# The Go lines of a file, by line number.
go_lines(path) := sort_lines([a | some a in startup_file(path).assignments; go_line(a)])

sort_lines(lines) := [a |
	some n in sort({l.line | some l in lines})
	some a in lines
	a.line == n
]

# What a Go line sets is in the session anyway (from another file): the variable is
# set there, or every Go directory the line adds is on its PATH.
covered_in(a, name) if {
	go_variable(a.name)
	is_string(session(name).vars[a.name].value)
}

covered_in(a, name) if {
	a.name in {"PATH", "path"}
	dirs := [d | some d in a.dirs; go_dir(d)]
	count(dirs) > 0
	every d in dirs {
		is_string(d.dir)
		on_session_path(name, d.dir)
	}
}

# The line as shown in messages: `export PATH="$PATH:$HOME/go/bin"` becomes
# `PATH="$PATH:$HOME/go/bin"`.
shown(a) := sprintf("%s=%s", [a.name, a.value])

# Version managers whose shims directory (gvm: `scripts/gvm`) exists.
managers := object.get(input, ["shell", "installed_managers"], [])

# gvm's root: the directory holding `scripts/gvm`.
manager_root(m) := trim_suffix(m.path, "/scripts/gvm") if m.name == "gvm"

# A directory through which the manager provides Go: its shims (goenv, asdf, mise);
# for gvm, whose `bin` holds only the `gvm` command, the `bin` of a Go it installed
# (`~/.gvm/gos/<version>/bin`).
manager_go_dir(m, dir) if {
	m.name != "gvm"
	trim_right(dir, "/") == trim_right(m.shims_dir, "/")
}

manager_go_dir(m, dir) if {
	m.name == "gvm"
	d := trim_right(dir, "/")
	prefix := sprintf("%s/gos/", [manager_root(m)])
	startswith(d, prefix)
	parts := split(trim_prefix(d, prefix), "/")
	count(parts) == 2
	parts[1] == "bin"
}

# The manager's activation lines that ran in a session, in order.
session_activations(name, m) := [a | some a in object.get(session(name), "activations", []); a.manager == m.name]

# The manager's Go is on a session's PATH: its activation ran there, or a directory
# through which it provides Go is on it.
manager_active(name, m) if count(session_activations(name, m)) > 0

manager_active(name, m) if {
	some e in session_path(name)
	is_string(e.dir)
	manager_go_dir(m, e.dir)
}

# Active in terminals only: not in login shells nor in the desktop session (GO010).
manager_terminal_only(m) if {
	manager_active("terminal", m)
	not manager_active("login", m)
	not manager_active("gui", m)
}

# The manager's activation lines that the desktop session's /bin/sh reads and cannot
# run (`[[`, `source` or gvm's bash-only loader under dash), while the desktop has no
# Go from the manager otherwise (GO010).
sh_failures(m) := [u |
	not manager_active("gui", m)
	some u in object.get(session("gui"), "unsupported", [])
	some a in object.get(startup_file(u.file), "activations", [])
	a.manager == m.name
	a.line == u.line
]

# GO010 reports the manager.
manager_reported(m) if manager_terminal_only(m)

manager_reported(m) if count(sh_failures(m)) > 0

# The activations of a session that put a PATH entry there: the activation line itself,
# or a file its modelled effect read (gvm's `environments/default`, which gvm writes).
entry_activations(name, entry) := [a |
	some a in object.get(session(name), "activations", [])
	from_activation(a, entry)
]

from_activation(a, entry) if {
	entry.source == "activation"
	entry.file == a.file
	entry.line == a.line
}

from_activation(a, entry) if entry.file in object.get(a, "reads", [])

# The entry of a session's PATH came from the activation of a manager GO010 reports:
# that rule, not the one that looked at the entry, says what to change.
reported_activation(name, entry) if {
	some a in entry_activations(name, entry)
	some m in managers
	m.name == a.manager
	manager_reported(m)
}
