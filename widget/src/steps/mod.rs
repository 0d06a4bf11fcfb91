//! One component per step of the booking flow.

mod contact;
mod details;
mod done;
mod review;
mod search;
mod slots;

pub use contact::ContactStep;
pub use details::DetailsStep;
pub use done::DoneStep;
pub use review::{ReviewForm, ReviewStep, back_to_fresh_slots, submission};
pub use search::{SearchStep, find_slots, load_slots};
pub use slots::SlotsStep;
