//! The Jobslot booking widget: Leptos (client-side rendered) inside a Shadow DOM root.
//!
//! A site pastes `embed.js`; it loads this module and calls [`define_element`], which
//! registers `<jobslot-booking site="…">`. Each such element gets its own shadow root, so the
//! host page's CSS cannot reach in and the widget's cannot leak out.

pub mod api;
pub mod fields;
pub mod flow;
pub mod format;
pub mod hosted;
#[cfg(feature = "hosted")]
pub mod linked;
#[cfg(feature = "hosted")]
pub mod manage;
pub mod steps;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRootInit, ShadowRootMode};

/// The widget's stylesheet, placed inside every shadow root.
pub const STYLE: &str = include_str!("style.css");

#[wasm_bindgen(inline_js = r#"
export function defineCustomElement(name, mount) {
  if (customElements.get(name)) return;
  customElements.define(name, class extends HTMLElement {
    connectedCallback() {
      if (!this.shadowRoot) mount(this);
    }
  });
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = defineCustomElement)]
    fn define_custom_element(name: &str, mount: &Closure<dyn FnMut(HtmlElement)>);
}

/// Registers `<jobslot-booking>`; elements without an `api` attribute call `default_api`.
#[wasm_bindgen]
pub fn define_element(default_api: String) {
    let mount = Closure::<dyn FnMut(HtmlElement)>::new(move |host: HtmlElement| {
        let api = host.get_attribute("api").unwrap_or_else(|| default_api.clone());
        // `<jobslot-booking link>` is a hosted page (an order created in advance to book, or
        // a customer's manage link): its address names the site and the order. Only the
        // hosted build looks, so the embedded one carries none of the hosted code.
        let opened = if cfg!(feature = "hosted") {
            host.has_attribute("link").then(hosted::Link::current)
        } else {
            None
        };
        let (site, link) = match opened.flatten() {
            Some((site, link)) => (site, Some(link)),
            None => (host.get_attribute("site").unwrap_or_default(), None),
        };
        if let Err(error) = mount_widget(&host, site, api, link) {
            web_sys::console::error_2(&"jobslot: could not mount the widget".into(), &error);
        }
    });
    define_custom_element("jobslot-booking", &mount);
    // The element class keeps calling it for every element added later.
    mount.forget();
}

/// Attaches a shadow root to `host` and renders the booking widget for `site` into it (for
/// the order of `link`, if given).
pub fn mount_widget(
    host: &HtmlElement,
    site: String,
    api: String,
    link: Option<hosted::Link>,
) -> Result<(), JsValue> {
    let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    let document = gloo_document()?;
    add_styles(&root, &document)?;
    let container: HtmlElement = document.create_element("div")?.unchecked_into();
    container.set_class_name("jobslot");
    root.append_child(&container)?;
    let client = api::Api::new(api, site);
    leptos::mount::mount_to(container, move || view! { <flow::BookingWidget api=client link=link /> })
        .forget();
    Ok(())
}

/// Styles the shadow root with a constructable stylesheet, which a strict Content-Security-Policy
/// allows (an inline `<style>` needs `'unsafe-inline'`); browsers without them get a `<style>`.
fn add_styles(root: &web_sys::ShadowRoot, document: &web_sys::Document) -> Result<(), JsValue> {
    if let Ok(sheet) = web_sys::CssStyleSheet::new() {
        let adopted = sheet.replace_sync(STYLE).is_ok()
            && js_sys::Reflect::set(root, &"adoptedStyleSheets".into(), &js_sys::Array::of1(&sheet))
                .unwrap_or(false);
        if adopted {
            return Ok(());
        }
    }
    let style = document.create_element("style")?;
    style.set_text_content(Some(STYLE));
    root.append_child(&style)?;
    Ok(())
}

fn gloo_document() -> Result<web_sys::Document, JsValue> {
    web_sys::window().and_then(|w| w.document()).ok_or_else(|| JsValue::from_str("no document"))
}
