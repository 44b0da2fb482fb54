//! Italian words for what the core reports in ids: import outcomes and the
//! reasons a result file is refused. The core's English detail goes to the
//! log; the coordinator reads these.

use sentinella::coordinator::Outcome;

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

/// Why a file was refused, from the core's [`sentinella::exchange::ResultError::kind`].
pub fn reason(kind: &str) -> &'static str {
    match kind {
        "io" => "Il file non si può leggere (permessi o disco).",
        "not_regular" => "Non è un file normale (per esempio una cartella o un dispositivo): non è stato letto.",
        "implausible_date" => "Le date del file sono impossibili (una valutazione nel futuro, successiva alla propria esportazione o precedente al 2026): il file non è autentico o l'orologio del computer del comune è sbagliato.",
        "contested_key" => "Per questo ente non c'è ancora una chiave registrata e i file arrivati sono firmati con chiavi diverse: nessuna è accettata finché non verifichi con il comune quale è quella giusta.",
        "empty" => "Il file è vuoto.",
        "too_large" => "Il file è troppo grande per essere un file di risultati (al massimo 4 MB).",
        "invalid_utf8" | "too_deep" | "not_json" | "not_a_result_file" | "bad_shape"
        | "bad_encoding" | "payload_format" => {
            "Non è un file di risultati di Sentinella valido: forse è un altro documento, o si è danneggiato."
        }
        "truncated" => "Il file è incompleto, come interrotto a metà: chiedi al comune di inviarlo di nuovo.",
        "wrong_format" => "È un file di Sentinella, ma non un file di risultati (per esempio un questionario o un file di risposte).",
        "future_version" => "Il file viene da una versione più recente di Sentinella: aggiorna il programma per leggerlo.",
        "unknown_field" => "Il file contiene dati non previsti: è stato modificato a mano o prodotto da un altro programma.",
        "tampered" => "La firma non corrisponde al contenuto: il file è stato modificato dopo l'esportazione, o si è rovinato durante l'invio. Chiedi al comune di esportarlo di nuovo.",
        "other_key" => "Firmato con una chiave diversa da quella registrata per questo ente. Prima di accettarla, verifica il codice della chiave con il comune (per telefono).",
        "unknown_questionnaire" => "Il file usa una versione del questionario che questa installazione non conosce: aggiorna Sentinella.",
        "questionnaire_changed" => "Il file è stato compilato su una copia diversa dello stesso questionario: i punteggi non si possono ricalcolare.",
        "invalid_answers" => "Le risposte del file non corrispondono al questionario (domande o risposte sconosciute).",
        _ => "Il file non ha superato i controlli.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rejection_kind_has_its_own_words() {
        // The kinds the core reports (exchange::ResultError::kind).
        for kind in [
            "io",
            "not_regular",
            "implausible_date",
            "contested_key",
            "empty",
            "too_large",
            "invalid_utf8",
            "too_deep",
            "truncated",
            "not_json",
            "not_a_result_file",
            "wrong_format",
            "future_version",
            "unknown_field",
            "bad_shape",
            "bad_encoding",
            "tampered",
            "other_key",
            "payload_format",
            "unknown_questionnaire",
            "questionnaire_changed",
            "invalid_answers",
        ] {
            assert_ne!(reason(kind), reason("no such kind"), "{kind}");
        }
    }
}
