// Guida: who should answer, what to have at hand, how long it takes, where
// the data stay, a short glossary and the method in a few lines. Sources of
// the facts stated here: docs/app.md.

import { register, go } from "./app.js";
import { h, fill } from "./dom.js";

const GLOSSARY = [
  ["Amministratore (di sistema)",
    "Chi può installare programmi, creare utenti e cambiare le impostazioni di un computer o di un servizio. Un account da amministratore va usato solo per questi lavori, non per la posta o il web."],
  ["Accesso remoto",
    "Il modo in cui qualcuno lavora sui computer del Comune da fuori: il fornitore che interviene a distanza, un dipendente da casa. Deve passare da un collegamento protetto e da una verifica in due passaggi."],
  ["Copia di sicurezza (backup)",
    "Una copia dei dati fatta a intervalli regolari, per riaverli dopo un guasto, un errore o un attacco."],
  ["Copia offline",
    "Una copia di sicurezza scollegata dalla rete del Comune (un disco staccato, un servizio separato): un virus che cifra i file non la raggiunge."],
  ["DPO (Responsabile della protezione dei dati)",
    "La persona, interna o esterna, che ogni ente pubblico deve nominare per farsi consigliare sui dati personali. È anche il contatto del Garante per la privacy."],
  ["Fornitore informatico",
    "La ditta o la software house che gestisce i computer, la rete o i programmi del Comune. Molte domande di Sentinella si risolvono chiedendo a lei."],
  ["Misure minime",
    "L'elenco di controlli di sicurezza che AgID chiede a ogni pubblica amministrazione. Quelle di livello «minimo» valgono per tutti, anche per i comuni più piccoli."],
  ["PEC",
    "La posta elettronica certificata: ha valore legale, per questo una casella PEC rubata fa molti danni. Va protetta come la posta ordinaria, anzi di più."],
  ["Verifica in due passaggi",
    "Oltre alla password serve una seconda prova, di solito un codice sul telefono: chi ruba solo la password non riesce a entrare. In inglese si chiama MFA."],
];

register("help", async (main) => {
  fill(main,
    h("h1", {}, "Guida"),
    h("section", { "aria-labelledby": "who-title" },
      h("h2", { id: "who-title" }, "Prima di cominciare"),
      h("h3", {}, "Chi dovrebbe rispondere"),
      h("p", {}, "In un Comune: il segretario comunale, il responsabile per la transizione digitale o un impiegato che conosce gli uffici. Non serve essere esperti di informatica. In uno Sportello Polis: il responsabile dell'ufficio postale o un operatore dello sportello."),
      h("h3", {}, "Cosa tenere a portata di mano"),
      h("ul", {},
        h("li", {}, "il contratto o i contatti del fornitore informatico;"),
        h("li", {}, "l'atto di nomina del DPO (Responsabile della protezione dei dati);"),
        h("li", {}, "un elenco, anche approssimativo, dei computer e dei servizi in uso (posta, PEC, programmi dell'anagrafe, sito web)."),
      ),
      h("h3", {}, "Quanto tempo serve"),
      h("p", {}, "Circa un'ora. Puoi fermarti quando vuoi con «Esci: riprenderai da qui»: ogni risposta viene salvata subito e ritrovi tutto alla volta successiva."),
      h("h3", {}, "Dove restano i dati"),
      h("p", {}, "Solo su questo computer. Sentinella non usa internet e non invia nulla a nessuno. Escono dal computer solo i file che decidi tu di salvare: il piano in PDF e, se il coordinamento te lo chiede, il file dei risultati."),
      h("h3", {}, "Se non sai rispondere"),
      h("p", {}, "Scegli «Non so»: è una risposta onesta e utile. Nel punteggio vale zero, ma nel piano diventa una domanda pronta da fare al fornitore informatico. Quando avrai la risposta potrai riaprire l'autovalutazione e cambiarla.")),
    h("section", { "aria-labelledby": "glossary-title" },
      h("h2", { id: "glossary-title" }, "Le parole difficili"),
      h("dl", { class: "glossary", id: "glossary" },
        GLOSSARY.map(([term, text]) => [h("dt", {}, term), h("dd", {}, text)]))),
    h("section", { "aria-labelledby": "method-title" },
      h("h2", { id: "method-title" }, "Come si calcola il punteggio"),
      h("p", {}, "Ogni risposta vale da 0 (la misura manca) a 3 (la misura c'è ed è controllata). Le domande più importanti pesano di più. Il punteggio di ogni argomento e quello complessivo vanno da 0 a 100."),
      h("p", {}, "Alcune misure sono indispensabili: finché una di queste non è a posto, il livello resta basso anche se la media è alta. La schermata dei risultati e il piano dicono quali sono e perché contano."),
      h("p", {}, "Il piano mette per prime le azioni che proteggono di più e quelle da cui dipendono le altre, divise in tre scadenze: entro 30 giorni, entro 90 giorni, entro 12 mesi.")),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn btn-primary", id: "help-start", onclick: () => go("new") }, "Inizia una nuova autovalutazione"),
      h("button", { type: "button", class: "btn btn-outline-primary", onclick: () => go("home") }, "Torna all'elenco")));
});
