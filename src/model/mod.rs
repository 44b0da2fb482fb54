//! The domain model: questionnaires and answers, as read from their files.

pub mod answers;
pub mod format;
pub mod questionnaire;
pub mod wording;

pub use answers::{Answer, AnswerSheet, Organization, QuestionnaireRef, ANSWERS_FORMAT};
pub use questionnaire::{
    Action, AnswerOption, Audience, Baseline, Condition, ContextOption, ContextQuestion, CostBand,
    Domain, Effort, EssentialGate, Horizon, Mappings, OwnerRule, Question, Questionnaire, Role,
    SpecialAnswer, QUESTIONNAIRE_FORMAT,
};
pub use wording::Wording;
