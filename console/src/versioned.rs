//! The console's one pattern for a page that edits one record: it loads with its version (a
//! `LocalResource`), saves under that version with `If-Match` (an `Action`, so a second click
//! while saving sends nothing more), shows the server's errors beside their fields and one line
//! of status for the page. A page only says how the record fills its controls.

use crate::api::{Api, Failure, Tagged, Version};
use crate::form::Errors;
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A record being edited.
pub struct VersionedForm<T: 'static> {
    /// The last save's errors, beside their fields.
    pub errors: Errors,
    /// What the page says of the last load or save.
    pub status: RwSignal<Option<String>>,
    loaded: LocalResource<Result<Tagged<T>, Failure>>,
    save: Action<T, ()>,
}

impl<T: 'static> Clone for VersionedForm<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for VersionedForm<T> {}

impl<T: Clone + Serialize + DeserializeOwned + 'static> VersionedForm<T> {
    /// The record at `path`, shown through `show` when it loads and again as each save stores it.
    pub fn new(api: Api, path: String, show: impl Fn(T) + Copy + 'static) -> Self {
        let errors = Errors::new();
        let status = RwSignal::new(None::<String>);
        let version = RwSignal::new(None::<String>);
        let loaded = {
            let (api, path) = (api.clone(), path.clone());
            LocalResource::new(move || {
                let (api, path) = (api.clone(), path.clone());
                async move { api.get::<T>(&path).await }
            })
        };
        Effect::new(move |_| match loaded.get() {
            Some(Ok(found)) => {
                show(found.value);
                version.set(found.etag);
                errors.set(Vec::new());
            }
            Some(Err(failure)) => status.set(Some(failure.message())),
            None => {}
        });
        let save = Action::new_local(move |input: &T| {
            let (api, path, input) = (api.clone(), path.clone(), input.clone());
            let current = Version::Of(version.get_untracked().unwrap_or_default());
            async move {
                match api.put::<_, T>(&path, &input, &current).await {
                    Ok(saved) => {
                        show(saved.value);
                        version.set(saved.etag);
                        errors.set(Vec::new());
                        status.set(Some("Saved.".into()));
                    }
                    Err(failure) => {
                        errors.set(failure.field_errors());
                        status.set(Some(failure.message()));
                    }
                }
            }
        });
        Self { errors, status, loaded, save }
    }

    /// Saves `input` under the version last loaded or saved; nothing while a save is under way
    /// (its answer brings the version the next save must name).
    pub fn save(&self, input: T) {
        if self.save.pending().get_untracked() {
            return;
        }
        self.save.dispatch_local(input);
    }

    /// A save is under way (tracked).
    pub fn saving(&self) -> bool {
        self.save.pending().get()
    }

    /// Loads the record again, dropping unsaved changes.
    pub fn reload(&self) {
        self.loaded.refetch();
    }
}

/// The page's one line about its record.
#[component]
pub fn Status(
    /// What to say; nothing shows when `None`.
    status: RwSignal<Option<String>>,
) -> impl IntoView {
    view! { <p class="alert" role="status">{move || status.get()}</p> }
}
