//! Jobslot's domain: the rules of booking field-service work, with no I/O.
//!
//! Raw input becomes these types at the edge (`parse` constructors); everything past the edge
//! can trust them. The crate builds for native and `wasm32`, so the widget and the functions
//! share one definition of every request, response and validation rule.

pub mod account_mail;
pub mod api;
pub mod area;
pub mod audit;
pub mod availability;
pub mod board;
pub mod booking;
pub mod calendar;
pub mod connector;
pub mod contact;
pub mod dispatch;
pub mod error;
pub mod events;
pub mod follow_up;
pub mod form;
pub mod ids;
pub mod language;
pub mod manage;
pub mod message;
pub mod money;
pub mod notification;
pub mod number;
#[cfg(feature = "openapi")]
mod openapi;
pub mod postcode;
pub mod routes;
pub mod schedule;
pub mod setup;
pub mod site;
pub mod staff;
pub mod text;
pub mod tracking;
pub mod webhook;
pub mod wire_time;
pub mod work_order;
pub mod zone;

pub use error::{FieldError, FieldErrors};
