//! Request bodies, written by the browser's `JSON.stringify` from objects the widget fills in:
//! no serializer in the download, and escaping done by the browser. `tests/write.rs` reads the
//! booking's body back with serde into the API's `SubmitWorkOrder`, so the two cannot drift;
//! the hosted pages' two bodies are booked and moved for real by the end-to-end tests.

use js_sys::{JSON, Object, Reflect};
use wasm_bindgen::JsValue;

/// A JSON object being written.
pub struct Json(Object);

impl Json {
    /// An empty object.
    pub fn new() -> Self {
        Self(Object::new())
    }

    fn with(self, key: &str, value: &JsValue) -> Self {
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), value);
        self
    }

    /// Adds a string.
    pub fn text(self, key: &str, value: &str) -> Self {
        self.with(key, &JsValue::from_str(value))
    }

    /// Adds `true` or `false`.
    pub fn flag(self, key: &str, value: bool) -> Self {
        self.with(key, &JsValue::from_bool(value))
    }

    /// Adds a nested object.
    pub fn object(self, key: &str, value: Json) -> Self {
        self.with(key, &value.0)
    }

    /// The object as JSON text.
    pub fn finish(&self) -> String {
        // Strings, booleans and objects of them always stringify.
        JSON::stringify(&self.0).ok().and_then(|text| text.as_string()).unwrap_or_default()
    }
}

impl Default for Json {
    fn default() -> Self {
        Self::new()
    }
}
