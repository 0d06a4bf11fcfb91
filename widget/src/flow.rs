//! The booking flow: its steps, the state they share, and the transitions between them.

use crate::answers::Answers;
use crate::api::{Api, ApiFailure};
use crate::embed::Host;
use crate::hosted::{Link, LinkKind, Opened};
use crate::i18n::{Lang, fill};
use crate::steps::{ContactStep, DetailsStep, DoneStep, ReviewStep, SearchStep, SlotsStep};
use crate::submit::PendingSubmission;
use jobslot_domain::FieldError;
use jobslot_domain::api::{SiteConfigResponse, SlotOffer, SlotsResponse, WorkOrderCreated};
use jobslot_domain::connector::LinkedOrder;
use jobslot_domain::manage::ManagedBooking;
use leptos::prelude::*;
use std::sync::Arc;

/// Where the customer is in the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Service and postcode.
    Search,
    /// Technicians and their free times.
    Slots,
    /// The site's order form.
    Details,
    /// Contact details and address.
    Contact,
    /// Summary, terms and submit.
    Review,
    /// Booked.
    Done,
}

impl Step {
    /// The step whose form shows `field` (a dotted path from a problem document); `None` for
    /// fields no control shows, such as a request header.
    pub fn owning(field: &str) -> Option<Step> {
        match field.split('.').next().unwrap_or_default() {
            "postcode" | "service" => Some(Step::Search),
            "start" => Some(Step::Slots),
            "answers" => Some(Step::Details),
            "contact" | "address" | "notes" => Some(Step::Contact),
            "terms_accepted" => Some(Step::Review),
            _ => None,
        }
    }
}

/// The steps of a flow in order. A search walks from the postcode to the booking, through the
/// order form only when the site has one. A link's page starts on its order (`Done`), and its
/// times lead to the review and back to the order: the link has the answers and contact.
fn sequence(linked: bool, has_form: bool) -> &'static [Step] {
    match (linked, has_form) {
        (true, _) => &[Step::Done, Step::Slots, Step::Review],
        (false, true) => &[Step::Search, Step::Slots, Step::Details, Step::Contact, Step::Review, Step::Done],
        (false, false) => &[Step::Search, Step::Slots, Step::Contact, Step::Review, Step::Done],
    }
}

/// Text fields of the contact step.
#[derive(Clone, Copy)]
pub struct ContactFields {
    /// Full name.
    pub name: RwSignal<String>,
    #[allow(missing_docs)]
    pub email: RwSignal<String>,
    #[allow(missing_docs)]
    pub phone: RwSignal<String>,
    /// Street address.
    pub line1: RwSignal<String>,
    /// Unit, building.
    pub line2: RwSignal<String>,
    /// Suburb or city.
    pub city: RwSignal<String>,
    /// Notes for the technician.
    pub notes: RwSignal<String>,
}

/// Everything the steps share; provided as context by [`BookingFlow`].
#[derive(Clone)]
pub struct Flow {
    /// The site's configuration.
    pub config: Arc<SiteConfigResponse>,
    /// The API client.
    pub api: Api,
    /// Chosen service id.
    pub service: RwSignal<String>,
    /// Postcode as typed.
    pub postcode: RwSignal<String>,
    /// Slots found for the postcode.
    pub slots: RwSignal<Option<SlotsResponse>>,
    /// The slot picked.
    pub chosen: RwSignal<Option<SlotOffer>>,
    /// The last day the site takes bookings for (its `days_ahead` from today), once known.
    pub horizon: RwSignal<Option<jiff::civil::Date>>,
    /// The technician the customer wants (a technician id), or `None` for whoever is free.
    pub technician: RwSignal<Option<String>>,
    /// A slot that was taken meanwhile: the times shown open on its day, nearest first.
    pub taken: RwSignal<Option<SlotOffer>>,
    /// Order-form answers by field id.
    pub answers: RwSignal<Answers>,
    /// Contact step fields.
    pub contact: ContactFields,
    #[allow(missing_docs)]
    pub terms: RwSignal<bool>,
    /// Field errors on show.
    pub errors: RwSignal<Vec<FieldError>>,
    /// A message not tied to a field.
    pub notice: RwSignal<Option<String>>,
    /// A request is under way.
    pub busy: RwSignal<bool>,
    /// The confirmed booking.
    pub booked: RwSignal<Option<WorkOrderCreated>>,
    /// A submission whose outcome is unknown (the answer never arrived): retried with the
    /// same key, it can never book twice.
    pub pending: RwSignal<Option<PendingSubmission>>,
    /// The booking link this page was opened with, for an order created in advance.
    pub link: Option<Arc<Link>>,
    /// That link's order, as last read or booked.
    pub linked_order: RwSignal<Option<LinkedOrder>>,
    /// The booking a manage link opened, as last read or changed.
    pub managed: RwSignal<Option<ManagedBooking>>,
    /// What the last change on the manage page did, to say so.
    pub confirmed: RwSignal<Option<&'static str>>,
    /// Where the customer is; only the transitions below move it.
    step: RwSignal<Step>,
    /// The element the widget is in, for events and the redirect after booking.
    pub host: Host,
    /// The widget's language.
    pub lang: Lang,
}

impl Flow {
    /// Fresh state for a site.
    pub fn new(config: SiteConfigResponse, api: Api) -> Self {
        let first_service = config.services.first().map(|s| s.id.to_string()).unwrap_or_default();
        Self {
            config: Arc::new(config),
            api,
            step: RwSignal::new(Step::Search),
            service: RwSignal::new(first_service),
            postcode: RwSignal::new(String::new()),
            slots: RwSignal::new(None),
            chosen: RwSignal::new(None),
            horizon: RwSignal::new(None),
            technician: RwSignal::new(None),
            taken: RwSignal::new(None),
            answers: RwSignal::new(Answers::default()),
            contact: ContactFields {
                name: RwSignal::new(String::new()),
                email: RwSignal::new(String::new()),
                phone: RwSignal::new(String::new()),
                line1: RwSignal::new(String::new()),
                line2: RwSignal::new(String::new()),
                city: RwSignal::new(String::new()),
                notes: RwSignal::new(String::new()),
            },
            terms: RwSignal::new(false),
            errors: RwSignal::new(Vec::new()),
            notice: RwSignal::new(None),
            busy: RwSignal::new(false),
            booked: RwSignal::new(None),
            pending: RwSignal::new(None),
            link: None,
            linked_order: RwSignal::new(None),
            managed: RwSignal::new(None),
            confirmed: RwSignal::new(None),
            host: Host::default(),
            lang: Lang::ENGLISH,
        }
    }

    /// The step on show (tracked).
    pub fn step(&self) -> Step {
        self.step.get()
    }

    /// The step on show, untracked.
    pub fn step_untracked(&self) -> Step {
        self.step.get_untracked()
    }

    fn sequence(&self) -> &'static [Step] {
        sequence(self.link.is_some(), !self.config.order_form.fields.is_empty())
    }

    /// The step after `step` in this flow; the last step stays.
    fn after(&self, step: Step) -> Step {
        let steps = self.sequence();
        let at = steps.iter().position(|s| *s == step).unwrap_or(0);
        steps.get(at + 1).copied().unwrap_or(step)
    }

    /// "Step n of N" for the step on show, none where the flow has ended.
    pub fn progress(&self) -> Option<String> {
        let step = self.step.get();
        let counted: Vec<Step> = self.sequence().iter().copied().filter(|s| *s != Step::Done).collect();
        let n = counted.iter().position(|s| *s == step)? + 1;
        Some(fill(self.lang.words.step_of, &[&n.to_string(), &counted.len().to_string()]))
    }

    /// The free times were found: shows them.
    pub fn found_slots(&self, focus: Focus) {
        self.go_with(Step::Slots, focus);
    }

    /// The customer chose `slot`: on to the order form, their details, or (for a link, which
    /// has both) the review.
    pub fn choose(&self, slot: &SlotOffer) {
        self.chosen.set(Some(slot.clone()));
        self.taken.set(None);
        let start = jobslot_domain::wire_time::format_timestamp(slot.start);
        self.host
            .emit("jobslot:slot-selected", &[("service", &self.service.get_untracked()), ("start", &start)]);
        self.go(self.after(Step::Slots));
    }

    /// The order form's answers are valid: on to the contact details.
    pub fn answered(&self) {
        self.go(self.after(Step::Details));
    }

    /// The contact details are valid: on to the review.
    pub fn contact_given(&self) {
        self.go(self.after(Step::Contact));
    }

    /// Back one step: from the times to the search (a link's to its order), from the form
    /// steps to the one before.
    pub fn back(&self) {
        let step = self.step.get_untracked();
        let steps = self.sequence();
        let at = steps.iter().position(|s| *s == step).unwrap_or(0);
        self.go(steps[at.saturating_sub(1)]);
    }

    /// To the times, to choose (another) one.
    pub fn choose_time(&self) {
        self.go(Step::Slots);
    }

    /// Booked, moved or cancelled: the outcome, with the order as it now stands.
    pub fn finish(&self) {
        self.go(Step::Done);
    }

    /// Moves to `step`, clearing messages of the step left; keyboard and screen-reader users
    /// land on the new step's heading.
    fn go(&self, step: Step) {
        self.go_with(step, Focus::Move);
    }

    fn go_with(&self, step: Step, focus: Focus) {
        self.errors.set(Vec::new());
        self.notice.set(None);
        self.step.set(step);
        self.focus(".step h3", focus);
    }

    /// Shows field errors beside their controls, on the step of the first one; errors no
    /// control shows become the notice, so nothing the API said goes unseen. Focus goes to
    /// the first field at fault (or the notice).
    pub fn show_errors(&self, errors: Vec<FieldError>) {
        self.show_errors_with(errors, Focus::Move);
    }

    /// Shows field errors as [`Flow::show_errors`] does, focusing as `focus` says.
    pub fn show_errors_with(&self, errors: Vec<FieldError>, focus: Focus) {
        let (shown, orphans): (Vec<_>, Vec<_>) =
            errors.into_iter().partition(|e| Step::owning(&e.field).is_some());
        if let Some(step) = shown.first().and_then(|e| Step::owning(&e.field)) {
            self.step.set(step);
        }
        if !orphans.is_empty() {
            self.notice.set(Some(
                orphans.iter().map(|e| e.message.say(self.lang.language)).collect::<Vec<_>>().join(" "),
            ));
        }
        let selector = if shown.is_empty() { ".notice" } else { "[aria-invalid=true]" };
        self.errors.set(shown);
        self.focus(selector, focus);
    }

    /// Shows what a failed call said: beside its fields if it named any, else as a notice.
    pub fn show_failure(&self, failure: &ApiFailure) {
        self.show_failure_with(failure, Focus::Move);
    }

    /// Shows what a failed call said, focusing as `focus` says.
    pub fn show_failure_with(&self, failure: &ApiFailure, focus: Focus) {
        let errors = failure.field_errors();
        if errors.is_empty() {
            self.notice.set(Some(failure.message(self.lang.words)));
        } else {
            self.show_errors_with(errors, focus);
        }
    }

    fn focus(&self, selector: &'static str, focus: Focus) {
        if focus == Focus::Move {
            self.host.focus_when_rendered(selector);
        }
    }

    /// The chosen slot's time in the site's zone, and its technician's name.
    pub fn chosen_slot_text(&self) -> (String, String) {
        let Some(slot) = self.chosen.get_untracked() else { return Default::default() };
        let when = crate::format::date_time(self.lang, slot.start, &self.config.time_zone);
        let technician = self.slots.with_untracked(|s| {
            s.as_ref()?.technicians.iter().find(|t| t.id == slot.technician).map(|t| t.name.clone())
        });
        (when, technician.unwrap_or_default())
    }

    /// The message for `field`, if it has one, in the widget's language (English when the API
    /// said it: the rules the widget checks itself have their words in every language).
    pub fn error_for(&self, field: &str) -> Option<String> {
        let language = self.lang.language;
        self.errors.with(|errors| {
            errors.iter().find(|e| e.field == field).map(|e| e.message.say(language).into_owned())
        })
    }
}

/// Loads the site's configuration (and the order of a booking link), then runs the flow;
/// shows loading and failure states.
#[component]
pub fn BookingWidget(
    /// The API client for the site.
    api: Api,
    /// The booking link the page was opened with, if any.
    #[prop(default = None)]
    link: Option<Link>,
    /// The element the widget is in.
    #[prop(default = Host::default())]
    host: Host,
) -> impl IntoView {
    // A plain task and a signal, not a `LocalResource`: the page loads the configuration once,
    // and the resource's suspense machinery costs ~10 KB of wasm.
    let loaded = RwSignal::new(None);
    let lang = host.lang();
    let words = lang.words;
    let (loader, ready) = (api.clone(), host.clone());
    leptos::task::spawn_local(async move {
        let config = match loader.config().await {
            Ok(config) => config,
            Err(failure) => return loaded.set(Some(Err((false, failure)))),
        };
        let opened = match link {
            Some(link) => match crate::hosted::open(&loader, &link).await {
                Ok(opened) => Some((link, opened)),
                Err(failure) => return loaded.set(Some(Err((true, failure)))),
            },
            None => None,
        };
        let site = config.site.to_string();
        loaded.set(Some(Ok((config, opened))));
        // Once the first step is on the page.
        leptos::task::tick().await;
        ready.emit("jobslot:ready", &[("site", &site)]);
    });
    view! {
        <div class="widget">
            {move || match loaded.get() {
                None => view! { <p class="loading" role="status">{words.loading}</p> }.into_any(),
                Some(Ok((config, opened))) => view! { <BookingFlow config=config api=api.clone() opened=opened host=host.clone() /> }.into_any(),
                Some(Err((for_link, failure))) => {
                    let message = match failure {
                        ref f if for_link => crate::hosted::load_failure(lang, f),
                        ApiFailure::Problem(ref p) if p.status == 404 => words.not_set_up.to_owned(),
                        ApiFailure::Network(_) => words.unreachable.to_owned(),
                        other => other.message(words),
                    };
                    view! { <p class="notice error" role="alert">{message}</p> }.into_any()
                }
            }}
        </div>
    }
}

/// The steps of the booking flow for a loaded site.
#[component]
pub fn BookingFlow(
    /// The site's configuration.
    config: SiteConfigResponse,
    /// The API client.
    api: Api,
    /// The hosted page's link and what it opened, when the page was opened with one.
    #[prop(default = None)]
    opened: Option<(Link, Opened)>,
    /// The element the widget is in.
    #[prop(default = Host::default())]
    host: Host,
) -> impl IntoView {
    let mut flow = Flow::new(config, api);
    flow.lang = host.lang();
    flow.host = host;
    if opened.is_none() {
        prefill(&flow);
    }
    if let Some((link, opened)) = opened {
        flow.link = Some(Arc::new(link));
        let settled = match opened {
            Opened::Order(order) => {
                flow.service.set(order.service.clone());
                if let Some(job) = &order.job {
                    flow.postcode.set(job.postcode.clone());
                }
                let settled = crate::hosted::settled(&order);
                flow.linked_order.set(Some(order));
                settled
            }
            Opened::Booking(booking) => {
                flow.service.set(booking.order.service.clone());
                if let Some(job) = &booking.order.job {
                    flow.postcode.set(job.postcode.clone());
                }
                flow.managed.set(Some(booking));
                true
            }
        };
        flow.step.set(if settled { Step::Done } else { Step::Slots });
        if !settled {
            let flow = flow.clone();
            leptos::task::spawn_local(async move {
                if let Err(failure) = crate::steps::load_slots(&flow, None).await {
                    flow.show_failure(&failure);
                }
            });
        }
    }
    provide_context(flow.clone());
    let notice = flow.notice;
    let mode = flow.link.as_ref().map(|l| l.kind);
    let words = flow.lang.words;
    let title = fill(words.book_with, &[&flow.config.business_name]);
    let label = title.clone();
    // The site's look, which the page's own `--jobslot-accent`, `--jobslot-font` and
    // `--jobslot-radius` still override. The console stores nothing a value could break out of.
    let config = &flow.config;
    for (name, value) in [
        ("--jobslot-site-accent", config.accent_colour.clone()),
        ("--jobslot-site-font", config.font_family.clone()),
        ("--jobslot-site-radius", config.corner_radius.map(|r| format!("{r}px"))),
    ] {
        if let Some(value) = value {
            flow.host.set_property(name, &value);
        }
    }
    view! {
        <section class="booking" aria-label=label>
            <header>
                <h2>{title}</h2>
                <p class="progress">{
                    let flow = flow.clone();
                    move || if mode == Some(LinkKind::Manage) { None } else { flow.progress() }
                }</p>
            </header>
            {move || notice.get().map(|n| view! { <p class="notice error" role="alert" tabindex="-1">{n}</p> })}
            {move || {
                let step = flow.step();
                if let Some(hosted) = mode.and_then(|kind| crate::hosted::step_view(step, kind)) {
                    return hosted;
                }
                match step {
                    Step::Search => view! { <SearchStep /> }.into_any(),
                    Step::Slots => view! { <SlotsStep /> }.into_any(),
                    Step::Details => view! { <DetailsStep /> }.into_any(),
                    Step::Contact => view! { <ContactStep /> }.into_any(),
                    Step::Review => view! { <ReviewStep /> }.into_any(),
                    Step::Done => view! { <DoneStep /> }.into_any(),
                }
            }}
        </section>
    }
}

/// Starts with the service and postcode the element or the page's address name; with a
/// postcode, the times are looked up at once. A service the site does not offer is ignored.
fn prefill(flow: &Flow) {
    if let Some(service) = flow.host.prefill("service")
        && flow.config.services.iter().any(|s| s.id.as_str() == service)
    {
        flow.service.set(service);
    }
    if let Some(postcode) = flow.host.prefill("postcode") {
        flow.postcode.set(postcode);
        // As a search would, but without taking the page's focus while it loads.
        let flow = flow.clone();
        leptos::task::spawn_local(async move {
            match crate::steps::load_slots(&flow, None).await {
                Ok(()) => flow.found_slots(Focus::Keep),
                Err(failure) => match failure.field_errors() {
                    errors if errors.is_empty() => flow.notice.set(Some(failure.message(flow.lang.words))),
                    errors => flow.errors.set(errors),
                },
            }
        });
    }
}

/// Whether what a change shows takes keyboard focus: it does when the customer acted (focus
/// follows, as a screen reader expects); it does not when the widget acts on its own as the
/// page loads (a prefilled search), which would pull the page's focus away from the visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// Focus moves to what is shown.
    Move,
    /// Focus stays where it is.
    Keep,
}

/// The flow state from context.
pub fn use_flow() -> Flow {
    expect_context::<Flow>()
}
