//! The bundled regorus's object lookups (vendor/regorus, patch 8): a compact (frozen)
//! object finds a string key by a scan when small and a string binary search when
//! large, other keys as before. Checked against a `BTreeMap` of the same entries, on
//! generated objects of every size around the scan's limit, with keys of mixed kinds
//! (strings of equal lengths and common prefixes among them) and absent keys.

use std::collections::BTreeMap;

use proptest::prelude::*;
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
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

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
