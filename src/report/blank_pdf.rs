//! The questionnaire on paper: every question with boxes to tick, and the
//! letter with every question for the IT supplier (or Poste's IT), so an
//! office can gather its answers before it opens Sentinella.
//!
//! Pure: a [`Questionnaire`] in, a [`Document`] out.

use chrono::NaiveDate;

use crate::model::{Condition, Questionnaire, SpecialAnswer};

use super::common::{cover_band, h1, h2, italian_date, note, plain};
use super::layout::{Block, List, Paragraph};
use super::render::{render, Document, DocumentInfo, RenderedPdf};
use super::text::Span;
use super::theme;
use super::ReportError;

/// What the blank form is made of.
#[derive(Debug, Clone, Copy)]
pub struct BlankForm<'a> {
    /// The questionnaire to print.
    pub questionnaire: &'a Questionnaire,
    /// The date printed in the metadata (given by the caller: same input,
    /// same bytes).
    pub printed_on: NaiveDate,
}

/// Renders the blank form.
pub fn blank_pdf(form: &BlankForm<'_>) -> Result<RenderedPdf, ReportError> {
    render(blank_document(form))
}

/// The letters that name the context questions on paper: A, B, C…
fn context_letter(index: usize) -> String {
    let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    match letters.get(index) {
        Some(&c) => char::from(c).to_string(),
        None => format!("Z{}", index + 1 - letters.len()),
    }
}

/// "alla domanda B avete segnato «Sì» o «In parte»", from a condition.
fn condition_text(q: &Questionnaire, c: &Condition) -> String {
    match c {
        Condition::AnswerIn { question, options } => {
            let Some((i, ctx)) = q
                .context
                .iter()
                .enumerate()
                .find(|(_, x)| &x.id == question)
            else {
                return "le risposte iniziali lo prevedono".into();
            };
            let labels: Vec<String> = options
                .iter()
                .filter_map(|o| ctx.options.iter().find(|x| &x.id == o))
                .map(|o| format!("«{}»", o.label))
                .collect();
            format!(
                "alla domanda {} avete segnato {}",
                context_letter(i),
                labels.join(" o ")
            )
        }
        Condition::Any(cs) => cs
            .iter()
            .map(|c| condition_text(q, c))
            .collect::<Vec<_>>()
            .join(" oppure "),
        Condition::All(cs) => cs
            .iter()
            .map(|c| condition_text(q, c))
            .collect::<Vec<_>>()
            .join(" e "),
        Condition::Not(c) => format!("non è vero che {}", condition_text(q, c)),
    }
}

/// Builds the document.
pub fn blank_document(form: &BlankForm<'_>) -> Document {
    let q = form.questionnaire;
    let w = q.audience.wording();
    let total: usize = q.domains.iter().map(|d| d.questions.len()).sum();
    let mut blocks = Vec::new();
    blocks.extend(cover_band(
        "Da stampare e compilare a mano",
        "Il questionario su carta",
        &q.title,
        format!(
            "Versione {} · {} domande iniziali e {total} domande · stampato il {}",
            q.version,
            q.context.len(),
            italian_date(form.printed_on)
        ),
    ));
    blocks.push(h2("Come usarlo"));
    blocks.push(Block::List(List::bullets(vec![
        vec![Span::plain(
            "Segnate una risposta per domanda. Potete chiedere ai colleghi degli uffici: \
             non serve essere esperti.",
        )],
        vec![Span::plain(format!(
            "Dove non sapete rispondere, segnate «Non so»: è una risposta onesta. Le domande \
             da fare {} sono nelle ultime pagine e si possono inviare subito.",
            w.supplier_to
        ))],
        vec![Span::plain(
            "Quando avete tutte le risposte, aprite Sentinella, scegliete «Nuova \
             autovalutazione» e riportatele: il punteggio e il piano li calcola il programma.",
        )],
        vec![Span::plain(
            "Sentinella funziona senza internet e tiene le risposte solo sul computer dove è \
             installata. Questi fogli invece descrivono i punti deboli dell'ente: conservateli \
             con cura e non lasciateli in vista.",
        )],
    ])));

    blocks.push(Block::PageBreak);
    blocks.push(Block::Bookmark("Domande iniziali".into()));
    blocks.push(h1("Domande iniziali"));
    blocks.push(note(
        "Servono a capire quali domande vi riguardano; non entrano nel punteggio.",
    ));
    for (i, ctx) in q.context.iter().enumerate() {
        blocks.push(Block::Group(vec![
            Block::Paragraph(
                Paragraph::new(vec![Span::bold(format!(
                    "{}. {}",
                    context_letter(i),
                    ctx.text
                ))])
                .space_before(10.0),
            ),
            Block::List(List::boxes(
                ctx.options
                    .iter()
                    .map(|o| vec![Span::plain(o.label.clone())])
                    .collect(),
            )),
        ]));
    }

    let mut number = 0;
    blocks.push(Block::PageBreak);
    for d in &q.domains {
        // Domains follow one another: a page each would double the paper.
        blocks.push(Block::Spacer(14.0));
        blocks.push(Block::Bookmark(d.title.clone()));
        blocks.push(h1(&d.title));
        blocks.push(note(d.description.clone()));
        for question in &d.questions {
            number += 1;
            let mut group = vec![Block::Paragraph(
                Paragraph::new(vec![Span::bold(format!("{number}. {}", question.text))])
                    .space_before(10.0),
            )];
            if let Some(c) = &question.applies_if {
                group.push(Block::Paragraph(
                    Paragraph::plain(format!("Rispondete solo se {}.", condition_text(q, c)))
                        .size(9.0)
                        .color(theme::MUTED)
                        .space_before(1.0),
                ));
            }
            group.push(Block::List(List::boxes(
                question
                    .options
                    .iter()
                    .map(|o| match o.kind {
                        Some(SpecialAnswer::Unknown) => vec![Span::italic(o.label.clone())],
                        _ => vec![Span::plain(o.label.clone())],
                    })
                    .collect(),
            )));
            blocks.push(Block::Group(group));
        }
    }

    blocks.push(Block::PageBreak);
    blocks.push(Block::Bookmark(w.supplier_title.into()));
    blocks.push(h1(w.supplier_title));
    blocks.push(note(
        "Da inviare prima di compilare il questionario, per posta elettronica o PEC: le \
         risposte aiutano a segnare quelle che l'ente da solo non conosce. I numeri sono \
         quelli delle domande del questionario.",
    ));
    blocks.push(Block::Paragraph(
        Paragraph::new(vec![Span::bold(w.supplier_addressee)]).space_before(10.0),
    ));
    blocks.push(Block::Paragraph(Paragraph::new(vec![
        Span::bold("Oggetto: "),
        Span::plain("richiesta di informazioni sulla sicurezza informatica"),
    ])));
    blocks.push(plain(
        "Stiamo per svolgere un'autovalutazione della nostra sicurezza informatica. Vi \
         chiediamo di rispondere per iscritto alle domande che seguono, indicando per \
         ciascuna il numero, la situazione attuale ed eventuali interventi consigliati, con \
         il loro costo indicativo.",
    ));
    let mut number = 0;
    for d in &q.domains {
        let start = number + 1;
        let items: Vec<Vec<Span>> = d
            .questions
            .iter()
            .map(|question| vec![Span::plain(question.action.supplier_question.clone())])
            .collect();
        number += items.len();
        let mut list = List::numbered(items);
        list.start = start;
        list.space_before = 2.0;
        blocks.push(Block::Lead(vec![Block::Paragraph(
            Paragraph::new(vec![Span::bold(d.title.clone())]).space_before(8.0),
        )]));
        blocks.push(Block::List(list));
    }
    blocks.push(plain("Grazie per la collaborazione."));
    blocks.push(Block::Paragraph(
        Paragraph::plain("Firma: ______________________________   Data: ______________")
            .space_before(16.0),
    ));

    Document {
        info: DocumentInfo {
            title: format!("{} — questionario da compilare", q.title),
            author: "Sentinella".into(),
            subject: "Questionario da stampare e compilare a mano".into(),
            keywords: vec!["questionario".into(), "sicurezza informatica".into()],
            created: form.printed_on,
            header: "Sentinella · questionario su carta".into(),
            header_right: format!("{} {}", q.id, q.version),
            footer: q.title.clone(),
        },
        blocks,
    }
}
