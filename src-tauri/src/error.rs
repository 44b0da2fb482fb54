//! The one error type of the app's commands: a plain Italian message for the
//! person at the screen. The technical detail goes to the log (stderr).

use sentinella::coordinator::CoordinatorError;
use sentinella::keys::KeyError;
use sentinella::store::StoreError;
use sentinella::usecase::assessment::AssessmentError;
use sentinella::usecase::collect::AcceptError;
use sentinella::usecase::export::ExportError;
use sentinella::usecase::planning::PlanError;
use sentinella::usecase::territory::ScopeError;
use serde::{Serialize, Serializer};

/// An error returned by a command, shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct AppError(pub String);

impl AppError {
    /// An error with this Italian message.
    pub fn new(message: impl Into<String>) -> AppError {
        AppError(message.into())
    }

    /// The input did not pass validation.
    pub fn invalid(message: impl Into<String>) -> AppError {
        AppError(message.into())
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        eprintln!("sentinella-app: store error: {e}");
        let msg = match &e {
            StoreError::Io { .. } => {
                "Non riesco a leggere o scrivere i dati sul disco. Controlla lo spazio libero e i permessi della cartella dei dati."
                    .to_string()
            }
            StoreError::NotFound { .. } => "Il file dei dati non esiste.".to_string(),
            StoreError::NotSqlite { path } | StoreError::NotSentinella { path, .. } => format!(
                "Il file dei dati ({}) non è un archivio di Sentinella. Non è stato modificato.",
                path.display()
            ),
            StoreError::Corrupt { path, .. } => format!(
                "Il file dei dati ({}) risulta danneggiato e non è stato modificato. Si può ripristinare una copia di sicurezza.",
                path.display()
            ),
            StoreError::Damaged(_) => {
                "Il file dei dati risulta danneggiato. Si può ripristinare una copia di sicurezza."
                    .to_string()
            }
            StoreError::TooNew { .. } => {
                "I dati sono stati scritti da una versione più recente di Sentinella. Aggiorna il programma per aprirli."
                    .to_string()
            }
            StoreError::Busy => {
                "I dati sono in uso da un'altra finestra di Sentinella. Riprova tra qualche secondo."
                    .to_string()
            }
            StoreError::AssessmentNotFound(_) => {
                "Questa autovalutazione non esiste più (forse è stata eliminata).".to_string()
            }
            StoreError::OrganizationNotFound(_) => "Ente non trovato.".to_string(),
            StoreError::AssessmentCompleted(_) => {
                "Questa autovalutazione è conclusa: riaprila per cambiare le risposte.".to_string()
            }
            StoreError::QuestionnaireUnavailable { .. } => {
                "La versione del questionario usata da questa autovalutazione non è disponibile in questa installazione."
                    .to_string()
            }
            StoreError::ContentHashMismatch { .. } => {
                "Il questionario è cambiato rispetto a quello scelto. Ricomincia dalla pagina iniziale."
                    .to_string()
            }
            StoreError::UnknownQuestion { .. }
            | StoreError::UnknownContextQuestion { .. } => {
                "Domanda sconosciuta per questo questionario.".to_string()
            }
            StoreError::UnknownOption { .. } | StoreError::UnknownContextOption { .. } => {
                "Risposta non prevista per questa domanda.".to_string()
            }
            StoreError::NoteTooLong { limit, .. } => {
                format!("La nota è troppo lunga: al massimo {limit} caratteri.")
            }
            StoreError::Invalid(lines) => format!(
                "Alcuni dati non sono validi: {}",
                lines.join("; ")
            ),
            StoreError::Load(_) | StoreError::InvalidBackup { .. } => {
                "Il file scelto non si può usare.".to_string()
            }
            StoreError::Incident(e) => e.italian(),
            StoreError::IncidentNotFound(_) => "Questo incidente non esiste.".to_string(),
            StoreError::IncidentClosed(_) => {
                "Questo incidente è chiuso: il registro non si può più modificare.".to_string()
            }
            StoreError::Migration(_)
            | StoreError::Sqlite(_)
            | StoreError::Json(_)
            | StoreError::BadValue { .. } => {
                "Errore interno dell'archivio dei dati. Nessuna risposta già salvata è andata persa; riprova."
                    .to_string()
            }
        };
        AppError(msg)
    }
}

/// The questionnaire version of an assessment is not installed here.
const QUESTIONNAIRE_UNAVAILABLE: &str = "La versione del questionario usata da questa autovalutazione non è disponibile in questa installazione.";

impl From<AssessmentError> for AppError {
    fn from(e: AssessmentError) -> AppError {
        match e {
            AssessmentError::Store(e) => e.into(),
            AssessmentError::QuestionnaireUnavailable { .. } => {
                AppError::new(QUESTIONNAIRE_UNAVAILABLE)
            }
            AssessmentError::UnknownQuestionnaire(_) => {
                AppError::invalid("Questionario non disponibile.")
            }
            AssessmentError::UnknownComune(_) => {
                AppError::invalid("Il codice ISTAT non corrisponde a nessun comune dell'elenco.")
            }
            AssessmentError::MissingOfficeName => {
                AppError::invalid("Scrivi il nome dell'ufficio postale.")
            }
        }
    }
}

impl From<PlanError> for AppError {
    fn from(e: PlanError) -> AppError {
        match e {
            PlanError::Assessment(e) => e.into(),
            PlanError::Store(e) => e.into(),
            PlanError::UnknownQuestionnaire(_) => {
                AppError::invalid("Questionario non disponibile in questa versione.")
            }
            PlanError::Load(_)
            | PlanError::OtherQuestionnaire { .. }
            | PlanError::PreviousIsLater { .. }
            | PlanError::Render(_) => {
                eprintln!("sentinella-app: plan failed: {e}");
                AppError::new(
                    "Non è stato possibile preparare il piano PDF. Le risposte non sono state toccate.",
                )
            }
        }
    }
}

/// The signing key could not be read or created.
pub fn key_error(e: &KeyError, dir: &std::path::Path) -> AppError {
    eprintln!("sentinella-app: signing key in {}: {e}", dir.display());
    AppError::new(format!(
        "Non riesco a leggere o a creare la chiave di firma di questa installazione (cartella {}). Controlla i permessi della cartella dei dati.",
        dir.display()
    ))
}

impl From<ExportError> for AppError {
    fn from(e: ExportError) -> AppError {
        match e {
            ExportError::Assessment(e) => e.into(),
            ExportError::Store(e) => e.into(),
            ExportError::Draft(_) => AppError::invalid(
                "Concludi l'autovalutazione prima di esportare i risultati: il coordinamento riceve solo autovalutazioni concluse.",
            ),
            ExportError::Key(_) => {
                eprintln!("sentinella-app: export failed: {e}");
                AppError::new("Non riesco a leggere o a creare la chiave di firma di questa installazione. Controlla i permessi della cartella dei dati.")
            }
            ExportError::Load(_) | ExportError::Exchange(_) => {
                eprintln!("sentinella-app: export failed: {e}");
                AppError::new("Non è stato possibile preparare il file dei risultati. Le risposte non sono state toccate.")
            }
        }
    }
}

impl From<ScopeError> for AppError {
    fn from(e: ScopeError) -> AppError {
        AppError::invalid(match e {
            ScopeError::UnknownRegion { .. } => "Regione non trovata nell'elenco ISTAT.",
            ScopeError::UnknownProvince { .. } => "Provincia non trovata nell'elenco ISTAT.",
            ScopeError::TooLong => "Territorio non valido.",
        })
    }
}

impl From<CoordinatorError> for AppError {
    fn from(e: CoordinatorError) -> AppError {
        eprintln!("sentinella-app: coordinator database: {e}");
        AppError::new(match e {
            CoordinatorError::Io { path, .. } => format!(
                "Non riesco a leggere o scrivere l'archivio del coordinamento ({}). Controlla lo spazio libero e i permessi della cartella dei dati.",
                path.display()
            ),
            CoordinatorError::NotCoordinator { path, .. } => format!(
                "Il file {} non è un archivio del coordinamento di Sentinella. Non è stato modificato.",
                path.display()
            ),
            CoordinatorError::Newer { .. } => {
                "L'archivio del coordinamento è stato scritto da una versione più recente di Sentinella. Aggiorna il programma per aprirlo.".to_string()
            }
            CoordinatorError::Backup { .. } => {
                "Non riesco a fare la copia di sicurezza dell'archivio del coordinamento: controlla lo spazio libero. L'archivio non è stato modificato.".to_string()
            }
            CoordinatorError::Sqlite { .. } | CoordinatorError::Migration { .. } => {
                "Errore interno dell'archivio del coordinamento. I file già importati non sono andati persi; riprova.".to_string()
            }
        })
    }
}

impl From<AcceptError> for AppError {
    fn from(e: AcceptError) -> AppError {
        match e {
            AcceptError::NoFile(_) => {
                AppError::invalid("Nessun file trattenuto è firmato con questa chiave.")
            }
            AcceptError::Coordinator(e) => e.into(),
        }
    }
}

/// Result of a command.
pub type AppResult<T> = Result<T, AppError>;
