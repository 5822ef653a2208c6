//! The vendored regorus's interpreter fixes, pinned on their repros
//! (docs/regorus-vm-bugs.md): each assertion is OPA's answer, which the published
//! regorus 0.14.1 does not give. The VM fixes are guarded by tests/engine_agreement.rs;
//! patch 14 (imports compiled as written-out paths; a dotted rule head read through an
//! import was undefined on the VM) also here, against the interpreter.

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

/// The VM's answer for `entry`, compiled as envgate compiles packs, and whether its
/// program assembles a virtual document anywhere.
fn on_vm(modules: &[(&str, &str)], input: &str, entry: &str) -> (Value, bool) {
    let mut engine = Engine::new();
    for (name, text) in modules {
        engine
            .add_policy(name.to_string(), text.to_string())
            .unwrap();
    }
    let compiled = engine.compile_with_entrypoint(&entry.into()).unwrap();
    let program =
        regorus::languages::rego::compiler::Compiler::compile_from_policy(&compiled, &[entry])
            .unwrap();
    let assembles = program.instructions.iter().any(|i| {
        matches!(
            i,
            regorus::rvm::Instruction::VirtualDataDocumentLookup { .. }
        )
    });
    let mut vm = regorus::rvm::RegoVM::new();
    vm.load_program(program);
    vm.set_input(Value::from_json_str(input).unwrap());
    (vm.execute_entry_point_by_name(entry).unwrap(), assembles)
}

/// Patch 14 (speed): a rule reached through an import (`lib.r`) is called, as when the
/// path is written out, not read from the whole package assembled as a virtual
/// document. The answers are the interpreter's, through every form of import.
#[test]
fn fourteen_a_rule_reached_through_an_import_is_called_directly() {
    let lib = r#"package lib
import rego.v1

r := input.x + 1

obj := {"a": 1, "b": 2}

default flag := true

flag := false if input.off

sub.deep := 7
"#;
    let user = r#"package user
import rego.v1
import data.lib
import data.lib as l
import data.lib.obj

out := {
	"r": lib.r,
	"alias": l.r,
	"key": lib.obj.b,
	"dynamic": [lib.obj[k] | some k in ["a", "b"]],
	"deeper": obj.a,
	"flag": [x | lib.flag; x := 1],
	"nested": lib.sub.deep,
}
"#;
    for input in [r#"{"x": 1}"#, r#"{"x": 41, "off": true}"#] {
        let mut engine = Engine::new();
        engine.add_policy("lib.rego".into(), lib.into()).unwrap();
        engine.add_policy("user.rego".into(), user.into()).unwrap();
        engine.set_input(Value::from_json_str(input).unwrap());
        let expected = engine.eval_rule("data.user.out".into()).unwrap();
        let (vm, _) = on_vm(
            &[("lib.rego", lib), ("user.rego", user)],
            input,
            "data.user.out",
        );
        assert_eq!(vm, expected, "{input}");
    }
    let (_, assembles) = on_vm(
        &[("lib.rego", lib), ("user.rego", user)],
        r#"{"x": 1}"#,
        "data.user.out",
    );
    assert!(!assembles, "a rule reached through an import was assembled");
    // The whole package is still assembled, as before the patch.
    let whole = "package whole\nimport rego.v1\nimport data.lib\n\nout := lib\n";
    let (_, assembles) = on_vm(
        &[("lib.rego", lib), ("whole.rego", whole)],
        r#"{"x": 1}"#,
        "data.whole.out",
    );
    assert!(assembles);
}
