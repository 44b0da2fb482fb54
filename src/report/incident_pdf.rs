//! The PDF incident report: summary, deadlines, the first-hour steps with
//! their times, the log, the contacts and the drafts. Built from the pure
//! incident model, rendered like the plan (embedded font, searchable text).
//! An exercise says so on the cover and in the running header of every page.

use chrono::{DateTime, Utc};

use super::common::{cover_band, h1, italian_date, note, plain};
use super::layout::{Block, Card, Cell, Column, Paragraph, Table};
use super::render::{render, Document, DocumentInfo, RenderedPdf};
use super::text::Span;
use super::theme;
use super::ReportError;
use crate::incident::checklist::Checklist;
use crate::incident::contacts::{Contact, ContactRole};
use crate::incident::deadlines::{Countdown, Duty};
use crate::incident::drafts::Draft;
use crate::incident::model::{Incident, PersonalData};
use crate::store::{format_italian, italian_time};
use crate::usecase::incident::DeadlineView;

/// What the incident report shows.
#[derive(Debug, Clone, Copy)]
pub struct IncidentReport<'a> {
    /// The incident with its log and marks.
    pub incident: &'a Incident,
    /// Its checklist.
    pub checklist: &'a Checklist,
    /// Its deadlines at `now`.
    pub deadlines: &'a [DeadlineView],
    /// The organisation's contacts.
    pub contacts: &'a [Contact],
    /// The drafts.
    pub drafts: &'a [Draft],
    /// When the report is made.
    pub now: DateTime<Utc>,
}

/// Render the incident report.
pub fn incident_pdf(r: &IncidentReport<'_>) -> Result<RenderedPdf, ReportError> {
    render(incident_document(r))
}

fn duty(d: Duty) -> &'static str {
    match d {
        Duty::Required => "Obbligatoria",
        Duty::ToAssess => "Da valutare",
        Duty::Voluntary => "Volontaria",
    }
}

fn hm(seconds: i64) -> String {
    format!("{} h {:02} min", seconds / 3600, (seconds % 3600) / 60)
}

/// Builds the document.
pub fn incident_document(r: &IncidentReport<'_>) -> Document {
    let inc = r.incident;
    let audience = inc.audience();
    let kind = if inc.exercise {
        "Esercitazione"
    } else {
        "Incidente"
    };
    let mut blocks = Vec::new();
    blocks.extend(cover_band(
        if inc.exercise {
            "ESERCITAZIONE · non è un incidente reale"
        } else {
            "Rapporto d'incidente"
        },
        &format!("{kind}: {}", inc.triage.case.short()),
        &inc.organization.name,
        format!(
            "Scoperto il {} · rapporto del {}",
            format_italian(inc.triage.discovered_at),
            format_italian(r.now)
        ),
    ));
    if inc.exercise {
        blocks.push(Block::Card(Card {
            title: Some("Esercitazione".into()),
            blocks: vec![plain(
                "Questo rapporto viene da un'esercitazione: nulla di quanto contiene riguarda un incidente reale e nessuna bozza va inviata.",
            )],
            fill: theme::WARN_TINT,
            accent: theme::WARN,
            space_before: 10.0,
        }));
    }

    blocks.push(h1("Sintesi"));
    let pd = match inc.triage.personal_data {
        PersonalData::Yes => "sì",
        PersonalData::No => "no",
        PersonalData::Unknown => "non ancora accertato",
    };
    let rows = vec![
        ("Che cosa è successo", inc.triage.case.short().to_string()),
        ("Scoperto il", format_italian(inc.triage.discovered_at)),
        ("Aperto in Sentinella il", format_italian(inc.opened_at)),
        (
            "Chiuso il",
            inc.closed_at
                .map_or_else(|| "ancora aperto".to_string(), format_italian),
        ),
        ("Dati personali coinvolti", pd.to_string()),
        (
            "Descrizione",
            if inc.triage.summary.is_empty() {
                "non indicata".to_string()
            } else {
                inc.triage.summary.clone()
            },
        ),
    ];
    blocks.push(Block::Table(Table::new(
        vec![Column::new("Voce", 2.0), Column::new("Valore", 5.0)],
        rows.into_iter()
            .map(|(k, v)| vec![Cell::new(vec![Span::bold(k)]), Cell::plain(v)])
            .collect(),
    )));

    blocks.push(h1("Scadenze dalla scoperta"));
    if r.deadlines.is_empty() {
        blocks.push(plain(
            "Per quanto indicato nel triage, nessuna notifica ha una scadenza.",
        ));
    } else {
        let rows = r
            .deadlines
            .iter()
            .map(|d| {
                let due = d
                    .deadline
                    .due
                    .map_or_else(|| "senza scadenza fissa".to_string(), format_italian);
                let state = match d.countdown {
                    Countdown::Done => format!(
                        "fatta il {}",
                        d.done_at.map(format_italian).unwrap_or_default()
                    ),
                    Countdown::Open { seconds_left } => format!("mancano {}", hm(seconds_left)),
                    Countdown::Overdue { seconds_late } => {
                        format!("scaduta da {}", hm(seconds_late))
                    }
                    Countdown::NoDeadline => "da fare subito o se deciso".to_string(),
                };
                vec![
                    Cell::new(vec![Span::bold(d.deadline.title)]),
                    Cell::plain(duty(d.deadline.duty)),
                    Cell::plain(due),
                    Cell::plain(state),
                    Cell::plain(d.deadline.source),
                ]
            })
            .collect();
        blocks.push(Block::Table(Table::new(
            vec![
                Column::new("Notifica", 2.4),
                Column::new("Obbligo", 1.2),
                Column::new("Entro", 1.5),
                Column::new("Stato", 1.5),
                Column::new("Fonte", 2.4),
            ],
            rows,
        )));
    }

    blocks.push(h1("Nella prima ora"));
    blocks.push(note(format!(
        "Passi della lista {} per questo caso; l'ora è quella in cui il passo è stato segnato come fatto.",
        r.checklist.version
    )));
    let rows = r
        .checklist
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                Cell::plain(format!("{}", i + 1)),
                Cell::plain(s.text.clone()),
                Cell::plain(
                    inc.done
                        .get(&s.id)
                        .map_or_else(|| "non segnato".to_string(), |t| format_italian(*t)),
                ),
            ]
        })
        .collect();
    blocks.push(Block::Table(Table::new(
        vec![
            Column::new("N.", 0.4),
            Column::new("Passo", 6.0),
            Column::new("Fatto il", 1.6),
        ],
        rows,
    )));

    blocks.push(h1("Registro"));
    if inc.log.is_empty() {
        blocks.push(plain("Il registro è vuoto."));
    } else {
        let rows = inc
            .log
            .iter()
            .map(|e| {
                let who = e
                    .contact
                    .map(|c| format!(" ({})", c.label(audience)))
                    .unwrap_or_default();
                vec![
                    Cell::plain(format_italian(e.at)),
                    Cell::plain(format!("{}{who}", e.kind.label())),
                    Cell::plain(e.text.clone()),
                ]
            })
            .collect();
        let mut t = Table::new(
            vec![
                Column::new("Ora", 1.5),
                Column::new("Tipo", 1.6),
                Column::new("Che cosa", 5.0),
            ],
            rows,
        );
        t.zebra = true;
        blocks.push(Block::Table(t));
    }

    blocks.push(h1("Contatti"));
    let rows = ContactRole::for_audience(audience)
        .iter()
        .map(|role| {
            let c = r.contacts.iter().find(|c| c.role == *role);
            vec![
                Cell::new(vec![Span::bold(role.label(audience))]),
                Cell::plain(
                    c.map(|c| c.name.clone())
                        .unwrap_or_else(|| "non inserito".into()),
                ),
                Cell::plain(c.and_then(|c| c.phone.clone()).unwrap_or_default()),
                Cell::plain(c.and_then(|c| c.email.clone()).unwrap_or_default()),
            ]
        })
        .collect();
    blocks.push(Block::Table(Table::new(
        vec![
            Column::new("Chi", 2.6),
            Column::new("Nome", 2.2),
            Column::new("Telefono", 1.6),
            Column::new("E-mail", 2.4),
        ],
        rows,
    )));

    for d in r.drafts {
        blocks.push(Block::PageBreak);
        blocks.push(h1(&format!("Bozza: {}", d.title)));
        blocks.push(note(d.destination.clone()));
        for line in d.text.lines() {
            if line.trim().is_empty() {
                blocks.push(Block::Spacer(4.0));
            } else {
                blocks.push(Block::Paragraph(
                    Paragraph::plain(line.to_string()).space_before(1.5),
                ));
            }
        }
    }

    let day = italian_time(r.now).date_naive();
    let header = if inc.exercise {
        format!(
            "ESERCITAZIONE · {} · Rapporto d'incidente",
            inc.organization.name
        )
    } else {
        format!("{} · Rapporto d'incidente", inc.organization.name)
    };
    Document {
        info: DocumentInfo {
            title: format!(
                "{kind} — {} — {}",
                inc.organization.name,
                inc.triage.case.short()
            ),
            author: inc.organization.name.clone(),
            subject: format!(
                "Rapporto d'incidente: cronologia, decisioni, contatti e bozze di notifica ({})",
                format_italian(inc.triage.discovered_at)
            ),
            keywords: vec![
                "incidente informatico".into(),
                "registro".into(),
                "notifica".into(),
                inc.organization.name.clone(),
            ],
            created: day,
            header,
            header_right: italian_date(day),
            footer: "Sentinella · rapporto d'incidente (le bozze non sono state inviate)".into(),
        },
        blocks,
    }
}
