//! The widget's contract with the page around it: what its `<jobslot-booking>` element's
//! attributes and the page's address ask for, and the DOM events it tells the page.
//!
//! Attributes (all optional but `site`):
//! - `site`: the site id; `api`: the API's origin when it is not the script's.
//! - `service`, `postcode`: start with these filled in (a page's URL can do the same with
//!   `?jobslot_service=…&jobslot_postcode=…`); with a postcode the times are looked up at once.
//! - `redirect`: after booking, go to this address with `?work_order=NUMBER` added. Only an
//!   address on one of the site's allowed origins is followed (no open redirect).
//! - `mode="button"`: a "Book now" button opening the flow in a modal dialog (`label` names it).
//!
//! Events, all bubbling out of the shadow root (`composed`), none with personal data:
//! `jobslot:ready` (`{site}`), `jobslot:slot-selected` (`{service, start}`) and
//! `jobslot:booked` (`{number, service, start}`).
//!
//! The page's UTM parameters (and `gclid`, `fbclid`) ride along with the booking as its
//! tracking values.

use crate::i18n::Lang;
use jobslot_domain::language::Language;
use jobslot_domain::tracking::TRACKING_KEYS;
use js_sys::{Object, Reflect};
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

#[wasm_bindgen(module = "/src/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = emit)]
    fn emit_event(host: &HtmlElement, kind: &str, detail: &Object);
}

/// The element the widget lives in; none in tests that render the flow on its own.
#[derive(Clone, Default)]
pub struct Host(Option<SendWrapper<HtmlElement>>);

impl Host {
    /// The widget's element.
    pub fn new(element: HtmlElement) -> Self {
        Self(Some(SendWrapper::new(element)))
    }

    /// An attribute of the element, if set and not blank.
    pub fn attribute(&self, name: &str) -> Option<String> {
        let value = self.0.as_ref()?.get_attribute(name)?;
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_owned())
    }

    /// What to start with: the element's attribute, else the page's `?jobslot_{name}=`.
    pub fn prefill(&self, name: &str) -> Option<String> {
        self.attribute(name).or_else(|| page_query(&format!("jobslot_{name}")))
    }

    /// The language the element (`lang="es"`) or else the page (`<html lang>`) asks for.
    pub fn lang(&self) -> Lang {
        let page = || web_sys::window()?.document()?.document_element()?.get_attribute("lang");
        self.attribute("lang").or_else(page).map_or(Lang::ENGLISH, |tag| Lang::from_tag(&tag))
    }

    /// Sets the CSS custom property `name` on the element (through the CSSOM, which a strict
    /// Content-Security-Policy allows, unlike a `style` attribute).
    pub fn set_property(&self, name: &str, value: &str) {
        if let Some(element) = self.0.as_ref() {
            let _ = element.style().set_property(name, value);
        }
    }

    /// Tells the page `kind` happened, with `detail`'s fields.
    pub fn emit(&self, kind: &str, detail: &[(&str, &str)]) {
        let Some(element) = self.0.as_ref() else { return };
        let object = Object::new();
        for (key, value) in detail {
            let _ = Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
        }
        emit_event(element, kind, &object);
    }

    /// Sends the browser to the element's `redirect` address with the work order's number,
    /// when that address is on one of `allowed` origins; a refused one is said in the console.
    pub fn redirect_after_booking(&self, number: &str, allowed: &[String]) {
        let Some(target) = self.attribute("redirect") else { return };
        let Some(url) = web_sys::Url::new(&target).ok().filter(|u| allowed.iter().any(|o| *o == u.origin()))
        else {
            web_sys::console::warn_1(
                &"jobslot: the redirect address is not on one of the site's allowed origins".into(),
            );
            return;
        };
        url.search_params().set("work_order", number);
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(&url.href());
        }
    }
}

impl Host {
    /// Moves keyboard focus to the first element matching `selector` in the widget, once the
    /// views being changed now are on the page.
    pub fn focus_when_rendered(&self, selector: &'static str) {
        let Some(root) = self.0.as_ref().and_then(|e| e.shadow_root()) else { return };
        leptos::task::spawn_local(async move {
            leptos::task::tick().await;
            if let Some(element) = root.query_selector(selector).ok().flatten() {
                let _ = element.unchecked_into::<HtmlElement>().focus();
            }
        });
    }
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Host")
    }
}

/// On Jobslot's own pages (`<html data-jobslot-page>`: the hosted booking page and the links'
/// pages) no site owner chose the language, so the visitor's is spoken: `?lang=` if the link
/// says, else the first of the browser's languages the widget has words for. The page's
/// `lang` (which the widget then reads), its title and its heading follow.
pub fn speak_the_visitors_language() {
    let Some(window) = web_sys::window() else { return };
    let Some(document) = window.document() else { return };
    let Some(root) = document.document_element() else { return };
    let Some(page) = root.get_attribute("data-jobslot-page") else { return };
    let language = match page_query("lang") {
        Some(tag) => Language::from_tag(&tag),
        None => {
            let tags: Vec<String> =
                window.navigator().languages().iter().filter_map(|t| t.as_string()).collect();
            Language::first_spoken(tags.iter().map(String::as_str))
        }
    };
    let _ = root.set_attribute("lang", language.tag());
    let words = Lang::of(language).words;
    let title = if page == "appointment" { words.your_appointment } else { words.book_online };
    document.set_title(title);
    if let Some(heading) = document.query_selector("h1").ok().flatten() {
        heading.set_text_content(Some(title));
    }
}

fn page_query(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let value = web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)?;
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// The page's tracking values (UTM parameters and click ids) that are set.
pub fn tracking() -> Vec<(&'static str, String)> {
    TRACKING_KEYS.iter().filter_map(|key| Some((*key, page_query(key)?))).collect()
}
