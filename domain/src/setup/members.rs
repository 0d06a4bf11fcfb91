//! Who works on a site, and who the caller is.

use crate::contact::Email;
use crate::ids::{SiteId, TechnicianId, UserId};
use crate::staff::Role;
use crate::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

/// `GET /api/me`: who the caller is and where they work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// The caller's user id.
    pub user: UserId,
    /// Whether they may create sites.
    pub operator: bool,
    /// Their sites and roles.
    pub sites: Vec<MySite>,
}

/// One of the caller's sites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MySite {
    #[allow(missing_docs)]
    pub site: SiteId,
    /// Their role there.
    pub role: Role,
}

/// `PUT /api/sites/{site}/members`: give someone a role on the site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MemberInput {
    /// Their sign-in e-mail (self-hosted: someone without an account is invited to make one).
    pub email: String,
    /// Their user id at the identity provider (Cognito's `sub`), when known.
    pub user: Option<String>,
    /// `owner`, `dispatcher` or `technician`.
    pub role: String,
    /// For a technician: the technician record that is them.
    pub technician: Option<String>,
}

/// A parsed member request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRequest {
    /// E-mail address.
    pub email: Email,
    /// User id, when given.
    pub user: Option<UserId>,
    #[allow(missing_docs)]
    pub role: Role,
    /// Technician record, for technicians.
    pub technician: Option<TechnicianId>,
}

impl MemberInput {
    /// Parses the request, naming each field at fault.
    pub fn parse(&self) -> Result<MemberRequest, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let email = errors.take(Email::parse("email", &self.email));
        let user = match self.user.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            None => Some(None),
            Some(raw) => errors.take(UserId::parse("user", raw).map(Some)),
        };
        let role = errors.take(
            serde_json::from_value::<Role>(serde_json::Value::String(self.role.trim().to_owned()))
                .map_err(|_| FieldError::new("role", "Choose owner, dispatcher, technician or integrator.")),
        );
        let technician = match (self.technician.as_deref().map(str::trim).filter(|t| !t.is_empty()), role) {
            (Some(raw), Some(Role::Technician)) => {
                errors.take(TechnicianId::parse("technician", raw).map(Some))
            }
            (None, Some(Role::Technician)) => {
                errors.push(FieldError::new("technician", "Choose which technician this person is."));
                None
            }
            (_, _) => Some(None),
        };
        errors.finish(|| {
            Some(MemberRequest { email: email?, user: user?, role: role?, technician: technician? })
        })
    }
}

/// A member as listed in the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberEntry {
    #[allow(missing_docs)]
    pub user: UserId,
    #[allow(missing_docs)]
    pub email: String,
    #[allow(missing_docs)]
    pub role: Role,
    /// For technicians, who they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technician: Option<TechnicianId>,
    /// When they were invited, while they have not set their password yet (self-hosted); the
    /// invitation's link works for 72 hours, and can be sent again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub invited_at: Option<jiff::Timestamp>,
}
