//! The staff API's requests and responses for setting up a business: settings, services,
//! technicians, members. Raw input as typed in the console; `parse` turns it into domain
//! types and names every field at fault (`areas[2]`, `hours.monday[0]`, …), so the console can
//! show each message beside its field and the server refuses exactly the same things.

pub mod integrations;
pub mod members;
pub mod order_form;
pub mod page;
pub mod services;
pub mod settings;
pub mod technicians;

pub use integrations::*;
pub use members::*;
pub use order_form::*;
pub use page::*;
pub use services::*;
pub use settings::*;
pub use technicians::*;

#[cfg(test)]
mod tests;
