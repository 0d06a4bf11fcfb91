//! Members and staff e-mail at the repository, where the rules must hold under concurrency.

use jobslot_domain::account_mail::AccountMail;
use jobslot_domain::contact::Email;
use jobslot_domain::ids::{SiteId, UserId};
use jobslot_domain::staff::Role;
use jobslot_functions::repository::{
    AccountMailRecord, Member, MemberChange, MemberChangeRefused, Repository,
};
use jobslot_functions::store::Store;
use std::sync::Arc;
use tokio::sync::Barrier;

fn member(user: &str, role: Role) -> Member {
    Member {
        site: SiteId::parse("s", "acme").expect("site"),
        user: UserId::parse("u", user).expect("user"),
        email: Email::parse("e", &format!("{user}@example.com")).expect("email"),
        role,
        technician: None,
        invited_at: None,
    }
}

/// Two owners demote each other at the same moment, many times over: each round, at most one
/// demotion lands, and the site always keeps an owner.
pub async fn two_owners_demoting_each_other_at_once_leave_the_site_an_owner(store: impl Store) {
    let repo = Repository::new(store);
    let site = SiteId::parse("s", "acme").expect("site");
    for round in 0..5 {
        for user in ["ann", "bob"] {
            let owner = member(user, Role::Owner);
            match repo.change_members(&site, &MemberChange::Save(owner), Vec::new()).await {
                Ok(()) | Err(MemberChangeRefused::Conflict) => {}
                Err(other) => panic!("round {round}: {other:?}"),
            }
        }
        let owners = |members: &[Member]| members.iter().filter(|m| m.role == Role::Owner).count();
        assert_eq!(owners(&repo.members(&site).await.expect("members")), 2, "round {round} starts with two");
        let barrier = Arc::new(Barrier::new(2));
        let demotions: Vec<_> = ["ann", "bob"]
            .into_iter()
            .map(|user| {
                let (repo, barrier, site) = (repo.clone(), Arc::clone(&barrier), site.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    repo.change_members(
                        &site,
                        &MemberChange::Save(member(user, Role::Dispatcher)),
                        Vec::new(),
                    )
                    .await
                })
            })
            .collect();
        let outcomes: Vec<_> =
            futures::future::join_all(demotions).await.into_iter().map(|r| r.expect("task")).collect();
        let landed = outcomes.iter().filter(|o| o.is_ok()).count();
        assert!(landed <= 1, "round {round}: {outcomes:?}");
        assert!(
            outcomes.iter().all(|o| matches!(
                o,
                Ok(()) | Err(MemberChangeRefused::Conflict | MemberChangeRefused::LastOwner)
            )),
            "round {round}: {outcomes:?}"
        );
        assert_eq!(owners(&repo.members(&site).await.expect("members")), 2 - landed, "round {round}");
        // Whoever lost, read again, is refused: the other is the last owner now.
        if landed == 1 {
            let remaining = repo.members(&site).await.expect("members");
            let last = remaining.iter().find(|m| m.role == Role::Owner).expect("an owner");
            let demote = MemberChange::Save(Member { role: Role::Dispatcher, ..last.clone() });
            let refused = repo.change_members(&site, &demote, Vec::new()).await;
            assert!(matches!(refused, Err(MemberChangeRefused::LastOwner)), "{refused:?}");
            let remove =
                repo.change_members(&site, &MemberChange::Remove(last.user.clone()), Vec::new()).await;
            assert!(matches!(remove, Err(MemberChangeRefused::LastOwner)), "{remove:?}");
        }
    }
}

/// Dispatchers racing for one staff e-mail: one claims it; once sent it is gone, and its link
/// with it.
pub async fn a_staff_e_mail_is_claimed_by_one_dispatcher_and_forgotten_once_sent(store: impl Store) {
    let repo = Repository::new(store);
    let now = crate::support::now();
    let to = Email::parse("e", "dee@example.com").expect("email");
    let mail = AccountMail::Reset {
        link: "https://jobslot.example/account/password?token=x".into(),
        expires_at: now,
    };
    let record = AccountMailRecord::new(to, mail, now);
    repo.write_all(vec![repo.account_mail_write(&record).expect("write")]).await.expect("queued");
    let waiting = repo.waiting_account_mail(10, now).await.expect("waiting");
    assert_eq!(waiting.iter().map(|w| &w.record).collect::<Vec<_>>(), [&record]);
    let barrier = Arc::new(Barrier::new(4));
    let claims: Vec<_> = (0..4)
        .map(|_| {
            let (repo, barrier, seen) = (repo.clone(), Arc::clone(&barrier), waiting[0].clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let claim = AccountMailRecord { attempts: 1, ..seen.record.clone() };
                repo.update_account_mail(&seen, claim).await.expect("store")
            })
        })
        .collect();
    let won: Vec<_> =
        futures::future::join_all(claims).await.into_iter().filter_map(|r| r.expect("task")).collect();
    assert_eq!(won.len(), 1, "one dispatcher sends it");
    repo.remove_account_mail(&won[0]).await.expect("removed");
    assert!(repo.waiting_account_mail(10, now).await.expect("waiting").is_empty());
}
