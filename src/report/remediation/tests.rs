//! The substitution fast path and the direct conversion to tera's values, each held to
//! what tera itself makes of the same template and value, on generated inputs.

use proptest::prelude::*;
use proptest::string::string_regex;
use proptest::test_runner::{Config, RngSeed};

use super::*;

fn config() -> Config {
    Config {
        cases: 256,
        rng_seed: RngSeed::Fixed(0x7e2a),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Text of every kind a finding's values hold: paths, names, quotes, markup, braces
/// that look like tags, newlines, non-ASCII.
fn text() -> BoxedStrategy<String> {
    string_regex(r#"([a-z0-9./_:-]|[ "'<>&\\{}%#\n\t]|é|ü|日|\{\{|\}\}){0,24}"#)
        .expect("valid generator")
        .boxed()
}

fn tera_render(template: &str, vars: &regorus::Value) -> String {
    let mut tera = tera::Tera::new();
    tera.add_raw_template("t", template)
        .expect("template parses");
    let mut context = tera::Context::new();
    context.insert("vars", vars);
    tera.render("t", &context).expect("renders")
}

#[test]
fn templates_of_text_and_vars_are_substitutions_and_others_are_not() {
    let parsed = Substitution::parse("In {{ vars.file }}, set {{ vars.a_1 }}.").unwrap();
    assert_eq!(parsed.texts, ["In ", ", set ", "."]);
    assert_eq!(
        parsed.names,
        [regorus::Value::from("file"), regorus::Value::from("a_1")]
    );
    assert!(Substitution::parse("no tags at all").is_some());
    for other in [
        "{{vars.file}}",
        "{{- vars.file }}",
        "{{ vars.file | lower }}",
        "{{ host.os }}",
        "{{ vars.a.b }}",
        "{{ vars.1x }}",
        "{% if vars.a %}x{% endif %}",
        "{# note #}{{ vars.a }}",
        "a }} b {{ vars.a }}",
        "{{ vars.a }} }}",
        "{{ vars.a ",
    ] {
        assert_eq!(Substitution::parse(other), None, "{other}");
    }
}

/// The test below must judge the pack's templates, not none of them.
#[test]
fn half_the_k8s_templates_are_substitutions() {
    let packs = crate::policy::builtin_packs().unwrap();
    let k8s = packs.iter().find(|p| p.name == "k8s").unwrap();
    let substitutions = (k8s.rules.iter())
        .filter(|r| Substitution::parse(&r.remediation).is_some())
        .count();
    assert!(
        substitutions * 2 >= k8s.rules.len(),
        "{substitutions} of {}",
        k8s.rules.len()
    );
}

proptest! {
    #![proptest_config(config())]

    /// Every built-in template that is a substitution renders, with string values, as
    /// tera renders it.
    #[test]
    fn substitutions_render_as_tera_does(values in proptest::collection::vec(text(), 16)) {
        for pack in crate::policy::builtin_packs().unwrap() {
            for rule in &pack.rules {
                let Some(substitution) = Substitution::parse(&rule.remediation) else {
                    continue;
                };
                let vars: BTreeMap<regorus::Value, regorus::Value> = (substitution.names.iter())
                    .zip(values.iter().cycle())
                    .map(|(name, value)| (name.clone(), regorus::Value::from(value.as_str())))
                    .collect();
                let vars = regorus::Value::from(vars);
                prop_assert_eq!(
                    substitution.render(&vars).unwrap(),
                    tera_render(&rule.remediation, &vars),
                    "{}", rule.id
                );
            }
        }
    }

    /// An engine value built for tera directly is the one tera makes through serde.
    #[test]
    fn values_convert_as_serde_converts_them(value in engine_value()) {
        let direct = tera_value(&value);
        if let Some(direct) = direct {
            prop_assert_eq!(direct, tera::Value::from_serializable(&value));
        } else {
            prop_assert!(has_number(&value), "only numbers go through serde: {value}");
        }
    }
}

fn has_number(value: &regorus::Value) -> bool {
    match value {
        regorus::Value::Number(_) => true,
        regorus::Value::Array(items) => items.iter().any(has_number),
        regorus::Value::Set(items) => items.iter().any(has_number),
        regorus::Value::Object(fields) => {
            fields.iter().any(|(k, v)| has_number(k) || has_number(v))
        }
        _ => false,
    }
}

fn engine_value() -> impl Strategy<Value = regorus::Value> {
    let leaf = prop_oneof![
        Just(regorus::Value::Null),
        any::<bool>().prop_map(regorus::Value::from),
        text().prop_map(|s| regorus::Value::from(s.as_str())),
        (-1000i64..1000).prop_map(regorus::Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(regorus::Value::from),
            proptest::collection::vec(inner.clone(), 0..4).prop_map(|items| {
                regorus::Value::from(items.into_iter().collect::<std::collections::BTreeSet<_>>())
            }),
            proptest::collection::vec((text(), inner), 0..4).prop_map(|fields| {
                let map: BTreeMap<regorus::Value, regorus::Value> = fields
                    .into_iter()
                    .map(|(k, v)| (regorus::Value::from(k.as_str()), v))
                    .collect();
                regorus::Value::from(map)
            }),
        ]
    })
}

/// A value that is not a string leaves the substitution to tera, which writes it.
#[test]
fn a_value_that_is_not_a_string_is_rendered_by_tera() {
    let substitution = Substitution::parse("port {{ vars.port }} of {{ vars.name }}").unwrap();
    let vars = regorus::Value::from_json_str(r#"{"port": 8080, "name": "web"}"#).unwrap();
    assert_eq!(substitution.render(&vars), None);
    let missing = regorus::Value::from_json_str(r#"{"port": "80"}"#).unwrap();
    assert_eq!(substitution.render(&missing), None);
    assert_eq!(
        tera_render("port {{ vars.port }} of {{ vars.name }}", &vars),
        "port 8080 of web"
    );
}

#[test]
fn the_vars_a_template_reads_by_name_are_found_and_any_other_use_reads_them_all() {
    let names = |t: &str| {
        vars_read(t).map(|n| {
            n.iter()
                .map(|v| v.as_string().unwrap().to_string())
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(
        names(
            "{{ vars.b }} {% if vars.a and vars.b != \"x\" %}{{ vars.c | join(sep=\", \") }}{% endif %}"
        ),
        Some(vec!["a".into(), "b".into(), "c".into()])
    );
    assert_eq!(names("no vars. here {{ myvars }}"), None);
    assert_eq!(names("{{ host.os }} {{ myvars.x }}"), Some(vec![]));
    for all in [
        "{{ vars | length }}",
        "{% for k, v in vars %}{% endfor %}",
        "{{ vars[\"a\"] }}",
        "the vars.",
    ] {
        assert_eq!(names(all), None, "{all}");
    }
}

fn read_value() -> BoxedStrategy<regorus::Value> {
    prop_oneof![
        text().prop_map(|s| regorus::Value::from(s.as_str())),
        proptest::collection::vec(text(), 0..3).prop_map(|items| {
            regorus::Value::from(
                items
                    .iter()
                    .map(|s| regorus::Value::from(s.as_str()))
                    .collect::<Vec<_>>(),
            )
        }),
        any::<bool>().prop_map(regorus::Value::from),
        Just(regorus::Value::Null),
    ]
    .boxed()
}

proptest! {
    #![proptest_config(config())]

    /// Every built-in template that reads `vars` only by name renders the same (or
    /// fails with the same message) given only the members it reads as given them all.
    #[test]
    fn templates_given_only_what_they_read_render_as_given_everything(
        values in proptest::collection::vec(read_value(), 12),
        extra in proptest::collection::vec(read_value(), 3),
    ) {
        let context = tera::Context::from_serialize(&serde_json::json!({"host": null, "go_env": {}})).unwrap();
        for pack in crate::policy::builtin_packs().unwrap() {
            for rule in &pack.rules {
                let Some(names) = vars_read(&rule.remediation) else { continue };
                let mut vars: BTreeMap<regorus::Value, regorus::Value> =
                    names.iter().cloned().zip(values.iter().cycle().cloned()).collect();
                for (i, value) in extra.iter().enumerate() {
                    vars.insert(regorus::Value::from(format!("unread_{i}").as_str()), value.clone());
                }
                let raw = RawFinding {
                    rule_id: rule.id.clone(),
                    msg: String::new(),
                    location: None,
                    subject: None,
                    severity: None,
                    vars: regorus::Value::from(vars),
                    fix: Vec::new(),
                };
                let mut tera = tera::Tera::new();
                tera.add_raw_template("t", &rule.remediation).unwrap();
                // A failed render's message is part of the report: compared too.
                let render = |reads| {
                    tera.render("t", &template_context(&context, &raw, reads, None, true))
                        .map_err(|e| error_chain(&e))
                };
                prop_assert_eq!(render(Some(&names[..])), render(None), "{}", rule.id);
            }
        }
    }
}
