//! The console's pages.

pub mod settings;
pub mod technicians;
