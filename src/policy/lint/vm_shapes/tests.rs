//! L012 and L013 on small packs; each shape was checked on stock regorus 0.14.1.
use super::super::super::PolicySource;
use super::*;

/// `line code` of each problem of a one-file pack (plus a library file `lib.rego`
/// in package `envgate.t.lib`).
fn found(rego: &str) -> Vec<String> {
    let lib = "package envgate.t.lib\n\nnames contains \"a\"\n\nmaybe := input.m\n\n\
               default flag := false\n\nflag if input.f\n\nhelper(x) := x\n\npartial(x) := x if x > 1\n";
    let pack = Pack {
        name: "t".into(),
        version: "1.0.0".into(),
        title: "t".into(),
        description: String::new(),
        origin: "test".into(),
        rules: Vec::new(),
        modules: vec![
            PolicySource {
                path: "p.rego".into(),
                text: format!("package envgate.t.p\n\nimport data.envgate.t.lib\n\n{rego}").into(),
            },
            PolicySource {
                path: "lib.rego".into(),
                text: lib.into(),
            },
        ],
        tests: Vec::new(),
        data: serde_json::Value::Null,
        input_use: Default::default(),
    };
    let mut problems = check(&pack);
    problems.sort();
    problems
        .iter()
        .map(|p| format!("{}:{} {}", p.file, p.line, p.code))
        .collect()
}

// The rule under test starts on line 5 of p.rego.

#[test]
fn the_issues_examples_are_found() {
    assert_eq!(
        found("r := \"first\" if {\n\to := input.missing\n}\n"),
        ["p.rego:6 L012"]
    );
    assert_eq!(
        found(
            "deny contains \"fires\" if {\n\tm := regex.find_all_string_submatch_n(`z`, \"abc\", 1)[0]\n}\n"
        ),
        ["p.rego:6 L012"]
    );
    assert_eq!(
        found("r := \"first\" if {\n\tsome x in input.xs\n\tx == 3\n} else := \"fallback\"\n"),
        ["p.rego:6 L013"]
    );
    assert_eq!(
        found("r := input.missing if {\n\ttrue\n} else := 2\n"),
        ["p.rego:5 L013"]
    );
    assert_eq!(
        found("f(x) := input.missing if {\n\tx == 1\n} else := \"fallback\"\n"),
        ["p.rego:5 L013"]
    );
}

#[test]
fn an_assignment_that_reaches_a_condition_is_fine() {
    for rego in [
        "r if {\n\tx := input.a\n\tx == 3\n}\n",
        "r if {\n\tx := input.a\n\ty := x.b\n\tstartswith(y, \"z\")\n}\n",
        "r if {\n\tx := input.a\n\tsome y in x\n\ty == 1\n}\n",
        "r if {\n\tx := input.a\n\tevery y in x { y > 1 }\n}\n",
        "r := x if {\n\tx := input.a\n}\n",
        "deny contains msg if {\n\tx := input.a\n\tmsg := sprintf(\"%v\", [x])\n}\n",
        "r if {\n\tx := object.get(input, \"a\", 1)\n}\n",
        "r if {\n\tx := [y | some y in input.xs]\n}\n",
        "r if {\n\tx := count(lib.names)\n}\n",
        "r if {\n\tx := lib.flag\n}\n",
        // `helper` is defined for every argument; `partial` is not.
        "r if {\n\tx := lib.helper(1)\n}\n",
        "r := 1 if {\n\tinput.a == 3\n} else := 2 if {\n\tinput.b\n} else := 3\n",
        "f(x) := y if {\n\ty := x + 1\n\ty > 2\n} else := 0\n",
        "r := v if {\n\tsome v in input.xs\n}\n",
        "r if {\n\tnot input.xs[_] == 3\n} else := false\n",
    ] {
        assert_eq!(found(rego), Vec::<String>::new(), "{rego}");
    }
}

#[test]
fn an_assignment_that_reaches_only_not_or_a_comprehension_is_found() {
    for rego in [
        "r if {\n\tx := input.a\n\tnot x == 3\n}\n",
        "r if {\n\tx := input.a\n\tcount([y | some y in x]) == 0\n}\n",
        "r if {\n\tx := lib.maybe\n\ty := x\n\tnot y\n}\n",
        "r if {\n\tx := lib.partial(1)\n}\n",
        "r if {\n\t_ := input.a\n}\n",
    ] {
        assert_eq!(found(rego), ["p.rego:6 L012"], "{rego}");
    }
    // In a comprehension, at its own line.
    assert_eq!(
        found("r := [1 | some y in input.ys\n\tz := y.name\n]\n"),
        ["p.rego:6 L012"]
    );
    // A head value of a body followed by `else` does not count as a condition.
    assert_eq!(
        found("r := x if {\n\tx := input.a\n} else := 2\n"),
        ["p.rego:6 L012"]
    );
}

#[test]
fn an_object_rules_undefined_key_or_value_is_found() {
    assert_eq!(
        found("o[k] := input.m if {\n\tsome k in [\"a\"]\n}\n"),
        ["p.rego:5 L012"]
    );
    assert_eq!(
        found("o[input.k] := 1 if {\n\tinput.a\n}\n"),
        ["p.rego:5 L012"]
    );
    assert_eq!(
        found("o[k] := v if {\n\tsome k, v in input.m\n}\n"),
        Vec::<String>::new()
    );
}

#[test]
fn loops_and_undefined_values_before_else_are_found() {
    assert_eq!(
        found("r := 1 if {\n\tinput.xs[_] == 3\n} else := 2\n"),
        ["p.rego:6 L013"]
    );
    assert_eq!(
        found("r := 1 if {\n\tinput.xs[i] == 3\n} else := 2\n"),
        ["p.rego:6 L013"]
    );
    assert_eq!(
        found("r := 1 if {\n\tsome i\n\tinput.xs[i] == 3\n} else := 2\n"),
        ["p.rego:6 L013"]
    );
    // The second of three bodies is followed by `else` too; the last is not.
    assert_eq!(
        found("r := 1 if {\n\tinput.a\n} else := lib.maybe if {\n\tinput.b\n} else := input.c\n"),
        ["p.rego:7 L013"]
    );
    // A bound index does not loop.
    assert_eq!(
        found("r := 1 if {\n\ti := 0\n\tinput.xs[i] == 3\n} else := 2\n"),
        Vec::<String>::new()
    );
}
