//! The Jobslot booking widget: Leptos (client-side rendered) inside a Shadow DOM root.
//!
//! A site pastes `embed.js`; it loads this module and calls [`define_element`], which
//! registers `<jobslot-booking site="…">` (`element.js`). Each such element gets its own shadow
//! root, so the host page's CSS cannot reach in and the widget's cannot leak out; an element
//! removed from the page takes its flow with it. [`embed`] has the attributes and events.

pub mod answers;
pub mod api;
pub mod embed;
pub mod fields;
pub mod flow;
pub mod format;
pub mod hosted;
pub mod i18n;
#[cfg(feature = "hosted")]
pub mod linked;
#[cfg(feature = "hosted")]
pub mod manage;
pub mod read;
pub mod steps;
pub mod submit;
pub mod write;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

/// The widget's stylesheet (`src/style.css`, minified by `build.rs`), placed inside every
/// shadow root.
pub const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/style.min.css"));

#[wasm_bindgen(module = "/src/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = defineCustomElement)]
    fn define_custom_element(
        name: &str,
        mount: &Closure<dyn FnMut(HtmlElement, HtmlElement) -> JsValue>,
        style: &Closure<dyn FnMut(ShadowRoot)>,
        labels: &Closure<dyn FnMut(HtmlElement) -> js_sys::Array>,
    );
}

/// Registers `<jobslot-booking>`; elements without an `api` attribute call `default_api`.
#[wasm_bindgen]
pub fn define_element(default_api: String) {
    let mount = Closure::<dyn FnMut(HtmlElement, HtmlElement) -> JsValue>::new(
        move |host: HtmlElement, container: HtmlElement| {
            let api = host.get_attribute("api").unwrap_or_else(|| default_api.clone());
            // `<jobslot-booking link>` is a hosted page (an order created in advance to book,
            // or a customer's manage link): its address names the site and the order. Only
            // the hosted build looks, so the embedded one carries none of the hosted code.
            let opened = if cfg!(feature = "hosted") {
                host.has_attribute("link").then(hosted::Link::current)
            } else {
                None
            };
            let (site, link) = match opened.flatten() {
                Some((site, link)) => (site, Some(link)),
                None => (host.get_attribute("site").unwrap_or_default(), None),
            };
            embed::speak_the_visitors_language();
            let host = embed::Host::new(host);
            let client = api::Api::new(api, site);
            let handle = leptos::mount::mount_to(container, move || {
                view! { <flow::BookingWidget api=client link=link host=host /> }
            });
            // The element calls this when it leaves the page: the flow's owner, effects and
            // listeners go with it.
            Closure::once_into_js(move || drop(handle))
        },
    );
    let style = Closure::<dyn FnMut(ShadowRoot)>::new(|root: ShadowRoot| {
        if let Err(error) = add_styles(&root) {
            web_sys::console::error_2(&"jobslot: could not style the widget".into(), &error);
        }
    });
    let labels = Closure::<dyn FnMut(HtmlElement) -> js_sys::Array>::new(|host: HtmlElement| {
        let words = embed::Host::new(host).lang().words;
        js_sys::Array::of2(&words.book_now.into(), &words.close.into())
    });
    define_custom_element("jobslot-booking", &mount, &style, &labels);
    // The element class keeps calling them for every element added later.
    mount.forget();
    style.forget();
    labels.forget();
}

/// Styles the shadow root with a constructable stylesheet, which a strict Content-Security-Policy
/// allows (an inline `<style>` needs `'unsafe-inline'`); browsers without them get a `<style>`.
fn add_styles(root: &ShadowRoot) -> Result<(), JsValue> {
    if let Ok(sheet) = web_sys::CssStyleSheet::new() {
        let adopted = sheet.replace_sync(STYLE).is_ok()
            && js_sys::Reflect::set(root, &"adoptedStyleSheets".into(), &js_sys::Array::of1(&sheet))
                .unwrap_or(false);
        if adopted {
            return Ok(());
        }
    }
    let document =
        web_sys::window().and_then(|w| w.document()).ok_or_else(|| JsValue::from_str("no document"))?;
    let style = document.create_element("style")?;
    style.set_text_content(Some(STYLE));
    root.append_child(&style)?;
    Ok(())
}
