//! The remediation plan as a PDF: the document a town hall (or a Polis
//! office) takes away, brings to the Giunta and forwards in part to its IT
//! supplier.
//!
//! Sections: cover, summary for the Giunta, results, actions by horizon,
//! questions for the IT supplier, incident card, changes since the previous
//! assessment (when given) and method. All the text is Italian.

use chrono::NaiveDate;

use crate::incident::contacts::Contact;
use crate::model::Wording;
use crate::model::{AnswerSheet, Audience, CostBand, Horizon, Mappings, Questionnaire, Role};
use crate::pack::{Alert, TerritoryContact, TerritoryRole};
use crate::plan::{Comparison, Plan, PlanAction};
use crate::scoring::{GateKind, GateStatus, QuestionState, Score, Tier};

use super::common::{
    band_color, count, cover_band, h1, h2, h3, note, para, plain, score_chart, thousands,
    tier_color,
};
pub use super::common::{italian_date, italian_score, TARGET_SCORE};
use super::layout::{Bar, Block, Card, Cell, Column, Figure, List, Paragraph, Table};
use super::render::{render, Document, DocumentInfo, RenderedPdf};
use super::text::{rich, Span};
use super::theme;
use super::ReportError;

/// A previous assessment of the same organization, for the "what changed"
/// section.
#[derive(Debug, Clone, Copy)]
pub struct PreviousAssessment<'a> {
    /// When it was made.
    pub assessed_on: NaiveDate,
    /// The comparison of its score and plan with the current ones
    /// ([`crate::plan::compare`]).
    pub comparison: &'a Comparison,
}

/// Everything the plan document is made of.
#[derive(Debug, Clone, Copy)]
pub struct PlanReport<'a> {
    /// The questionnaire the answers were given against.
    pub questionnaire: &'a Questionnaire,
    /// The answers.
    pub sheet: &'a AnswerSheet,
    /// Their score.
    pub score: &'a Score,
    /// The remediation plan.
    pub plan: &'a Plan,
    /// An earlier assessment to compare with.
    pub previous: Option<PreviousAssessment<'a>>,
    /// The organisation's emergency contacts, printed on the incident card
    /// (a blank line stays for each one missing).
    pub contacts: &'a [Contact],
    /// The coordinator's active alerts ("Avvisi del coordinamento"), most
    /// urgent first; none: no box.
    pub alerts: &'a [Alert],
    /// The territory contacts of the coordinator's last pack (the COSC is
    /// already in `contacts` when the organisation has none of its own).
    pub territory: &'a [TerritoryContact],
}

/// Renders the plan. The PDF's creation date is the assessment date, so the
/// same answers always give the same file.
pub fn plan_pdf(report: &PlanReport<'_>) -> Result<RenderedPdf, ReportError> {
    render(plan_document(report))
}

/// The first sentence of a text.
fn first_sentence(text: &str) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        if matches!(c, '.' | '?' | '!') {
            let next = chars.get(i + 1).map(|&(_, n)| n);
            let after = chars.get(i + 2).map(|&(_, n)| n);
            if next.is_none()
                || (next == Some(' ') && after.is_some_and(|a| a.is_uppercase() || a == '«'))
            {
                return text[..at + c.len_utf8()].to_string();
            }
        }
    }
    text.to_string()
}

/// Control references on one line: "ABSC 1.1.1, ABSC 1.4.1 · CIS 1.1 · CSF ID.AM-01".
fn references(m: &Mappings, with_acn: bool) -> String {
    let mut parts = Vec::new();
    if !m.absc.is_empty() {
        parts.push(m.absc.join(", "));
    }
    let t = crate::controls::tables();
    if !m.cis.is_empty() {
        // Safeguards outside Implementation Group 1 are marked with theirs.
        let ids: Vec<String> = m
            .cis
            .iter()
            .map(|id| match t.cis.get(id) {
                Some(ig) if *ig > 1 => format!("{id} (IG{ig})"),
                _ => id.clone(),
            })
            .collect();
        parts.push(format!("CIS {}", ids.join(", ")));
    }
    if !m.csf.is_empty() {
        parts.push(format!("CSF {}", m.csf.join(", ")));
    }
    if with_acn && !m.acn.is_empty() {
        // Measures that the ACN asks only of essential entities are marked.
        let ids: Vec<String> = m
            .acn
            .iter()
            .map(|id| match t.acn.get(id) {
                Some((false, true)) => format!("{id} (solo soggetti essenziali)"),
                _ => id.clone(),
            })
            .collect();
        parts.push(format!("ACN {}", ids.join(", ")));
    }
    parts.join(" · ")
}

/// The marker of an action on a failed gate.
fn gate_marker(kind: GateKind) -> &'static str {
    match kind {
        GateKind::Baseline => "Misura minima",
        GateKind::Essential => "Misura essenziale",
    }
}

/// The actions numbered as the document presents them: by horizon, and in
/// plan order within a horizon (failed baseline gates first).
fn numbered(plan: &Plan) -> Vec<(usize, &PlanAction)> {
    Horizon::ALL
        .iter()
        .flat_map(|h| plan.by_horizon(*h))
        .enumerate()
        .map(|(i, a)| (i + 1, a))
        .collect()
}

fn number_of(plan: &Plan, question_id: &str) -> Option<usize> {
    numbered(plan)
        .into_iter()
        .find(|(_, a)| a.question_id == question_id)
        .map(|(n, _)| n)
}

/// Builds the document (exposed for tests and for other faces that want to
/// inspect the content before rendering).
pub fn plan_document(r: &PlanReport<'_>) -> Document {
    let org = &r.sheet.organization;
    let w = org.kind.wording();
    let date = italian_date(r.sheet.assessed_on);
    let mut blocks = Vec::new();
    cover(r, &date, &mut blocks);
    blocks.push(Block::PageBreak);
    summary(r, &w, &mut blocks);
    blocks.push(Block::PageBreak);
    results(r, &mut blocks);
    blocks.push(Block::PageBreak);
    actions(r, &mut blocks);
    blocks.push(Block::PageBreak);
    supplier(r, &w, &date, &mut blocks);
    blocks.push(Block::PageBreak);
    incident_card(org, r.contacts, r.territory, &mut blocks);
    if let Some(prev) = r.previous {
        blocks.push(Block::PageBreak);
        changes(r, prev, &mut blocks);
    }
    blocks.push(Block::PageBreak);
    method(r, &mut blocks);

    let title = format!(
        "Piano di miglioramento della sicurezza informatica — {}",
        org.name
    );
    Document {
        info: DocumentInfo {
            title: title.clone(),
            author: org.name.clone(),
            subject: format!(
                "Autovalutazione del {date} con il questionario «{}» versione {}: risultati e piano d'azione",
                r.questionnaire.title, r.questionnaire.version
            ),
            keywords: vec![
                "sicurezza informatica".into(),
                "misure minime AgID".into(),
                "piano di miglioramento".into(),
                org.name.clone(),
            ],
            created: r.sheet.assessed_on,
            header: format!("{} · Piano di miglioramento della sicurezza informatica", org.name),
            header_right: date,
            footer: "Sentinella · autovalutazione dell'igiene informatica".into(),
        },
        blocks,
    }
}

fn cover(r: &PlanReport<'_>, date: &str, blocks: &mut Vec<Block>) {
    let org = &r.sheet.organization;
    let s = r.score;
    let place = match org.kind {
        Audience::Comune => format!(
            "Provincia: {} · Regione: {} · Codice ISTAT: {} · Abitanti: {}",
            org.province,
            org.region,
            org.istat_code,
            thousands(org.population)
        ),
        Audience::PolisOffice => format!(
            "Sportello Polis · Comune servito: codice ISTAT {} ({}, {}) · Abitanti: {}",
            org.istat_code,
            org.province,
            org.region,
            thousands(org.population)
        ),
    };
    blocks.extend(cover_band(
        "Autovalutazione della sicurezza informatica",
        "Piano di miglioramento",
        &org.name,
        place,
    ));

    let mut facts = vec![
        Span::plain("Questionario: "),
        Span::bold(format!(
            "{}, versione {}",
            r.questionnaire.title, r.questionnaire.version
        )),
        Span::plain("\nData della valutazione: "),
        Span::bold(date.to_string()),
    ];
    if let Some(role) = r
        .sheet
        .assessor_role
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        facts.push(Span::plain("\nCompilato da: "));
        facts.push(Span::bold(role.to_string()));
    }
    blocks.push(Block::Paragraph(Paragraph::new(facts).space_before(14.0)));

    let baseline_total = s.baseline.failed.len() + s.baseline.passed.len();
    let essential_total = s.essential.failed.len() + s.essential.passed.len();
    let gates = baseline_total + essential_total;
    let rank = |t: Tier| match t {
        Tier::Initial => 1,
        Tier::Developing => 2,
        Tier::Established => 3,
        Tier::Advanced => 4,
    };
    // The honest headline: the tier comes first; when a gate caps it, the
    // reason is beside it and the average is shown as what it is.
    let (tier_note, score_label, score_note) = if s.is_capped() {
        (
            format!(
                "Livello {} su 4, limitato: {}",
                rank(s.tier),
                s.cap_reason_it().unwrap_or_default()
            ),
            "Media delle risposte",
            format!(
                "Da sola varrebbe «{}», ma le misure mancanti vengono prima",
                s.uncapped_tier.label_it()
            ),
        )
    } else {
        (
            format!("Livello {} su 4", rank(s.tier)),
            "Punteggio complessivo",
            "Media pesata delle risposte".to_string(),
        )
    };
    let mut gate_note = Vec::new();
    if baseline_total > 0 {
        gate_note.push(format!(
            "misure minime: {} su {baseline_total}",
            s.baseline.passed.len()
        ));
    }
    if essential_total > 0 {
        gate_note.push(format!(
            "essenziali: {} su {essential_total}",
            s.essential.passed.len()
        ));
    }
    blocks.push(Block::Figures(vec![
        Figure {
            label: "Livello di maturità".into(),
            value: s.tier.label_it().into(),
            note: tier_note,
            color: tier_color(s.tier),
        },
        Figure {
            label: score_label.into(),
            value: format!("{} / 100", italian_score(s.overall)),
            note: score_note,
            color: if s.is_capped() {
                theme::MUTED
            } else {
                band_color(s.overall)
            },
        },
        Figure {
            label: "Controlli di base".into(),
            value: if gates == 0 {
                "Non valutati".into()
            } else if s.gates_met() {
                "Rispettati".into()
            } else {
                "Non rispettati".into()
            },
            note: if gates == 0 {
                "Nessun controllo di base applicabile".into()
            } else {
                format!("Superati: {}", gate_note.join("; "))
            },
            color: if s.gates_met() {
                theme::GOOD
            } else {
                theme::BAD
            },
        },
    ]));

    blocks.push(Block::Spacer(10.0));
    blocks.push(h2("Le sei misure prioritarie"));
    let items: Vec<Vec<Span>> = r
        .plan
        .priority_actions()
        .map(|a| {
            let number = number_of(r.plan, &a.question_id)
                .map(|n| format!(" · azione n. {n}"))
                .unwrap_or_default();
            vec![
                Span::bold(a.title.clone()),
                Span::plain(format!(
                    "\n{} · {}{number}",
                    a.owner.label_it(),
                    a.horizon.label_it().to_lowercase(),
                ))
                .colored(theme::MUTED),
            ]
        })
        .collect();
    if items.is_empty() {
        blocks.push(plain(
            "Nessuna misura da segnalare: tutte le risposte raggiungono il livello richiesto.",
        ));
    } else {
        blocks.push(Block::List(List::numbered(items)));
        blocks.push(note(
            "Sono le azioni con l'effetto maggiore: prima quelle sulle misure minime obbligatorie \
             e sulle misure essenziali, poi quelle con il divario più ampio, al massimo due per \
             argomento. Il dettaglio è nel piano d'azione.",
        ));
    }

    blocks.push(h2("Che cosa contiene questo documento"));
    let w = org.kind.wording();
    let mut contents = vec![
        rich(&format!(
            "**{}**: dove siamo, i rischi più grandi, le decisioni da prendere.",
            w.summary_title
        )),
        rich("**Risultati**: il punteggio di ogni argomento e l'esito dei controlli obbligatori."),
        rich("**Piano d'azione**: che cosa fare entro 30 giorni, 90 giorni e 12 mesi, chi e come."),
        rich(&format!(
            "**{}**: una lettera pronta da inviare.",
            w.supplier_title
        )),
        rich("**Scheda incidente**: che cosa fare nella prima ora e chi chiamare, da stampare."),
    ];
    if r.previous.is_some() {
        contents.push(rich(
            "**Cosa è cambiato**: il confronto con la valutazione precedente.",
        ));
    }
    contents.push(rich(
        "**Metodo**: come si calcola il punteggio e i limiti di un'autovalutazione.",
    ));
    blocks.push(Block::List(List::bullets(contents)));
}

/// "nessuno dei 30 controlli di base è superato", "1 controllo di base su
/// 30 non è superato", "5 controlli di base su 30 non sono superati".
fn failed_gates(failed: usize, total: usize) -> String {
    if total == 1 {
        "l'unico controllo di base non è superato".to_string()
    } else if failed == total {
        format!("nessuno dei {total} controlli di base è superato")
    } else if failed == 1 {
        format!("1 controllo di base su {total} non è superato")
    } else {
        format!("{failed} controlli di base su {total} non sono superati")
    }
}

/// The name with its article at the start of a sentence: "Il Comune di
/// Proceno", "L'Ufficio postale di Jacurso".
fn with_article(name: &str) -> String {
    let first = name.split_whitespace().next().unwrap_or("");
    match first {
        "Comune" | "Municipio" | "Consorzio" => format!("Il {name}"),
        "Ufficio" | "Unione" => format!("L'{name}"),
        "Provincia" | "Regione" | "Città" | "Comunità" => format!("La {name}"),
        _ => name.to_string(),
    }
}

fn summary(r: &PlanReport<'_>, w: &Wording, blocks: &mut Vec<Block>) {
    let s = r.score;
    let org = &r.sheet.organization;
    blocks.push(h1(w.summary_title));
    alerts_box(r, blocks);

    blocks.push(h2("Dove siamo"));
    let mut text = if s.is_capped() {
        format!(
            "{} è al livello di maturità **{}**. La media delle risposte è **{} su 100** e da \
             sola varrebbe «{}», ma il livello resta «{}» finché non sono rispettati tutti i \
             controlli di base.",
            with_article(&org.name),
            s.tier.label_it(),
            italian_score(s.overall),
            s.uncapped_tier.label_it(),
            s.tier.label_it()
        )
    } else {
        format!(
            "{} ha ottenuto **{} punti su 100**, livello di maturità **{}**.",
            with_article(&org.name),
            italian_score(s.overall),
            s.tier.label_it()
        )
    };
    let failed = s.baseline.failed.len();
    let central = r
        .questionnaire
        .questions()
        .filter(|(_, q)| q.central)
        .filter(|(_, q)| s.question(&q.id).is_some_and(|x| x.state.is_applicable()))
        .count();
    if failed > 0 {
        text.push_str(&format!(
            " {} **non sono rispettate**: {}.{}",
            match org.kind {
                Audience::Comune => {
                    "Le misure minime di sicurezza che ogni pubblica amministrazione deve rispettare"
                }
                Audience::PolisOffice => {
                    "Le misure minime di sicurezza AgID, la base richiesta a chi tratta dati e \
                     servizi della pubblica amministrazione,"
                }
            },
            failed_gates(failed, failed + s.baseline.passed.len()),
            if s.is_capped() {
                String::new()
            } else {
                format!(
                    " Finché non lo saranno, il livello non può salire oltre «{}».",
                    crate::scoring::GATE_CAP.label_it()
                )
            }
        ));
    } else if !s.baseline.passed.is_empty() {
        text.push_str(match org.kind {
            Audience::Comune => {
                " Le misure minime di sicurezza obbligatorie risultano **rispettate**."
            }
            Audience::PolisOffice => {
                " Le misure minime che dipendono dall'ufficio risultano **rispettate**."
            }
        });
    }
    let essential: Vec<String> = r
        .plan
        .actions
        .iter()
        .filter(|a| s.essential.failed.contains(&a.question_id))
        .map(|a| format!("«{}»", a.title))
        .collect();
    if !essential.is_empty() {
        let also = if failed > 0 { "inoltre " } else { "però " };
        text.push_str(&format!(
            " {} senza le quali nessuna organizzazione può dirsi consolidata: {}.",
            if essential.len() == 1 {
                format!("Manca {also}una misura essenziale,")
            } else {
                format!("Mancano {also}{} misure essenziali,", essential.len())
            },
            essential.join(", ")
        ));
    }
    if central > 0 && org.kind == Audience::PolisOffice {
        text.push_str(&format!(
            " {} riguarda{} sistemi che Poste gestisce centralmente: l'ufficio li vede solo dallo \
             sportello, e vanno verificati con Poste (si veda «Da verificare con Poste Italiane»).",
            capitalize(&count(central, "controllo", "controlli")),
            if central == 1 { "" } else { "no" }
        ));
    }
    blocks.push(para(&text));
    let unknown = s.unknown.len();
    if unknown > 0 {
        blocks.push(para(&format!(
            "A {} si è risposto «Non so». Non sapere è già un'informazione: qualcuno deve saperlo. \
             Per questo il piano contiene le domande da girare {}, pronte da inviare.",
            count(unknown, "domanda", "domande"),
            w.supplier_to
        )));
    }
    if !s.unanswered.is_empty() {
        blocks.push(para(&format!(
            "{} ancora senza risposta: contano zero, quindi il punteggio è un minimo.",
            capitalize(&count(s.unanswered.len(), "domanda è", "domande sono"))
        )));
    }

    blocks.push(Block::Figures(
        Horizon::ALL
            .iter()
            .map(|h| {
                let actions: Vec<&PlanAction> = r.plan.by_horizon(*h).collect();
                let gates = actions.iter().filter(|a| a.gate_failed).count();
                Figure {
                    label: h.label_it().to_string(),
                    value: count(actions.len(), "azione", "azioni"),
                    note: if gates > 0 {
                        format!("di cui {gates} su controlli di base")
                    } else {
                        String::new()
                    },
                    color: match h {
                        Horizon::Days30 => theme::BAD,
                        Horizon::Days90 => theme::WARN,
                        Horizon::Months12 => theme::PRIMARY,
                    },
                }
            })
            .collect(),
    ));

    blocks.push(h2("I tre rischi più grandi"));
    let risks = biggest_risks(r);
    if risks.is_empty() {
        blocks.push(plain(
            "Non emergono rischi gravi: tutte le aree raggiungono il livello richiesto. \
             Il lavoro ora è mantenere quanto fatto e verificarlo ogni anno.",
        ));
    } else {
        let items = risks
            .iter()
            .map(|(title, score, why)| {
                vec![
                    Span::bold(format!("{title} ({} su 100). ", italian_score(*score))),
                    Span::plain(why.clone()),
                ]
            })
            .collect();
        blocks.push(Block::List(List::numbered(items)));
    }

    blocks.push(h2("Cosa decidere ora"));
    let mut decisions: Vec<Vec<Span>> = vec![rich(&format!(
        "**Approvare questo piano** e affidarne il coordinamento a una persona ({}), con un primo \
         controllo dei progressi fra 90 giorni.",
        match org.kind {
            Audience::Comune =>
                "il Segretario comunale o il Responsabile per la transizione digitale",
            Audience::PolisOffice => "il direttore dell'ufficio",
        }
    ))];
    let now = r.plan.by_horizon(Horizon::Days30).count();
    if now > 0 {
        let cheap = r
            .plan
            .by_horizon(Horizon::Days30)
            .filter(|a| matches!(a.cost, CostBand::Zero | CostBand::Under1k))
            .count();
        let note = if cheap * 4 >= now * 3 {
            ": quasi tutte costano poco o nulla"
        } else {
            ""
        };
        decisions.push(rich(&format!(
            "**Avviare subito {} da fare entro 30 giorni**{note}.",
            if now == 1 {
                "l'azione".to_string()
            } else {
                format!("le {now} azioni")
            }
        )));
    }
    if unknown > 0 {
        decisions.push(rich(&format!(
            "**Inviare {} le domande di questo piano** e chiedere una risposta scritta entro 30 giorni.",
            w.supplier_to
        )));
    }
    let costs = |band: CostBand| r.plan.actions.iter().filter(|a| a.cost == band).count();
    let paid = costs(CostBand::Under1k) + costs(CostBand::From1kTo5k) + costs(CostBand::Over5k);
    if paid > 0 {
        let mut parts = Vec::new();
        for (band, text) in [
            (CostBand::Under1k, "sotto 1.000 €"),
            (CostBand::From1kTo5k, "fra 1.000 e 5.000 €"),
            (CostBand::Over5k, "oltre 5.000 €"),
        ] {
            let n = costs(band);
            if n > 0 {
                parts.push(format!("{} {text}", count(n, "azione", "azioni")));
            }
        }
        let free = costs(CostBand::Zero);
        let rest = match free {
            0 => String::new(),
            1 => "; l'altra richiede solo tempo del personale".to_string(),
            n => format!("; le altre {n} richiedono solo tempo del personale"),
        };
        decisions.push(rich(&format!(
            "**Prevedere le risorse{}**: {}{rest}.",
            w.budget,
            parts.join(", ")
        )));
    }
    let own: Vec<&PlanAction> = r
        .plan
        .actions
        .iter()
        .filter(|a| matches!(a.owner, Role::Giunta | Role::OfficeManager))
        .collect();
    if !own.is_empty() {
        const SHOWN: usize = 3;
        let titles: Vec<String> = own
            .iter()
            .take(SHOWN)
            .map(|a| format!("«{}»", a.title))
            .collect();
        let text = match own.len() {
            1 => format!("spetta {} l'azione {}", w.who_decides, titles.join(", ")),
            n if n <= SHOWN => {
                format!("spettano {} le azioni {}", w.who_decides, titles.join(", "))
            }
            n => format!(
                "spettano {} {n} azioni, tra cui {}; l'elenco completo è nel piano d'azione",
                w.who_decides,
                titles.join(", ")
            ),
        };
        decisions.push(rich(&format!("**Fare la propria parte**: {text}.")));
    }
    decisions.push(rich(
        "**Ripetere l'autovalutazione fra 12 mesi** con Sentinella, per misurare i progressi.",
    ));
    blocks.push(Block::List(List::bullets(decisions)));
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The three weakest domains that have actions, with the reason of their
/// most important action.
fn biggest_risks(r: &PlanReport<'_>) -> Vec<(String, f64, String)> {
    let mut domains: Vec<(usize, &crate::scoring::DomainScore, f64)> = r
        .score
        .domains
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.score.map(|s| (i, d, s)))
        .collect();
    domains.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)));
    domains
        .into_iter()
        .filter_map(|(_, d, score)| {
            let top = r
                .plan
                .actions
                .iter()
                .filter(|a| a.domain_id == d.id)
                .min_by_key(|a| (!a.gate_failed, std::cmp::Reverse(a.priority)))?;
            Some((d.title.clone(), score, top.why.clone()))
        })
        .take(3)
        .collect()
}

fn results(r: &PlanReport<'_>, blocks: &mut Vec<Block>) {
    let s = r.score;
    blocks.push(h1("Risultati"));
    blocks.push(para(&format!(
        "Il grafico mostra il punteggio di ogni argomento, da 0 a 100. La linea tratteggiata indica \
         **{}**, la soglia del livello «Consolidato»: sotto quella linea c'è lavoro da fare.",
        italian_score(TARGET_SCORE).trim_end_matches(",0")
    )));
    let previous = r.previous.map(|p| p.comparison);
    let bars = s
        .domains
        .iter()
        .filter_map(|d| {
            let value = d.score?;
            let before = previous
                .and_then(|c| c.domains.iter().find(|x| x.id == d.id))
                .and_then(|x| x.before);
            Some(Bar {
                label: d.title.clone(),
                value: value as f32,
                value_text: italian_score(value),
                previous: before.map(|b| b as f32),
                color: band_color(value),
            })
        })
        .collect();
    blocks.push(score_chart(bars, "Valutazione precedente", 14.0));

    blocks.push(h2("Punteggio per argomento"));
    let rows = s
        .domains
        .iter()
        .map(|d| {
            let unknown = r
                .score
                .questions
                .iter()
                .filter(|q| q.domain == d.id && q.state == QuestionState::Unknown)
                .count();
            let actions = r
                .plan
                .actions
                .iter()
                .filter(|a| a.domain_id == d.id)
                .count();
            let (score, fill) = match d.score {
                Some(v) => (
                    Cell::new(vec![Span::bold(italian_score(v)).colored(band_color(v))]),
                    None,
                ),
                None => (Cell::plain("non applicabile"), Some(theme::SHADE)),
            };
            let mut row = vec![
                Cell::plain(d.title.clone()),
                score,
                Cell::plain(format!("{} su {}", d.answered, d.applicable)),
                Cell::plain(unknown.to_string()),
                Cell::plain(actions.to_string()),
            ];
            if let Some(f) = fill {
                for c in &mut row {
                    c.fill = Some(f);
                }
            }
            row
        })
        .collect();
    blocks.push(Block::Table(Table::new(
        vec![
            Column::new("Argomento", 4.2),
            Column::right("Punteggio", 1.3),
            Column::right("Risposte", 1.3),
            Column::right("«Non so»", 1.2),
            Column::right("Azioni", 1.0),
        ],
        rows,
    )));

    blocks.push(h2("I controlli di base"));
    let (addressees, examples) = match r.sheet.organization.kind {
        Audience::Comune => (
            "un livello obbligatorio per ogni ente",
            "la verifica in due passaggi, i sistemi ancora aggiornati, la prova di ripristino, la \
             procedura per le violazioni di dati",
        ),
        Audience::PolisOffice => (
            "la base richiesta a chi tratta dati e servizi della pubblica amministrazione",
            "impronte e foto solo nell'applicazione ufficiale, nessuna copia sui telefoni, il \
             controllo dei documenti d'identità",
        ),
    };
    blocks.push(para(&format!(
        "I controlli di base sono di due tipi. Le **misure minime** vengono dalle //Misure minime \
         di sicurezza ICT per le pubbliche amministrazioni// (AgID, circolare 2/2017), che fissano \
         {addressees}. Le **misure essenziali** sono quelle senza le quali nessuna organizzazione \
         può dirsi consolidata, qualunque sia la sua media: {examples}. Ogni controllo ha una \
         soglia: una risposta sotto la soglia, oppure «Non so», non lo supera, e il livello di \
         maturità resta «In sviluppo»."
    )));
    let mut gates: Vec<(bool, usize, Vec<Cell>)> = Vec::new();
    for (i, (_, q)) in r.questionnaire.questions().enumerate() {
        let Some(result) = s.question(&q.id) else {
            continue;
        };
        let kinds = [
            (GateKind::Baseline, result.gate),
            (GateKind::Essential, result.essential),
        ];
        // One row per question: a failed gate shows its kind first.
        let Some((_, gate)) = kinds
            .iter()
            .filter_map(|(k, g)| g.map(|g| (*k, g)))
            .filter(|(_, g)| *g != GateStatus::NotApplicable)
            .min_by_key(|(k, g)| (*g != GateStatus::Failed, *k))
        else {
            continue;
        };
        let (label, color) = match (gate, result.state) {
            (GateStatus::Passed, _) => ("Superato", theme::GOOD),
            (GateStatus::Failed, QuestionState::Unknown) => ("Non superato («Non so»)", theme::BAD),
            (GateStatus::Failed, QuestionState::Unanswered) => {
                ("Non superato (senza risposta)", theme::BAD)
            }
            (GateStatus::Failed, _) => ("Non superato", theme::BAD),
            (GateStatus::NotApplicable, _) => continue,
        };
        let mut sources = Vec::new();
        if let Some(b) = &q.baseline {
            sources.push(format!("Misura minima: {}", b.controls.join(", ")));
        }
        if let Some(e) = &q.essential {
            sources.push(format!("Misura essenziale: {}", e.sources.join(", ")));
        }
        gates.push((
            gate == GateStatus::Failed,
            i,
            vec![
                Cell::new(vec![
                    Span::plain(q.text.clone()),
                    Span::plain(format!("\n{}", sources.join(" · "))).colored(theme::MUTED),
                ]),
                Cell::new(vec![Span::bold(label).colored(color)]),
                Cell::plain(first_sentence(&q.help)),
            ],
        ));
    }
    gates.sort_by_key(|g| (!g.0, g.1));
    if gates.is_empty() {
        blocks.push(plain(
            "Nessun controllo di base si applica a questa organizzazione.",
        ));
    } else {
        let mut table = Table::new(
            vec![
                Column::new("Controllo", 4.0),
                Column::new("Esito", 1.6),
                Column::new("Perché conta", 3.4),
            ],
            gates.into_iter().map(|g| g.2).collect(),
        );
        table.zebra = true;
        blocks.push(Block::Table(table));
    }
    central_items(r, blocks);
}

/// "Da verificare con Poste Italiane": the items Poste's central IT runs,
/// as seen from the counter. They carry no gate; a "Non so" there is a
/// question for Poste, not a failure of the office.
fn central_items(r: &PlanReport<'_>, blocks: &mut Vec<Block>) {
    let rows: Vec<Vec<Cell>> = r
        .questionnaire
        .questions()
        .filter(|(_, q)| q.central)
        .filter_map(|(_, q)| {
            let result = r.score.question(&q.id)?;
            if !result.state.is_applicable() {
                return None;
            }
            let answer = r
                .sheet
                .answers
                .get(&q.id)
                .and_then(|a| q.option(&a.option))
                .map_or_else(|| "Nessuna risposta".to_string(), |o| o.label.clone());
            let status = match result.state {
                QuestionState::Unknown | QuestionState::Unanswered => {
                    Span::bold("Da chiedere a Poste").colored(theme::WARN)
                }
                QuestionState::Level(l) if l < q.target_level => {
                    Span::bold("Sotto l'obiettivo").colored(theme::WARN)
                }
                _ => Span::plain("Nessun problema visto dallo sportello"),
            };
            Some(vec![
                Cell::new(vec![
                    Span::plain(q.text.clone()),
                    Span::plain(format!("\n{}", references(&q.mappings, false)))
                        .colored(theme::MUTED),
                ]),
                Cell::plain(answer),
                Cell::new(vec![status]),
            ])
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    blocks.push(h2("Da verificare con Poste Italiane"));
    blocks.push(para(
        "Questi controlli dipendono dai sistemi che Poste gestisce centralmente: aggiornamenti, \
         antivirus, programmi installati, configurazione dei totem. L'ufficio li vede solo dallo \
         sportello, quindi qui non hanno soglia e non limitano il livello. Le risposte «Non so» \
         sono diventate domande per le strutture di Poste, nella lettera di questo documento.",
    ));
    let mut table = Table::new(
        vec![
            Column::new("Controllo", 4.0),
            Column::new("Risposta dello sportello", 3.0),
            Column::new("Esito", 2.0),
        ],
        rows,
    );
    table.zebra = true;
    blocks.push(Block::Table(table));
}

fn actions(r: &PlanReport<'_>, blocks: &mut Vec<Block>) {
    blocks.push(h1("Piano d'azione"));
    let total = r.plan.actions.len();
    if total == 0 {
        blocks.push(plain(
            "Nessuna azione necessaria: tutte le risposte raggiungono il livello richiesto. \
             Conviene comunque ripetere l'autovalutazione ogni anno.",
        ));
        return;
    }
    blocks.push(para(&format!(
        "Il piano contiene **{}**, divise per scadenza. Le scadenze vanno prima alle azioni sulle \
         misure minime obbligatorie (segnate «Misura minima») e sulle misure essenziali (segnate \
         «Misura essenziale»), e un'azione non viene mai prima di quelle da cui dipende. In ogni \
         gruppo vengono prima le azioni più rapide. Per ogni azione sono indicati chi la guida, l'impegno, il costo stimato e i riferimenti \
         ai controlli (AgID ABSC, CIS Controls, NIST CSF 2.0, misure ACN).",
        count(total, "azione", "azioni")
    )));
    let numbered = numbered(r.plan);
    for h in Horizon::ALL {
        let group: Vec<&(usize, &PlanAction)> =
            numbered.iter().filter(|(_, a)| a.horizon == h).collect();
        if group.is_empty() {
            continue;
        }
        blocks.push(h2(&format!(
            "{} ({})",
            h.label_it(),
            count(group.len(), "azione", "azioni")
        )));
        let rows = group
            .iter()
            .map(|(n, a)| {
                let mut title = vec![Span::plain(a.title.clone())];
                if let Some(kind) = a.gate {
                    title.push(Span::bold(format!("\n{}", gate_marker(kind))).colored(theme::BAD));
                }
                vec![
                    Cell::new(vec![Span::bold(n.to_string())]),
                    Cell::new(title),
                    Cell::plain(a.owner.label_it()),
                    Cell::plain(a.effort.label_it()),
                    Cell::plain(a.cost.label_it()),
                    Cell::plain(references(&a.references, false)),
                ]
            })
            .collect();
        let mut table = Table::new(
            vec![
                Column::right("N.", 0.45),
                Column::new("Azione", 3.3),
                Column::new("Chi", 1.7),
                Column::new("Impegno", 0.95),
                Column::new("Costo", 1.2),
                Column::new("Riferimenti", 2.2),
            ],
            rows,
        );
        table.zebra = true;
        blocks.push(Block::Table(table));
        for (n, a) in group {
            blocks.push(Block::Group(action_block(r, *n, a)));
        }
    }
}

fn action_block(r: &PlanReport<'_>, n: usize, a: &PlanAction) -> Vec<Block> {
    let mut blocks = vec![h3(format!("{n}. {}", a.title))];
    let mut facts = vec![
        Span::plain("Chi: "),
        Span::bold(a.owner.label_it()),
        Span::plain(" · Impegno: "),
        Span::bold(a.effort.label_it()),
        Span::plain(" · Costo: "),
        Span::bold(a.cost.label_it()),
        Span::plain(" · Argomento: "),
        Span::plain(a.domain_title.clone()),
    ];
    match a.gate {
        Some(GateKind::Baseline) => {
            facts.push(Span::bold(" · Misura minima obbligatoria").colored(theme::BAD));
        }
        Some(GateKind::Essential) => {
            facts.push(Span::bold(" · Misura essenziale").colored(theme::BAD));
        }
        None => {}
    }
    if a.horizon > a.natural_horizon {
        facts.push(Span::plain(format!(
            " · Spostata da «{}» per non sovraccaricare i primi mesi",
            a.natural_horizon.label_it().to_lowercase()
        )));
    } else if a.horizon < a.natural_horizon {
        facts.push(Span::plain(
            " · Anticipata: serve prima di un'altra azione".to_string(),
        ));
    }
    if !a.requires.is_empty() {
        let before: Vec<String> = a
            .requires
            .iter()
            .filter_map(|id| number_of(r.plan, id).map(|n| format!("n. {n}")))
            .collect();
        if !before.is_empty() {
            facts.push(Span::plain(format!(
                " · Dopo l'azione {}",
                before.join(", ")
            )));
        }
    }
    blocks.push(Block::Paragraph(
        Paragraph::new(facts)
            .size(9.0)
            .color(theme::MUTED)
            .space_before(2.0),
    ));
    let answer = r
        .sheet
        .answers
        .get(&a.question_id)
        .and_then(|ans| {
            r.questionnaire
                .question(&a.question_id)?
                .option(&ans.option)
        })
        .map(|o| o.label.clone());
    let situation = match (&answer, a.unknown, a.unanswered) {
        (_, _, true) | (None, _, _) => vec![Span::plain("nessuna risposta.")],
        (Some(label), true, _) => vec![
            Span::plain(format!("«{label}»: ")),
            Span::plain(format!(
                "da chiarire con chi gestisce i sistemi (la domanda è nella lettera per {}).",
                r.sheet.organization.kind.wording().supplier_name
            )),
        ],
        (Some(label), false, false) => vec![
            Span::plain(format!("«{label}» ")),
            Span::plain(format!(
                "(livello {} su 3; obiettivo {}).",
                a.level, a.target
            ))
            .colored(theme::MUTED),
        ],
    };
    let mut question = vec![
        Span::bold("La domanda: "),
        Span::plain(a.question_text.clone()),
    ];
    question.push(Span::bold("\nLa risposta: "));
    question.extend(situation);
    blocks.push(Block::Paragraph(Paragraph::new(question)));
    blocks.push(Block::Paragraph(Paragraph::new(vec![
        Span::bold("Perché: "),
        Span::plain(a.why.clone()),
    ])));
    if !a.steps.is_empty() {
        blocks.push(Block::Paragraph(
            Paragraph::new(vec![Span::bold("Che cosa fare:")]).space_before(4.0),
        ));
        let mut list = List::numbered(
            a.steps
                .iter()
                .map(|s| vec![Span::plain(s.clone())])
                .collect(),
        );
        list.space_before = 2.0;
        blocks.push(Block::List(list));
    }
    let refs = references(&a.references, true);
    if !refs.is_empty() {
        blocks.push(Block::Paragraph(
            Paragraph::new(vec![Span::plain(format!("Riferimenti: {refs}"))])
                .size(8.5)
                .color(theme::MUTED)
                .space_before(3.0),
        ));
    }
    blocks
}

fn supplier(r: &PlanReport<'_>, w: &Wording, date: &str, blocks: &mut Vec<Block>) {
    let org = &r.sheet.organization;
    blocks.push(h1(w.supplier_title));
    let questions = &r.plan.supplier_questions;
    if questions.is_empty() {
        blocks.push(plain(
            "In questa autovalutazione nessuna domanda ha avuto come risposta «Non so»: \
             non ci sono domande da inviare.",
        ));
        return;
    }
    blocks.push(note(
        "Questa pagina si può inviare così com'è, per posta elettronica o PEC.",
    ));
    blocks.push(Block::Paragraph(
        Paragraph::new(vec![Span::bold(w.supplier_addressee)]).space_before(10.0),
    ));
    blocks.push(Block::Paragraph(Paragraph::new(vec![
        Span::bold("Oggetto: "),
        Span::plain(format!(
            "richiesta di informazioni sulla sicurezza informatica — {}",
            org.name
        )),
    ])));
    blocks.push(plain(format!(
        "Il {date} abbiamo svolto un'autovalutazione della nostra sicurezza informatica, basata \
         sulle misure minime AgID per le pubbliche amministrazioni. Alle domande che seguono non \
         abbiamo saputo rispondere. Vi chiediamo di rispondere per iscritto entro 30 giorni, \
         indicando per ciascuna il numero, la situazione attuale ed eventuali interventi \
         consigliati, con il loro costo indicativo."
    )));
    // One numbered list per domain, numbered continuously so that the
    // answers can refer to the numbers.
    let mut groups: Vec<(&str, Vec<Vec<Span>>)> = Vec::new();
    for q in questions {
        match groups.last_mut() {
            Some((domain, items)) if *domain == q.domain_title => {
                items.push(vec![Span::plain(q.text.clone())])
            }
            _ => groups.push((&q.domain_title, vec![vec![Span::plain(q.text.clone())]])),
        }
    }
    let mut next = 1;
    for (domain, items) in groups {
        blocks.push(h3(domain.to_string()));
        let len = items.len();
        let mut list = List::numbered(items);
        list.space_before = 2.0;
        list.start = next;
        next += len;
        blocks.push(Block::List(list));
    }
    blocks.push(plain("Grazie per la collaborazione."));
    blocks.push(Block::Paragraph(
        Paragraph::plain(format!(
            "{}\nFirma: ______________________________   Data: ______________",
            org.name
        ))
        .space_before(16.0),
    ));
}

/// Most alerts printed in the box; the others are counted.
const MAX_ALERTS_PRINTED: usize = 4;

/// "Avvisi del coordinamento": the active alerts, short, with the actions
/// of this plan they concern.
fn alerts_box(r: &PlanReport<'_>, blocks: &mut Vec<Block>) {
    if r.alerts.is_empty() {
        return;
    }
    let mut inner = Vec::new();
    for a in r.alerts.iter().take(MAX_ALERTS_PRINTED) {
        let mut spans = vec![
            Span::bold(format!("{}: ", a.severity.label())),
            Span::bold(a.title.clone()),
            Span::plain(format!(
                " (del {}, valido fino al {}). ",
                italian_date(a.date),
                italian_date(a.expires_on)
            )),
            Span::plain(first_sentence(
                a.text.split('\n').next().unwrap_or_default(),
            )),
        ];
        let mut actions: Vec<usize> = a
            .related_questions
            .iter()
            .filter_map(|q| number_of(r.plan, q))
            .collect();
        actions.sort_unstable();
        actions.dedup();
        match actions.as_slice() {
            [] => {}
            [n] => spans.push(Span::bold(format!(" Riguarda l'azione {n} del piano."))),
            many => spans.push(Span::bold(format!(
                " Riguarda le azioni {} del piano.",
                italian_list(&many.iter().map(ToString::to_string).collect::<Vec<_>>())
            ))),
        }
        inner.push(Block::Paragraph(Paragraph::new(spans).space_before(3.0)));
    }
    let more = r.alerts.len().saturating_sub(MAX_ALERTS_PRINTED);
    let tail = match more {
        0 => String::new(),
        1 => " C'è un altro avviso, da leggere nell'app.".to_string(),
        n => format!(" Ci sono altri {n} avvisi, da leggere nell'app."),
    };
    inner.push(Block::Paragraph(
        Paragraph::new(vec![Span::plain(format!(
            "Avvisi in corso alla data di stampa, inviati dal coordinamento territoriale con un \
             pacchetto firmato.{tail}"
        ))
        .colored(theme::MUTED)])
        .space_before(4.0),
    ));
    blocks.push(Block::Card(Card {
        title: Some("Avvisi del coordinamento".into()),
        blocks: inner,
        fill: theme::WARN_TINT,
        accent: theme::WARN,
        space_before: 6.0,
    }));
}

/// "1, 2 e 3".
fn italian_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} e {last}", rest.join(", ")),
    }
}

pub(crate) fn incident_card(
    org: &crate::model::Organization,
    contacts: &[Contact],
    territory: &[TerritoryContact],
    blocks: &mut Vec<Block>,
) {
    let card = crate::incident_card::card(org);
    blocks.push(h1("Scheda incidente"));
    blocks.push(note(if contacts.is_empty() {
        "Da stampare e tenere accanto ai PC. Compilate i numeri a mano e teneteli aggiornati."
    } else if !territory.is_empty() {
        "Da stampare e tenere accanto ai PC. I recapiti stampati vengono dai «Contatti per le \
         emergenze» di Sentinella e dal coordinamento territoriale: verificateli e scrivete a mano \
         quelli mancanti."
    } else {
        "Da stampare e tenere accanto ai PC. I recapiti stampati vengono dai «Contatti per le \
         emergenze» di Sentinella: verificateli e scrivete a mano quelli mancanti."
    }));
    let mut list = List::numbered(card.first_hour.iter().map(|s| rich(s)).collect());
    list.space_before = 2.0;
    blocks.push(Block::Card(Card {
        title: Some("Nella prima ora".into()),
        blocks: vec![Block::List(list)],
        fill: theme::BAD_TINT,
        accent: theme::BAD,
        space_before: 10.0,
    }));

    blocks.push(h2("Chi chiamare, in quest'ordine"));
    let rows: Vec<Vec<Cell>> = card
        .contacts
        .iter()
        .map(|c| {
            let saved = c
                .role
                .and_then(|role| contacts.iter().find(|s| s.role == role));
            vec![
                Cell::new(vec![Span::bold(c.who.clone())]),
                Cell::new(rich(&c.when)),
                saved.map_or_else(Cell::write_in, contact_cell),
            ]
        })
        .collect();
    let mut table = Table::new(
        vec![
            Column::new("Chi", 2.6),
            Column::new("Quando e perché", 4.0),
            Column::new("Nome e numero di telefono", 2.6),
        ],
        rows,
    );
    table.min_row_height = 40.0;
    blocks.push(Block::Table(table));

    let others: Vec<&TerritoryContact> = territory
        .iter()
        .filter(|t| t.role != TerritoryRole::Cosc)
        .collect();
    if !others.is_empty() {
        blocks.push(Block::Lead(vec![
            h2("Recapiti del territorio"),
            note("Indicati dal coordinamento territoriale, per un consiglio o un aiuto nella risposta."),
        ]));
        let rows = others
            .iter()
            .map(|t| {
                let c = Contact {
                    role: crate::incident::contacts::ContactRole::Cosc,
                    name: t.name.clone(),
                    phone: t.phone.clone(),
                    email: t.email.clone(),
                };
                vec![
                    Cell::new(vec![Span::bold(t.role.label())]),
                    contact_cell(&c),
                ]
            })
            .collect();
        blocks.push(Block::Table(Table::new(
            vec![Column::new("Chi", 4.6), Column::new("Nome e recapiti", 4.6)],
            rows,
        )));
    }

    blocks.push(h2(&card.notification_title));
    for text in &card.notification {
        blocks.push(para(text));
    }
}

/// `after − before` computed from the two scores rounded as printed.
fn shown_delta(before: f64, after: f64) -> f64 {
    let r = |v: f64| (v * 10.0).round() / 10.0;
    r(r(after) - r(before))
}

/// A saved contact in the card's third column: name, phone, e-mail.
fn contact_cell(c: &Contact) -> Cell {
    let mut spans = vec![Span::bold(c.name.clone())];
    if let Some(p) = &c.phone {
        spans.push(Span::plain(format!("\ntel. {p}")));
    }
    if let Some(e) = &c.email {
        spans.push(Span::plain(format!("\n{e}")));
    }
    Cell::new(spans)
}

fn changes(r: &PlanReport<'_>, prev: PreviousAssessment<'_>, blocks: &mut Vec<Block>) {
    let c = prev.comparison;
    blocks.push(h1("Cosa è cambiato dalla valutazione precedente"));
    // The difference of the figures as printed (one decimal each), so the
    // sentence adds up for the reader (docs/app.md, one rounding rule).
    let delta = shown_delta(c.overall_before, c.overall_after);
    let direction = if delta > 0.05 {
        format!("è salito di {} punti", italian_score(delta))
    } else if delta < -0.05 {
        format!("è sceso di {} punti", italian_score(-delta))
    } else {
        "è rimasto invariato".to_string()
    };
    blocks.push(para(&format!(
        "Rispetto alla valutazione del {} il punteggio complessivo {direction}: da **{}** a **{}** su 100.",
        italian_date(prev.assessed_on),
        italian_score(c.overall_before),
        italian_score(c.overall_after)
    )));
    let rows: Vec<Vec<Cell>> = c
        .domains
        .iter()
        .map(|d| {
            let fmt = |v: Option<f64>| v.map_or_else(|| "—".to_string(), italian_score);
            let change = match d.before.zip(d.after).map(|(b, a)| shown_delta(b, a)) {
                Some(x) if x > 0.05 => {
                    Span::bold(format!("+{}", italian_score(x))).colored(theme::GOOD)
                }
                Some(x) if x < -0.05 => {
                    Span::bold(format!("−{}", italian_score(-x))).colored(theme::BAD)
                }
                Some(_) => Span::plain("invariato"),
                None => Span::plain("—"),
            };
            vec![
                Cell::plain(d.title.clone()),
                Cell::plain(fmt(d.before)),
                Cell::plain(fmt(d.after)),
                Cell::new(vec![change]),
            ]
        })
        .collect();
    blocks.push(Block::Table(Table::new(
        vec![
            Column::new("Argomento", 4.0),
            Column::right("Prima", 1.2),
            Column::right("Ora", 1.2),
            Column::right("Variazione", 1.4),
        ],
        rows,
    )));
    let list = |items: &[(String, String)]| -> Block {
        Block::List(List::bullets(
            items
                .iter()
                .map(|(_, title)| vec![Span::plain(title.clone())])
                .collect(),
        ))
    };
    blocks.push(h2(&format!("Azioni concluse ({})", c.closed.len())));
    if c.closed.is_empty() {
        blocks.push(plain(
            "Nessuna azione del piano precedente risulta conclusa.",
        ));
    } else {
        blocks.push(plain(
            "Queste azioni del piano precedente non sono più necessarie:",
        ));
        blocks.push(list(&c.closed));
    }
    blocks.push(h2(&format!("Nuove lacune ({})", c.new_gaps.len())));
    if c.new_gaps.is_empty() {
        blocks.push(plain("Non sono emerse lacune nuove."));
    } else {
        blocks.push(plain(
            "Queste azioni non erano nel piano precedente: la situazione è peggiorata, oppure la \
             domanda prima non si applicava, oppure è nuova in questa versione del questionario \
             (segnata «domanda nuova»).",
        ));
        blocks.push(Block::List(List::bullets(
            c.new_gaps
                .iter()
                .map(|(id, title)| {
                    let mut item = vec![Span::plain(title.clone())];
                    if c.new_questions.contains(id) {
                        item.push(Span::plain(" (domanda nuova)").colored(theme::MUTED));
                    }
                    item
                })
                .collect(),
        )));
    }
    if !c.new_questions.is_empty() || !c.removed_questions.is_empty() {
        blocks.push(h2("Versioni diverse del questionario"));
        let mut text = "La valutazione precedente usava un'altra versione del questionario. Il \
                        confronto riguarda le domande comuni alle due versioni."
            .to_string();
        if !c.new_questions.is_empty() {
            text.push_str(&format!(
                " In questa versione {}.",
                count(
                    c.new_questions.len(),
                    "domanda è nuova",
                    "domande sono nuove"
                )
            ));
        }
        if !c.removed_questions.is_empty() {
            // "Non c'è più 1 domanda…": a sentence never starts with a digit.
            text.push_str(&format!(
                " Non {} più {} della versione precedente.",
                if c.removed_questions.len() == 1 {
                    "c'è"
                } else {
                    "ci sono"
                },
                count(c.removed_questions.len(), "domanda", "domande"),
            ));
        }
        text.push_str(
            " I punteggi restano confrontabili nel metodo, ma le domande nuove possono \
             spostarli.",
        );
        blocks.push(para(&text));
        // Name the new questions: a new question answered well is in no
        // list of actions, and the reader should still know it was asked.
        let new: Vec<Vec<Span>> = c
            .new_questions
            .iter()
            .filter_map(|id| r.questionnaire.question(id))
            .map(|q| vec![Span::plain(q.text.clone())])
            .collect();
        if !new.is_empty() {
            blocks.push(plain(if new.len() == 1 {
                "La domanda nuova:"
            } else {
                "Le domande nuove:"
            }));
            blocks.push(Block::List(List::bullets(new)));
        }
    }
}

fn method(r: &PlanReport<'_>, blocks: &mut Vec<Block>) {
    blocks.push(h1("Metodo"));
    blocks.push(h2("Come si calcola il punteggio"));
    blocks.push(para(
        "Ogni risposta corrisponde a un livello da 0 a 3: **0** assente, **1** parziale o \
         informale, **2** in gran parte presente, **3** completo e verificato. «Non so» vale 0; \
         «Non applicabile» e le domande che non riguardano l'organizzazione non vengono contate. \
         Ogni domanda ha un peso da 1 a 3 secondo il suo impatto.",
    ));
    blocks.push(para(
        "Il punteggio di un argomento è la somma di peso × livello / 3 divisa per la somma dei pesi, \
         espressa su 100. Il punteggio complessivo è lo stesso calcolo su tutte le domande. \
         I livelli di maturità sono: **Iniziale** sotto 40, **In sviluppo** da 40, **Consolidato** \
         da 65, **Avanzato** da 85. Se anche un solo controllo di base (misura minima o misura \
         essenziale) non è superato, il livello non può andare oltre «In sviluppo»: in copertina \
         viene prima il livello, con il motivo, e la media resta visibile accanto, così i \
         progressi si vedono.",
    ));
    blocks.push(para(
        "Ogni domanda sotto il livello richiesto produce un'azione, con chi la guida, l'impegno, \
         il costo stimato e la scadenza (30 giorni, 90 giorni, 12 mesi). I posti nelle prime \
         scadenze vanno prima alle azioni sui controlli di base, poi a quelle con il divario più \
         ampio; un'azione non viene mai prima di quelle da cui dipende (per esempio la copia \
         staccata dalla rete dopo la copia settimanale). Dentro ogni scadenza vengono prima le \
         azioni più rapide.",
    ));
    blocks.push(h2("I riferimenti"));
    blocks.push(Block::List(List::bullets(vec![
        rich(
            "**Misure minime di sicurezza ICT per le pubbliche amministrazioni** (AgID, circolare \
             2/2017): i controlli ABSC di livello minimo, obbligatori per ogni ente, sono i \
             «controlli di base» di questo documento.",
        ),
        rich(
            "**CIS Controls v8.1, Implementation Group 1**: le 56 salvaguardie di igiene \
             informatica essenziale, usate anche per formazione, incidenti e fornitori, temi che \
             le misure minime non trattano.",
        ),
        rich(
            "**NIST Cybersecurity Framework 2.0** e **Framework nazionale per la cybersecurity e \
             la data protection** (ACN), con le misure di base per i soggetti NIS: il passo \
             successivo per gli enti più grandi.",
        ),
    ])));
    blocks.push(h2("I limiti di un'autovalutazione"));
    blocks.push(Block::List(List::bullets(vec![
        rich(
            "Le risposte sono dichiarazioni di chi ha compilato il questionario: nessuno le ha \
             verificate sul posto. Il risultato vale quanto la loro accuratezza.",
        ),
        rich(
            "Non è una certificazione né una verifica di conformità: serve a capire dove si è e \
             da dove partire.",
        ),
        rich(
            "Le domande coprono l'igiene informatica di base, non ogni rischio possibile: un \
             punteggio alto è un buon segno, ma non rende immuni dagli attacchi, perché gli \
             attaccanti cambiano strategia di continuo.",
        ),
        rich("Le stime di impegno e costo sono indicative: vanno confermate con il fornitore."),
        rich(
            "La sicurezza non si fa una volta per tutte: le attività del piano vanno seguite nel \
             tempo e l'autovalutazione ripetuta almeno una volta all'anno, perché ciò che oggi \
             funziona domani può non bastare più.",
        ),
    ])));
    blocks.push(note(format!(
        "Questionario «{}», versione {} ({} domande). Documento generato con Sentinella.",
        r.questionnaire.title,
        r.questionnaire.version,
        r.questionnaire.question_count()
    )));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::Tier;

    #[test]
    fn target_is_the_established_threshold() {
        assert_eq!(Tier::from_score(TARGET_SCORE), Tier::Established);
        assert_eq!(Tier::from_score(TARGET_SCORE - 0.01), Tier::Developing);
    }

    #[test]
    fn italian_formats() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        assert_eq!(italian_date(d), "1 marzo 2026");
        assert_eq!(italian_score(40.25), "40,3");
        assert_eq!(italian_score(13.0), "13,0");
        assert_eq!(thousands(1234567), "1.234.567");
        assert_eq!(thousands(560), "560");
        assert_eq!(count(1, "azione", "azioni"), "1 azione");
        assert_eq!(count(0, "azione", "azioni"), "0 azioni");
        assert_eq!(with_article("Comune di Proceno"), "Il Comune di Proceno");
        assert_eq!(
            with_article("Ufficio postale di Jacurso"),
            "L'Ufficio postale di Jacurso"
        );
        assert_eq!(with_article("ASL Roma 1"), "ASL Roma 1");
        assert_eq!(
            failed_gates(30, 30),
            "nessuno dei 30 controlli di base è superato"
        );
        assert_eq!(
            failed_gates(1, 9),
            "1 controllo di base su 9 non è superato"
        );
    }

    #[test]
    fn odd_user_text_is_replaced_not_fatal() -> Result<(), ReportError> {
        let (catalog, _) = crate::load::Catalog::builtin();
        let Some(entry) = catalog.entries().first() else {
            return Ok(());
        };
        let q = entry.questionnaire.as_ref();
        let date = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default();
        let mut sheet = crate::demo::examples(q, date)
            .into_iter()
            .next()
            .map(|e| e.sheet)
            .ok_or_else(|| ReportError::Pdf("no demo example".into()))?;
        sheet.organization.name = format!("Comune di Prova \u{1F600} ≥ {}", "molto ".repeat(30));
        sheet.assessor_role = Some("Segretaria\tcomunale\u{0007}".into());
        let score = crate::scoring::score(q, &sheet);
        let plan = crate::plan::build(q, &sheet, &score);
        let pdf = plan_pdf(&PlanReport {
            questionnaire: q,
            sheet: &sheet,
            score: &score,
            plan: &plan,
            previous: None,
            contacts: &[],
            alerts: &[],
            territory: &[],
        })?;
        assert!(pdf.bytes.starts_with(b"%PDF-1.7"));
        assert!(
            pdf.replaced_chars.contains(&'\u{1F600}'),
            "{:?}",
            pdf.replaced_chars
        );
        assert!(!pdf.replaced_chars.contains(&'≥'), "≥ has a look-alike");
        Ok(())
    }

    #[test]
    fn first_sentence_stops_at_the_first_full_stop() {
        assert_eq!(
            first_sentence("Non si può proteggere ciò che non si conosce. Un vecchio PC..."),
            "Non si può proteggere ciò che non si conosce."
        );
        assert_eq!(
            first_sentence("Es. 3.5 per cento. Poi"),
            "Es. 3.5 per cento."
        );
        assert_eq!(first_sentence("Senza punto"), "Senza punto");
    }
}

#[cfg(test)]
mod shown_delta_tests {
    use super::shown_delta;

    #[test]
    fn the_printed_difference_is_that_of_the_printed_figures() {
        // 35.04 prints as "35,0" and 1.26 as "1,3": the sentence must say
        // −33,7, not the −33,8 of the raw figures.
        assert!((shown_delta(35.04, 1.26) - -33.7).abs() < 1e-9);
        assert!((shown_delta(40.25, 40.34) - 0.0).abs() < 1e-9);
    }
}
