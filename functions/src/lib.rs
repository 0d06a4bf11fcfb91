//! Jobslot's backend: application services over a store, exposed through axum routers that
//! run on AWS Lambda (one function each) or together in one local process.

pub mod app;
pub mod auth;
pub mod cognito;
pub mod config;
pub mod demo;
pub mod http;
pub mod lambda;
pub mod local;
pub mod mail;
pub mod random;
pub mod repository;
pub mod store;
pub mod telemetry;
pub mod webhook;
