//! The store conformance suite: the same tests against the embedded store and DynamoDB.
//!
//! The DynamoDB half is `#[ignore]`d in a plain `cargo test` because it needs a server;
//! `cargo xtask test` starts moto and runs it with `--ignored`.

mod connector;
mod deliveries;
mod follow_ups;
mod manage;
mod members;
mod suite;
#[path = "../support/mod.rs"]
mod support;
mod webhooks;
mod work_orders;

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod embedded {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let (store, _dir) = crate::support::embedded_store();
                    crate::suite::$name(store).await;
                }
            )*
        }

        mod dynamodb {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                #[ignore = "needs a DynamoDB-compatible server; cargo xtask test starts one"]
                async fn $name() {
                    let store = crate::support::dynamodb_store().await;
                    crate::suite::$name(store).await;
                }
            )*
        }
    };
}

conformance!(
    a_slots_search_makes_three_store_requests_however_many_technicians_serve,
    a_map_item_sets_replaces_and_removes_entries_without_reading,
    bookings_of_one_technician_at_different_times_racing_at_the_repository_all_land,
    bookings_kept_as_items_before_sheets_are_moved_into_them,
    an_item_reads_back_as_written,
    a_missing_key_reads_as_nothing,
    a_query_returns_its_range_of_one_partition_in_order,
    a_failed_condition_writes_nothing,
    an_expired_item_can_be_replaced_but_a_live_one_cannot,
    a_delete_removes_the_item,
    a_transaction_writing_one_key_twice_is_refused,
    coverage_follows_a_technicians_areas,
    a_technician_covering_two_thousand_zip_codes_saves_and_is_found,
    get_many_returns_the_items_that_exist,
    an_unchanged_condition_refuses_a_write_over_a_newer_record,
    a_booking_is_stored_with_its_work_order,
    an_overlapping_booking_is_refused_and_leaves_nothing,
    thirty_two_concurrent_submissions_for_one_slot_book_it_once,
    a_retried_submission_gets_the_first_answer,
    sixteen_writes_racing_for_one_slot_at_the_repository_store_one,
    twenty_concurrent_retries_with_one_key_all_get_the_one_booking,
    a_retry_after_the_form_changed_gets_the_first_answer,
    a_slot_overlapping_a_booking_is_refused_before_any_write,
    members_are_listed_per_site_and_per_user,
    an_account_email_is_taken_once_whatever_its_case,
    the_first_signing_key_stays_the_key,
    a_grant_is_used_once_even_by_racing_requests,
    the_audit_trail_pages_newest_first,
    saved_sites_are_listed_and_versioned,
    work_orders_are_listed_by_appointment_a_page_at_a_time_in_every_view,
    the_list_follows_every_change_of_an_order,
    rescheduling_and_reassigning_move_the_booked_time_in_the_same_write,
    cancelling_or_rejecting_frees_the_time_and_closing_keeps_it,
    dispatchers_rescheduling_one_order_at_once_one_wins_and_the_locks_match,
    a_stale_version_gets_412_and_a_missing_one_428,
    a_follow_up_books_a_linked_order_for_the_same_place_and_service,
    a_follow_up_is_refused_unless_closed_incomplete_with_the_rule_on_and_the_slot_free,
    every_change_writes_its_events_in_its_own_transaction,
    a_reassignment_and_a_booking_racing_for_one_slot_leave_one_holder,
    an_order_created_in_advance_is_listed_unscheduled_and_holds_no_time,
    the_customer_books_an_order_through_its_link_and_only_its_link,
    a_dispatcher_books_an_order_created_in_advance_from_the_console,
    two_bookings_of_one_linked_order_at_once_leave_one,
    a_booking_e_mails_the_customer_an_invitation_and_the_office_once,
    a_mail_server_that_is_down_delays_the_e_mail_and_loses_nothing,
    a_refused_message_is_given_up_at_once_and_a_failing_one_after_a_day,
    two_dispatchers_at_once_send_each_message_once,
    a_claim_left_by_a_dead_dispatcher_expires_and_the_resend_keeps_its_message_id,
    a_move_and_a_cancellation_update_and_cancel_the_same_invitation,
    the_manage_link_moves_and_then_cancels_its_own_booking_only,
    online_changes_close_before_the_appointment_and_the_link_expires_after_it,
    staff_see_a_given_up_message_and_send_it_again,
    an_endpoint_hears_each_event_once_with_a_valid_signature_even_after_a_failure,
    a_rotated_secret_signs_alongside_the_old_one_for_a_day,
    an_endpoint_hears_nothing_from_before_it_existed,
    an_endpoint_that_never_answers_holds_up_no_e_mail_and_no_other_sites_requests,
    an_endpoint_failing_for_a_day_is_paused_until_its_owner_turns_it_on_again,
    two_owners_demoting_each_other_at_once_leave_the_site_an_owner,
    a_staff_e_mail_is_claimed_by_one_dispatcher_and_forgotten_once_sent,
);
