//! Words that differ between a Comune and a Polis office: who decides, who
//! answers the questions the office cannot (for a Polis office that is
//! Poste's own IT, not a supplier). Shared by the PDF and the app.

use super::Audience;

/// Wording that differs between a Comune and a Polis office.
#[derive(Debug, Clone, Copy)]
pub struct Wording {
    pub summary_title: &'static str,
    pub supplier_title: &'static str,
    pub supplier_addressee: &'static str,
    pub supplier_name: &'static str,
    /// The same with "a": "al fornitore informatico".
    pub supplier_to: &'static str,
    /// "in bilancio" for a Comune.
    pub budget: &'static str,
    pub who_decides: &'static str,
}

impl Audience {
    /// The words a plan uses for this audience.
    pub fn wording(self) -> Wording {
        match self {
            Audience::Comune => Wording {
                summary_title: "Sintesi per la Giunta",
                supplier_title: "Domande per il fornitore informatico",
                supplier_addressee: "Al fornitore dei servizi informatici del Comune",
                supplier_name: "il fornitore informatico",
                supplier_to: "al fornitore informatico",
                budget: " in bilancio",
                who_decides: "alla Giunta",
            },
            Audience::PolisOffice => Wording {
                summary_title: "Sintesi per la direzione",
                supplier_title: "Domande per le strutture informatiche di Poste",
                supplier_addressee: "Alle strutture IT e sicurezza di Poste Italiane",
                supplier_name: "le strutture IT di Poste",
                supplier_to: "alle strutture IT di Poste",
                budget: "",
                who_decides: "alla direzione",
            },
        }
    }
}
