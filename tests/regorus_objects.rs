//! The bundled regorus's object lookups (vendor/regorus, patch 8): a compact (frozen)
//! object finds a string key by a scan when small and a string binary search when
//! large, other keys as before. Checked against a `BTreeMap` of the same entries, on
//! generated objects of every size around the scan's limit, with keys of mixed kinds
//! (strings of equal lengths and common prefixes among them) and absent keys. And its
//! `object.union` (patch 9), which merges into a compact object, against OPA's
//! definition of it. And the comparison of compact objects (patch 12) against that of
//! `BTreeMap`s.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use regorus::Value;
use regorus::value::Object;

/// A key of any kind an object can have, strings most often (as in manifests).
fn key() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => "[a-c]{0,3}|[a-z]{8,17}|securityContext|securityContexts|image|name".prop_map(|s: String| Value::from(s.as_str())),
        1 => any::<i32>().prop_map(|n| Value::from(i64::from(n))),
        1 => any::<bool>().prop_map(Value::from),
        1 => Just(Value::Null),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        rng_seed: RngSeed::Fixed(0x0b1ec7),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_frozen_object_finds_what_a_btree_map_finds(
        entries in prop::collection::vec((key(), any::<u16>()), 0..24),
        probes in prop::collection::vec(key(), 0..16),
    ) {
        let reference: BTreeMap<Value, Value> = entries
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(u64::from(*v))))
            .collect();
        // `into_value` stores the entries compactly (frozen), as the JSON reader does.
        let frozen = Object::from_iter(reference.clone()).into_value();
        let object = frozen.as_object().unwrap();
        for key in reference.keys().chain(&probes) {
            prop_assert_eq!(object.get(key), reference.get(key), "key {:?}", key);
            let expected = reference.get(key).cloned().unwrap_or(Value::Undefined);
            prop_assert_eq!(&frozen[key], &expected);
        }
        // Updating a value in place finds the same entry.
        let mut updated = frozen.clone();
        for key in reference.keys() {
            *updated.as_object_mut().unwrap().get_mut(key).unwrap() = Value::from("x");
        }
        for key in reference.keys() {
            prop_assert_eq!(&updated[key], &Value::from("x"));
        }
    }
}

/// Entries for comparing two objects: few keys and values, so that equal objects, one a
/// prefix of the other, and objects differing in one value are all common.
fn comparable_entries() -> impl Strategy<Value = Vec<(Value, Value)>> {
    let small_key = prop_oneof![
        4 => "[a-d]{1,2}".prop_map(|s: String| Value::from(s.as_str())),
        1 => (0i64..3).prop_map(Value::from),
    ];
    let small_value = prop_oneof![
        3 => (0u64..3).prop_map(Value::from),
        1 => "[xy]".prop_map(|s: String| Value::from(s.as_str())),
        1 => Just(Value::Null),
    ];
    prop::collection::vec((small_key, small_value), 0..6)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 4000,
        rng_seed: RngSeed::Fixed(0x0c0a7e),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Compact objects compare (patch 12: as their entry slices) as the `BTreeMap`s of
    /// their entries do, and as objects kept as trees.
    #[test]
    fn frozen_objects_compare_as_btree_maps_do(
        a in comparable_entries(),
        b in comparable_entries(),
    ) {
        let map_a: BTreeMap<Value, Value> = a.into_iter().collect();
        let map_b: BTreeMap<Value, Value> = b.into_iter().collect();
        let frozen = |m: &BTreeMap<Value, Value>| Object::from_iter(m.clone()).into_value();
        let (fa, fb) = (frozen(&map_a), frozen(&map_b));
        let (oa, ob) = (fa.as_object().unwrap(), fb.as_object().unwrap());
        prop_assert_eq!(oa.cmp(ob), map_a.cmp(&map_b));
        prop_assert_eq!(oa == ob, map_a == map_b);
        prop_assert_eq!(fa.cmp(&fb), map_a.cmp(&map_b));
        // Against itself, and a frozen object against a tree of the same entries.
        prop_assert_eq!(oa.cmp(oa), std::cmp::Ordering::Equal);
        let tree = Object::from_iter(map_b.clone());
        prop_assert_eq!(oa.cmp(&tree), map_a.cmp(&map_b));
        prop_assert_eq!(oa == &tree, map_a == map_b);
    }
}

/// The JSON reader's objects take the same path: a manifest's container, found by every
/// key and not by a near miss.
#[test]
fn a_parsed_object_finds_its_keys_and_nothing_else() {
    let value = Value::from_json_str(
        r#"{"name": "app", "image": "nginx:1", "ports": [], "securityContext": {},
            "resources": {}, "env": [], "args": [], "command": [], "volumeMounts": [],
            "livenessProbe": {}, "readinessProbe": {}}"#,
    )
    .unwrap();
    let object = value.as_object().unwrap();
    for key in [
        "name",
        "image",
        "ports",
        "securityContext",
        "resources",
        "env",
        "args",
        "command",
        "volumeMounts",
        "livenessProbe",
        "readinessProbe",
    ] {
        assert!(object.get(&Value::from(key)).is_some(), "{key}");
    }
    for absent in [
        "",
        "nam",
        "names",
        "securitycontext",
        "imagE",
        "startupProbe",
    ] {
        assert_eq!(object.get(&Value::from(absent)), None, "{absent}");
    }
}

/// A JSON value for `object.union`: objects over a few keys, so the operands share
/// keys at every depth, nested objects on both sides, and leaves of every kind.
fn union_operand() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i16>().prop_map(serde_json::Value::from),
        "[a-z]{0,4}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-e]|file|vars", inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// `object.union` as OPA defines it: keys of both, the second's value where only it
/// or both have one, and the two merged where both are objects.
fn union_reference(a: &serde_json::Value, b: &serde_json::Value) -> serde_json::Value {
    match (a, b) {
        (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
            let mut merged = a.clone();
            for (key, value) in b {
                let value = match a.get(key) {
                    Some(mine) => union_reference(mine, value),
                    None => value.clone(),
                };
                merged.insert(key.clone(), value);
            }
            serde_json::Value::Object(merged)
        }
        _ => b.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1000,
        rng_seed: RngSeed::Fixed(0x0a10b),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Patch 9: `object.union` merges its operands in key order into a compact object.
    /// Its result must equal OPA's, and be an object whose keys are all found (a
    /// misordered compact object would hide some from the binary search).
    #[test]
    fn object_union_merges_as_opa_does(
        a in prop::collection::btree_map("[a-e]|file|vars", union_operand(), 0..8),
        b in prop::collection::btree_map("[a-e]|file|vars", union_operand(), 0..8),
    ) {
        let a = serde_json::Value::Object(a.into_iter().collect());
        let b = serde_json::Value::Object(b.into_iter().collect());
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("u.rego".into(), "package u\nimport rego.v1\nunion := object.union(input.a, input.b)\n".into())
            .unwrap();
        engine.set_input(Value::from(serde_json::json!({"a": a, "b": b})));
        let got = engine.eval_rule("data.u.union".into()).unwrap();
        let expected = union_reference(&a, &b);
        prop_assert_eq!(serde_json::to_value(&got).unwrap(), expected.clone());
        let object = got.as_object().unwrap();
        for (key, value) in expected.as_object().unwrap() {
            prop_assert_eq!(
                object.get(&Value::from(key.as_str())).map(|v| serde_json::to_value(v).unwrap()),
                Some(value.clone()),
                "key {}", key
            );
        }
    }
}

/// Keys of other kinds (numbers, booleans, null, as Rego literals make them) merge in
/// `Value`'s order, and a key only the second operand has is still found.
#[test]
fn object_union_merges_keys_of_every_kind() {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy(
            "u.rego".into(),
            r#"package u
import rego.v1
union := object.union({1: "a", "x": {"p": 1}, true: [1], null: 0}, {0: "b", "x": {"q": 2}, true: 2, "y": 3})
"#
            .into(),
        )
        .unwrap();
    let got = engine.eval_rule("data.u.union".into()).unwrap();
    let object = got.as_object().unwrap();
    assert_eq!(object.len(), 6);
    assert_eq!(object.get(&Value::from(1_i64)), Some(&Value::from("a")));
    assert_eq!(object.get(&Value::from(0_i64)), Some(&Value::from("b")));
    assert_eq!(object.get(&Value::from(true)), Some(&Value::from(2_i64)));
    assert_eq!(object.get(&Value::Null), Some(&Value::from(0_i64)));
    assert_eq!(object.get(&Value::from("y")), Some(&Value::from(3_i64)));
    assert_eq!(
        serde_json::to_value(object.get(&Value::from("x")).unwrap()).unwrap(),
        serde_json::json!({"p": 1, "q": 2})
    );
}
