//! "Who serves postcode X": the coverage index on the embedded store, over a site of 10,000
//! technicians spread over Australia's postcodes (each covering a range of 30 codes, as a
//! technician serving a few suburbs does).
//!
//! `cargo xtask bench` runs it.

// criterion_group! defines `pub fn benches` without a doc comment.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use jobslot_domain::area::ServiceArea;
use jobslot_domain::ids::TechnicianId;
use jobslot_domain::postcode::{Country, Postcode};
use jobslot_functions::repository::{Precondition, Repository};
use jobslot_functions::store::embedded::EmbeddedStore;
use std::hint::black_box;

const TECHNICIANS: usize = 10_000;

fn who_serves(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let store = EmbeddedStore::open(&dir.path().join("bench.redb")).expect("store");
    let repo = Repository::new(store);
    let template = jobslot_functions::demo::technicians().expect("demo")[0].clone();
    let site = template.site.clone();
    runtime.block_on(async {
        for i in 0..TECHNICIANS {
            // Ranges start all over 0800–9970, so each two-digit bucket holds ~100 technicians.
            let first = 800 + (i * 7919) % 9_170;
            let area = format!("{first:04}-{:04}", first + 29);
            let technician = jobslot_domain::site::Technician {
                id: TechnicianId::parse("id", &format!("tech-{i:05}")).expect("id"),
                name: format!("Technician {i}"),
                areas: vec![ServiceArea::parse("areas", Country::Au, &area).expect("area")],
                ..template.clone()
            };
            repo.save_technician(&technician, Country::Au, Precondition::Any, None).await.expect("save");
        }
    });
    let postcode = Postcode::parse("postcode", Country::Au, "2000").expect("postcode");
    let found = runtime.block_on(repo.technicians_serving(&site, &postcode)).expect("serving");
    assert!(!found.is_empty(), "somebody serves 2000");
    println!("{} of {TECHNICIANS} technicians serve {postcode}", found.len());

    c.bench_function("who serves a postcode among 10,000 technicians", |b| {
        b.to_async(&runtime).iter(|| async {
            black_box(repo.technicians_serving(&site, black_box(&postcode)).await.expect("serving"))
        })
    });
}

criterion_group!(benches, who_serves);
criterion_main!(benches);
