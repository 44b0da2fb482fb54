//! Italian words for what the core reports as enums: import outcomes and
//! the kinds of problem that get a result file refused. Both matches are
//! exhaustive: a new kind in the core does not compile until it has its
//! words here. The core's English detail goes to the log.

use sentinella::coordinator::Outcome;
use sentinella::exchange::RejectionKind;

/// Short label of an import outcome.
pub fn outcome_label(o: Outcome) -> &'static str {
    match o {
        Outcome::New => "Importato",
        Outcome::Replaced => "Importato, sostituisce il precedente",
        Outcome::Updated => "Aggiornato (nuova esportazione)",
        Outcome::History => "Importato nello storico (più vecchio)",
        Outcome::Unchanged => "Già presente",
        Outcome::HeldBack => "Trattenuto: chiave diversa",
        Outcome::Rejected => "Scartato",
    }
}

/// Why a file was refused.
pub fn reason(kind: RejectionKind) -> &'static str {
    match kind {
        RejectionKind::Io => "Il file non si può leggere (permessi o disco).",
        RejectionKind::NotRegular => "Non è un file normale (per esempio una cartella o un dispositivo): non è stato letto.",
        RejectionKind::ImplausibleDate => "Le date del file sono impossibili (una valutazione nel futuro, successiva alla propria esportazione o precedente al 2026): il file non è autentico o l'orologio del computer del comune è sbagliato.",
        RejectionKind::ContestedKey => "Per questo ente non c'è ancora una chiave registrata e i file arrivati sono firmati con chiavi diverse: nessuna è accettata finché non verifichi con il comune quale è quella giusta.",
        RejectionKind::Empty => "Il file è vuoto.",
        RejectionKind::Envelope => "Dalla busta .p7m o dal messaggio .eml non si ricava un file di risultati (busta danneggiata, nessun allegato adatto, troppi allegati): salva l'allegato del comune e importa quello.",
        RejectionKind::TooLarge => "Il file è troppo grande per essere un file di risultati (al massimo 4 MB).",
        RejectionKind::InvalidUtf8
        | RejectionKind::TooDeep
        | RejectionKind::NotJson
        | RejectionKind::NotAResultFile
        | RejectionKind::BadShape
        | RejectionKind::BadEncoding
        | RejectionKind::PayloadFormat => {
            "Non è un file di risultati di Sentinella valido: forse è un altro documento, o si è danneggiato."
        }
        RejectionKind::Truncated => "Il file è incompleto, come interrotto a metà: chiedi al comune di inviarlo di nuovo.",
        RejectionKind::WrongFormat => "È un file di Sentinella, ma non un file di risultati (per esempio un questionario o un file di risposte).",
        RejectionKind::FutureVersion => "Il file viene da una versione più recente di Sentinella: aggiorna il programma per leggerlo.",
        RejectionKind::UnknownField => "Il file contiene dati non previsti: è stato modificato a mano o prodotto da un altro programma.",
        RejectionKind::Tampered => "La firma non corrisponde al contenuto: il file è stato modificato dopo l'esportazione, o si è rovinato durante l'invio. Chiedi al comune di esportarlo di nuovo.",
        RejectionKind::OtherKey => "Firmato con una chiave diversa da quella registrata per questo ente. Prima di accettarla, verifica il codice della chiave con il comune (per telefono).",
        RejectionKind::UnknownQuestionnaire => "Il file usa una versione del questionario che questa installazione non conosce: aggiorna Sentinella.",
        RejectionKind::QuestionnaireChanged => "Il file è stato compilato su una copia diversa dello stesso questionario: i punteggi non si possono ricalcolare.",
        RejectionKind::InvalidAnswers => "Le risposte del file non corrispondono al questionario (domande o risposte sconosciute).",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rejection_kind_has_its_own_words() {
        // Every kind the core reports (the match above is exhaustive, so a
        // new kind fails to compile until it is worded); each text is a
        // whole Italian sentence, and kinds only share words when they mean
        // the same thing to a coordinator (a file that is not ours).
        let shared = reason(RejectionKind::NotJson);
        for kind in RejectionKind::ALL {
            let text = reason(kind);
            assert!(text.ends_with('.'), "{kind}: {text}");
            assert!(!text.contains(kind.id()), "{kind}: {text}");
            let generic = matches!(
                kind,
                RejectionKind::InvalidUtf8
                    | RejectionKind::TooDeep
                    | RejectionKind::NotJson
                    | RejectionKind::NotAResultFile
                    | RejectionKind::BadShape
                    | RejectionKind::BadEncoding
                    | RejectionKind::PayloadFormat
            );
            assert_eq!(text == shared, generic, "{kind}");
        }
        for o in [
            Outcome::New,
            Outcome::Replaced,
            Outcome::Updated,
            Outcome::History,
            Outcome::Unchanged,
            Outcome::HeldBack,
            Outcome::Rejected,
        ] {
            assert!(!outcome_label(o).is_empty());
        }
    }
}
