//! Realistic example answers for workshops, demos and tests: for every
//! questionnaire a struggling small organization, an average one and a
//! well-run one, drawn from real comuni of the ISTAT list.
//!
//! Deterministic: the same questionnaire gives the same answers, so the demo
//! files and the plans built from them are reproducible.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::{
    Answer, AnswerSheet, Audience, Organization, Questionnaire, QuestionnaireRef, SpecialAnswer,
    ANSWERS_FORMAT,
};

/// The story an example tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Profile {
    /// No one looks after IT; many "Non so".
    Struggling,
    /// Some basics in place, gaps elsewhere.
    Average,
    /// A comune that took the baselines seriously.
    WellRun,
}

impl Profile {
    /// All profiles, weakest first.
    pub const ALL: [Profile; 3] = [Profile::Struggling, Profile::Average, Profile::WellRun];

    /// How a trainer names the profile (Italian): "alle prime armi"...
    pub fn label_it(self) -> &'static str {
        match self {
            Profile::Struggling => "alle prime armi",
            Profile::Average => "a metà strada",
            Profile::WellRun => "ben organizzato",
        }
    }

    /// Stable id used in file names.
    pub fn id(self) -> &'static str {
        match self {
            Profile::Struggling => "struggling",
            Profile::Average => "average",
            Profile::WellRun => "well-run",
        }
    }

    /// Probability of "Non so".
    fn unknown_rate(self) -> f64 {
        match self {
            Profile::Struggling => 0.22,
            Profile::Average => 0.08,
            Profile::WellRun => 0.0,
        }
    }

    /// Where in the range of levels the answers fall (0 lowest, 1 highest),
    /// before the per-question spread.
    fn centre(self) -> f64 {
        match self {
            Profile::Struggling => 0.12,
            Profile::Average => 0.5,
            Profile::WellRun => 0.75,
        }
    }
}

/// One example: a file stem and its answers.
#[derive(Debug, Clone)]
pub struct Example {
    /// File stem, e.g. `comune-struggling-proceno`.
    pub stem: String,
    /// The profile.
    pub profile: Profile,
    /// The answers.
    pub sheet: AnswerSheet,
}

struct Place {
    name: &'static str,
    istat: &'static str,
    province: &'static str,
    region: &'static str,
    population: u32,
}

fn place(audience: Audience, profile: Profile) -> Place {
    // Real comuni of the size each story needs, with their legal population
    // of the shipped ISTAT list (at 31 December 2021, `assets/istat`).
    match (audience, profile) {
        (Audience::Comune, Profile::Struggling) => Place {
            name: "Proceno",
            istat: "056044",
            province: "VT",
            region: "Lazio",
            population: 528,
        },
        (Audience::Comune, Profile::Average) => Place {
            name: "Piancastagnaio",
            istat: "052020",
            province: "SI",
            region: "Toscana",
            population: 3968,
        },
        (Audience::Comune, Profile::WellRun) => Place {
            name: "Gardone Val Trompia",
            istat: "017075",
            province: "BS",
            region: "Lombardia",
            population: 11352,
        },
        (Audience::PolisOffice, Profile::Struggling) => Place {
            name: "Jacurso",
            istat: "079065",
            province: "CZ",
            region: "Calabria",
            population: 562,
        },
        (Audience::PolisOffice, Profile::Average) => Place {
            name: "Pieve Tesino",
            istat: "022142",
            province: "TN",
            region: "Trentino-Alto Adige/Südtirol",
            population: 652,
        },
        (Audience::PolisOffice, Profile::WellRun) => Place {
            name: "Montopoli di Sabina",
            istat: "057044",
            province: "RI",
            region: "Lazio",
            population: 4103,
        },
    }
}

/// A deterministic fraction in [0, 1) from a key (FNV-1a, then mixed).
fn fraction(key: &str) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// Context answers that fit the story, where the comune questionnaire's
/// context ids are known; otherwise a deterministic pick.
fn context_choice(qid: &str, options: &[String], profile: Profile) -> Option<String> {
    let preferred: &[&str] = match (qid, profile) {
        ("ctx_server_room", Profile::Struggling) => &["only_pcs"],
        ("ctx_server_room", _) => &["server_room"],
        ("ctx_pc_count", Profile::Struggling) => &["up_to_10"],
        ("ctx_pc_count", Profile::Average) => &["from_11_to_30"],
        ("ctx_pc_count", Profile::WellRun) => &["over_30"],
        ("ctx_it_management", Profile::WellRun) => &["mixed"],
        ("ctx_it_management", _) => &["supplier"],
        ("ctx_cloud", Profile::Struggling) => &["all_cloud"],
        ("ctx_cloud", _) => &["some_cloud"],
        ("ctx_website", _) => &["supplier_hosted"],
        ("ctx_public_wifi", Profile::Struggling) => &["no"],
        ("ctx_public_wifi", _) => &["yes"],
        ("ctx_remote_work", Profile::Struggling) => &["no"],
        ("ctx_remote_work", _) => &["yes"],
        ("ctx_mobile_devices", _) => &["yes"],
        _ => &[],
    };
    preferred
        .iter()
        .find(|p| options.iter().any(|o| o == *p))
        .map(|p| p.to_string())
        .or_else(|| {
            if options.is_empty() {
                return None;
            }
            let i = (fraction(&format!("{}/{qid}", profile.id())) * options.len() as f64) as usize;
            options.get(i.min(options.len() - 1)).cloned()
        })
}

const NOTES: [&str; 4] = [
    "Da verificare con il fornitore alla prossima visita.",
    "Ne abbiamo parlato in Giunta, ma non c'è ancora una decisione.",
    "Il responsabile dell'ufficio tecnico dice che se ne occupa il fornitore.",
    "Situazione diversa tra ufficio anagrafe e ragioneria.",
];

/// The three examples for one questionnaire.
pub fn examples(q: &Questionnaire, assessed_on: NaiveDate) -> Vec<Example> {
    Profile::ALL
        .iter()
        .map(|&profile| example(q, profile, assessed_on))
        .collect()
}

/// One example.
pub fn example(q: &Questionnaire, profile: Profile, assessed_on: NaiveDate) -> Example {
    let place = place(q.audience, profile);
    let name = match q.audience {
        Audience::Comune => format!("Comune di {}", place.name),
        Audience::PolisOffice => format!("Ufficio postale di {}", place.name),
    };
    let context: BTreeMap<String, String> = q
        .context
        .iter()
        .filter_map(|c| {
            let ids: Vec<String> = c.options.iter().map(|o| o.id.clone()).collect();
            context_choice(&c.id, &ids, profile).map(|o| (c.id.clone(), o))
        })
        .collect();

    let mut answers = BTreeMap::new();
    let mut notes_used = 0;
    for (_, question) in q.questions() {
        let key = format!("{}/{}", profile.id(), question.id);
        // A well-run organization meets the mandatory floor and the
        // essential gates everywhere (1.0.0 has no essential gates, so its
        // examples are unchanged).
        let floor = match profile {
            Profile::WellRun => question
                .baseline
                .as_ref()
                .map(|b| b.min_level)
                .into_iter()
                .chain(question.essential.as_ref().map(|e| e.min_level))
                .max()
                .unwrap_or(0),
            _ => 0,
        };
        let mut levelled: Vec<_> = question
            .options
            .iter()
            .filter(|o| o.level.is_some_and(|l| l >= floor))
            .collect();
        levelled.sort_by_key(|o| o.level);
        let unknown = question
            .options
            .iter()
            .find(|o| o.kind == Some(SpecialAnswer::Unknown));
        let option = match unknown {
            Some(u) if fraction(&format!("{key}/unknown")) < profile.unknown_rate() => u,
            _ if levelled.is_empty() => continue,
            _ => {
                // Centre of the story plus a spread of about one option.
                let spread = fraction(&format!("{key}/level")) - 0.5;
                let position = (profile.centre() + spread * 0.6).clamp(0.0, 1.0);
                let i = (position * (levelled.len() - 1) as f64).round() as usize;
                levelled[i.min(levelled.len() - 1)]
            }
        };
        let note =
            (fraction(&format!("{key}/note")) < 0.06 && notes_used < NOTES.len()).then(|| {
                notes_used += 1;
                NOTES[notes_used - 1].to_string()
            });
        answers.insert(
            question.id.clone(),
            Answer {
                option: option.id.clone(),
                note,
            },
        );
    }

    let assessor_role = match q.audience {
        Audience::Comune => "Segretario comunale",
        Audience::PolisOffice => "Direttore dell'ufficio postale",
    };
    Example {
        stem: format!("{}-{}-{}", q.id, profile.id(), slug(place.name)),
        profile,
        sheet: AnswerSheet {
            format: ANSWERS_FORMAT.to_string(),
            questionnaire: QuestionnaireRef {
                id: q.id.clone(),
                version: q.version.clone(),
            },
            organization: Organization {
                name,
                istat_code: place.istat.to_string(),
                province: place.province.to_string(),
                region: place.region.to_string(),
                population: place.population,
                kind: q.audience,
            },
            assessed_on,
            assessor_role: Some(assessor_role.to_string()),
            context,
            answers,
        },
    }
}

fn slug(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}
