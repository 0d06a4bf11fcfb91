//! The per-site audit trail as the API serves it: who changed what of a site's setup, when.

use crate::ids::UserId;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// One change to a site's setup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    #[allow(missing_docs)]
    pub at: Timestamp,
    /// Who (the identity provider's user id; `jobslot` for what Jobslot did by itself).
    pub user: UserId,
    /// Their e-mail address when they did it.
    pub email: String,
    /// What kind of change (`technician.created`, `settings.changed`, …).
    pub action: String,
    /// What it was done to (a technician id, a member's e-mail, …).
    pub target: String,
}

/// One page of the trail, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    #[allow(missing_docs)]
    pub entries: Vec<AuditEntry>,
    /// Pass back as `cursor` for the next (older) page; absent on the last page.
    pub next: Option<String>,
}
