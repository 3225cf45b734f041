//! A text for people as a message id and named values ([`Message`]): the form in which the core
//! states a file's reason, error and notes, so that each can be shown in English or Chinese.
//! Owns the type and the [`msg!`] macro that builds one; the wording is in
//! [`super::en`] and [`super::zh`]. Values that come from files (names, paths, library errors) are
//! data and are never translated; a value that is itself a message is shown in the same language.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Lang;

/// A message id (`reason.*`, `error.*`, `note.*`, `part.*`) and the values of its placeholders.
/// In JSON: `{ "id": "reason.zip-with-files", "values": { "count": 12 } }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Message {
    pub id: String,
    #[serde(default)]
    #[cfg_attr(test, ts(type = "Record<string, unknown>"))]
    pub values: BTreeMap<String, Value>,
}

impl Message {
    /// A message without values.
    pub fn new(id: &str) -> Self {
        Message {
            id: id.to_string(),
            values: BTreeMap::new(),
        }
    }

    /// The message with one more value.
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.values.insert(name.to_string(), value.into());
        self
    }

    /// The sentence in a language.
    pub fn text(&self, lang: Lang) -> String {
        super::message(lang, &self.id, &self.values)
    }
}

/// English, as the JSON's `reason`, `error` and `notes` have it.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl From<Message> for Value {
    fn from(m: Message) -> Value {
        let values = m.values.into_iter().collect();
        serde_json::json!({ "id": m.id, "values": Value::Object(values) })
    }
}

/// `msg!("reason.zip-with-files", count = n)`: a [`Message`] with its values. The id is a
/// literal so that the tests can check, from the source, that both languages have it and that
/// every placeholder of its text is given here.
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::text::Message::new($id)$(.with(stringify!($name), $value))*
    };
}
pub(crate) use msg;
