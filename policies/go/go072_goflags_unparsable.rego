# METADATA
# title: GOFLAGS cannot be parsed, so every go command stops
# description: |
#   cmd/go reads GOFLAGS before it runs any command but `go env` and `go bug`
#   (base.InitGOFLAGS) and stops with `go: parsing $GOFLAGS: …` when it cannot: a word
#   that is not a whole flag (`trimpath` without its dash, a lone `-`, `--`, `-=x`), or
#   from Go 1.20 on a quote that is never closed (GOFLAGS is split like CC there, with
#   quotes; Go 1.19 and older split it at white space, so `'-ldflags=-s -w'` is two
#   words and the first is no flag). `go build`, `go test`, `go version` and gopls's
#   `go list` calls all fail, while `go env` still works, which hides the cause.
#   Verified with Go 1.19.8 and 1.26.8: `GOFLAGS=trimpath go list std` prints `go:
#   parsing $GOFLAGS: non-flag "trimpath"`; `GOFLAGS="'-trimpath" go version` prints
#   `go: parsing $GOFLAGS: unterminated ' string` on 1.26.
#   Decision: judges the effective GOFLAGS as the active toolchain splits it
#   (`go_settings.goflags` and `goflags_error`); one finding naming the first word Go
#   refuses, as Go does. The fix keeps the words Go reads.
# related_resources:
#   - ref: https://pkg.go.dev/cmd/go#hdr-Environment_variables
# custom:
#   id: GO072
#   severity: error
#   since: 1.5.0
#   category: Toolchain
#   remediation: |
#     {% if vars.kept %}Keep only the flags go can read{% else %}Remove GOFLAGS{% endif %}:
#       {{ vars.fix }}
#     {% if vars.unclosed %}Then set it again with every quote closed, e.g. GOFLAGS='-ldflags=-s -w' (Go 1.20 and newer; Go 1.19 and older cannot take a flag with a space in GOFLAGS at all).
#     {% endif %}`go env GOFLAGS` shows the value; any other go command shows whether it is read.
package envgate.go.go072_goflags_unparsable

import data.envgate.go.lib
import data.envgate.go.modules_lib
import rego.v1

words := object.get(input, ["go_settings", "goflags"], [])

non_flags := [f | some f in words; not is_string(f.name)]

# Go's own words for what it refused: the unclosed quote, else the first non-flag.
refused := sprintf("%v", [input.go_settings.goflags_error]) if {
	is_string(input.go_settings.goflags_error)
} else := sprintf(`non-flag "%s"`, [non_flags[0].raw]) if {
	count(non_flags) > 0
}

kept := modules_lib.goflags_without({f.index | some f in non_flags})

fix := text if {
	kept != ""
	text := lib.set_hint("GOFLAGS", kept)
	is_string(text)  # holds for any defined value (L012)
} else := lib.remove_hint("GOFLAGS", "")

deny contains finding if {
	is_string(refused)
	v := input.go.env.GOFLAGS
	finding := {
		"msg": sprintf("GOFLAGS is set %s to `%s`, which the go command cannot parse: every go command but `go env` stops with `go: parsing $GOFLAGS: %s`", [lib.origin(v), v.value, refused]),
		"subject": "go.env.GOFLAGS",
		"vars": {
			"value": v.value,
			"error": refused,
			"unclosed": is_string(object.get(input, ["go_settings", "goflags_error"], null)),
			"kept": kept,
			"fix": fix,
		},
	}
}
