//! Deadlines from the discovery time: exact elapsed hours across the
//! changes of summer time and the day boundary (property tests), the
//! Legge 90/2024 scope decided from the ISTAT data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Duration, NaiveDateTime, Timelike, Utc};
use proptest::prelude::*;

use sentinella::incident::deadlines::{
    deadlines, l90_scope, DeadlineKind, Duty, L90Scope, REGIONAL_CAPITALS,
};
use sentinella::incident::model::{Case, PersonalData, Triage};
use sentinella::istat::IstatList;
use sentinella::model::{Audience, Organization};
use sentinella::store::{format_italian, italian_time};

fn org(code: &str, population: u32) -> Organization {
    Organization {
        name: "Comune".into(),
        istat_code: code.into(),
        province: "XX".into(),
        region: "X".into(),
        population,
        kind: Audience::Comune,
    }
}

fn triage(at: DateTime<Utc>) -> Triage {
    Triage {
        case: Case::Ransomware,
        personal_data: PersonalData::Yes,
        discovered_at: at,
        summary: String::new(),
        data_categories: String::new(),
        people_estimate: None,
        records_estimate: None,
    }
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn local(t: DateTime<Utc>) -> NaiveDateTime {
    italian_time(t).naive_local()
}

proptest! {
    /// 72 and 24 hours are elapsed hours; the local clock differs by the
    /// change of offset in between (one hour at most), never by a day.
    #[test]
    fn deadlines_are_elapsed_hours(secs in 946_684_800i64..2_082_758_400i64) {
        let at = DateTime::<Utc>::from_timestamp(secs, 0).unwrap();
        let big = deadlines(&org("058091", 2_617_175), &triage(at));
        for d in &big {
            let due = d.due.unwrap();
            let hours = match d.kind { DeadlineKind::CsirtFirst => 24, _ => 72 };
            prop_assert_eq!(due - at, Duration::hours(hours));
            let local_gap = local(due) - local(at);
            let shift = local_gap - Duration::hours(hours);
            prop_assert!(shift == Duration::zero() || shift.num_minutes().abs() == 60, "shift {shift}");
            let off_at = italian_time(at).offset().local_minus_utc();
            let off_due = italian_time(due).offset().local_minus_utc();
            prop_assert_eq!(shift.num_seconds(), i64::from(off_due - off_at));
        }
    }
}

#[test]
fn across_the_end_of_summer_time() {
    // Discovered Friday 23 October 2026, 18:30 in Rome (CEST, UTC+2);
    // clocks go back on Sunday 25 October: 72 hours later it is 17:30 CET.
    let at = utc("2026-10-23T16:30:00Z");
    let d = &deadlines(&org("056044", 3_000), &triage(at))[0];
    assert_eq!(d.kind, DeadlineKind::Garante);
    assert_eq!(format_italian(at), "23/10/2026 18:30");
    assert_eq!(format_italian(d.due.unwrap()), "26/10/2026 17:30");
}

#[test]
fn across_the_start_of_summer_time() {
    // Friday 27 March 2026, 18:30 CET; summer time from Sunday 29 March:
    // 72 hours later it is 19:30 CEST.
    let at = utc("2026-03-27T17:30:00Z");
    let d = &deadlines(&org("056044", 3_000), &triage(at))[0];
    assert_eq!(format_italian(d.due.unwrap()), "30/03/2026 19:30");
}

#[test]
fn at_the_day_boundary() {
    // 23:59 local on 31 December: due at 23:59 on 3 January, same minute.
    let at = utc("2026-12-31T22:59:00Z");
    let d = &deadlines(&org("056044", 3_000), &triage(at))[0];
    assert_eq!(format_italian(at), "31/12/2026 23:59");
    assert_eq!(format_italian(d.due.unwrap()), "03/01/2027 23:59");
    // 00:00 local on 1 July (22:00 UTC the day before).
    let at = utc("2026-06-30T22:00:00Z");
    let due = deadlines(&org("056044", 3_000), &triage(at))[0]
        .due
        .unwrap();
    assert_eq!(italian_time(due).hour(), 0);
    assert_eq!(format_italian(due), "04/07/2026 00:00");
}

#[test]
fn l90_scope_capoluogo_100001_and_3000() {
    let istat = IstatList::builtin().unwrap();
    // Every regional capital of the table is the comune of that name in the
    // shipped ISTAT list.
    for (code, name) in REGIONAL_CAPITALS {
        let c = istat.get(code).unwrap_or_else(|| panic!("{code} missing"));
        assert_eq!(c.name, name);
    }
    let at = utc("2026-12-01T10:00:00Z");
    // A capoluogo below 100,000 (Campobasso, 48,747).
    let cb = istat.get("070006").unwrap();
    let o = org(&cb.istat_code, cb.population);
    assert_eq!(l90_scope(&o), L90Scope::RegionalCapital);
    let d = deadlines(&o, &triage(at));
    assert!(d
        .iter()
        .any(|d| d.kind == DeadlineKind::CsirtFirst && d.duty == Duty::Required));
    // 100,001 inhabitants, not a capoluogo.
    let o = org("016024", 100_001);
    assert_eq!(l90_scope(&o), L90Scope::LargeComune);
    let d = deadlines(&o, &triage(at));
    let csirt: Vec<_> = d
        .iter()
        .filter(|d| matches!(d.kind, DeadlineKind::CsirtFirst | DeadlineKind::CsirtFull))
        .map(|d| (d.duty, (d.due.unwrap() - at).num_hours()))
        .collect();
    assert_eq!(csirt, [(Duty::Required, 24), (Duty::Required, 72)]);
    // 3,000 inhabitants: voluntary, no countdown.
    let o = org("056044", 3_000);
    assert_eq!(l90_scope(&o), L90Scope::NotInScope);
    let d = deadlines(&o, &triage(at));
    let csirt: Vec<_> = d
        .iter()
        .filter(|d| d.kind == DeadlineKind::CsirtFirst)
        .collect();
    assert_eq!(csirt.len(), 1);
    assert_eq!(csirt[0].duty, Duty::Voluntary);
    assert_eq!(csirt[0].due, None);
}
