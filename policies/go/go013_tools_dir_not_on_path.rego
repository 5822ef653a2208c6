# METADATA
# title: Go tools directory is not on PATH, or its programs are shadowed
# description: |
#   `go install` puts programs in GOBIN, or else in the `bin` directory of the first
#   GOPATH entry (by default ~/go/bin). When that directory is not on PATH, editors
#   report "gopls not found" and freshly installed tools seem to vanish. When another
#   program of the same name comes first on PATH (Debian's /usr/bin/gopls before a
#   `go install`ed ~/go/bin/gopls), the tool is found, but the wrong one: the editor
#   runs the old gopls, and adding the directory at the end of PATH changes nothing.
#   Decision: the check fires only when that directory exists and holds programs, so a
#   machine where nothing was ever `go install`ed is not flagged. Shadowing is judged in
#   every session envgate reconstructs (`go.tools_dir.lookups`: which file each
#   session's PATH lookup of each program reaches) and, live, in this process's PATH;
#   one finding per file to edit, which is the last of the user's own startup files
#   that those sessions read themselves (not through `source`), so that the line runs
#   after anything else that changes PATH there. The fix prepends the directory only
#   when it is not already first, so pasting it twice, or in several files, is safe.
#   "Not on PATH" is judged on this process's PATH (for an image, the terminal's) and
#   only when no session has a shadowed program, whose fix also puts it on PATH.
# related_resources:
#   - ref: https://github.com/microsoft/vscode-go/issues/10
#   - ref: https://github.com/microsoft/vscode-go/issues/1039
#   - ref: https://github.com/golang/vscode-go/issues/1823
# custom:
#   id: GO013
#   severity: error
#   since: 0.1.0
#   autofix: safe
#   category: Shell & PATH
#   remediation: |
#     {% if vars.windows and vars.shadowed %}Put it first on your user Path in the registry (PowerShell); the machine Path comes before the user's, so a shadowing entry there must go (elevated PowerShell, 'Machine'):
#       [Environment]::SetEnvironmentVariable('Path', '{{ vars.dir }};' + [Environment]::GetEnvironmentVariable('Path', 'User'), 'User')
#     then open a new terminal.
#     {% elif vars.windows %}Add it to your user Path in the registry (PowerShell), which every new session reads:
#       [Environment]::SetEnvironmentVariable('Path', [Environment]::GetEnvironmentVariable('Path', 'User') + ';{{ vars.dir }}', 'User')
#     (or `setx` from cmd, which truncates values past 1024 characters), then open a new terminal.
#     {% elif vars.shadowed %}Put {{ vars.dir }} first on PATH at the end of {{ vars.file }}, which the {{ vars.sessions | join(sep=", ") }} session{% if vars.sessions | length > 1 %}s read{% else %} reads{% endif %} (the line does nothing when it is already first, so pasting it again is harmless):
#       echo '{{ vars.line }}' >> {{ vars.file }}
#     {% else %}Add it to PATH in your login file, which every session (terminal and desktop) reads:
#       echo '{{ vars.line }}' >> {{ vars.file }}
#     {% endif %}{% if not vars.windows %}then log out and back in, or run `{% if vars.fish %}source{% else %}.{% endif %} {{ vars.file }}` in open terminals.{% endif %}
package envgate.go.go013_tools_dir_not_on_path

import data.envgate.go.fix_lib
import data.envgate.go.lib
import rego.v1

dir := input.go.tools_dir

tools := trim_right(dir.path, "/")

lookups := object.get(dir, "lookups", [])

# The lookup reached another program of the same name before the tools directory's.
shadowed(l) if {
	is_object(l.found)
	not l.from_tools_dir
}

shadowed_sessions := {l.session | some l in lookups; shadowed(l)}

# Windows: the registry's Path, which every session gets (no startup file to edit).
deny contains finding if {
	input.host.os == "windows"
	dir.exists
	count(dir.programs) > 0
	not on_windows_path(dir.path)
	count(shadowed_sessions) == 0
	finding := {
		"msg": sprintf("%s (from %s) is not on the registry Path, so %s installed there cannot be found", [dir.path, dir.source, concat(", ", dir.programs)]),
		"subject": sprintf("go.env.%s", [dir.source]),
		"location": {"file": lib.windows_user_path_key, "line": null},
		"vars": {
			"dir": dir.path,
			"programs": dir.programs,
			"windows": true,
			"shadowed": false,
			"fish": false,
			"file": lib.windows_user_path_key,
			"line": "",
		},
	}
}

on_windows_path(d) if {
	some entry in input.path.entries
	lib.same_windows_dir(entry.raw, d)
}

# The tools directory is not on this process's PATH (an image: the terminal's).
deny contains finding if {
	not input.host.os == "windows"
	dir.exists
	count(dir.programs) > 0
	not lib.on_path(dir.path)
	count(shadowed_sessions) == 0
	finding := {
		"msg": sprintf("%s (from %s) is not on PATH, so %s installed there cannot be found", [dir.path, dir.source, concat(", ", dir.programs)]),
		"subject": sprintf("go.env.%s", [dir.source]),
		"vars": {
			"dir": dir.path,
			"programs": dir.programs,
			"file": lib.login_profile,
			"shadowed": false,
			"fish": false,
			# Nothing shadows these programs, so appending is enough; pasted twice, the
			# directory is on PATH twice, which changes no lookup.
			"line": sprintf(`export PATH="$PATH:%s"`, [dir.path]),
		},
		# ~/.profile for the desktop session (and the terminals it starts), and the
		# login shell's own file when that is another (zsh reads ~/.zprofile).
		# (the files login shells and the desktop session read last: ~/.bash_profile when
		# it hides ~/.profile from bash logins)
		"fix": fix_lib.path_append_edits(dir.path, tools_only),
	}
}

# Windows: programs another registry Path entry shadows (every session has that Path).
deny contains finding if {
	input.host.os == "windows"
	dir.exists
	count(shadowed_sessions) > 0
	cases := [l | some l in lookups; shadowed(l)]
	programs := sort({l.program | some l in cases})
	found := sort({sprintf(`%s\%s.exe`, [trim_right(l.found.dir, `\`), l.program]) | some l in cases})
	finding := {
		"msg": sprintf("%s in %s (where `go install` puts programs) %s shadowed by %s, found first on the registry Path", [concat(", ", programs), dir.path, is_are(programs), concat(", ", found)]),
		"subject": sprintf("go.env.%s", [dir.source]),
		"location": {"file": lib.windows_user_path_key, "line": null},
		"vars": {
			"dir": dir.path,
			"programs": programs,
			"windows": true,
			"shadowed": true,
			"fish": false,
			"file": lib.windows_user_path_key,
			"line": "",
		},
	}
}

# Programs of the tools directory that another PATH entry shadows, one finding per file
# to edit.
deny contains finding if {
	not input.host.os == "windows"
	dir.exists
	some file in {fix_file(s) | some s in shadowed_sessions}
	sessions := sort([s | some s in shadowed_sessions; fix_file(s) == file])
	cases := [l | some l in lookups; l.session in sessions; shadowed(l)]
	programs := sort({l.program | some l in cases})
	found := sort({sprintf("%s/%s", [trim_right(l.found.dir, "/"), l.program]) | some l in cases})
	fish := endswith(file, ".fish")
	finding := object.union(
		{
			"msg": sprintf("%s in %s (where `go install` puts programs) %s shadowed by %s, found first on PATH in the %s session%s (to be fixed in %s)", [concat(", ", programs), dir.path, is_are(programs), concat(", ", found), concat(", ", sessions), plural(sessions), file]),
			"vars": {
				"dir": dir.path,
				"programs": programs,
				"file": file,
				"sessions": sessions,
				"shadowed": true,
				"fish": fish,
				"line": first_line(fish),
			},
			"fix": [fix_lib.append_line(file, first_line(fish), tools_only)],
		},
		where(sessions),
	)
}

# Putting the directory on PATH changes which toolchain runs when it holds a `go` or
# `gofmt` of its own: unsafe then.
tools_only := false if {
	holds_go
} else := true

# Whether the directory holds a `go` or `gofmt`: a rule of its own, so that when it
# does not, tools_only's `else` is taken (unpatched regorus's VM returns nothing after
# a loop in a body followed by `else` matches nothing, lint L013).
holds_go if {
	some p in dir.programs
	p in {"go", "gofmt"}
}

is_are(list) := "is" if count(list) == 1 else := "are"

plural(list) := "" if count(list) == 1 else := "s"

# Prepends the directory unless it is already PATH's first entry (fish: moves it there).
first_line(false) := sprintf(`case ":$PATH:" in ":%s:"*) ;; *) export PATH="%s:$PATH" ;; esac`, [tools, tools])

first_line(true) := sprintf("fish_add_path --move --path %s", [tools])

session(s) := object.get(input, ["shell", "sessions", s], {})

# The file whose last line runs last in session `s`: the last of the user's startup
# files that the session opened itself (a file reached through `source` runs before the
# rest of the file that sourced it), else the file its shell would read.
fix_file(s) := last if {
	files := [f.path |
		some f in object.get(session(s), "files_read", [])
		f.status in {"read", "truncated"}
		object.get(f, "sourced_from", null) == null
		startswith(f.path, sprintf("%s/", [lib.home]))
	]
	count(files) > 0
	last := files[count(files) - 1]
	is_string(last)  # holds for any defined value (L012)
} else := default_file(object.get(session(s), "shell", ""))

default_file("zsh") := sprintf("%s/.zprofile", [lib.home])

default_file("fish") := sprintf("%s/.config/fish/config.fish", [lib.home])

default_file(shell) := lib.login_profile if not shell in {"zsh", "fish"}

# Where to point: the line that put the tools directory on one of these sessions' PATH
# (it is there, but too late), else the line that added the shadowing entry, else the
# setting that chose the directory.
where(sessions) := location if {
	placed := [e |
		some s in sessions
		some e in object.get(session(s), "path", [])
		is_string(e.dir)
		trim_right(e.dir, "/") == tools
		is_string(e.file)
	]
	count(placed) > 0
	e := placed[0]
	location := {"location": {"file": e.file, "line": object.get(e, "line", null)}}
	is_object(location)  # holds for any defined value (L012)
} else := location if {
	placed := [e |
		some l in shadowed_in(sessions)
		e := object.get(session(l.session), ["path", l.found.index], {})
		is_string(object.get(e, "file", null))
	]
	count(placed) > 0
	e := placed[0]
	location := {"location": {"file": e.file, "line": object.get(e, "line", null)}}
	is_object(location)  # holds for any defined value (L012)
} else := {"subject": sprintf("go.env.%s", [dir.source])}

# The shadowed lookups of these sessions, in the sessions' order.
shadowed_in(sessions) := [l | some s in sessions; some l in lookups; l.session == s; shadowed(l)]
