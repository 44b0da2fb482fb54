//! `sentinella workshop serve …`: participants vote from their phones. A
//! thin face over [`sentinella::voting`]: builds the room from a
//! questionnaire, starts the server, prints where to go, waits.
//!
//! Kept apart from the other workshop subcommands (issue 17, in
//! `workshop.rs`): their `WorkshopCommand::Serve` carries [`ServeArgs`] and
//! calls [`serve`].

use std::net::IpAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Args;

use sentinella::load::Catalog;
use sentinella::voting::server::{self, ServerConfig, StopReason};
use sentinella::voting::{lan, qr, questions_from, LiveRoom};

/// Arguments of `sentinella workshop serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The questionnaire: `comune` or `sportello-polis` (or any loaded id).
    #[arg(long, value_name = "ID")]
    pub questionnaire: String,
    /// Only these domains (ids, comma-separated); all when absent.
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub domains: Vec<String>,
    /// Address to listen on: a private LAN address of this machine (listed
    /// when absent or not allowed), or 127.0.0.1.
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<IpAddr>,
    /// Port (0: a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Stop after this many minutes without activity.
    #[arg(long, value_name = "MIN", default_value_t = 120)]
    pub timeout: u64,
}

/// `sentinella workshop serve`.
pub fn serve(args: &ServeArgs, catalog: &Catalog) -> Result<ExitCode> {
    let Some(loaded) = catalog.latest(&args.questionnaire) else {
        let mut ids: Vec<&str> = catalog
            .entries()
            .iter()
            .map(|e| e.questionnaire.id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        bail!(
            "unknown questionnaire {:?} (available: {})",
            args.questionnaire,
            ids.join(", ")
        );
    };
    if args.timeout == 0 || args.timeout > 24 * 60 {
        bail!("--timeout must be between 1 and 1440 minutes");
    }
    let candidates = lan::candidate_addresses();
    let bind = match args.bind {
        Some(ip) if lan::is_allowed(ip) => ip,
        Some(ip) => bail!(
            "--bind {ip}: not a private LAN, link-local or loopback address; this machine has: {}",
            list(&candidates)
        ),
        None => {
            let lan_addr = candidates.iter().find(|ip| !ip.is_loopback());
            match lan_addr {
                Some(ip) => *ip,
                None => bail!(
                    "no private LAN address found on this machine; connect to the room's network, or use --bind 127.0.0.1 to try it alone"
                ),
            }
        }
    };
    let questions = questions_from(&loaded.questionnaire, &args.domains)
        .with_context(|| format!("questionnaire {}", args.questionnaire))?;
    let room = Arc::new(LiveRoom::new(questions)?);
    let config = ServerConfig {
        bind,
        port: args.port,
        idle_timeout: Duration::from_secs(args.timeout * 60),
        trainer_page: true,
        stop_on_ctrl_c: true,
        limits: server::Limits::default(),
    };
    let handle = server::spawn(room.clone(), config)?;
    let code = room.code();
    println!("Phones open:  {}", qr::join_url(handle.url(), &code));
    println!("  (or {} and type the code)", handle.url());
    println!("Session code: {code}");
    if let Some(trainer) = handle.trainer_url() {
        println!("Trainer page (this computer only, keep the key secret):");
        println!("  {trainer}");
    }
    println!(
        "Questions: {}. Stops on Ctrl-C or after {} without activity.",
        room.phone_view().total,
        minutes(args.timeout)
    );
    println!(
        "Other addresses of this machine you may use with --bind: {}",
        list(&candidates)
    );
    let reason = handle.wait();
    match reason {
        StopReason::Failed(why) => bail!("the voting server failed: {why}"),
        StopReason::IdleTimeout => println!("Stopped: no activity for {}.", minutes(args.timeout)),
        StopReason::Interrupted | StopReason::Shutdown => println!("Stopped."),
    }
    Ok(ExitCode::SUCCESS)
}

fn minutes(n: u64) -> String {
    if n == 1 {
        "1 minute".into()
    } else {
        format!("{n} minutes")
    }
}

fn list(ips: &[IpAddr]) -> String {
    ips.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
