//! The debrief PDF of a workshop: what the group answered, the six
//! measures the group should take home, the incident card and where to go
//! next. For participants: it names no one (counts only, and the group is
//! "il gruppo"), and it reads without the app.

use chrono::NaiveDate;

use super::common::{count, cover_band, h1, h2, h3, italian_date, note, para, plain};
use super::layout::{Bar, BarChart, Block, Card, List};
use super::plan_pdf::incident_card;
use super::render::{render, Document, DocumentInfo, RenderedPdf};
use super::text::{rich, Span};
use super::theme::{self, Color};
use super::ReportError;
use crate::model::{AnswerOption, Audience, Questionnaire, SpecialAnswer};
use crate::workshop::group::{group_organization, typical_option};
use crate::workshop::{GroupOutcome, Session};

/// What the debrief shows.
#[derive(Debug, Clone, Copy)]
pub struct DebriefReport<'a> {
    /// The session's questionnaire (complete).
    pub questionnaire: &'a Questionnaire,
    /// The session.
    pub session: &'a Session,
    /// The group's typical answers, score and plan
    /// ([`crate::workshop::group_outcome`]).
    pub outcome: &'a GroupOutcome,
    /// The day of the debrief.
    pub on: NaiveDate,
}

/// Render the debrief.
pub fn debrief_pdf(r: &DebriefReport<'_>) -> Result<RenderedPdf, ReportError> {
    render(debrief_document(r))
}

/// The colour of an option's bar: by level, grey for the special answers.
fn option_color(o: &AnswerOption) -> Color {
    match (o.kind, o.level) {
        (Some(_), _) | (None, None) => theme::MUTED,
        (None, Some(0)) => theme::BAD,
        (None, Some(1)) => theme::WARN,
        (None, Some(_)) => theme::GOOD,
    }
}

/// "12 (40%)": the count and its share of the answers, rounded.
pub fn count_text(n: u32, total: u32) -> String {
    let pct = if total == 0 {
        0
    } else {
        (f64::from(n) * 100.0 / f64::from(total)).round() as u32
    };
    format!("{n} ({pct}%)")
}

/// The document.
pub fn debrief_document(r: &DebriefReport<'_>) -> Document {
    let q = r.questionnaire;
    let s = r.session;
    let mut blocks = Vec::new();
    let answered = s.answered();
    blocks.extend(cover_band(
        "Sentinella · modalità formazione",
        "Resoconto dell'incontro",
        &q.title,
        format!(
            "{} · {} con almeno una risposta su {}",
            italian_date(r.on),
            count(answered, "domanda", "domande"),
            s.len()
        ),
    ));
    blocks.push(para(
        "Questo resoconto raccoglie le risposte date **dal gruppo** durante l'incontro: solo \
         quante persone hanno scelto ciascuna risposta, mai chi. Non descrive un singolo Comune \
         o Sportello: serve a ricordare le domande, a confrontare la propria situazione con \
         quella del gruppo e a partire dalle misure più importanti.",
    ));

    blocks.push(h1("Le sei misure da portare a casa"));
    blocks.push(para(
        "Per ogni domanda abbiamo preso la risposta scelta dal maggior numero di persone (a \
         parità di voti, quella più prudente) e l'abbiamo valutata con le stesse regole \
         dell'autovalutazione. Ne escono le misure che un ente come quello descritto dal gruppo \
         dovrebbe affrontare per prime.",
    ));
    let six: Vec<_> = r.outcome.plan.priority_actions().collect();
    if six.is_empty() {
        blocks.push(note(if answered == 0 {
            "Il gruppo non ha ancora dato risposte: non ci sono misure da proporre."
        } else {
            "Le risposte del gruppo raggiungono già i livelli attesi: nessuna misura urgente."
        }));
    } else {
        let items = six
            .iter()
            .map(|a| {
                let mut spans = vec![Span::bold(a.title.clone())];
                spans.push(Span::plain(format!(" — {}", a.why)));
                spans.push(
                    Span::italic(format!(
                        "\nChi se ne occupa: {} · {}",
                        a.owner.label_it(),
                        a.horizon.label_it()
                    ))
                    .colored(theme::MUTED),
                );
                spans
            })
            .collect();
        let mut list = List::numbered(items);
        list.space_before = 4.0;
        blocks.push(Block::List(list));
    }

    blocks.push(Block::Card(Card {
        title: Some("Come abbiamo contato".into()),
        blocks: vec![plain(
            "Ogni persona ha indicato una risposta per domanda, per alzata di mano o dal \
             telefono; sono stati registrati solo i totali. La risposta più frequente decide la \
             risposta del gruppo; a parità vince la più prudente (il livello più basso, e «Non \
             so» prima di un livello zero); «Non applicabile» vale solo se supera tutte le \
             altre. Le domande senza risposte non entrano nel calcolo.",
        )],
        fill: theme::SHADE,
        accent: theme::RULE,
        space_before: 10.0,
    }));

    blocks.push(h1("Le risposte del gruppo"));
    blocks.push(note(
        "Per ogni domanda: quante persone hanno scelto ciascuna risposta e la percentuale sulle \
         risposte date. Le barre vanno da 0 al 100% delle risposte; il colore indica il livello \
         (rosso assente, arancio parziale, verde in buona parte o del tutto in atto, grigio \
         «Non so» e «Non applicabile»).",
    ));
    let mut number = 0;
    for domain in q.domains.iter().filter(|d| s.domains.contains(&d.id)) {
        blocks.push(h2(&domain.title));
        for question in &domain.questions {
            let Some(tally) = s.tally(&question.id) else {
                continue;
            };
            number += 1;
            let total = tally.total();
            // The question, its chart and its summary line stay on one page.
            let mut group = vec![h3(format!("{number}. {}", question.text))];
            if total == 0 {
                group.push(note("Nessuna risposta raccolta per questa domanda."));
                blocks.push(Block::Group(group));
                continue;
            }
            let bars = question
                .options
                .iter()
                .zip(&tally.counts)
                .map(|(o, &n)| Bar {
                    label: o.label.clone(),
                    value: (f64::from(n) * 100.0 / f64::from(total)) as f32,
                    value_text: count_text(n, total),
                    previous: None,
                    color: option_color(o),
                })
                .collect();
            group.push(Block::BarChart(BarChart {
                bars,
                max: 100.0,
                target: None,
                target_label: String::new(),
                legend: Vec::new(),
                previous_label: String::new(),
                space_before: 2.0,
            }));
            let typical = typical_option(question, &tally.counts)
                .and_then(|i| question.options.get(i))
                .map_or_else(String::new, |o| o.label.clone());
            let unknown = question
                .options
                .iter()
                .zip(&tally.counts)
                .filter(|(o, _)| o.kind == Some(SpecialAnswer::Unknown))
                .map(|(_, &n)| n)
                .sum::<u32>();
            let mut line = format!(
                "{} · risposta più frequente: «{typical}»",
                count(total as usize, "risposta", "risposte")
            );
            if unknown > 0 {
                line.push_str(&format!(
                    " · «Non so»: {} (una domanda da fare al fornitore informatico)",
                    count_text(unknown, total)
                ));
            }
            group.push(note(line));
            blocks.push(Block::Group(group));
        }
    }

    // The card is meant to be printed on its own: it starts a page.
    blocks.push(Block::PageBreak);
    incident_card(&group_organization(q.audience), &[], &[], &mut blocks);

    blocks.push(h1("Dove andare adesso"));
    let own = match q.audience {
        Audience::Comune => "il vostro Comune",
        Audience::PolisOffice => "il vostro Sportello Polis",
    };
    blocks.push(para(&format!(
        "Le risposte di un gruppo non sono quelle di un ente. Per sapere a che punto è {own}, \
         fate l'autovalutazione completa con Sentinella:"
    )));
    let steps = vec![
        rich("Aprite Sentinella sul computer dell'ufficio e scegliete **«Nuova autovalutazione»**: funziona senza rete e le risposte restano su quel computer."),
        rich("Rispondete con chi conosce gli uffici: serve circa un'ora, potete fermarvi e riprendere quando volete. **«Non so»** è una risposta legittima: diventa una domanda per il fornitore informatico."),
        rich("Alla fine scaricate il **piano in PDF**: le misure da fare per prime, chi se ne occupa ed entro quando, da portare alla Giunta e al fornitore informatico."),
        rich("Stampate la **scheda incidente** del piano, compilate i numeri di telefono e tenetela accanto ai PC."),
        rich("Ripetete l'autovalutazione l'anno prossimo: Sentinella mostra che cosa è migliorato."),
    ];
    let mut list = List::numbered(steps);
    list.space_before = 4.0;
    blocks.push(Block::List(list));

    Document {
        info: DocumentInfo {
            title: "Resoconto dell'incontro di formazione".into(),
            author: "Sentinella".into(),
            subject: format!("Risposte del gruppo: {}", q.title),
            keywords: vec!["formazione".into(), "sicurezza informatica".into()],
            created: r.on,
            header: "Resoconto dell'incontro di formazione".into(),
            header_right: italian_date(r.on),
            footer: "Sentinella · risposte anonime del gruppo".into(),
        },
        blocks,
    }
}
