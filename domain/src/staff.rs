//! Staff of a site and what each role may do.
//!
//! Roles live in Jobslot's store, not in the identity provider: the provider says who someone
//! is, the site's member list says what they may do there.

use serde::{Deserialize, Serialize};

/// A member's role on one site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything on the site: settings, services, technicians, forms, members.
    Owner,
    /// Work orders and schedules.
    Dispatcher,
    /// Their own jobs, mostly to read.
    Technician,
    /// An integrator's system (a machine client): reads the site's work orders and creates
    /// orders in advance for customers to book.
    Integrator,
}

/// Something a staff request wants to do on a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See the site's configuration, services, technicians and form.
    ViewSetup,
    /// Change settings, services, technicians, hours, the order form.
    ChangeSetup,
    /// Add, change or remove members.
    ManageMembers,
    /// Read the audit trail.
    ViewAudit,
    /// Read any work order of the site.
    ViewWorkOrders,
    /// Change, reassign or reschedule any work order.
    DispatchWorkOrders,
    /// Read and update the work orders assigned to oneself.
    WorkOwnJobs,
    /// Create work orders in advance, for their customers to book through a link.
    CreateWorkOrders,
    /// Register, change and remove webhook endpoints (an integrator registers its own).
    ManageWebhooks,
}

impl Role {
    /// The role as the API writes it: `owner`, `dispatcher`, `technician` or `integrator`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Dispatcher => "dispatcher",
            Role::Technician => "technician",
            Role::Integrator => "integrator",
        }
    }

    /// Whether the role may do `action`.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Owner => true,
            Role::Dispatcher => {
                matches!(
                    action,
                    ViewSetup | ViewWorkOrders | DispatchWorkOrders | WorkOwnJobs | CreateWorkOrders
                )
            }
            Role::Technician => matches!(action, WorkOwnJobs),
            // Reading any order goes through the gate of one's own jobs; an integrator has
            // none, so it reads and changes nothing else.
            Role::Integrator => {
                matches!(action, WorkOwnJobs | ViewWorkOrders | CreateWorkOrders | ManageWebhooks)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_names_itself_as_the_api_writes_it() {
        for role in [Role::Owner, Role::Dispatcher, Role::Technician, Role::Integrator] {
            assert_eq!(serde_json::to_value(role).ok(), Some(serde_json::json!(role.as_str())));
        }
    }

    #[test]
    fn owners_may_do_everything_and_the_others_less() {
        use Action::*;
        let all = [
            ViewSetup,
            ChangeSetup,
            ManageMembers,
            ViewAudit,
            ViewWorkOrders,
            DispatchWorkOrders,
            WorkOwnJobs,
            CreateWorkOrders,
            ManageWebhooks,
        ];
        assert!(all.iter().all(|a| Role::Owner.allows(*a)));
        assert!(!Role::Dispatcher.allows(ChangeSetup) && !Role::Dispatcher.allows(ManageMembers));
        assert!(Role::Dispatcher.allows(DispatchWorkOrders));
        assert_eq!(all.iter().filter(|a| Role::Technician.allows(**a)).count(), 1);
        assert!(Role::Integrator.allows(ViewWorkOrders) && !Role::Integrator.allows(DispatchWorkOrders));
        assert!(Role::Integrator.allows(CreateWorkOrders) && !Role::Technician.allows(CreateWorkOrders));
        assert!(Role::Integrator.allows(ManageWebhooks) && !Role::Dispatcher.allows(ManageWebhooks));
    }
}
