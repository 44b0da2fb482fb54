//! The one error type of the app's commands: a plain Italian message for the
//! person at the screen. The technical detail goes to the log (stderr).

use sentinella::store::StoreError;
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
    #[allow(unreachable_patterns)] // new store variants fall into the last arm
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
            StoreError::Migration(_)
            | StoreError::Sqlite(_)
            | StoreError::Json(_)
            | StoreError::BadValue { .. } => {
                "Errore interno dell'archivio dei dati. Nessuna risposta già salvata è andata persa; riprova."
                    .to_string()
            }
            _ => "Errore imprevisto dell'archivio dei dati.".to_string(),
        };
        AppError(msg)
    }
}

/// Result of a command.
pub type AppResult<T> = Result<T, AppError>;
