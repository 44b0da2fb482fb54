//! The commands through Tauri's mock runtime, with the app's real
//! configuration and capability (so the permission checks run too) and a
//! real SQLite file in a temporary directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

use crate::state::AppState;

struct Harness {
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    _dir: tempfile::TempDir,
}

fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::with_commands(mock_builder())
        .manage(AppState::open(dir.path()))
        .build(tauri::generate_context!())
        .unwrap();
    let window = match app.get_webview_window("main") {
        Some(w) => w,
        None => WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap(),
    };
    Harness {
        _app: app,
        window,
        _dir: dir,
    }
}

impl Harness {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, String> {
        self.call_from("tauri://localhost", cmd, args)
    }

    fn call_from(&self, url: &str, cmd: &str, args: Value) -> Result<Value, String> {
        let res = get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: url.parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        );
        match res {
            Ok(body) => Ok(body.deserialize::<Value>().unwrap()),
            Err(e) => Err(e
                .as_str()
                .map(String::from)
                .unwrap_or_else(|| e.to_string())),
        }
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn err(&self, cmd: &str, args: Value) -> String {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} should fail, returned {v}"),
            Err(e) => e,
        }
    }

    fn new_comune(&self) -> i64 {
        self.ok(
            "create_assessment",
            json!({ "input": {
                "questionnaire_id": "comune",
                "istat_code": "056044",
                "assessor_role": "Segretario comunale"
            }}),
        )
        .as_i64()
        .unwrap()
    }
}

#[test]
fn app_info_lists_both_questionnaires_and_the_comuni() {
    let h = harness();
    let info = h.ok("app_info", json!({}));
    let ids: Vec<&str> = info["questionnaires"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["comune", "sportello-polis"]);
    assert_eq!(info["comuni_count"], 7904);
    assert_eq!(h.ok("list_assessments", json!({})), json!([]));
}

#[test]
fn search_finds_comuni_by_name_and_code() {
    let h = harness();
    let hits = h.ok("search_comuni", json!({ "query": "proceno" }));
    assert_eq!(hits[0]["istat_code"], "056044");
    assert_eq!(hits[0]["population"], 605);
    let hits = h.ok("search_comuni", json!({ "query": "0560" }));
    assert_eq!(hits.as_array().unwrap().len(), 12);
    assert!(h
        .err("search_comuni", json!({ "query": "x".repeat(200) }))
        .contains("troppo lunga"));
}

#[test]
fn an_assessment_is_created_answered_resumed_and_completed() {
    let h = harness();
    let id = h.new_comune();
    let view = h.ok("get_assessment", json!({ "id": id }));
    assert_eq!(view["header"]["organization"], "Comune di Proceno");
    assert_eq!(view["header"]["province"], "VT");
    assert_eq!(view["header"]["assessor_role"], "Segretario comunale");
    let ctx = &view["context"][0];
    let first_q = &view["domains"][0]["questions"][0];
    let (cq, co) = (
        ctx["id"].as_str().unwrap(),
        ctx["options"][0]["id"].as_str().unwrap(),
    );
    let (q, o) = (
        first_q["id"].as_str().unwrap(),
        first_q["options"][1]["id"].as_str().unwrap(),
    );

    let saved = h.ok(
        "save_context_answer",
        json!({ "id": id, "question": cq, "option": co }),
    );
    assert!(saved["saved_at"].as_str().unwrap().len() == 8);
    let saved = h.ok(
        "save_answer",
        json!({ "id": id, "question": q, "option": o, "note": "Verificare <b>subito</b>" }),
    );
    assert_eq!(saved["answered"], 1);

    let view = h.ok("get_assessment", json!({ "id": id }));
    assert_eq!(view["last_position"], q);
    assert_eq!(view["context"][0]["answer"], co);
    let a = &view["domains"][0]["questions"][0]["answer"];
    assert_eq!(a["option"], o);
    assert_eq!(a["note"], "Verificare <b>subito</b>");

    h.ok("set_position", json!({ "id": id, "position": cq }));
    assert_eq!(
        h.ok("get_assessment", json!({ "id": id }))["last_position"],
        cq
    );

    let rows = h.ok("list_assessments", json!({}));
    assert_eq!(rows[0]["status"], "draft");
    assert_eq!(rows[0]["progress"]["answered"], 1);

    let res = h.ok("get_results", json!({ "id": id }));
    assert_eq!(res["domains"].as_array().unwrap().len(), 12);
    assert_eq!(res["priorities"].as_array().unwrap().len(), 6);
    assert!(res["previous"].is_null());

    h.ok("complete_assessment", json!({ "id": id }));
    let e = h.err(
        "save_answer",
        json!({ "id": id, "question": q, "option": o, "note": null }),
    );
    assert!(e.contains("conclusa"), "{e}");
    h.ok("reopen_assessment", json!({ "id": id }));
    h.ok(
        "save_answer",
        json!({ "id": id, "question": q, "option": o, "note": null }),
    );
}

#[test]
fn results_compare_with_the_previous_completed_assessment_and_history_trends() {
    let h = harness();
    let first = h.new_comune();
    let view = h.ok("get_assessment", json!({ "id": first }));
    let q = view["domains"][0]["questions"][0].clone();
    h.ok(
        "save_answer",
        json!({ "id": first, "question": q["id"], "option": q["options"][3]["id"], "note": null }),
    );
    h.ok("complete_assessment", json!({ "id": first }));
    let second = h.new_comune();
    h.ok(
        "save_answer",
        json!({ "id": second, "question": q["id"], "option": q["options"][0]["id"], "note": null }),
    );
    let res = h.ok("get_results", json!({ "id": second }));
    assert_eq!(res["previous"]["id"], first);
    assert!(res["previous"]["delta"].as_f64().unwrap() > 0.0);
    let org = res["header"]["organization_id"].clone();
    let hist = h.ok("get_history", json!({ "organization_id": org }));
    assert_eq!(hist["rows"].as_array().unwrap().len(), 2);
    assert_eq!(hist["domains"].as_array().unwrap().len(), 12);
}

#[test]
fn bad_input_gets_an_italian_message_and_changes_nothing() {
    let h = harness();
    let create = |qid: &str, code: &str, role: &str, office: Value| {
        h.err(
            "create_assessment",
            json!({ "input": {
                "questionnaire_id": qid, "istat_code": code,
                "assessor_role": role, "office_name": office
            }}),
        )
    };
    assert!(create("comune", "999999", "RTD", Value::Null).contains("nessun comune"));
    assert!(create("comune", "56044", "RTD", Value::Null).contains("sei cifre"));
    assert!(create("nessuno", "056044", "RTD", Value::Null).contains("non disponibile"));
    assert!(create("../x", "056044", "RTD", Value::Null).contains("non valido"));
    assert!(create("comune", "056044", "   ", Value::Null).contains("ruolo"));
    assert!(create("comune", "056044", &"r".repeat(500), Value::Null).contains("troppo lungo"));
    assert!(
        create("sportello-polis", "056044", "Direttore", Value::Null).contains("ufficio postale")
    );
    assert_eq!(h.ok("list_assessments", json!({})), json!([]));

    let id = h.new_comune();
    let view = h.ok("get_assessment", json!({ "id": id }));
    let q = view["domains"][0]["questions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let e = h.err(
        "save_answer",
        json!({ "id": id, "question": q, "option": "zzz", "note": null }),
    );
    assert!(e.contains("Risposta non prevista"), "{e}");
    let e = h.err(
        "save_answer",
        json!({ "id": id, "question": "q-nope", "option": "a", "note": null }),
    );
    assert!(e.contains("Domanda sconosciuta"), "{e}");
    let o = view["domains"][0]["questions"][0]["options"][0]["id"].clone();
    let e = h.err(
        "save_answer",
        json!({ "id": id, "question": q, "option": o, "note": "x".repeat(5000) }),
    );
    assert!(e.contains("troppo lunga"), "{e}");
    assert!(h
        .err("get_assessment", json!({ "id": 0 }))
        .contains("non valido"));
    assert!(h
        .err("get_assessment", json!({ "id": 9999 }))
        .contains("non esiste"));
    assert!(h
        .err("delete_assessment", json!({ "id": 9999 }))
        .contains("non esiste"));
    // Nothing of the above was saved.
    let view = h.ok("get_assessment", json!({ "id": id }));
    assert!(view["domains"][0]["questions"][0]["answer"].is_null());
    // Missing or mistyped arguments are refused by Tauri before our code.
    assert!(h
        .call("get_assessment", json!({ "id": "1; DROP TABLE" }))
        .is_err());
    assert!(h.call("save_answer", json!({ "id": id })).is_err());

    h.ok("delete_assessment", json!({ "id": id }));
    assert_eq!(h.ok("list_assessments", json!({})), json!([]));
}

#[test]
fn the_pdf_is_rendered_by_rust_and_written_where_chosen() {
    let h = harness();
    let id = h.new_comune();
    let out = h._dir.path().join("piano.pdf");
    // Stands in for the native dialog, which the mock runtime cannot show.
    std::env::set_var(crate::pdf::SAVE_PATH_ENV, &out);
    let r = h.ok("generate_pdf", json!({ "id": id }));
    assert_eq!(r["path"], out.display().to_string());
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(r["bytes"], bytes.len());
    assert!(h
        .err("generate_pdf", json!({ "id": -1 }))
        .contains("non valido"));
    assert!(h
        .err("generate_pdf", json!({ "id": 424242 }))
        .contains("non esiste"));
}

#[test]
fn pdf_file_names_are_safe() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    assert_eq!(
        crate::pdf::file_name("Comune di Sant'Angelo", day),
        "Piano di sicurezza - Comune di Sant'Angelo - 2026-11-24.pdf"
    );
    assert_eq!(
        crate::pdf::file_name("../a/b<c>", day),
        "Piano di sicurezza - .._a_b_c_ - 2026-11-24.pdf"
    );
}

#[test]
fn the_window_may_call_only_the_apps_commands() {
    let h = harness();
    // Plugin commands are not granted to the window (the save dialog is
    // opened from Rust), nor are core ones.
    assert!(h
        .call("plugin:dialog|save", json!({ "options": {} }))
        .is_err());
    assert!(h
        .call("plugin:dialog|open", json!({ "options": {} }))
        .is_err());
    assert!(h
        .call("plugin:fs|read_file", json!({ "path": "/etc/passwd" }))
        .is_err());
    assert!(h.call("not_a_command", json!({})).is_err());
    // A page from anywhere else gets nothing, not even the app's commands.
    assert!(h
        .call_from("https://example.invalid", "list_assessments", json!({}))
        .is_err());
    assert!(h.call("list_assessments", json!({})).is_ok());
}

#[test]
fn a_database_that_cannot_be_opened_is_reported_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(crate::state::DB_FILE),
        b"not a database at all",
    )
    .unwrap();
    let state = AppState::open(dir.path());
    let e = state.with_store(|_, _| Ok(())).unwrap_err();
    assert!(e.0.contains("non è un archivio di Sentinella"), "{}", e.0);
}

#[test]
fn the_ui_never_builds_html_from_strings_and_loads_nothing_remote() {
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui");
    let mut files = vec![ui.join("index.html")];
    for e in std::fs::read_dir(ui.join("js")).unwrap() {
        files.push(e.unwrap().path());
    }
    for e in std::fs::read_dir(ui.join("css")).unwrap() {
        files.push(e.unwrap().path());
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
            "http://",
            "https://",
            "style=\"",
        ] {
            if sink.starts_with("http")
                && f.extension().is_some_and(|x| x == "js")
                && text.contains("http://www.w3.org/2000/svg")
                && !text
                    .replace("http://www.w3.org/2000/svg", "")
                    .contains(sink)
            {
                continue;
            }
            assert!(!text.contains(sink), "{} contains {sink:?}", f.display());
        }
    }
    let html = std::fs::read_to_string(ui.join("index.html")).unwrap();
    assert!(!html.contains("<script>"), "inline script in index.html");
    assert!(!html.contains("<style"), "inline style in index.html");
}
