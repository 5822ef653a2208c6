//! Hostile startup files: every bound the evaluator and the parsers keep, hit on
//! purpose. Each input here blew up before its bound existed (memory, time or stack);
//! the assertions are on what was kept and what was noted, never on time.

use super::eval::{Evaluator, Note, State};
use super::expand::{MAX_PATH_ENTRIES, MAX_VALUE_BYTES, PATH_CUT};
use super::files::{FileCache, Syntax};
use super::tests::{BASH_LOGIN, base_state, identity, image};

/// Evaluates `profile` as a bash login's `~/.profile`.
fn evaluate(profile: &str) -> (State, Vec<Note>) {
    let (_dir, host) = image(&[("/home/dev/.profile", profile.as_bytes())]);
    let mut cache = FileCache::default();
    let mut eval = Evaluator::new(&host, &mut cache, BASH_LOGIN, identity(), base_state());
    eval.read_startup_file("/home/dev/.profile", Syntax::Sh);
    (eval.state, eval.notes)
}

fn noted(notes: &[Note], what: &str) -> bool {
    notes.iter().any(|n| n.what.contains(what))
}

#[test]
fn a_doubling_path_stops_at_the_entry_bound_and_says_so() {
    // 20 doublings of 3 entries are 3 million entries: before, an allocation failure.
    let (state, notes) = evaluate(&"export PATH=\"$PATH:$PATH\"\n".repeat(20));
    assert_eq!(state.path.len(), MAX_PATH_ENTRIES + 1);
    let cut = state.path.last().unwrap();
    assert_eq!((cut.raw.as_str(), cut.dir.as_deref()), (PATH_CUT, None));
    assert!(noted(&notes, "PATH grew past 4096 entries"), "{notes:?}");
    assert!(
        state.path[..MAX_PATH_ENTRIES]
            .iter()
            .all(|s| s.dir.is_some())
    );
}

#[test]
fn a_path_at_the_bound_keeps_what_is_prepended() {
    let lines: String = (0..MAX_PATH_ENTRIES + 100)
        .map(|i| format!("PATH=\"/opt/d{i}:$PATH\"\n"))
        .collect();
    let (state, notes) = evaluate(&lines);
    assert_eq!(state.path.len(), MAX_PATH_ENTRIES + 1);
    assert_eq!(state.path[0].dir.as_deref(), Some("/opt/d4195"));
    assert_eq!(state.path.last().unwrap().raw, PATH_CUT);
    // Every line was evaluated: the work bound is far from a file like this.
    assert!(!noted(&notes, "evaluation stopped"), "{notes:?}");
}

#[test]
fn a_doubling_variable_becomes_unknown_at_the_value_bound() {
    // 8 bytes doubled 40 times is 8 TiB.
    let profile = format!(
        "export GOFLAGS=-mod=mod\n{}",
        "export GOFLAGS=\"$GOFLAGS$GOFLAGS\"\n".repeat(40)
    );
    let (state, notes) = evaluate(&profile);
    let goflags = &state.vars["GOFLAGS"];
    assert_eq!(goflags.value, None);
    assert!(goflags.exported);
    assert!(
        noted(
            &notes,
            &format!("GOFLAGS longer than {MAX_VALUE_BYTES} bytes")
        ),
        "{notes:?}"
    );
}

#[test]
fn appending_past_the_value_bound_is_unknown_too() {
    let profile = format!(
        "X={}\n{}",
        "x".repeat(60_000),
        "X+=yyyyyyyyyy\n".repeat(1000)
    );
    let (state, notes) = evaluate(&profile);
    assert_eq!(state.vars["X"].value, None);
    assert!(noted(&notes, "X longer than"), "{notes:?}");
}

#[test]
fn one_word_of_many_long_references_stops_expanding() {
    // 200,000 references to a 60 kB value: 12 GB of text before.
    let profile = format!("X={}\nY={}\n", "x".repeat(60_000), "$X".repeat(200_000));
    let (state, notes) = evaluate(&profile);
    assert_eq!(state.vars["Y"].value, None);
    assert!(noted(&notes, "Y longer than"), "{notes:?}");
    assert_eq!(
        state.vars["X"].value.as_ref().map(String::len),
        Some(60_000)
    );
}

#[test]
fn path_lookups_count_against_the_work_bound() {
    // A PATH at the bound, then a lookup on every line: each scans 4,096 entries.
    let mut profile: String = (0..MAX_PATH_ENTRIES)
        .map(|i| format!("PATH=\"$PATH:/opt/d{i}\"\n"))
        .collect();
    profile.push_str(&"command -v go >/dev/null && X=1\n".repeat(40_000));
    let (_state, notes) = evaluate(&profile);
    assert!(
        noted(&notes, "evaluation stopped: too much expansion"),
        "{notes:?}"
    );
}

/// Runs `f` on a thread with Rust's default 2 MiB stack (the binary's main thread has
/// 8 MiB; a bound that holds here holds there).
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no stack overflow")
}

fn unparsed_reasons(script: &super::ast::Script) -> Vec<String> {
    script
        .nodes
        .iter()
        .filter_map(|n| match n {
            super::ast::Node::Unparsed { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

/// How deep `${a:-${b:-…}}` words nest inside the script's first assignment.
fn word_depth(script: &super::ast::Script) -> usize {
    fn depth(word: &super::ast::Word) -> usize {
        word.parts
            .iter()
            .map(|p| match p {
                super::ast::Part::Param { arg: Some(arg), .. } => 1 + depth(arg),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    match &script.nodes[0] {
        super::ast::Node::Simple(simple) => match &simple.assigns[0].value {
            super::ast::AssignValue::Scalar(word) => depth(word),
            super::ast::AssignValue::Array(_) => 0,
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn deeply_nested_quotes_and_substitutions_are_not_understood_not_a_crash() {
    // `"$(` 5,000 times aborted `audit --root` with a stack overflow.
    for text in [
        "\"$(".repeat(50_000),
        format!("X={}", "\"$(".repeat(50_000)),
        format!("X=\"{}\"", "${a:-\"".repeat(50_000)),
    ] {
        let head: String = text.chars().take(12).collect();
        let reasons = on_small_stack(move || unparsed_reasons(&super::parse_sh(&text)));
        assert!(
            reasons.iter().any(|r| r.contains("nested too deeply")),
            "{head}: {reasons:?}"
        );
    }
    // Unquoted `$(` only counts parentheses: no recursion, one unknown substitution.
    let text = format!("X={}{}", "$(".repeat(50_000), ")".repeat(50_000));
    assert!(on_small_stack(move || unparsed_reasons(&super::parse_sh(&text))).is_empty());
    // `${a:-${a:-…}}`: the word past the bound is kept unevaluated, as written.
    let text = format!("X={}{}", "${a:-".repeat(50_000), "}".repeat(50_000));
    let depth = on_small_stack(move || word_depth(&super::parse_sh(&text)));
    assert!(depth <= super::lex::MAX_NESTING, "{depth}");
    // Nesting a real file has still reads.
    let text = "X=\"$(dirname \"$(command -v go)\")\"\nY=${A:-${B:-${C:-x}}}\n";
    let script = super::parse_sh(text);
    assert!(unparsed_reasons(&script).is_empty());
    let script = super::parse_sh(&text[text.find('Y').unwrap()..]);
    assert_eq!(word_depth(&script), 3);
}

#[test]
fn deeply_nested_fish_is_not_a_crash() {
    for text in [
        format!("set -x X {}{}", "(".repeat(50_000), ")".repeat(50_000)),
        format!("{}{}", "if true\n".repeat(50_000), "end\n".repeat(50_000)),
        format!("{}{}", "begin\n".repeat(50_000), "end\n".repeat(50_000)),
    ] {
        on_small_stack(move || super::parse_fish(&text));
    }
}

#[test]
fn eval_over_a_whole_line_is_bounded() {
    // Each `eval` reparsed the rest of the line one stack level deeper: 50,000 of them
    // ran for minutes, then overflowed.
    let profile = format!("{}PATH=/x:$PATH\n", "eval ".repeat(50_000));
    let (state, notes) = on_small_stack(move || {
        let (state, notes) = evaluate(&profile);
        (state.path.len(), notes)
    });
    assert!(noted(&notes, "eval nested too deeply"), "{notes:?}");
    assert_eq!(state, 3);
}

#[test]
fn a_deeply_nested_profile_evaluates_on_a_small_stack() {
    let profile = format!(
        "X={}\n{}PATH=/x:$PATH\n{}",
        "\"$(".repeat(50_000),
        "if true; then\n".repeat(50_000),
        "fi\n".repeat(50_000),
    );
    let notes = on_small_stack(move || evaluate(&profile).1);
    assert!(noted(&notes, "nested too deeply"), "{notes:?}");
    assert!(noted(&notes, "`if` without its end"), "{notes:?}");
}
