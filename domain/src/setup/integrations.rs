//! Machine clients for integrators' systems.

use crate::ids::UserId;
use serde::{Deserialize, Serialize};

/// `POST /api/sites/{site}/integrations`: a machine client for an integrator's system.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct IntegrationInput {
    /// What to call it (the integrator's system).
    pub name: String,
}

/// A new machine client: its credentials, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationCreated {
    /// The client id (also its member id on the site, with the integrator role).
    pub client_id: UserId,
    /// Its secret: returned this once, stored only as a hash.
    pub client_secret: String,
    /// Where it gets access tokens with the client-credentials grant.
    pub token_endpoint: String,
}
