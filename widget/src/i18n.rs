//! The widget's own words, in English and Spanish, chosen from the element's `lang` attribute
//! or the page's `<html lang>` (on Jobslot's own pages, the visitor's: see
//! [`crate::embed::speak_the_visitors_language`]); dates, times and prices follow the same
//! language through `Intl`. A refused field's message is the domain's [`Message`], which has
//! its words in both languages for every rule the widget checks before sending; what only the
//! API can refuse comes in the API's English.
//!
//! [`Message`]: jobslot_domain::message::Message

use jobslot_domain::language::Language;

/// Every sentence the widget itself says. `{}` marks where a value goes ([`fill`]).
#[allow(missing_docs)] // Each field is its own documentation: the English text it holds.
pub struct Words {
    pub loading: &'static str,
    pub not_set_up: &'static str,
    pub unreachable: &'static str,
    pub book_with: &'static str,
    pub step_of: &'static str,
    pub what_and_where: &'static str,
    pub service: &'static str,
    pub postcode: &'static str,
    pub minutes: &'static str,
    pub searching: &'static str,
    pub find_times: &'static str,
    pub finding: &'static str,
    pub search_first: &'static str,
    pub times_for: &'static str,
    pub times_in: &'static str,
    pub none_here: &'static str,
    pub none_before_horizon: &'static str,
    pub technician: &'static str,
    pub any_technician: &'static str,
    pub choose_day: &'static str,
    pub free: &'static str,
    pub back: &'static str,
    pub earlier: &'static str,
    pub later: &'static str,
    pub about_the_job: &'static str,
    pub choose: &'static str,
    pub next: &'static str,
    pub your_details: &'static str,
    pub full_name: &'static str,
    pub email: &'static str,
    pub phone: &'static str,
    pub street: &'static str,
    pub unit: &'static str,
    pub city: &'static str,
    pub postcode_is: &'static str,
    pub notes: &'static str,
    pub review: &'static str,
    pub check_and_book: &'static str,
    pub when: &'static str,
    pub where_: &'static str,
    pub contact: &'static str,
    pub notes_short: &'static str,
    pub accept_terms: &'static str,
    pub booking: &'static str,
    pub book_now: &'static str,
    pub earlier_booking: &'static str,
    pub booked: &'static str,
    pub number_is: &'static str,
    pub booked_with: &'static str,
    pub keep_number: &'static str,
    pub book_online: &'static str,
    pub close: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub your_appointment: &'static str,
}

/// English.
pub const EN: Words = Words {
    loading: "Loading booking options…",
    not_set_up: "Online booking is not set up for this site.",
    unreachable: "We couldn't reach the booking service. Check your connection and try again.",
    book_with: "Book with {}",
    step_of: "Step {} of {}",
    what_and_where: "What do you need, and where?",
    service: "Service",
    postcode: "",
    minutes: "{} min",
    searching: "Searching…",
    find_times: "Find times",
    finding: "Finding free times…",
    search_first: "Search for a postcode first.",
    times_for: "Available times for {}",
    times_in: "Times are in {}.",
    none_here: "No free times on these days. Try later dates.",
    none_before_horizon: "No free times before the last day we take bookings for.",
    technician: "Technician",
    any_technician: "Any technician",
    choose_day: "Choose a day",
    free: "{} free",
    back: "Back",
    earlier: "Earlier dates",
    later: "Later dates",
    about_the_job: "About the job",
    choose: "Choose…",
    next: "Next",
    your_details: "Your details",
    full_name: "Full name",
    email: "Email",
    phone: "Phone",
    street: "Street address",
    unit: "Unit, building (optional)",
    city: "Suburb or city",
    postcode_is: "Postcode: {}",
    notes: "Anything the technician should know? (optional)",
    review: "Review",
    check_and_book: "Check and book",
    when: "When",
    where_: "Where",
    contact: "Contact",
    notes_short: "Notes",
    accept_terms: "I accept the terms and conditions",
    booking: "Booking…",
    book_now: "Book now",
    earlier_booking: "Your booking went through before the connection dropped. Changes made after that were not saved: contact us to update them.",
    booked: "You're booked!",
    number_is: "Your work order number is {}.",
    booked_with: "{} with {}, {}.",
    keep_number: "Keep this number: quote it if you need to change the booking.",
    book_online: "Book online",
    close: "Close",
    yes: "Yes",
    no: "No",
    your_appointment: "Your appointment",
};

/// Spanish.
pub const ES: Words = Words {
    loading: "Cargando las opciones de reserva…",
    not_set_up: "Este sitio no tiene la reserva en línea activada.",
    unreachable: "No pudimos conectar con el servicio de reservas. Comprueba tu conexión e inténtalo de nuevo.",
    book_with: "Reserva con {}",
    step_of: "Paso {} de {}",
    what_and_where: "¿Qué necesitas y dónde?",
    service: "Servicio",
    postcode: "Código postal",
    minutes: "{} min",
    searching: "Buscando…",
    find_times: "Ver horarios",
    finding: "Buscando horarios libres…",
    search_first: "Primero busca por código postal.",
    times_for: "Horarios disponibles para {}",
    times_in: "Las horas están en {}.",
    none_here: "No hay horarios libres estos días. Prueba fechas posteriores.",
    none_before_horizon: "No hay horarios libres antes del último día en que aceptamos reservas.",
    technician: "Técnico",
    any_technician: "Cualquier técnico",
    choose_day: "Elige un día",
    free: "{} libres",
    back: "Atrás",
    earlier: "Fechas anteriores",
    later: "Fechas posteriores",
    about_the_job: "Sobre el trabajo",
    choose: "Elige…",
    next: "Siguiente",
    your_details: "Tus datos",
    full_name: "Nombre completo",
    email: "Correo electrónico",
    phone: "Teléfono",
    street: "Dirección",
    unit: "Piso, edificio (opcional)",
    city: "Barrio o ciudad",
    postcode_is: "Código postal: {}",
    notes: "¿Algo que deba saber el técnico? (opcional)",
    review: "Revisar",
    check_and_book: "Revisa y reserva",
    when: "Cuándo",
    where_: "Dónde",
    contact: "Contacto",
    notes_short: "Notas",
    accept_terms: "Acepto los términos y condiciones",
    booking: "Reservando…",
    book_now: "Reservar",
    earlier_booking: "Tu reserva se hizo antes de que se cortara la conexión. Los cambios posteriores no se guardaron: contáctanos para actualizarlos.",
    booked: "¡Reserva hecha!",
    number_is: "Tu número de orden de trabajo es {}.",
    booked_with: "{} con {}, {}.",
    keep_number: "Guarda este número: indícalo si necesitas cambiar la reserva.",
    book_online: "Reserva en línea",
    close: "Cerrar",
    yes: "Sí",
    no: "No",
    your_appointment: "Tu cita",
};

/// The widget's language: its words, and the locale `Intl` formats in.
#[derive(Clone, Copy)]
pub struct Lang {
    /// Which language.
    pub language: Language,
    #[allow(missing_docs)]
    pub words: &'static Words,
    /// The BCP 47 tag for `Intl`; `None` uses the browser's own (its 12/24-hour habit too).
    pub locale: Option<&'static str>,
}

impl Lang {
    /// English in the browser's locale.
    pub const ENGLISH: Lang = Lang { language: Language::English, words: &EN, locale: None };

    /// Speaking `language`.
    pub fn of(language: Language) -> Lang {
        match language {
            Language::English => Lang::ENGLISH,
            Language::Spanish => Lang { language, words: &ES, locale: Some("es") },
        }
    }

    /// The language a tag such as `es-MX` or `en-AU` asks for (English for any other).
    pub fn from_tag(tag: &str) -> Lang {
        Lang::of(Language::from_tag(tag))
    }

    /// The hosted pages' words.
    #[cfg(feature = "hosted")]
    pub fn hosted(self) -> &'static HostedWords {
        match self.language {
            Language::English => &HOSTED_EN,
            Language::Spanish => &HOSTED_ES,
        }
    }
}

/// What the hosted pages (a booking link's, the manage link's) say besides the flow's words.
#[cfg(feature = "hosted")]
#[allow(missing_docs)] // Each field is its own documentation: the English text it holds.
pub struct HostedWords {
    pub work_order: &'static str,
    pub for_: &'static str,
    pub status_is: &'static str,
    pub contact_to_book: &'static str,
    pub continue_: &'static str,
    pub invalid_link: &'static str,
    pub your_booking: &'static str,
    pub your_booking_cancelled: &'static str,
    pub cancelled: &'static str,
    pub moved: &'static str,
    pub change_until: &'static str,
    pub choose_another: &'static str,
    pub cancel_booking: &'static str,
    pub cancel_this: &'static str,
    pub cancel_explained: &'static str,
    pub yes_cancel: &'static str,
    pub keep_it: &'static str,
    pub move_booking_title: &'static str,
    pub new_time: &'static str,
    pub moving: &'static str,
    pub move_booking: &'static str,
}

/// The hosted pages in English.
#[cfg(feature = "hosted")]
pub const HOSTED_EN: HostedWords = HostedWords {
    work_order: "Work order",
    for_: "For",
    status_is: "This work order is {}.",
    contact_to_book: "Contact {} to book it.",
    continue_: "Continue",
    invalid_link: "This booking link is not valid. Ask whoever sent it for a new one.",
    your_booking: "Your booking",
    your_booking_cancelled: "Your booking is cancelled",
    cancelled: "Your booking is cancelled.",
    moved: "Your booking has its new time.",
    change_until: "You can change or cancel it here until {}.",
    choose_another: "Choose another time",
    cancel_booking: "Cancel booking",
    cancel_this: "Cancel this booking?",
    cancel_explained: "Cancel this booking? The time is released for others.",
    yes_cancel: "Yes, cancel it",
    keep_it: "Keep it",
    move_booking_title: "Move your booking",
    new_time: "New time",
    moving: "Moving…",
    move_booking: "Move booking",
};

/// The hosted pages in Spanish.
#[cfg(feature = "hosted")]
pub const HOSTED_ES: HostedWords = HostedWords {
    work_order: "Orden de trabajo",
    for_: "Para",
    status_is: "Este trabajo está {}.",
    contact_to_book: "Contacta con {} para reservarlo.",
    continue_: "Continuar",
    invalid_link: "Este enlace de reserva no es válido. Pide uno nuevo a quien te lo envió.",
    your_booking: "Tu reserva",
    your_booking_cancelled: "Tu reserva está cancelada",
    cancelled: "Tu reserva está cancelada.",
    moved: "Tu reserva tiene su nueva hora.",
    change_until: "Puedes cambiarla o cancelarla aquí hasta el {}.",
    choose_another: "Elegir otra hora",
    cancel_booking: "Cancelar la reserva",
    cancel_this: "¿Cancelar esta reserva?",
    cancel_explained: "¿Cancelar esta reserva? La hora quedará libre para otros.",
    yes_cancel: "Sí, cancelarla",
    keep_it: "Mantenerla",
    move_booking_title: "Cambia tu reserva",
    new_time: "Nueva hora",
    moving: "Cambiando…",
    move_booking: "Cambiar la reserva",
};

/// `template` with each `{}` replaced by the next of `values`.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut parts = template.split("{}");
    out.push_str(parts.next().unwrap_or_default());
    for (part, value) in parts.zip(values.iter().chain(std::iter::repeat(&""))) {
        out.push_str(value);
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn values_fill_their_places_in_order() {
        assert_eq!(fill(EN.step_of, &["2", "5"]), "Step 2 of 5");
        assert_eq!(fill(ES.times_for, &["2000"]), "Horarios disponibles para 2000");
        assert_eq!(fill("no place", &["x"]), "no place");
    }

    #[wasm_bindgen_test]
    fn spanish_is_chosen_by_its_tag_whatever_the_region() {
        for tag in ["es", "es-MX", "ES_es"] {
            assert_eq!(Lang::from_tag(tag).words.book_now, "Reservar", "{tag}");
        }
        for tag in ["en-AU", "", "fr", "esperanto"] {
            assert_eq!(Lang::from_tag(tag).words.book_now, "Book now", "{tag}");
        }
    }
}
