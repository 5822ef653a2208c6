//! Compact forms of what every finding carries: its rule's names, shared by all the
//! findings of the rule, and its evidence kept as JSON text. A first run on a legacy
//! repository holds ~150,000 findings until they are sorted and written; as owned
//! strings and a `serde_json::Map` each, these two took ~1.3 KB of every finding.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// A string shared by reference count: a rule's id, name, pack, category or title, one
/// allocation per rule, however many findings it has. Reads as a `&str`.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedText(Arc<str>);

impl SharedText {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for SharedText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for SharedText {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> Self {
        SharedText(Arc::from(text))
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        SharedText(Arc::from(text))
    }
}

impl From<&String> for SharedText {
    fn from(text: &String) -> Self {
        SharedText(Arc::from(text.as_str()))
    }
}

impl From<SharedText> for String {
    fn from(text: SharedText) -> Self {
        text.0.to_string()
    }
}

impl PartialEq<str> for SharedText {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SharedText {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for SharedText {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<SharedText> for str {
    fn eq(&self, other: &SharedText) -> bool {
        self == &*other.0
    }
}

impl PartialEq<SharedText> for &str {
    fn eq(&self, other: &SharedText) -> bool {
        *self == &*other.0
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for SharedText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharedText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(SharedText::from)
    }
}

/// What a rule saw (its `vars`), kept as the JSON object it is written as: ~230 bytes
/// of text where the parsed map took ~1.1 KB. Parsed again only to be shown (`-v`) or
/// searched, which few findings ever are.
#[derive(Clone)]
pub struct Evidence(Box<RawValue>);

impl Evidence {
    pub fn from_map(map: &Map<String, Value>) -> Self {
        // A map of JSON values always serializes; the fallback is never taken.
        match serde_json::value::to_raw_value(map) {
            Ok(raw) => Evidence(raw),
            Err(_) => Evidence::default(),
        }
    }

    /// A rule's `vars` object as JSON text (written straight from the engine's value,
    /// as a map of JSON values would be).
    pub fn from_vars(vars: &regorus::Value) -> Self {
        // Engine values always serialize (sets as arrays); the fallback is never taken.
        match serde_json::value::to_raw_value(vars) {
            Ok(raw) => Evidence(raw),
            Err(_) => Evidence::default(),
        }
    }

    /// The evidence as a map, in key order.
    pub fn to_map(&self) -> Map<String, Value> {
        serde_json::from_str(self.0.get()).unwrap_or_default()
    }

    pub fn get(&self, key: &str) -> Option<Value> {
        self.to_map().remove(key)
    }

    pub fn is_empty(&self) -> bool {
        self.0.get() == "{}"
    }

    /// The JSON text, as written in a report.
    pub fn json(&self) -> &str {
        self.0.get()
    }
}

impl Default for Evidence {
    fn default() -> Self {
        Evidence::from_map(&Map::new())
    }
}

impl From<Map<String, Value>> for Evidence {
    fn from(map: Map<String, Value>) -> Self {
        Evidence::from_map(&map)
    }
}

impl FromIterator<(String, Value)> for Evidence {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Evidence::from_map(&iter.into_iter().collect())
    }
}

impl PartialEq for Evidence {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get() || self.to_map() == other.to_map()
    }
}

impl fmt::Debug for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.get())
    }
}

impl Serialize for Evidence {
    // Transcoded from the text, not copied as is, so that it is laid out as the rest of
    // the report (pretty JSON indents it) and any serde format gets an object.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = serde_json::Deserializer::from_str(self.0.get());
        serde_transcode::transcode(&mut text, serializer)
    }
}

impl<'de> Deserialize<'de> for Evidence {
    // Through a map, so that a report read from any serde format (or from a
    // `serde_json::Value`) works, not only from JSON text.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::<String, Value>::deserialize(deserializer).map(|map| Evidence::from_map(&map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_written_as_the_map_was() {
        let map: Map<String, Value> =
            serde_json::from_str(r#"{"b": [1, "x"], "a": "ü\"\u0001", "c": null}"#).unwrap();
        let evidence = Evidence::from_map(&map);
        assert_eq!(
            serde_json::to_string(&evidence).unwrap(),
            serde_json::to_string(&map).unwrap()
        );
        assert_eq!(
            serde_json::to_string_pretty(&evidence).unwrap(),
            serde_json::to_string_pretty(&map).unwrap()
        );
        assert_eq!(evidence.to_map(), map);
        assert_eq!(evidence.get("b"), Some(serde_json::json!([1, "x"])));
        assert_eq!(evidence.get("z"), None);
        assert!(!evidence.is_empty() && Evidence::default().is_empty());
        let back: Evidence = serde_json::from_value(serde_json::to_value(&map).unwrap()).unwrap();
        assert_eq!(back, evidence);
    }

    #[test]
    fn shared_text_reads_as_a_str() {
        let id = SharedText::from("GO001");
        assert_eq!(id, "GO001");
        assert_eq!("GO001", id);
        assert!(id.starts_with("GO"));
        assert_eq!(format!("{id} {id:?}"), "GO001 \"GO001\"");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"GO001\"");
        let back: SharedText = serde_json::from_str("\"GO001\"").unwrap();
        assert_eq!(back, id);
    }
}
