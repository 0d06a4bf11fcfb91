//! Running work orders after booking, for staff: the list and its filters ([`list`]), a work
//! order with its history ([`detail`]), changes by `PATCH` ([`patch`]) and the site's reason
//! codes and rules per order type ([`rules`]).

pub mod detail;
pub mod list;
pub mod patch;
pub mod rules;

pub use detail::*;
pub use list::*;
pub use patch::*;
pub use rules::*;

#[cfg(test)]
mod tests;
