//! Setting up a business, for its staff: sites, settings, services, the order form,
//! technicians, members, and the audit trail every change lands in.
//!
//! Every change is checked against the caller's role, validated field by field, written only
//! if the record is still the version the caller read (`If-Match`), and recorded in the audit
//! trail in the same write.

use super::{App, AppError};
use crate::repository::{AuditWrite, Member, MemberChange, MemberChangeRefused, Precondition, SaveRefused};
use crate::store::Store;
use jobslot_domain::FieldError;
use jobslot_domain::audit::{AuditEntry, AuditPage};
use jobslot_domain::dispatch::WorkOrderRulesInput;
use jobslot_domain::form::OrderForm;
use jobslot_domain::ids::{SiteId, TechnicianId, UserId};
use jobslot_domain::setup::{
    DEFAULT_DAYS_AHEAD, DEFAULT_NOTICE_MINUTES, DEFAULT_STEP_MINUTES, Me, MemberEntry, MemberRequest, MySite,
    NewSiteInput, OrderFormInput, Page, ServiceInput, ServicesInput, SettingsInput, TechnicianEntry,
    TechnicianInput,
};
use jobslot_domain::site::Site;
use jobslot_domain::staff::{Action, Role};
use serde::Deserialize;

/// A record with the version an edit must name in `If-Match`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned<T> {
    #[allow(missing_docs)]
    pub value: T,
    /// Its version (the `ETag`).
    pub version: String,
}

/// How an edit names the version it was based on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// `If-None-Match: *`: create only.
    New,
    /// `If-Match: "<version>"`.
    Version(String),
    /// Neither header: refused for edits (428), so nobody overwrites a change unseen.
    Unstated,
}

#[cfg(test)]
mod tests {
    use super::{LIST_PAGE, page_after};

    #[test]
    fn pages_follow_the_cursor_in_key_order() {
        let items = (0..250).rev().map(|i| format!("item-{i:03}"));
        let first = page_after(items.clone(), None, Clone::clone);
        assert_eq!((first.items.len(), first.items[0].as_str()), (LIST_PAGE, "item-000"));
        let second = page_after(items.clone(), first.next.as_deref(), Clone::clone);
        assert_eq!(second.items[0], "item-100");
        let third = page_after(items, second.next.as_deref(), Clone::clone);
        assert_eq!((third.items.len(), third.next), (50, None));
    }
}

/// A checked request to open a site.
#[derive(Debug, Clone)]
pub enum PreparedSite {
    /// Open this site for the owner with this e-mail.
    New(Box<Site>, jobslot_domain::contact::Email),
    /// A retry: the site was opened already, for this owner.
    Done(Versioned<SiteId>, UserId),
}

impl From<Member> for MemberEntry {
    fn from(m: Member) -> Self {
        Self {
            user: m.user,
            email: m.email.as_str().to_owned(),
            role: m.role,
            technician: m.technician,
            invited_at: m.invited_at,
        }
    }
}

/// Who a membership is for, as the caller resolved them: an account of the local issuer (with
/// what its invitation writes), or a user of the identity provider named by id.
#[derive(Debug)]
pub struct Newcomer {
    /// Their user id.
    pub user: UserId,
    /// True while they have not set a password (the membership is an invitation).
    pub invited: bool,
    /// Written with the membership: a new account, the invitation's grant, the e-mail.
    pub writes: Vec<crate::store::Write>,
}

impl From<super::accounts::Invitee> for Newcomer {
    fn from(invitee: super::accounts::Invitee) -> Self {
        Self { user: invitee.user, invited: invitee.invited, writes: invitee.writes }
    }
}

impl Newcomer {
    /// A user of the identity provider, named by id: nothing to write besides the membership.
    pub fn by_id(user: UserId) -> Self {
        Self { user, invited: false, writes: Vec::new() }
    }
}

/// What a refused change of members means to the caller.
fn member_change(refused: MemberChangeRefused) -> AppError {
    match refused {
        MemberChangeRefused::LastOwner => FieldError::new("role", "A site needs at least one owner.").into(),
        MemberChangeRefused::NotAMember => AppError::NotFound,
        // Another change of the owners won the race: come back and the rule is checked again.
        MemberChangeRefused::Conflict => AppError::Unavailable(crate::store::StoreError::Conflict),
        MemberChangeRefused::Store(error) => error.into(),
    }
}

/// Page size of the audit trail.
const AUDIT_PAGE: usize = 50;
/// Page size of the technician and member lists.
pub const LIST_PAGE: usize = 100;

/// The [`LIST_PAGE`] items after `cursor`, ordered by `key`.
fn page_after<T>(
    items: impl Iterator<Item = T>,
    cursor: Option<&str>,
    key: impl Fn(&T) -> String,
) -> Page<T> {
    let mut keyed: Vec<(String, T)> =
        items.map(|i| (key(&i), i)).filter(|(k, _)| cursor.is_none_or(|c| k.as_str() > c)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let next = (keyed.len() > LIST_PAGE).then(|| keyed[LIST_PAGE - 1].0.clone());
    Page { items: keyed.into_iter().take(LIST_PAGE).map(|(_, i)| i).collect(), next }
}

fn saved(result: Result<String, SaveRefused>) -> Result<String, AppError> {
    match result {
        Ok(version) => Ok(version),
        Err(SaveRefused::Changed) => Err(AppError::PreconditionFailed),
        Err(SaveRefused::Exists) => Err(AppError::AlreadyExists),
        Err(SaveRefused::Store(e)) => Err(e.into()),
    }
}

impl<S: Store> App<S> {
    /// The caller, their sites and roles.
    pub async fn me(&self, user: &UserId) -> Result<Me, AppError> {
        let sites = self.repo.memberships(user).await?;
        Ok(Me {
            user: user.clone(),
            operator: self.repo.is_operator(user).await?,
            sites: sites.into_iter().map(|m| MySite { site: m.site, role: m.role }).collect(),
        })
    }

    pub(super) fn audit_entry(&self, member: &Member, action: &str, target: &str) -> AuditEntry {
        AuditEntry {
            at: self.clock.now(),
            user: member.user.clone(),
            email: member.email.as_str().to_owned(),
            action: action.to_owned(),
            target: target.to_owned(),
        }
    }

    /// Checks a request to open a site (platform operators only) before anyone's account is
    /// touched. A retry of a request that already opened the site (same id, business name and
    /// owner e-mail) is recognised and answered as done.
    pub async fn prepare_site(&self, user: &UserId, input: &NewSiteInput) -> Result<PreparedSite, AppError> {
        if !self.repo.is_operator(user).await? {
            return Err(AppError::Forbidden);
        }
        let mut errors = Vec::new();
        let id = SiteId::parse("id", input.id.trim()).map_err(|e| errors.push(e)).ok();
        let owner_email = jobslot_domain::contact::Email::parse("owner_email", &input.owner_email)
            .map_err(|e| errors.push(e))
            .ok();
        let placeholder = || SiteId::parse("id", "new-site").unwrap_or_else(|_| unreachable!("a slug"));
        let blank = empty_site(id.clone().unwrap_or_else(placeholder));
        let site = input.settings.apply(&blank).map_err(|e| errors.extend(e)).ok();
        let (Some(id), Some(owner_email), Some(site)) = (id, owner_email, site) else {
            return Err(AppError::Validation(errors));
        };
        if let Some((existing, version)) = self.repo.site_versioned(&id).await? {
            let members = self.repo.members(&id).await?;
            let owner = members.into_iter().find(|m| m.role == Role::Owner && m.email == owner_email);
            if let (true, Some(owner)) = (existing.business_name == site.business_name, owner) {
                return Ok(PreparedSite::Done(Versioned { value: id, version }, owner.user));
            }
            return Err(FieldError::new("id", "A site with this id exists.").into());
        }
        Ok(PreparedSite::New(Box::new(site), owner_email))
    }

    /// Opens a prepared site with its first owner (and what inviting them writes), in one
    /// write.
    pub async fn create_site(
        &self,
        user: &UserId,
        site: &Site,
        owner_email: jobslot_domain::contact::Email,
        owner: Newcomer,
    ) -> Result<Versioned<SiteId>, AppError> {
        let member = Member {
            site: site.id.clone(),
            user: owner.user,
            email: owner_email,
            role: Role::Owner,
            technician: None,
            invited_at: owner.invited.then(|| self.clock.now()),
        };
        let audit = AuditEntry {
            at: self.clock.now(),
            user: user.clone(),
            email: String::new(),
            action: "site.created".into(),
            target: member.email.as_str().to_owned(),
        };
        let mut extra = self.repo.member_writes(&member)?;
        extra.push(audit.write(&site.id)?);
        extra.extend(owner.writes);
        let version = saved(self.repo.save_site_if(site, Precondition::Absent, extra).await)?;
        Ok(Versioned { value: site.id.clone(), version })
    }

    async fn site_for(
        &self,
        site: &SiteId,
        user: &UserId,
        action: Action,
    ) -> Result<(Versioned<Site>, Member), AppError> {
        let (_, member) = self.authorize(site, user, action).await?;
        let (site, version) = self.repo.site_versioned(&member.site).await?.ok_or(AppError::UnknownSite)?;
        Ok((Versioned { value: site, version }, member))
    }

    /// The precondition of an edit of an existing record.
    fn edit(expect: &Expect) -> Result<Precondition, AppError> {
        match expect {
            Expect::Version(v) => Ok(Precondition::Version(v.clone())),
            Expect::New => Err(AppError::AlreadyExists),
            Expect::Unstated => Err(AppError::PreconditionRequired),
        }
    }

    /// A site's settings.
    pub async fn settings(&self, site: &SiteId, user: &UserId) -> Result<Versioned<SettingsInput>, AppError> {
        let (site, _) = self.site_for(site, user, Action::ViewSetup).await?;
        Ok(Versioned { value: SettingsInput::of(&site.value), version: site.version })
    }

    /// Changes a site's settings.
    pub async fn change_settings(
        &self,
        site: &SiteId,
        user: &UserId,
        expect: &Expect,
        input: &SettingsInput,
    ) -> Result<Versioned<SettingsInput>, AppError> {
        let (current, member) = self.site_for(site, user, Action::ChangeSetup).await?;
        let precondition = Self::edit(expect)?;
        let changed = input.apply(&current.value).map_err(AppError::Validation)?;
        // Service areas are written in the country's postcode format and prices in its
        // currency: changing either under existing technicians or services would break them.
        let mut refused = Vec::new();
        if changed.country != current.value.country && !self.repo.technicians(&changed.id).await?.is_empty() {
            refused.push(FieldError::new(
                "country",
                "Technicians' service areas use this country's postcodes; remove them first.",
            ));
        }
        if changed.currency != current.value.currency && !changed.services.is_empty() {
            refused.push(FieldError::new(
                "currency",
                "Services are priced in this currency; remove them first.",
            ));
        }
        if !refused.is_empty() {
            return Err(AppError::Validation(refused));
        }
        let audit = self.audit_entry(&member, "settings.changed", changed.id.as_str()).write(&changed.id)?;
        let version = saved(self.repo.save_site_if(&changed, precondition, vec![audit]).await)?;
        Ok(Versioned { value: SettingsInput::of(&changed), version })
    }

    /// A site's services.
    pub async fn services(&self, site: &SiteId, user: &UserId) -> Result<Versioned<ServicesInput>, AppError> {
        let (site, _) = self.site_for(site, user, Action::ViewSetup).await?;
        let services = site.value.services.iter().map(ServiceInput::of).collect();
        Ok(Versioned { value: ServicesInput { services }, version: site.version })
    }

    /// Replaces a site's services. A service booked before stays on its work orders; removing
    /// one that technicians list is refused, naming it.
    pub async fn change_services(
        &self,
        site: &SiteId,
        user: &UserId,
        expect: &Expect,
        input: &ServicesInput,
    ) -> Result<Versioned<ServicesInput>, AppError> {
        let (current, member) = self.site_for(site, user, Action::ChangeSetup).await?;
        let precondition = Self::edit(expect)?;
        let services = input.parse(current.value.currency).map_err(AppError::Validation)?;
        let technicians = self.repo.technicians(&current.value.id).await?;
        for old in current.value.services.iter().filter(|old| !services.iter().any(|s| s.id == old.id)) {
            if let Some(tech) = technicians.iter().find(|t| t.services.contains(&old.id)) {
                let message =
                    format!("{} does this service; deactivate it instead of removing it.", tech.name);
                return Err(FieldError::new("services", message).into());
            }
        }
        let changed = Site { services, ..current.value };
        let audit = self.audit_entry(&member, "services.changed", changed.id.as_str()).write(&changed.id)?;
        let version = saved(self.repo.save_site_if(&changed, precondition, vec![audit]).await)?;
        let services = changed.services.iter().map(ServiceInput::of).collect();
        Ok(Versioned { value: ServicesInput { services }, version })
    }

    /// A site's reason codes and rules per order type.
    pub async fn work_order_rules(
        &self,
        site: &SiteId,
        user: &UserId,
    ) -> Result<Versioned<WorkOrderRulesInput>, AppError> {
        // Technicians read them too: the reason codes they close jobs with.
        let (site, _) = self.site_for(site, user, Action::WorkOwnJobs).await?;
        Ok(Versioned { value: WorkOrderRulesInput::of(&site.value), version: site.version })
    }

    /// Replaces a site's reason codes and rules per order type. Work orders closed with a
    /// code since removed keep it, with its label.
    pub async fn change_work_order_rules(
        &self,
        site: &SiteId,
        user: &UserId,
        expect: &Expect,
        input: &WorkOrderRulesInput,
    ) -> Result<Versioned<WorkOrderRulesInput>, AppError> {
        let (current, member) = self.site_for(site, user, Action::ChangeSetup).await?;
        let precondition = Self::edit(expect)?;
        let changed = input.apply(&current.value).map_err(AppError::Validation)?;
        let audit =
            self.audit_entry(&member, "work_order_rules.changed", changed.id.as_str()).write(&changed.id)?;
        let version = saved(self.repo.save_site_if(&changed, precondition, vec![audit]).await)?;
        Ok(Versioned { value: WorkOrderRulesInput::of(&changed), version })
    }

    /// A site's order form.
    pub async fn order_form(
        &self,
        site: &SiteId,
        user: &UserId,
    ) -> Result<Versioned<OrderFormInput>, AppError> {
        let (site, _) = self.site_for(site, user, Action::ViewSetup).await?;
        Ok(Versioned { value: OrderFormInput { form: site.value.order_form }, version: site.version })
    }

    /// Replaces a site's order form. Bookings already made keep the answers and labels they
    /// were given; a retry in flight is answered from its idempotency record.
    pub async fn change_order_form(
        &self,
        site: &SiteId,
        user: &UserId,
        expect: &Expect,
        input: &OrderFormInput,
    ) -> Result<Versioned<OrderFormInput>, AppError> {
        let (current, member) = self.site_for(site, user, Action::ChangeSetup).await?;
        let precondition = Self::edit(expect)?;
        let form = input.form.validated().map_err(AppError::Validation)?;
        let changed = Site { order_form: form, ..current.value };
        let audit =
            self.audit_entry(&member, "order_form.changed", changed.id.as_str()).write(&changed.id)?;
        let version = saved(self.repo.save_site_if(&changed, precondition, vec![audit]).await)?;
        Ok(Versioned { value: OrderFormInput { form: changed.order_form }, version })
    }

    /// Every technician of a site.
    pub async fn technician_list(
        &self,
        site: &SiteId,
        user: &UserId,
        cursor: Option<&str>,
    ) -> Result<Page<TechnicianEntry>, AppError> {
        let (_, member) = self.authorize(site, user, Action::ViewSetup).await?;
        let technicians = self.repo.technicians(&member.site).await?;
        let entries = technicians
            .iter()
            .map(|t| TechnicianEntry { id: t.id.clone(), technician: TechnicianInput::of(t) });
        Ok(page_after(entries, cursor, |e| e.id.to_string()))
    }

    /// One technician.
    pub async fn technician(
        &self,
        site: &SiteId,
        user: &UserId,
        id: &TechnicianId,
    ) -> Result<Versioned<TechnicianEntry>, AppError> {
        let (_, member) = self.authorize(site, user, Action::ViewSetup).await?;
        let (tech, version) = self.repo.technician(&member.site, id).await?.ok_or(AppError::NotFound)?;
        Ok(Versioned {
            value: TechnicianEntry { id: id.clone(), technician: TechnicianInput::of(&tech) },
            version,
        })
    }

    /// Creates (`If-None-Match: *`) or changes (`If-Match`) a technician.
    pub async fn put_technician(
        &self,
        site: &SiteId,
        user: &UserId,
        id: &TechnicianId,
        expect: &Expect,
        input: &TechnicianInput,
    ) -> Result<Versioned<TechnicianEntry>, AppError> {
        let (current, member) = self.site_for(site, user, Action::ChangeSetup).await?;
        let id = id.clone();
        let (precondition, action) = match expect {
            Expect::New => (Precondition::Absent, "technician.created"),
            Expect::Version(v) => (Precondition::Version(v.clone()), "technician.changed"),
            Expect::Unstated => return Err(AppError::PreconditionRequired),
        };
        let tech = input.parse(&current.value, &id).map_err(AppError::Validation)?;
        let audit = self.audit_entry(&member, action, id.as_str());
        let saved = self.repo.save_technician(&tech, current.value.country, precondition, Some(&audit)).await;
        let version = match saved {
            Err(SaveRefused::Exists) if *expect == Expect::New => {
                // A retried create (its answer was lost) meets its own technician: same answer.
                if let Some((existing, version)) = self.repo.technician(&current.value.id, &id).await?
                    && existing == tech
                {
                    return Ok(Versioned {
                        value: TechnicianEntry { id, technician: TechnicianInput::of(&tech) },
                        version,
                    });
                }
                return Err(FieldError::new("id", "A technician with this id exists.").into());
            }
            Err(SaveRefused::Exists) => return Err(AppError::NotFound),
            other => self::saved(other)?,
        };
        Ok(Versioned { value: TechnicianEntry { id, technician: TechnicianInput::of(&tech) }, version })
    }

    /// A site's members.
    pub async fn member_list(
        &self,
        site: &SiteId,
        user: &UserId,
        cursor: Option<&str>,
    ) -> Result<Page<MemberEntry>, AppError> {
        let (_, member) = self.authorize(site, user, Action::ManageMembers).await?;
        let members = self.repo.members(&member.site).await?.into_iter().map(MemberEntry::from);
        Ok(page_after(members, cursor, |m| m.user.to_string()))
    }

    /// Checks a member request before anyone's account is touched: the caller may manage
    /// members and a technician member names a technician of the site. Answers the site's
    /// business name, which an invitation names.
    pub async fn check_member(
        &self,
        site: &SiteId,
        user: &UserId,
        request: &MemberRequest,
    ) -> Result<String, AppError> {
        let (site, _) = self.authorize(site, user, Action::ManageMembers).await?;
        if let Some(tech) = &request.technician
            && self.repo.technician(&site.id, tech).await?.is_none()
        {
            return Err(FieldError::new("technician", "The site has no such technician.").into());
        }
        Ok(site.business_name)
    }

    /// Sends an invited member a new invitation (the old link keeps working until it expires).
    pub async fn resend_invitation(
        &self,
        site: &SiteId,
        user: &UserId,
        who: &UserId,
        identity: &super::identity::Identity<S>,
    ) -> Result<MemberEntry, AppError> {
        let (site_record, _) = self.authorize(site, user, Action::ManageMembers).await?;
        let (invited, member) = self.member_of(site, user, who).await?;
        if invited.invited_at.is_none() {
            return Err(
                FieldError::new("user", "They have set their password already; nothing to send.").into()
            );
        }
        let invitee = identity.invitee(&invited.email, &site_record.business_name, invited.role).await?;
        let mut writes = invitee.writes;
        writes.push(
            self.audit_entry(&member, "member.invited_again", invited.email.as_str()).write(&invited.site)?,
        );
        self.repo.write_all(writes).await?;
        Ok(MemberEntry::from(invited))
    }

    /// Gives someone a role on the site, or changes theirs, with what adding them writes (an
    /// invitation, a notice). The site always keeps an owner, also when two owners demote each
    /// other at once.
    pub async fn put_member(
        &self,
        site: &SiteId,
        user: &UserId,
        who: Newcomer,
        request: &MemberRequest,
    ) -> Result<MemberEntry, AppError> {
        let (current, member) = self.site_for(site, user, Action::ManageMembers).await?;
        if let Some(tech) = &request.technician
            && self.repo.technician(&current.value.id, tech).await?.is_none()
        {
            return Err(FieldError::new("technician", "The site has no such technician.").into());
        }
        let existing = self.repo.member(&current.value.id, &who.user).await?;
        // An invitation stands until the person sets a password, whatever their role becomes.
        let invited_at = match existing.and_then(|m| m.invited_at) {
            Some(at) => Some(at),
            None => who.invited.then(|| self.clock.now()),
        };
        let new = Member {
            site: current.value.id.clone(),
            user: who.user,
            email: request.email.clone(),
            role: request.role,
            technician: request.technician.clone(),
            invited_at,
        };
        let mut extra =
            vec![self.audit_entry(&member, "member.changed", new.email.as_str()).write(&new.site)?];
        extra.extend(who.writes);
        self.repo
            .change_members(&new.site, &MemberChange::Save(new.clone()), extra)
            .await
            .map_err(member_change)?;
        Ok(MemberEntry::from(new))
    }

    /// The site's member `who`, for someone who may manage members, with the caller's own
    /// membership.
    pub async fn member_of(
        &self,
        site: &SiteId,
        user: &UserId,
        who: &UserId,
    ) -> Result<(Member, Member), AppError> {
        let (site, member) = self.authorize(site, user, Action::ManageMembers).await?;
        let found = self.repo.member(&site.id, who).await?.ok_or(AppError::NotFound)?;
        Ok((found, member))
    }

    /// Removes someone from the site (or withdraws their invitation): their next request there
    /// is refused, whatever token they hold. An integration is removed with its client
    /// ([`App::remove_integration`]) where `issuer` made it; the last owner cannot be removed.
    pub async fn remove_member(
        &self,
        site: &SiteId,
        user: &UserId,
        issuer: Option<&dyn super::integrations::ClientIssuer>,
        who: &UserId,
    ) -> Result<(), AppError> {
        let (gone, member) = self.member_of(site, user, who).await?;
        if let (Role::Integrator, Some(issuer)) = (gone.role, issuer)
            && self.repo.machine_client(&gone.user).await?.is_some()
        {
            return self.remove_integration(site, user, issuer, &gone.user).await;
        }
        let audit = self.audit_entry(&member, "member.removed", gone.email.as_str()).write(&gone.site)?;
        self.repo
            .change_members(&gone.site, &MemberChange::Remove(gone.user.clone()), vec![audit])
            .await
            .map_err(member_change)
    }

    /// The site's audit trail, newest first.
    pub async fn audit_trail(
        &self,
        site: &SiteId,
        user: &UserId,
        cursor: Option<&str>,
    ) -> Result<AuditPage, AppError> {
        let (_, member) = self.authorize(site, user, Action::ViewAudit).await?;
        Ok(self.repo.audit(&member.site, cursor, AUDIT_PAGE).await?)
    }
}

/// A site with no services, technicians or form yet; settings fill in the rest.
fn empty_site(id: SiteId) -> Site {
    Site {
        id,
        business_name: String::new(),
        country: jobslot_domain::postcode::Country::Au,
        time_zone: jobslot_domain::zone::Zone::utc(),
        currency: jobslot_domain::money::Currency::Aud,
        services: Vec::new(),
        order_form: OrderForm::default(),
        terms: String::new(),
        rules: jobslot_domain::availability::SlotRules {
            step: jobslot_domain::schedule::GridMinutes::parse("step", DEFAULT_STEP_MINUTES)
                .unwrap_or_else(|_| unreachable!("the default step is on the grid")),
            min_notice_minutes: DEFAULT_NOTICE_MINUTES,
            days_ahead: DEFAULT_DAYS_AHEAD,
        },
        allowed_origins: Vec::new(),
        accent_colour: None,
        font_family: None,
        corner_radius: None,
        reasons: Default::default(),
        order_rules: Default::default(),
        contact_email: None,
        contact_phone: None,
        notification_email: None,
        change_notice_hours: jobslot_domain::manage::CHANGE_NOTICE_HOURS,
    }
}

/// Where the previous page of a list ended.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Where the previous page ended.
    pub cursor: Option<String>,
}
