//! The session's data: a JSON object whose values are decoded only when read.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The key under which flash messages live in the session object.
pub const FLASH_KEY: &str = "_flash";

/// A session's data: a JSON object from string keys to JSON values.
///
/// Values stay as the raw JSON text they arrived as until a handler reads them, so opening a
/// cookie does not build a `serde_json::Value` tree for values nobody reads, and writing the
/// session back copies untouched values verbatim.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SessionData {
    entries: BTreeMap<String, Box<RawValue>>,
}

impl SessionData {
    /// An empty session.
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes the value under `key`, if there is one.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, serde_json::Error> {
        self.entries.get(key).map(|raw| serde_json::from_str(raw.get())).transpose()
    }

    /// The raw JSON text under `key`.
    pub fn get_raw(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(|raw| raw.get())
    }

    /// Stores `value` under `key`. Returns whether the data changed: storing a value equal
    /// to the one already there (as JSON) is not a change.
    pub fn insert<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<bool, serde_json::Error> {
        Ok(self.insert_raw(key, serde_json::value::to_raw_value(value)?))
    }

    /// Stores already-serialized JSON under `key`; returns whether the data changed.
    pub fn insert_raw(&mut self, key: &str, raw: Box<RawValue>) -> bool {
        if self.entries.get(key).is_some_and(|old| old.get() == raw.get()) {
            return false;
        }
        self.entries.insert(key.to_owned(), raw);
        true
    }

    /// Removes `key`; returns whether it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        self.entries.remove(key).is_some()
    }

    /// Removes every key; returns whether there was any.
    pub fn clear(&mut self) -> bool {
        let had_any = !self.entries.is_empty();
        self.entries.clear();
        had_any
    }

    /// Whether the session holds no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many keys the session holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The keys, in sorted order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Decodes the whole object as one struct (for apps that keep a typed session).
    pub fn to_struct<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.to_json())
    }

    /// Replaces the whole object with `value`, which must serialize to a JSON object.
    /// Returns whether the data changed.
    pub fn replace_with_struct<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<bool, serde_json::Error> {
        let raw = serde_json::value::to_raw_value(value)?;
        let replacement: Self = serde_json::from_str(raw.get())?;
        let changed = !self.same_as(&replacement);
        *self = replacement;
        Ok(changed)
    }

    /// The object as compact JSON text.
    pub fn to_json(&self) -> String {
        // Serializing strings and already-valid raw JSON into a String cannot fail.
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }

    /// Parses a JSON object.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    fn same_as(&self, other: &Self) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .zip(&other.entries)
                .all(|((ka, va), (kb, vb))| ka == kb && va.get() == vb.get())
    }
}

impl PartialEq for SessionData {
    fn eq(&self, other: &Self) -> bool {
        self.same_as(other)
    }
}

/// Shows the keys only: values are user data (tokens, addresses) that do not belong in logs.
impl fmt::Debug for SessionData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.entries.keys()).finish()
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;

    #[test]
    fn typed_values_round_trip_and_unchanged_inserts_are_no_change() {
        let mut data = SessionData::new();
        assert!(data.insert("count", &1).unwrap());
        assert!(!data.insert("count", &1).unwrap(), "same value is no change");
        assert!(data.insert("count", &2).unwrap());
        assert_eq!(data.get::<i64>("count").unwrap(), Some(2));
        assert_eq!(data.get::<i64>("missing").unwrap(), None);
        assert!(data.get::<String>("count").is_err(), "a wrong type is an error, not a panic");
        assert!(data.remove("count"));
        assert!(!data.remove("count"));
        assert!(data.is_empty());
    }

    #[test]
    fn untouched_values_are_copied_verbatim() {
        let json = r#"{"a":{"deep":[1,2,{"x":"y"}]},"b":"\u00e9"}"#;
        let mut data = SessionData::from_json(json).unwrap();
        data.insert("c", &true).unwrap();
        assert_eq!(data.to_json(), r#"{"a":{"deep":[1,2,{"x":"y"}]},"b":"\u00e9","c":true}"#);
        assert!(SessionData::from_json("[1,2]").is_err(), "a session is an object");
    }

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Cart {
        user: Option<String>,
        items: Vec<String>,
    }

    #[test]
    fn whole_struct_sessions() {
        let mut data = SessionData::new();
        let cart = Cart { user: Some("ada".into()), items: vec!["apple".into()] };
        assert!(data.replace_with_struct(&cart).unwrap());
        assert!(!data.replace_with_struct(&cart).unwrap());
        assert_eq!(data.to_struct::<Cart>().unwrap(), cart);
        assert!(data.replace_with_struct(&vec![1, 2]).is_err(), "only objects");
        assert_eq!(data.get::<String>("user").unwrap().as_deref(), Some("ada"));
    }

    #[test]
    fn debug_shows_keys_not_values() {
        let mut data = SessionData::new();
        data.insert("token", "hunter2").unwrap();
        let shown = format!("{data:?}");
        assert!(shown.contains("token") && !shown.contains("hunter2"), "{shown}");
    }
}
