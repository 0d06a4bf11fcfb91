//! The console's own addresses: one page per URL fragment (`#/technicians/jo-bloggs`), so every
//! page can be linked to and the browser's back button works, without a router dependency.
//! Links and navigation are built from [`Route`]; a fragment is parsed into one once.

use jobslot_domain::ids::{TechnicianId, WorkOrderNumber};

/// A page of the console.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)] // each variant is the page it names
pub enum Route {
    Start,
    WorkOrders,
    WorkOrder(WorkOrderNumber),
    Board,
    MyJobs,
    Technicians,
    NewTechnician,
    Technician(TechnicianId),
    Services,
    OrderForm,
    WorkOrderRules,
    Settings,
    Members,
    Audit,
    Email,
    Webhooks,
    NewSite,
    Password,
}

impl Route {
    /// The page a fragment (`#/work-orders/WO-1`, with or without `#`) names; none for an
    /// address that names no page (a mistyped or stale link), which shows the start page.
    pub fn parse(fragment: &str) -> Option<Route> {
        let path = fragment.trim_start_matches('#').trim_start_matches('/');
        let parts: Vec<&str> = path.split('/').collect();
        Some(match parts.as_slice() {
            ["start"] => Route::Start,
            ["work-orders"] => Route::WorkOrders,
            ["work-orders", number] => Route::WorkOrder(WorkOrderNumber::parse("number", number).ok()?),
            ["board"] => Route::Board,
            ["my-jobs"] => Route::MyJobs,
            ["technicians"] => Route::Technicians,
            ["technicians", "new"] => Route::NewTechnician,
            ["technicians", id] => Route::Technician(TechnicianId::parse("id", id).ok()?),
            ["services"] => Route::Services,
            ["order-form"] => Route::OrderForm,
            ["work-order-rules"] => Route::WorkOrderRules,
            ["settings"] => Route::Settings,
            ["members"] => Route::Members,
            ["audit"] => Route::Audit,
            ["e-mail"] => Route::Email,
            ["webhooks"] => Route::Webhooks,
            ["new-site"] => Route::NewSite,
            ["password"] => Route::Password,
            _ => return None,
        })
    }

    /// The fragment to link to, `#/…`.
    pub fn href(&self) -> String {
        let path = match self {
            Route::Start => "start",
            Route::WorkOrders => "work-orders",
            Route::WorkOrder(number) => return format!("#/work-orders/{number}"),
            Route::Board => "board",
            Route::MyJobs => "my-jobs",
            Route::Technicians => "technicians",
            Route::NewTechnician => "technicians/new",
            Route::Technician(id) => return format!("#/technicians/{id}"),
            Route::Services => "services",
            Route::OrderForm => "order-form",
            Route::WorkOrderRules => "work-order-rules",
            Route::Settings => "settings",
            Route::Members => "members",
            Route::Audit => "audit",
            Route::Email => "e-mail",
            Route::Webhooks => "webhooks",
            Route::NewSite => "new-site",
            Route::Password => "password",
        };
        format!("#/{path}")
    }

    /// Goes to this page.
    pub fn go(&self) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_hash(&self.href());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn every_page_reads_back_from_its_own_link() {
        let number = WorkOrderNumber::parse("number", "WO-0000000A").expect("number");
        let tech = TechnicianId::parse("id", "jo-bloggs").expect("id");
        for route in [
            Route::Start,
            Route::WorkOrders,
            Route::WorkOrder(number),
            Route::Board,
            Route::MyJobs,
            Route::Technicians,
            Route::NewTechnician,
            Route::Technician(tech),
            Route::Services,
            Route::OrderForm,
            Route::WorkOrderRules,
            Route::Settings,
            Route::Members,
            Route::Audit,
            Route::Email,
            Route::Webhooks,
            Route::NewSite,
            Route::Password,
        ] {
            assert_eq!(Route::parse(&route.href()).as_ref(), Some(&route), "{}", route.href());
        }
    }

    #[wasm_bindgen_test]
    fn a_link_that_names_no_page_or_a_malformed_id_is_none() {
        assert_eq!(Route::parse("#/nowhere"), None);
        assert_eq!(Route::parse("#/technicians/Not An Id"), None);
        assert_eq!(Route::parse(""), None);
    }
}
