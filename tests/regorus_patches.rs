//! The vendored regorus's interpreter fixes, pinned on their repros
//! (docs/regorus-vm-bugs.md): each assertion is OPA's answer, which the published
//! regorus 0.14.1 does not give. The VM fixes are guarded by tests/engine_agreement.rs.

use regorus::{Engine, Value};

fn eval(policy: &str, input: &str, rule: &str) -> Value {
    let mut engine = Engine::new();
    engine.add_policy("t.rego".into(), policy.into()).unwrap();
    engine.set_input(Value::from_json_str(input).unwrap());
    engine.eval_rule(rule.into()).unwrap()
}

const PARTIAL: &str = r#"package t
import rego.v1

s contains t.goroot if {
	some t in input.ts
}

o[t.name] := t.goroot if {
	some t in input.ts
}
"#;

#[test]
fn g_an_undefined_member_adds_nothing_to_a_partial_rule() {
    for input in [
        r#"{"ts": [{"goroot": "/a", "name": "a"}, {"name": "b"}]}"#,
        r#"{"ts": [{"name": "b"}, {"goroot": "/a", "name": "a"}]}"#,
    ] {
        assert_eq!(
            eval(PARTIAL, input, "data.t.s"),
            Value::from_json_str(r#"["/a"]"#)
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .cloned()
                .collect::<std::collections::BTreeSet<_>>()
                .into(),
            "{input}"
        );
        assert_eq!(
            eval(PARTIAL, input, "data.t.o"),
            Value::from_json_str(r#"{"a": "/a"}"#).unwrap(),
            "{input}"
        );
    }
}

#[test]
fn five_some_in_a_scalar_iterates_nothing() {
    let policy =
        "package t\nimport rego.v1\n\nr := 1 if {\n\tsome x in input.c\n\tx == 1\n} else := 2\n";
    assert_eq!(eval(policy, r#"{"c": null}"#, "data.t.r"), Value::from(2));
    assert_eq!(eval(policy, r#"{"c": "abc"}"#, "data.t.r"), Value::from(2));
}

#[test]
fn g_a_partial_rule_whose_every_member_is_undefined_is_empty_not_undefined() {
    let policy = r#"package t
import rego.v1

s contains input.missing if {
	true
}

o[k] := input.missing if {
	some k in ["a"]
}
"#;
    assert_eq!(
        eval(policy, "{}", "data.t.s"),
        Value::new_set(),
        "an empty set, as OPA"
    );
    assert_eq!(
        eval(policy, "{}", "data.t.o"),
        Value::new_object(),
        "an empty object, as OPA"
    );
}
