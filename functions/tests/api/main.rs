//! The HTTP API over real HTTP: a server on 127.0.0.1:0 with a temporary embedded store.

#[path = "../support/mod.rs"]
mod support;

mod abuse;
mod accounts;
mod arbitrary;
mod connector;
mod contract;
mod dispatch;
mod hardening;
mod helpers;
mod integrations;
mod manage;
mod problems;
mod search;
mod sign_in;
mod staff;
mod static_files;
mod submit;
mod webhooks;
