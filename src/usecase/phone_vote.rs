//! "Voto dai telefoni": phone voting on a saved workshop session (issues 17
//! and 18), for the app's presenter window.
//!
//! [`start`] builds the voting room from the session's questions, puts it on
//! the session's current question and starts the server on the address the
//! trainer chose among [`addresses`]. Every change to the session then goes
//! through [`apply`], which keeps the phones in step with the session and
//! applies the rule that combines phone votes with counts typed by hand.
//!
//! Policies decided here once (docs/voting.md, "For the app"):
//! - addresses: the machine's private LAN and link-local addresses; never
//!   the wildcard; loopback only when the caller asks for it (tests);
//! - moving (next, previous, go to) moves the phones to the same question;
//!   "Azzera i conteggi" also clears every phone vote (a new epoch);
//! - **one source per question, the last recorded**: revealing a question on
//!   which at least one phone voted closes it to the phones and records the
//!   phones' counts in place of any count typed by hand (they are never
//!   added: a person who voted by phone may also have raised a hand); with
//!   no phone vote the typed counts stay. Counts typed by hand after that
//!   replace the phones' ones. Hiding the results closes the question on the
//!   phones too; revealing it again does not record anything new (the votes
//!   were already final);
//! - more phone votes than the declared room size are refused, as for typed
//!   counts: nothing is recorded, the question stays open to the phones.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use thiserror::Error;

use crate::load::Catalog;
use crate::store::workshop::WorkshopDb;
use crate::voting::qr::{self, QrError};
use crate::voting::room::{QuestionState, VotingError};
use crate::voting::server::{self, Limits, ServerConfig, ServerError, ServerHandle, StopReason};
use crate::voting::workshop::{counts_step, questions_for_session};
use crate::voting::{lan, LiveError, LiveRoom};
use crate::workshop::Session;

use super::workshop::{self as ws, Step, WorkshopUseError};

/// The server stops by itself after this long without a phone request or a
/// trainer action (the same default as `sentinella workshop serve`).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(120 * 60);

/// Why a phone-voting operation failed.
#[derive(Debug, Error)]
pub enum PhoneVoteError {
    /// The session (database, questionnaire, a refused step).
    #[error(transparent)]
    Workshop(#[from] WorkshopUseError),
    /// The address is not one of those offered.
    #[error("{0} is not one of the addresses offered for phone voting")]
    AddressNotOffered(IpAddr),
    /// The room refused.
    #[error(transparent)]
    Room(#[from] VotingError),
    /// The room could not be made (no randomness).
    #[error(transparent)]
    Live(#[from] LiveError),
    /// The server could not start.
    #[error(transparent)]
    Server(#[from] ServerError),
    /// The QR code could not be made.
    #[error(transparent)]
    Qr(#[from] QrError),
}

/// The addresses offered to the trainer: this machine's private LAN and
/// link-local addresses, loopback only when `loopback` is true (tests: a
/// phone cannot reach a laptop's loopback). Empty when the machine is on no
/// private network.
pub fn addresses(loopback: bool) -> Vec<IpAddr> {
    lan::candidate_addresses()
        .into_iter()
        .filter(|ip| loopback || !ip.is_loopback())
        .collect()
}

/// Phone voting running on one session.
#[derive(Debug)]
pub struct PhoneVote {
    session: i64,
    room: Arc<LiveRoom>,
    server: ServerHandle,
}

/// What the presenter shows of phone voting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneVoteStatus {
    /// The session it runs on.
    pub session: i64,
    /// False once the server stopped (idle timeout, failure).
    pub running: bool,
    /// The address the phones use.
    pub address: String,
    /// The port.
    pub port: u16,
    /// The phones' address (`http://ip:port`).
    pub url: String,
    /// The address with the code, for the QR code.
    pub join_url: String,
    /// The short session code.
    pub code: String,
    /// The question the phones are on.
    pub question: String,
    /// Its state on the phones.
    pub state: QuestionState,
    /// How many phones voted on it (never who, never what).
    pub voted: u64,
    /// How many phones joined.
    pub joined: u64,
}

/// How phone voting starts: where, and when it stops by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartOptions {
    /// Offer (and accept) loopback: tests only.
    pub loopback: bool,
    /// Stop after this long without activity ([`IDLE_TIMEOUT`] for people).
    pub idle_timeout: Duration,
}

impl Default for StartOptions {
    fn default() -> Self {
        StartOptions {
            loopback: false,
            idle_timeout: IDLE_TIMEOUT,
        }
    }
}

/// Start phone voting on session `id`, listening on `bind` (one of
/// [`addresses`]`(options.loopback)`) on a free port.
pub fn start(
    db: &WorkshopDb,
    catalog: &Catalog,
    id: i64,
    bind: IpAddr,
    options: StartOptions,
) -> Result<PhoneVote, PhoneVoteError> {
    let StartOptions {
        loopback,
        idle_timeout,
    } = options;
    if !addresses(loopback).contains(&bind) {
        return Err(PhoneVoteError::AddressNotOffered(bind));
    }
    let (s, q) = ws::open(db, catalog, id)?;
    let room = Arc::new(LiveRoom::new(questions_for_session(&s, &q)?)?);
    room.go_to(&s.current_tally().question_id)?;
    let server = server::spawn(
        room.clone(),
        ServerConfig {
            bind,
            port: 0,
            idle_timeout,
            trainer_page: false,
            stop_on_ctrl_c: false,
            limits: Limits::default(),
        },
    )?;
    Ok(PhoneVote {
        session: id,
        room,
        server,
    })
}

impl PhoneVote {
    /// The session it runs on.
    pub fn session(&self) -> i64 {
        self.session
    }

    /// False once the server stopped by itself (idle timeout, failure).
    pub fn is_running(&self) -> bool {
        self.server.is_running()
    }

    /// Stop the server (waits until it has stopped) and say why it stopped.
    pub fn stop(self) -> StopReason {
        self.server.shutdown();
        self.server.wait()
    }

    /// The room (the trainer's view, change notifications).
    pub fn room(&self) -> &LiveRoom {
        &self.room
    }

    /// What the presenter shows.
    pub fn status(&self) -> PhoneVoteStatus {
        let addr: SocketAddr = self.server.local_addr();
        let view = self.room.trainer_view();
        let code = self.room.code();
        PhoneVoteStatus {
            session: self.session,
            running: self.is_running(),
            address: addr.ip().to_string(),
            port: addr.port(),
            url: self.server.url().to_string(),
            join_url: qr::join_url(self.server.url(), &code),
            code,
            question: view.question.id,
            state: view.question.state,
            voted: view.voted,
            joined: view.joined,
        }
    }

    /// The join QR code (SVG), at least `px` pixels wide.
    pub fn qr_svg(&self, px: u32) -> Result<String, PhoneVoteError> {
        Ok(qr::qr_svg(
            &qr::join_url(self.server.url(), &self.room.code()),
            px,
        )?)
    }
}

/// Apply one step to session `id` (as [`ws::apply`]), with the phones kept
/// in step when `phones` runs on this session: moves move them, a reset
/// clears their votes, a reveal records their counts first (the rule in
/// the module's documentation). Without phones (or phones on another
/// session, or stopped) it is [`ws::apply`].
pub fn apply(
    db: &mut WorkshopDb,
    catalog: &Catalog,
    id: i64,
    step: &Step,
    phones: Option<&PhoneVote>,
    now: DateTime<Utc>,
) -> Result<Session, PhoneVoteError> {
    let Some(phones) = phones.filter(|p| p.session == id && p.is_running()) else {
        return Ok(ws::apply(db, catalog, id, step, now)?);
    };
    let room = &phones.room;
    match step {
        Step::Reveal {
            question,
            revealed: true,
        } => {
            room.go_to(question)?;
            let was = room.state(question)?;
            if was == QuestionState::Open {
                // Votes are final from here on.
                room.close();
                if room.trainer_view().voted > 0 {
                    let counts = counts_step(room, question)?;
                    if let Err(e) = ws::apply(db, catalog, id, &counts, now) {
                        room.open()?;
                        return Err(e.into());
                    }
                }
            }
            let s = ws::apply(db, catalog, id, step, now)?;
            room.reveal();
            Ok(s)
        }
        Step::Reveal {
            question,
            revealed: false,
        } => {
            let s = ws::apply(db, catalog, id, step, now)?;
            room.go_to(question)?;
            room.hide();
            Ok(s)
        }
        Step::Reset => {
            let s = ws::apply(db, catalog, id, step, now)?;
            room.reset()?;
            Ok(s)
        }
        _ => {
            let s = ws::apply(db, catalog, id, step, now)?;
            room.go_to(&s.current_tally().question_id)?;
            Ok(s)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use std::net::{Ipv4Addr, TcpStream};

    use super::*;
    use crate::usecase::workshop::NewSession;
    use crate::workshop::{SessionSetup, TallySource};

    fn setup(room_size: u32) -> (tempfile::TempDir, WorkshopDb, Catalog, i64) {
        let dir = tempfile::tempdir().unwrap();
        let mut db = WorkshopDb::open(&dir.path().join("workshop.sqlite")).unwrap();
        let (catalog, _) = Catalog::builtin();
        let new = NewSession {
            questionnaire: "comune".into(),
            setup: SessionSetup {
                domains: vec![],
                minutes: 90,
                room_size,
            },
        };
        let (id, _) = ws::create(&mut db, &catalog, &new, Utc::now()).unwrap();
        (dir, db, catalog, id)
    }

    const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
    const TESTS: StartOptions = StartOptions {
        loopback: true,
        idle_timeout: IDLE_TIMEOUT,
    };

    fn vote(phones: &PhoneVote, device: usize, option: usize) {
        let room = phones.room();
        let token = format!("usecase-test-device-{device:04}");
        let epoch = room.join(&room.code(), &token).unwrap();
        let question = room.trainer_view().question.id;
        room.vote(epoch, &token, &question, option).unwrap();
    }

    #[test]
    fn loopback_is_offered_only_when_asked() {
        assert!(addresses(false).iter().all(|ip| !ip.is_loopback()));
        assert!(addresses(false).iter().all(|ip| lan::is_allowed(*ip)));
        assert!(addresses(true).contains(&LOOPBACK));
        let (_dir, db, catalog, id) = setup(30);
        assert!(matches!(
            start(&db, &catalog, id, LOOPBACK, StartOptions::default()),
            Err(PhoneVoteError::AddressNotOffered(_))
        ));
        let wildcard = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
        assert!(matches!(
            start(&db, &catalog, id, wildcard, TESTS),
            Err(PhoneVoteError::AddressNotOffered(_))
        ));
    }

    #[test]
    fn phones_follow_the_session_and_their_counts_replace_typed_ones() {
        let (_dir, mut db, catalog, id) = setup(30);
        let phones = start(&db, &catalog, id, LOOPBACK, TESTS).unwrap();
        let status = phones.status();
        assert!(status.running);
        assert_eq!(status.address, "127.0.0.1");
        assert!(status.port > 0);
        assert!(status.join_url.ends_with(&format!("/#{}", status.code)));
        assert!(phones.qr_svg(300).unwrap().contains("<svg"));
        let (s, _) = ws::open(&db, &catalog, id).unwrap();
        let first = s.tallies[0].question_id.clone();
        let second = s.tallies[1].question_id.clone();
        assert_eq!(status.question, first);
        let n = s.tallies[0].counts.len();
        let now = Utc::now();

        // Typed counts, then three phones (one changes its mind).
        let mut typed = vec![0i64; n];
        typed[3] = 5;
        let hands = Step::Counts {
            question: first.clone(),
            counts: typed,
            source: TallySource::Hands,
        };
        apply(&mut db, &catalog, id, &hands, Some(&phones), now).unwrap();
        vote(&phones, 1, 0);
        vote(&phones, 2, 1);
        vote(&phones, 3, 2);
        vote(&phones, 3, 1);
        assert_eq!(phones.status().voted, 3);
        assert_eq!(phones.status().state, QuestionState::Open);

        let reveal = Step::Reveal {
            question: first.clone(),
            revealed: true,
        };
        let s = apply(&mut db, &catalog, id, &reveal, Some(&phones), now).unwrap();
        let t = &s.tallies[0];
        assert!(t.revealed);
        assert_eq!(t.source, TallySource::Phones);
        assert_eq!(t.counts[..4], [1, 2, 0, 0]);
        assert_eq!(phones.status().state, QuestionState::Revealed);
        // Durable: read back from the database file.
        let (saved, _) = ws::open(&db, &catalog, id).unwrap();
        assert_eq!(saved.tallies[0], *t);

        // Hidden again, revealed again: nothing new recorded.
        let hide = Step::Reveal {
            question: first.clone(),
            revealed: false,
        };
        apply(&mut db, &catalog, id, &hide, Some(&phones), now).unwrap();
        assert_eq!(phones.status().state, QuestionState::Closed);
        // Counts typed after the reveal replace the phones' ones.
        let mut retyped = vec![0i64; n];
        retyped[0] = 7;
        let hands = Step::Counts {
            question: first.clone(),
            counts: retyped.clone(),
            source: TallySource::Hands,
        };
        apply(&mut db, &catalog, id, &hands, Some(&phones), now).unwrap();
        let s = apply(&mut db, &catalog, id, &reveal, Some(&phones), now).unwrap();
        assert_eq!(s.tallies[0].counts[0], 7);
        assert_eq!(s.tallies[0].source, TallySource::Hands);

        // Next moves the phones; a question with no phone vote keeps the
        // typed counts when revealed.
        apply(&mut db, &catalog, id, &Step::Next, Some(&phones), now).unwrap();
        assert_eq!(phones.status().question, second);
        assert_eq!(phones.status().voted, 0);
        let mut typed = vec![0i64; s.tallies[1].counts.len()];
        typed[0] = 4;
        let hands = Step::Counts {
            question: second.clone(),
            counts: typed.clone(),
            source: TallySource::Hands,
        };
        apply(&mut db, &catalog, id, &hands, Some(&phones), now).unwrap();
        let reveal2 = Step::Reveal {
            question: second.clone(),
            revealed: true,
        };
        let s = apply(&mut db, &catalog, id, &reveal2, Some(&phones), now).unwrap();
        assert_eq!(s.tallies[1].counts[0], 4);
        assert_eq!(s.tallies[1].source, TallySource::Hands);

        // Reset clears the phones too.
        apply(&mut db, &catalog, id, &Step::Previous, Some(&phones), now).unwrap();
        assert_eq!(phones.status().question, first);
        apply(&mut db, &catalog, id, &Step::Reset, Some(&phones), now).unwrap();
        assert_eq!(phones.room().all_counts()[0].1, vec![0; n]);
        assert_eq!(phones.status().state, QuestionState::Open);

        let addr = SocketAddr::new(LOOPBACK, phones.status().port);
        assert!(TcpStream::connect(addr).is_ok());
        assert_eq!(phones.stop(), StopReason::Shutdown);
        assert!(TcpStream::connect(addr).is_err());
    }

    #[test]
    fn it_stops_by_itself_when_idle() {
        let (_dir, db, catalog, id) = setup(30);
        let options = StartOptions {
            loopback: true,
            idle_timeout: Duration::from_millis(300),
        };
        let phones = start(&db, &catalog, id, LOOPBACK, options).unwrap();
        let addr = SocketAddr::new(LOOPBACK, phones.status().port);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while phones.is_running() {
            assert!(std::time::Instant::now() < deadline, "still running");
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(!phones.status().running);
        assert_eq!(phones.stop(), StopReason::IdleTimeout);
        assert!(TcpStream::connect(addr).is_err());
    }

    #[test]
    fn more_phone_votes_than_the_room_are_refused_and_voting_goes_on() {
        let (_dir, mut db, catalog, id) = setup(2);
        let phones = start(&db, &catalog, id, LOOPBACK, TESTS).unwrap();
        for device in 0..3 {
            vote(&phones, device, 0);
        }
        let first = phones.status().question;
        let reveal = Step::Reveal {
            question: first.clone(),
            revealed: true,
        };
        let before = ws::open(&db, &catalog, id).unwrap().0;
        let e = apply(&mut db, &catalog, id, &reveal, Some(&phones), Utc::now()).unwrap_err();
        assert!(matches!(
            e,
            PhoneVoteError::Workshop(WorkshopUseError::Session(_))
        ));
        assert_eq!(ws::open(&db, &catalog, id).unwrap().0, before);
        assert_eq!(phones.status().state, QuestionState::Open);
        // Phones on another session are ignored.
        let other = apply(
            &mut db,
            &catalog,
            id + 1,
            &Step::Next,
            Some(&phones),
            Utc::now(),
        );
        assert!(other.is_err());
        assert_eq!(phones.status().question, first);
    }
}
