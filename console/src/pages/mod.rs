//! The console's pages.

pub mod audit;
pub mod members;
pub mod new_site;
pub mod order_form;
pub mod services;
pub mod settings;
pub mod technicians;
