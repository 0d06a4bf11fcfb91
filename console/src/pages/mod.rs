//! The console's pages.

pub mod audit;
pub mod board;
pub mod deliveries;
pub mod members;
pub mod my_jobs;
pub mod new_site;
pub mod order_form;
pub mod password;
pub mod rules;
pub mod services;
pub mod settings;
pub mod start;
pub mod technicians;
pub mod webhooks;
pub mod work_order;
pub mod work_orders;

/// Asks the browser's own confirmation dialog; no dialog (a test's headless run) means no.
pub(crate) fn confirmed(question: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false)
}
