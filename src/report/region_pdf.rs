//! The territorial summary as a PDF: what a regional or ANCI coordinator
//! reads to decide where to send help and training.
//!
//! Pure: the [`Report`]s of [`crate::aggregate::aggregate`] in (one per
//! questionnaire), a PDF out. Sections: cover, then for each questionnaire
//! the short version, the overall picture, the comparison by territory and
//! population band, the domains, the questions for training, the comuni
//! still missing and the files with an unknown ISTAT code; last, the method.
//!
//! Suppression is the aggregation's: a group with fewer than `min_group`
//! assessed comuni has no [`Figures`], and this module only ever prints
//! figures it finds there, so such a group shows a dash and nothing else.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::aggregate::{Figures, GroupStats, MissingComune, QuestionFigures, Report, ScopeInfo};
use crate::istat;
use crate::scoring::Tier;

use super::common::{
    band_color, count, cover_band, h1, h2, h3, italian_date, italian_score, note, para, plain,
    score_chart, thousands, tier_color, TARGET_SCORE,
};
use super::layout::{Bar, Block, Card, Cell, Column, Figure, List, Paragraph, Table};
use super::render::{render, Document, DocumentInfo, RenderedPdf};
use super::text::{rich, Span};
use super::theme;
use super::ReportError;

/// What the summary needs besides the reports.
#[derive(Debug, Clone, Copy)]
pub struct RegionInfo<'a> {
    /// The area (also when there is no report because nothing was assessed).
    pub scope: &'a ScopeInfo,
    /// The day the summary is made: printed on the cover and used as the
    /// PDF's creation date, so the same input gives the same file.
    pub generated_on: NaiveDate,
}

/// Renders the territorial summary of `reports` (one per questionnaire).
pub fn region_pdf(reports: &[Report], info: &RegionInfo<'_>) -> Result<RenderedPdf, ReportError> {
    render(region_document(reports, info))
}

/// Population from which a missing comune's name is printed in bold.
const LARGE_COMUNE: u32 = 15_000;

/// Builds the document (exposed for tests and other faces).
pub fn region_document(reports: &[Report], info: &RegionInfo<'_>) -> Document {
    let area = area_name(info.scope);
    let date = italian_date(info.generated_on);
    let mut blocks = Vec::new();
    let of = of_area(info.scope);
    cover(reports, &area, &of, &date, &mut blocks);
    for r in reports {
        blocks.push(Block::PageBreak);
        section(r, reports.len() > 1, &of, &mut blocks);
    }
    if !reports.is_empty() {
        blocks.push(Block::PageBreak);
        method(reports, &mut blocks);
    }
    Document {
        info: DocumentInfo {
            title: format!("Sicurezza informatica dei comuni — sintesi territoriale — {area}"),
            author: "Sentinella".into(),
            subject: format!(
                "Risultati aggregati delle autovalutazioni di igiene informatica: {area}, {date}"
            ),
            keywords: vec![
                "sicurezza informatica".into(),
                "misure minime AgID".into(),
                "sintesi territoriale".into(),
                area.clone(),
            ],
            created: info.generated_on,
            header: format!("{area} · Sintesi territoriale della sicurezza informatica"),
            header_right: date,
            footer: "Sentinella · autovalutazione dell'igiene informatica".into(),
        },
        blocks,
    }
}

/// "Regione Lazio", "Provincia di Viterbo (VT)", "Italia".
fn area_name(scope: &ScopeInfo) -> String {
    match scope.kind {
        "region" => format!("Regione {}", scope.name),
        "province" => format!("Provincia di {}", scope.name),
        _ => scope.name.clone(),
    }
}

/// "della Regione Lazio", "della Provincia di Viterbo (VT)", "d'Italia".
fn of_area(scope: &ScopeInfo) -> String {
    match scope.kind {
        "region" => format!("della Regione {}", scope.name),
        "province" => format!("della Provincia di {}", scope.name),
        _ => format!("d'{}", scope.name),
    }
}

/// A count with thousands separators: "1.506".
fn num(n: usize) -> String {
    thousands(u32::try_from(n).unwrap_or(u32::MAX))
}

/// A percentage with a decimal comma: "32,5%".
fn pct(v: f64) -> String {
    format!("{}%", italian_score(v))
}

/// "meno di 5 comuni valutati", in place of a suppressed group's figures.
fn suppressed_note(min_group: usize) -> String {
    format!("meno di {} valutati", count(min_group, "comune", "comuni"))
}

const TIERS: [Tier; 4] = [
    Tier::Initial,
    Tier::Developing,
    Tier::Established,
    Tier::Advanced,
];

fn cover(reports: &[Report], area: &str, of_area: &str, date: &str, blocks: &mut Vec<Block>) {
    blocks.extend(cover_band(
        "Autovalutazione della sicurezza informatica dei comuni",
        "Sintesi territoriale",
        area,
        "Per chi coordina: dove servono supporto e formazione, chi manca all'appello".into(),
    ));

    let mut facts = Vec::new();
    for r in reports {
        facts.push(Span::plain("Questionario: "));
        facts.push(Span::bold(format!(
            "{} ({})",
            r.questionnaire_title,
            versions(&r.versions)
        )));
        facts.push(Span::plain("\n"));
    }
    facts.push(Span::plain("Sintesi preparata il "));
    facts.push(Span::bold(date.to_string()));
    blocks.push(Block::Paragraph(Paragraph::new(facts).space_before(14.0)));

    if reports.is_empty() {
        blocks.push(Block::Card(Card {
            title: Some("Nessuna valutazione da riassumere".into()),
            blocks: vec![plain(format!(
                "Dai comuni {of_area} non è arrivata nessuna valutazione valida, quindi questa \
                 sintesi non contiene dati. Quando i comuni avranno inviato i file dei \
                 risultati, basterà prepararla di nuovo."
            ))],
            fill: theme::WARN_TINT,
            accent: theme::WARN,
            space_before: 14.0,
        }));
        blocks.push(note(istat::ATTRIBUTION));
        return;
    }

    for r in reports {
        if reports.len() > 1 {
            blocks.push(h3(r.questionnaire_title.clone()));
        } else {
            blocks.push(Block::Spacer(6.0));
        }
        blocks.push(Block::Figures(key_figures(r)));
    }

    let min = reports.first().map_or(0, |r| r.min_group);
    blocks.push(Block::Card(Card {
        title: Some("Come leggere i numeri".into()),
        blocks: vec![
            para(
                "Il punteggio va da 0 a 100. La **mediana** è il punteggio del comune che sta \
                 a metà della classifica; metà dei comuni sta fra il **primo quartile (Q1)** e \
                 il **terzo quartile (Q3)**. Le **misure minime** sono i controlli AgID \
                 obbligatori per ogni pubblica amministrazione.",
            ),
            para(&format!(
                "Per proteggere i singoli comuni, un gruppo (un'area, una provincia, una fascia \
                 di popolazione, una domanda) con **meno di {min} comuni valutati** non mostra \
                 alcun dato, ma solo un trattino: così dai numeri non si può risalire al \
                 risultato di nessun comune."
            )),
        ],
        fill: theme::TINT,
        accent: theme::PRIMARY,
        space_before: 16.0,
    }));
}

/// "versione 1.0.0", "versioni 1.0.0, 1.1.0".
fn versions(v: &[String]) -> String {
    match v.len() {
        1 => format!("versione {}", v.join("")),
        _ => format!("versioni {}", v.join(", ")),
    }
}

/// The three tiles of a questionnaire: coverage, median, baseline.
fn key_figures(r: &Report) -> Vec<Figure> {
    let t = &r.total;
    let mut tiles = vec![Figure {
        label: "Comuni valutati".into(),
        value: format!("{} su {}", num(t.assessed), num(t.comuni)),
        note: format!("{} dei comuni dell'area", pct(t.coverage_pct)),
        color: theme::PRIMARY,
    }];
    match &t.figures {
        Some(f) => {
            tiles.push(Figure {
                label: "Punteggio mediano".into(),
                value: format!("{} / 100", italian_score(f.overall.median)),
                note: format!(
                    "Metà dei comuni fra {} e {}",
                    italian_score(f.overall.q1),
                    italian_score(f.overall.q3)
                ),
                color: band_color(f.overall.median),
            });
            tiles.push(Figure {
                label: "Misure minime rispettate".into(),
                value: pct(f.baseline_pass_pct),
                note: "dei comuni valutati le rispetta tutte".into(),
                color: if f.baseline_pass_pct >= 50.0 {
                    theme::GOOD
                } else {
                    theme::BAD
                },
            });
        }
        None => {
            for label in ["Punteggio mediano", "Misure minime rispettate"] {
                tiles.push(Figure {
                    label: label.into(),
                    value: "—".into(),
                    note: suppressed_note(r.min_group),
                    color: theme::MUTED,
                });
            }
        }
    }
    tiles
}

/// One questionnaire's part of the document.
fn section(r: &Report, several: bool, of_area: &str, blocks: &mut Vec<Block>) {
    blocks.push(h1(&r.questionnaire_title));
    let t = &r.total;
    if several {
        blocks.push(note(format!(
            "Questionario «{}» ({}).",
            r.questionnaire,
            versions(&r.versions)
        )));
    }
    if let Some(v) = &r.versions_note {
        blocks.push(note(v.clone()));
    }
    if r.outside_scope > 0 {
        blocks.push(note(format!(
            "{} di comuni fuori da quest'area {}.",
            count(r.outside_scope, "valutazione", "valutazioni"),
            if r.outside_scope == 1 {
                "non è stata considerata"
            } else {
                "non sono state considerate"
            }
        )));
    }
    if t.assessed == 0 {
        blocks.push(plain(format!(
            "Nessun comune {of_area} ha inviato questa valutazione: mancano tutti i {} comuni.",
            num(t.comuni)
        )));
        unmatched(r, blocks);
        successions(r, blocks);
        return;
    }
    match &t.figures {
        Some(f) => {
            in_brief(r, f, blocks);
            overall(r, f, blocks);
            territories(r, blocks);
            domains(r, f, blocks);
            training(f, blocks);
        }
        None => {
            blocks.push(h2("In breve"));
            blocks.push(para(&format!(
                "Hanno inviato la valutazione **{} su {}** ({}). Sono meno dei {} necessari per \
                 mostrare dati senza esporre i singoli comuni: questa sintesi riporta solo chi ha \
                 partecipato e chi manca.",
                count(t.assessed, "comune", "comuni"),
                num(t.comuni),
                pct(t.coverage_pct),
                r.min_group
            )));
        }
    }
    missing(r, blocks);
    unmatched(r, blocks);
    successions(r, blocks);
}

/// Results filed under the code of a comune that no longer exists: counted
/// with the comune of today, the code in the file kept visible.
fn successions(r: &Report, blocks: &mut Vec<Block>) {
    if r.successions.is_empty() {
        return;
    }
    let all_counted = r.successions.iter().all(|s| s.counted);
    blocks.push(Block::Lead(vec![
        h2("Valutazioni con il codice di un comune che non esiste più"),
        para(&format!(
            "Questi file indicano il codice di un comune che nel frattempo si è fuso con altri \
             o ha cambiato provincia. Sono contati con il comune di oggi, indicato nella colonna \
             «Oggi».{}",
            if all_counted {
                ""
            } else {
                " Quando il comune di oggi ha già una valutazione con il proprio codice, o una più \
                 recente con un altro codice, conta solo quella: le altre sono segnate «no»."
            }
        )),
    ]));
    let rows = r
        .successions
        .iter()
        .map(|s| {
            vec![
                Cell::plain(s.istat_code.clone()),
                Cell::plain(s.name.clone()),
                Cell::plain(format!("Comune di {} ({})", s.current_name, s.current_code)),
                Cell::plain(s.since.map_or_else(|| "—".to_string(), italian_date)),
                Cell::plain(if s.counted { "sì" } else { "no" }.to_string()),
            ]
        })
        .collect();
    blocks.push(Block::Table(Table::new(
        vec![
            Column::new("Codice", 1.1),
            Column::new("Nome nel file", 2.3),
            Column::new("Oggi", 3.9),
            Column::new("Dal", 1.4),
            Column::new("Contato", 0.9),
        ],
        rows,
    )));
}

/// The groups to compare the area's parts: regions for Italy, otherwise
/// provinces.
fn parts(r: &Report) -> (&[GroupStats], &'static str) {
    if r.by_region.is_empty() {
        (&r.by_province, "provincia")
    } else {
        (&r.by_region, "regione")
    }
}

/// The `n` lowest values, "Viterbo (VT) 12,5%" (join them with "; ").
fn lowest<'a>(
    groups: impl Iterator<Item = (&'a str, f64)>,
    n: usize,
    fmt: fn(f64) -> String,
) -> Vec<String> {
    let mut v: Vec<(&str, f64)> = groups.collect();
    v.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
    v.into_iter()
        .take(n)
        .map(|(label, x)| format!("{label} {}", fmt(x)))
        .collect()
}

fn in_brief(r: &Report, f: &Figures, blocks: &mut Vec<Block>) {
    let t = &r.total;
    blocks.push(h2("In breve"));
    let (groups, kind) = parts(r);
    let mut items: Vec<Vec<Span>> = Vec::new();

    let mut participation = format!(
        "**Partecipazione.** Hanno inviato la valutazione {} comuni su {} ({}).",
        num(t.assessed),
        num(t.comuni),
        pct(t.coverage_pct)
    );
    let low = lowest(
        groups
            .iter()
            .filter(|g| g.coverage_pct < t.coverage_pct)
            .map(|g| (g.label.as_str(), g.coverage_pct)),
        3,
        pct,
    );
    if !low.is_empty() {
        participation.push_str(&format!(
            " Per {kind}, la partecipazione è più bassa in: {}.",
            low.join("; ")
        ));
    }
    items.push(rich(&participation));

    items.push(rich(&format!(
        "**Livello.** Il punteggio mediano è {} su 100 e metà dei comuni sta fra {} e {}. \
         Rispetta tutte le misure minime obbligatorie il {} dei comuni valutati.",
        italian_score(f.overall.median),
        italian_score(f.overall.q1),
        italian_score(f.overall.q3),
        pct(f.baseline_pass_pct)
    )));

    let shown: Vec<(&str, f64)> = groups
        .iter()
        .filter_map(|g| Some((g.label.as_str(), g.figures.as_ref()?.overall.median)))
        .collect();
    if shown.len() > 1 {
        items.push(rich(&format!(
            "**Dove mandare aiuto.** Il punteggio mediano più basso, per {kind}, è in: {}.",
            lowest(shown.into_iter(), 3, italian_score).join("; ")
        )));
    }
    let bands: Vec<(&str, f64)> = r
        .by_band
        .iter()
        .filter_map(|g| Some((g.label.as_str(), g.figures.as_ref()?.overall.median)))
        .collect();
    let weakest_band = bands.iter().min_by(|a, b| a.1.total_cmp(&b.1));
    if let (true, Some((band, median))) = (bands.len() > 1, weakest_band) {
        items.push(rich(&format!(
            "**Per dimensione.** Il punteggio mediano più basso è dei comuni con {band} ({}).",
            italian_score(*median)
        )));
    }

    let weak = lowest(
        f.domains
            .iter()
            .filter_map(|d| Some((d.title.as_str(), d.scores?.median))),
        3,
        italian_score,
    );
    if !weak.is_empty() {
        items.push(rich(&format!(
            "**Ambiti più deboli** (mediana): {}. Sono i temi da cui partire con la formazione.",
            weak.join("; ")
        )));
    }
    if let Some(q) = f.most_unknown.first() {
        items.push(rich(&format!(
            "**Il «Non so» più frequente** ({} dei comuni) riguarda: «{}»",
            pct(q.unknown_pct),
            q.text
        )));
    }
    if t.missing > 0 {
        items.push(rich(&format!(
            "**Da sollecitare.** Mancano ancora {}: {} in fondo alla sezione.",
            count(t.missing, "comune", "comuni"),
            if r.by_region.is_empty() {
                "l'elenco è"
            } else {
                "i conteggi per regione sono"
            }
        )));
    }
    blocks.push(Block::List(List::bullets(items)));
}

fn overall(r: &Report, f: &Figures, blocks: &mut Vec<Block>) {
    blocks.push(h2("Livelli di maturità"));
    let assessed = r.total.assessed.max(1) as f64;
    blocks.push(para(
        "Ogni comune ha un livello: **Iniziale** sotto 40 punti, **In sviluppo** da 40, \
         **Consolidato** da 65, **Avanzato** da 85. Chi non rispetta anche una sola misura \
         minima resta al massimo «In sviluppo».",
    ));
    blocks.push(Block::Figures(
        TIERS
            .iter()
            .map(|&tier| {
                let n = f.tiers.get(tier.id()).copied().unwrap_or(0);
                Figure {
                    label: tier.label_it().into(),
                    value: num(n),
                    note: format!(
                        "{} ({})",
                        if n == 1 { "comune" } else { "comuni" },
                        pct(100.0 * n as f64 / assessed)
                    ),
                    color: tier_color(tier),
                }
            })
            .collect(),
    ));
}

/// One row of a territory or band table.
fn group_row(g: &GroupStats, min_group: usize) -> Vec<Cell> {
    let mut label = vec![Span::plain(g.label.clone())];
    let (median, range, baseline) = match &g.figures {
        Some(f) => (
            Cell::new(vec![
                Span::bold(italian_score(f.overall.median)).colored(band_color(f.overall.median))
            ]),
            Cell::plain(format!(
                "{}–{}",
                italian_score(f.overall.q1),
                italian_score(f.overall.q3)
            )),
            Cell::plain(pct(f.baseline_pass_pct)),
        ),
        None => {
            if g.assessed > 0 {
                label.push(
                    Span::italic(format!("\n{}", suppressed_note(min_group))).colored(theme::MUTED),
                );
            }
            (Cell::plain("—"), Cell::plain("—"), Cell::plain("—"))
        }
    };
    let mut row = vec![
        Cell::new(label),
        Cell::plain(num(g.comuni)),
        Cell::plain(num(g.assessed)),
        Cell::plain(pct(g.coverage_pct)),
        median,
        range,
        baseline,
    ];
    if g.figures.is_none() {
        for c in &mut row {
            c.fill = Some(theme::SHADE);
        }
    }
    row
}

fn group_table(first: &str, groups: &[&GroupStats], min_group: usize) -> Block {
    let mut table = Table::new(
        vec![
            Column::new(first, 2.9),
            Column::right("Comuni", 0.95),
            Column::right("Valutati", 0.95),
            Column::right("Copertura", 1.1),
            Column::right("Mediana", 1.0),
            Column::right("Q1–Q3", 1.25),
            Column::right("Misure minime", 1.55),
        ],
        groups.iter().map(|g| group_row(g, min_group)).collect(),
    );
    table.space_before = 8.0;
    Block::Table(table)
}

fn territories(r: &Report, blocks: &mut Vec<Block>) {
    // The introduction stays with the first table.
    let title = if r.by_province.is_empty() {
        "Confronto per dimensione dei comuni"
    } else {
        "Confronto fra territori"
    };
    let mut intro = vec![
        h2(title),
        para(
            "Per ogni area: i comuni secondo l'elenco ISTAT, quanti hanno inviato la \
             valutazione, il punteggio mediano con l'intervallo fra primo e terzo quartile, e la \
             quota di comuni valutati che rispetta tutte le misure minime. Le righe in grigio \
             hanno troppo pochi comuni valutati per mostrare dati.",
        ),
    ];
    let italy = !r.by_region.is_empty();
    if italy {
        let all: Vec<&GroupStats> = r.by_region.iter().collect();
        intro.push(h3("Per regione".into()));
        blocks.push(Block::Lead(std::mem::take(&mut intro)));
        blocks.push(group_table("Regione", &all, r.min_group));
    }
    if !r.by_province.is_empty() {
        // Across Italy only the provinces with some assessment are listed.
        let shown: Vec<&GroupStats> = r
            .by_province
            .iter()
            .filter(|g| !italy || g.assessed > 0)
            .collect();
        intro.push(h3("Per provincia".into()));
        blocks.push(Block::Lead(std::mem::take(&mut intro)));
        if shown.is_empty() {
            blocks.push(plain("Nessuna provincia ha comuni valutati."));
        } else {
            blocks.push(group_table("Provincia", &shown, r.min_group));
        }
        let hidden = r.by_province.len() - shown.len();
        if hidden > 0 {
            blocks.push(note(format!(
                "Non sono elencate {} senza alcun comune valutato.",
                count(hidden, "provincia", "province")
            )));
        }
    }
    let bands: Vec<&GroupStats> = r.by_band.iter().collect();
    intro.push(h3("Per fascia di popolazione".into()));
    blocks.push(Block::Lead(intro));
    blocks.push(group_table("Abitanti", &bands, r.min_group));
}

fn domains(r: &Report, f: &Figures, blocks: &mut Vec<Block>) {
    // The heading keeps with the chart; the explanation follows it (a
    // chart of twelve domains plus its introduction is taller than a group
    // kept together).
    blocks.push(h2("Punteggio per argomento"));
    let bars: Vec<Bar> = f
        .domains
        .iter()
        .filter_map(|d| {
            let q = d.scores?;
            Some(Bar {
                label: d.title.clone(),
                value: q.median as f32,
                value_text: italian_score(q.median),
                previous: None,
                color: band_color(q.median),
            })
        })
        .collect();
    if !bars.is_empty() {
        blocks.push(score_chart(bars, "", 4.0));
    }
    blocks.push(para(&format!(
        "Il grafico mostra il punteggio mediano di ogni argomento, da 0 a 100. La linea \
         tratteggiata è **{}**, la soglia del livello «Consolidato»: negli argomenti sotto la \
         linea più di metà dei comuni ha bisogno di aiuto. La tabella aggiunge il primo e il \
         terzo quartile.",
        TARGET_SCORE.round()
    )));
    let rows = f
        .domains
        .iter()
        .map(|d| {
            let mut title = vec![Span::plain(d.title.clone())];
            let values = match d.scores {
                Some(q) => [
                    Cell::plain(italian_score(q.q1)),
                    Cell::new(vec![
                        Span::bold(italian_score(q.median)).colored(band_color(q.median))
                    ]),
                    Cell::plain(italian_score(q.q3)),
                ],
                None => {
                    title.push(
                        Span::italic(format!("\n{}", suppressed_note(r.min_group)))
                            .colored(theme::MUTED),
                    );
                    [Cell::plain("—"), Cell::plain("—"), Cell::plain("—")]
                }
            };
            let mut row = vec![Cell::new(title), Cell::plain(num(d.comuni))];
            row.extend(values);
            row
        })
        .collect();
    let mut table = Table::new(
        vec![
            Column::new("Argomento", 4.4),
            Column::right("Comuni", 1.0),
            Column::right("Q1", 1.0),
            Column::right("Mediana", 1.1),
            Column::right("Q3", 1.0),
        ],
        rows,
    );
    table.zebra = true;
    table.space_before = 10.0;
    blocks.push(Block::Table(table));
}

/// The question with its domain under it.
fn question_cell(q: &QuestionFigures, f: &Figures) -> Cell {
    let domain = f
        .domains
        .iter()
        .find(|d| d.id == q.domain)
        .map_or(q.domain.as_str(), |d| d.title.as_str());
    Cell::new(vec![
        Span::plain(q.text.clone()),
        Span::plain(format!("\n{domain}")).colored(theme::MUTED),
    ])
}

fn training(f: &Figures, blocks: &mut Vec<Block>) {
    blocks.push(Block::Lead(vec![
        h2("Dove serve formazione"),
        para(
            "Le domande con il livello medio più basso in tutta l'area (da 0, assente, a 3, \
             completo e verificato). Sono le pratiche che mancano in molti comuni: i temi da cui \
             partire per corsi, modelli di documenti e supporto comune, più utili di interventi \
             caso per caso.",
        ),
    ]));
    if f.weakest_questions.is_empty() {
        blocks.push(plain(
            "Nessuna domanda ha abbastanza risposte per essere mostrata.",
        ));
    } else {
        let rows = f
            .weakest_questions
            .iter()
            .enumerate()
            .map(|(i, q)| {
                vec![
                    Cell::plain((i + 1).to_string()),
                    question_cell(q, f),
                    Cell::plain(format!("{:.2}", q.mean_level).replace('.', ",")),
                    Cell::plain(pct(q.below_target_pct)),
                ]
            })
            .collect();
        let mut table = Table::new(
            vec![
                Column::right("N.", 0.45),
                Column::new("Domanda", 6.0),
                Column::right("Livello medio", 1.2),
                Column::right("Sotto l'obiettivo", 1.35),
            ],
            rows,
        );
        table.zebra = true;
        blocks.push(Block::Table(table));
    }

    let title = h2("Le domande a cui si risponde «Non so»");
    if f.most_unknown.is_empty() {
        blocks.push(title);
        blocks.push(plain(
            "Nessuna domanda ha avuto abbastanza risposte «Non so» per essere mostrata.",
        ));
        return;
    }
    blocks.push(Block::Lead(vec![
        title,
        para(
            "Un «Non so» vuol dire che in comune nessuno conosce la risposta: spesso la conosce \
             solo il fornitore informatico. Su questi temi servono formazione per il personale e \
             domande chiare ai fornitori; un modello di richiesta comune a tutta l'area fa \
             risparmiare tempo a ogni comune.",
        ),
    ]));
    let rows = f
        .most_unknown
        .iter()
        .map(|q| {
            vec![
                question_cell(q, f),
                Cell::plain(num(q.unknown)),
                Cell::plain(pct(q.unknown_pct)),
            ]
        })
        .collect();
    let mut table = Table::new(
        vec![
            Column::new("Domanda", 6.45),
            Column::right("Comuni", 1.1),
            Column::right("Quota", 1.1),
        ],
        rows,
    );
    table.zebra = true;
    blocks.push(Block::Table(table));
}

fn missing(r: &Report, blocks: &mut Vec<Block>) {
    if r.missing.is_empty() {
        blocks.push(h2("Comuni che non hanno inviato la valutazione"));
        blocks.push(plain(
            "Tutti i comuni dell'area hanno inviato la valutazione.",
        ));
        return;
    }
    let title = h2(&format!(
        "Comuni che non hanno inviato la valutazione ({})",
        num(r.missing.len())
    ));
    if !r.by_region.is_empty() {
        // Across Italy: counts per region; names would fill dozens of pages.
        blocks.push(Block::Lead(vec![
            title,
            para(
                "Per ogni regione, i comuni che non hanno ancora inviato la valutazione. \
                 L'elenco dei nomi è nella sintesi di ciascuna regione.",
            ),
        ]));
        let rows = r
            .by_region
            .iter()
            .filter(|g| g.missing > 0)
            .map(|g| {
                vec![
                    Cell::plain(g.label.clone()),
                    Cell::plain(num(g.comuni)),
                    Cell::plain(num(g.missing)),
                    Cell::plain(pct(100.0 - g.coverage_pct)),
                ]
            })
            .collect();
        blocks.push(Block::Table(Table::new(
            vec![
                Column::new("Regione", 4.0),
                Column::right("Comuni", 1.2),
                Column::right("Mancanti", 1.2),
                Column::right("Quota", 1.2),
            ],
            rows,
        )));
        return;
    }
    blocks.push(Block::Lead(vec![
        title,
        para(&format!(
            "Sono i comuni da sollecitare, in ordine alfabetico{}; in grassetto quelli con {} \
             abitanti e oltre.",
            if r.by_province.is_empty() {
                ""
            } else {
                " per provincia"
            },
            thousands(LARGE_COMUNE)
        )),
    ]));
    let labels: BTreeMap<&str, &str> = r
        .by_province
        .iter()
        .map(|g| (g.key.as_str(), g.label.as_str()))
        .collect();
    let mut by_province: BTreeMap<&str, Vec<&MissingComune>> = BTreeMap::new();
    for m in &r.missing {
        by_province.entry(m.province.as_str()).or_default().push(m);
    }
    let several = by_province.len() > 1 || !r.by_province.is_empty();
    let mut groups: Vec<(&str, Vec<&MissingComune>)> = by_province.into_iter().collect();
    groups.sort_by_key(|(abbr, _)| labels.get(abbr).map(|l| istat::fold(l)));
    for (abbr, mut comuni) in groups {
        comuni.sort_by_cached_key(|m| (istat::fold(&m.name), m.istat_code.clone()));
        let total = r
            .by_province
            .iter()
            .find(|g| g.key == abbr)
            .map(|g| g.comuni);
        let mut list = Vec::with_capacity(comuni.len() * 2);
        for (i, m) in comuni.iter().enumerate() {
            // No-break spaces keep each name on one line.
            let name = m.name.replace(' ', "\u{00A0}");
            let sep = if i + 1 < comuni.len() { ", " } else { "." };
            list.push(if m.population >= LARGE_COMUNE {
                Span::bold(name)
            } else {
                Span::plain(name)
            });
            list.push(Span::plain(sep));
        }
        let mut body = Paragraph::new(list).size(9.0);
        body.hyphenate = false;
        if several {
            let label = labels.get(abbr).copied().unwrap_or(abbr);
            let of = total.map_or(String::new(), |t| format!(" su {}", num(t)));
            blocks.push(Block::Group(vec![
                h3(format!(
                    "{label}: {}{of}",
                    if comuni.len() == 1 {
                        "manca 1 comune".to_string()
                    } else {
                        format!("mancano {} comuni", num(comuni.len()))
                    }
                )),
                Block::Paragraph(body.space_before(2.0)),
            ]));
        } else {
            blocks.push(Block::Paragraph(body));
        }
    }
}

fn unmatched(r: &Report, blocks: &mut Vec<Block>) {
    if r.unmatched.is_empty() {
        return;
    }
    blocks.push(Block::Lead(vec![
        h2("Valutazioni con un codice ISTAT sconosciuto"),
        para(&format!(
            "Questi file indicano un codice ISTAT che non è nell'elenco dei comuni (copia ISTAT \
             del {}) e che non risulta di un comune soppresso: un codice sbagliato, oppure un \
             comune di cui l'elenco non dice dove è confluito. Non sono compresi nei numeri: \
             conviene verificare il codice con il comune.",
            italian_date(
                NaiveDate::parse_from_str(istat::LIST_DATE, "%Y-%m-%d").unwrap_or_default()
            )
        )),
    ]));
    let rows = r
        .unmatched
        .iter()
        .map(|u| {
            vec![
                Cell::plain(u.istat_code.clone()),
                Cell::plain(u.name.clone()),
                Cell::plain(u.source.clone()),
            ]
        })
        .collect();
    blocks.push(Block::Table(Table::new(
        vec![
            Column::new("Codice", 1.1),
            Column::new("Nome nel file", 3.0),
            Column::new("File", 4.0),
        ],
        rows,
    )));
}

fn method(reports: &[Report], blocks: &mut Vec<Block>) {
    let min = reports.first().map_or(0, |r| r.min_group);
    blocks.push(h1("Metodo"));
    blocks.push(Block::List(List::bullets(vec![
        rich(
            "**Da dove vengono i dati.** Ogni comune compila l'autovalutazione con Sentinella e \
             invia un file firmato. Prima di contarlo, Sentinella controlla la firma e \
             l'integrità del file e **ricalcola i punteggi dalle risposte**: i punteggi scritti \
             nel file non vengono mai usati.",
        ),
        rich(
            "**Una valutazione per comune.** Per ogni comune e questionario conta solo la \
             valutazione più recente; le precedenti e i file inviati due volte sono messi da \
             parte.",
        ),
        rich(
            "**Il punteggio.** Ogni risposta vale da 0 a 3 (0 assente, 3 completo e verificato; \
             «Non so» vale 0), pesata secondo l'importanza della domanda, ed è espressa su 100. \
             Una misura minima è rispettata quando la risposta raggiunge la soglia richiesta.",
        ),
        rich(
            "**Mediana e quartili.** Ordinati i punteggi, la mediana è quello centrale; il primo \
             e il terzo quartile delimitano la metà centrale dei comuni. Il livello medio di una \
             domanda è la media delle risposte (da 0 a 3) dei comuni a cui si applica.",
        ),
        rich(&format!(
            "**Riservatezza.** Un gruppo con meno di {min} comuni valutati, e una domanda con \
             meno di {min} risposte, non mostrano dati."
        )),
        rich(
            "**Territorio e popolazione.** Provincia, regione e popolazione di ogni comune sono \
             quelle dell'elenco ISTAT, non quelle dichiarate nel file. Un file con il codice di \
             un comune che si è poi fuso con altri conta per il comune di oggi.",
        ),
        rich(
            "**I limiti.** Le risposte sono dichiarazioni dei comuni, non verifiche sul posto, \
             e riguardano solo chi ha partecipato: i comuni che mancano potrebbero stare meglio \
             o peggio.",
        ),
    ])));
    let questionnaires: Vec<String> = reports
        .iter()
        .map(|r| format!("«{}» ({})", r.questionnaire_title, versions(&r.versions)))
        .collect();
    blocks.push(note(format!(
        "Questionari: {}. {}. Documento generato con Sentinella.",
        questionnaires.join("; "),
        istat::ATTRIBUTION
    )));
}
