//! The staff console's entry point; everything else is the library (so its tests can mount
//! its pages).

fn main() {
    leptos::mount::mount_to_body(jobslot_console::Console);
}
