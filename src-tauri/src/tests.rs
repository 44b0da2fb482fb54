//! The commands through Tauri's mock runtime, with the app's real
//! configuration and capability (so the permission checks run too) and a
//! real SQLite file in a temporary directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

use crate::dialogs::stand_in::DialogStandIn;
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
        // The mock runtime cannot show the native dialogs.
        .manage(DialogStandIn::default())
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
    /// Save dialogs write into `dir`.
    fn save_into(&self, dir: &std::path::Path) {
        self._app
            .state::<DialogStandIn>()
            .save_into(dir.to_path_buf());
    }

    /// Pickers return `dir`.
    fn pick(&self, dir: &std::path::Path) {
        self._app.state::<DialogStandIn>().pick(dir.to_path_buf());
    }

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
    assert_eq!(info["comuni_count"], 7895);
    assert_eq!(h.ok("list_assessments", json!({})), json!([]));
}

#[test]
fn search_finds_comuni_by_name_and_code() {
    let h = harness();
    let hits = h.ok("search_comuni", json!({ "query": "proceno" }));
    assert_eq!(hits[0]["istat_code"], "056044");
    assert_eq!(hits[0]["population"], 528);
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
    let saved = tempfile::tempdir().unwrap();
    // Stands in for the native dialog, which the mock runtime cannot show.
    h.save_into(saved.path());
    let r = h.ok("generate_pdf", json!({ "id": id }));
    let out = saved.path().join(sentinella::usecase::names::plan_pdf(
        "Comune di Proceno",
        chrono::Local::now().date_naive(),
    ));
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
#[cfg(unix)]
fn an_output_never_goes_over_the_apps_own_database() {
    let h = harness();
    let id = h.new_comune();
    let db = h._dir.path().join(crate::state::DB_FILE);
    let before = std::fs::read(&db).unwrap();
    let name = sentinella::usecase::names::plan_pdf(
        "Comune di Proceno",
        chrono::Local::now().date_naive(),
    );
    // The chosen name leads to the database: by a symbolic link, then by a
    // hard link (two names, one file).
    type Link = fn(&std::path::Path, &std::path::Path) -> std::io::Result<()>;
    let links: [Link; 2] = [
        |from, to| std::os::unix::fs::symlink(from, to),
        |from, to| std::fs::hard_link(from, to),
    ];
    for link in links {
        let saved = tempfile::tempdir().unwrap();
        link(&db, &saved.path().join(&name)).unwrap();
        h.save_into(saved.path());
        let e = h.err("generate_pdf", json!({ "id": id }));
        assert!(e.contains("archivio di Sentinella"), "{e}");
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "the database is untouched"
        );
    }
    // The assessment is still there and readable.
    h.ok("get_results", json!({ "id": id }));
}

#[test]
fn pdf_file_names_are_safe() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    assert_eq!(
        sentinella::usecase::names::plan_pdf("Comune di Sant'Angelo", day),
        "Piano di sicurezza - Comune di Sant'Angelo - 2026-11-24.pdf"
    );
    assert_eq!(
        sentinella::usecase::names::plan_pdf("../a/b<c>", day),
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

/// Answer the first `n` questions of an assessment with option `option`.
fn answer_first(h: &Harness, id: i64, n: usize, option: usize) {
    let view = h.ok("get_assessment", json!({ "id": id }));
    let questions: Vec<Value> = view["domains"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["questions"].as_array().unwrap().clone())
        .take(n)
        .collect();
    for q in questions {
        h.ok(
            "save_answer",
            json!({ "id": id, "question": q["id"], "option": q["options"][option]["id"], "note": "nota riservata" }),
        );
    }
}

#[test]
fn a_comune_exports_a_signed_file_and_a_coordinator_imports_and_aggregates_it() {
    use sentinella::exchange;
    use sentinella::keys::KeyPair;
    use sentinella::load::LoadedAnswers;

    let h = harness();
    let id = h.new_comune();
    answer_first(&h, id, 10, 1);
    let saved = tempfile::tempdir().unwrap();
    h.save_into(saved.path());

    // A draft is not sent; a completed assessment is, notes left out.
    let e = h.err("export_result", json!({ "id": id, "with_notes": false }));
    assert!(e.contains("Concludi"), "{e}");
    h.ok("complete_assessment", json!({ "id": id }));
    let key = h.ok("signing_key", json!({}));
    let fingerprint = key["fingerprint"].as_str().unwrap().to_string();
    assert_eq!(fingerprint.len(), 19, "{fingerprint}");
    let r = h.ok("export_result", json!({ "id": id, "with_notes": false }));
    assert_eq!(r["fingerprint"], fingerprint.as_str());
    assert_eq!(r["notes"], 10);
    assert_eq!(r["notes_included"], false);
    let path = std::path::PathBuf::from(r["path"].as_str().unwrap());
    assert!(path.starts_with(saved.path()), "{path:?}");
    let bytes = std::fs::read(&path).unwrap();
    let state = h._app.state::<AppState>();
    let v = exchange::verify_bytes(&bytes, state.catalog(), None).unwrap();
    assert_eq!(v.sheet.answers.len(), 10);
    assert!(v.sheet.answers.values().all(|a| a.note.is_none()));
    assert_eq!(v.fingerprint, fingerprint);
    assert_eq!(v.payload.organization.istat_code, "056044");
    // The key stays the same across calls; the file's key is this one.
    assert_eq!(h.ok("signing_key", json!({}))["created"], false);
    // Notes travel only when asked.
    let with = h.ok("export_result", json!({ "id": id, "with_notes": true }));
    assert_eq!(with["notes_included"], true);
    let v2 = exchange::verify_bytes(
        &std::fs::read(with["path"].as_str().unwrap()).unwrap(),
        state.catalog(),
        None,
    )
    .unwrap();
    assert!(v2
        .sheet
        .answers
        .values()
        .all(|a| a.note.as_deref() == Some("nota riservata")));

    // The coordinator's inbox: that file, a broken one, a tampered copy, and
    // a newer assessment of the same comune signed by another computer.
    let inbox = tempfile::tempdir().unwrap();
    std::fs::copy(&path, inbox.path().join("a-proceno.json")).unwrap();
    std::fs::write(inbox.path().join("b-broken.json"), b"{\"format\": ").unwrap();
    // Altered after signing: the payload edited, the signature kept.
    let mut envelope: Value = serde_json::from_slice(&bytes).unwrap();
    let payload = {
        use base64::Engine as _;
        let b64 = &base64::engine::general_purpose::STANDARD;
        let text = String::from_utf8(b64.decode(envelope["payload"].as_str().unwrap()).unwrap())
            .unwrap()
            .replacen("Proceno", "Procena", 1);
        b64.encode(text)
    };
    envelope["payload"] = payload.into();
    std::fs::write(
        inbox.path().join("c-tampered.json"),
        serde_json::to_vec(&envelope).unwrap(),
    )
    .unwrap();
    let mut loaded = LoadedAnswers {
        sheet: v.sheet.clone(),
        questionnaire: v.questionnaire.clone(),
    };
    loaded.sheet.assessed_on = loaded.sheet.assessed_on.succ_opt().unwrap();
    let stranger = KeyPair::from_seed([7; 32]);
    let (_, other) = exchange::export_result(
        &loaded,
        &stranger,
        &exchange::ExportOptions {
            with_notes: false,
            app_version: "0.1.0".into(),
            exported_at: chrono::Utc::now(),
            assessment_id: None,
        },
    )
    .unwrap();
    h.pick(inbox.path());

    // First import: the genuine file is accepted, its key recorded.
    let first = h.ok(
        "coord_import",
        json!({ "source": "folder", "on_progress": "__CHANNEL__:4241" }),
    );
    assert_eq!(first["accepted"], 1, "{first}");
    assert_eq!(first["rejected"], 2);
    // Then the file from another computer arrives.
    std::fs::write(inbox.path().join("d-other-key.json"), other).unwrap();
    let report = h.ok(
        "coord_import",
        json!({ "source": "folder", "on_progress": "__CHANNEL__:4242" }),
    );
    assert_eq!(report["files"], 4);
    assert_eq!(report["unchanged"], 1);
    assert_eq!(report["held_back"], 1);
    assert_eq!(report["rejected"], 2);
    let rows = report["rows"].as_array().unwrap();
    // Problems first, each with an Italian reason.
    assert_eq!(rows[0]["outcome"], "held_back");
    assert_eq!(rows[0]["signer"], stranger.fingerprint().as_str());
    assert_eq!(rows[0]["expected_signer"], fingerprint.as_str());
    let tampered = rows
        .iter()
        .find(|r| r["file"] == "c-tampered.json")
        .unwrap();
    assert!(tampered["reason"]
        .as_str()
        .unwrap()
        .contains("firma non corrisponde"));
    let broken = rows.iter().find(|r| r["file"] == "b-broken.json").unwrap();
    assert!(
        broken["reason"].as_str().unwrap().contains("incompleto"),
        "{broken}"
    );

    let ov = h.ok("coord_overview", json!({}));
    assert_eq!(ov["current"], 1);
    assert_eq!(ov["keys"][0]["fingerprint"], fingerprint.as_str());
    assert_eq!(ov["held"][0]["file"], "d-other-key.json");
    assert!(ov["regions"].as_array().unwrap().len() >= 20);

    // One comune: counted, but no figure shown (fewer than 5).
    let d = h.ok(
        "coord_dashboard",
        json!({ "scope": { "kind": "province", "value": "VT" } }),
    );
    let total = &d["reports"][0]["total"];
    assert_eq!(total["assessed"], 1);
    assert_eq!(total["comuni"], 60);
    assert!(total["figures"].is_null(), "{total}");
    assert_eq!(d["reports"][0]["missing"].as_array().unwrap().len(), 59);

    // Accepting the wrong key, or the right key for another comune, does
    // nothing; the confirmed one for this comune imports.
    let accept = |code: &str, fingerprint: &str| json!({ "istat_code": code, "kind": "comune", "fingerprint": fingerprint });
    let e = h.err("coord_accept_key", accept("056044", "0000-0000-0000-0000"));
    assert!(e.contains("Nessun file"), "{e}");
    let e = h.err(
        "coord_accept_key",
        accept("056001", &stranger.fingerprint()),
    );
    assert!(e.contains("Nessun file"), "{e}");
    assert!(h
        .err("coord_accept_key", accept("056044", "x"))
        .contains("non valido"));
    let accepted = h.ok(
        "coord_accept_key",
        accept("056044", &stranger.fingerprint().to_lowercase()),
    );
    assert_eq!(accepted["replaced"], 1, "{accepted}");
    let ov = h.ok("coord_overview", json!({}));
    assert_eq!(
        ov["keys"][0]["fingerprint"],
        stranger.fingerprint().as_str()
    );
    assert_eq!(ov["results"], 2);
    assert!(ov["held"].as_array().unwrap().is_empty());

    // Importing the same folder again changes nothing but holds back the
    // file signed by the old key.
    let again = h.ok(
        "coord_import",
        json!({ "source": "folder", "on_progress": "__CHANNEL__:4243" }),
    );
    assert_eq!(again["accepted"], 0);
    assert_eq!(again["unchanged"], 1);
    assert_eq!(again["held_back"], 1);

    // CSV of the territory, written by Rust where chosen.
    let csv = h.ok(
        "coord_export_csv",
        json!({ "scope": { "kind": "region", "value": "Lazio" }, "table": "comuni" }),
    );
    let csv_text = std::fs::read_to_string(csv["path"].as_str().unwrap()).unwrap();
    assert!(csv_text.contains("056044"), "{csv_text}");
    assert_eq!(csv_text.lines().count(), 2, "header and one comune");
    let pdf = h.ok(
        "coord_export_pdf",
        json!({ "scope": { "kind": "province", "value": "VT" } }),
    );
    let pdf_path = pdf["path"].as_str().unwrap();
    assert!(
        pdf_path.ends_with("Sintesi territoriale - Provincia di Viterbo.pdf"),
        "{pdf_path}"
    );
    assert!(std::fs::read(pdf_path).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn coordination_input_is_checked_in_rust() {
    let h = harness();
    for (scope, what) in [
        (json!({ "kind": "planet" }), "Territorio"),
        (json!({ "kind": "region", "value": "Atlantide" }), "Regione"),
        (json!({ "kind": "province", "value": "ZZ" }), "Provincia"),
        (
            json!({ "kind": "region", "value": "x".repeat(500) }),
            "Territorio",
        ),
    ] {
        let e = h.err("coord_dashboard", json!({ "scope": scope }));
        assert!(e.contains(what), "{e}");
    }
    assert!(h
        .call(
            "coord_dashboard",
            json!({ "scope": { "kind": "italy", "extra": 1 } })
        )
        .is_err());
    let e = h.err(
        "coord_export_csv",
        json!({ "scope": { "kind": "italy" }, "table": "../../etc" }),
    );
    assert!(e.contains("non valida"), "{e}");
    let e = h.err(
        "coord_import",
        json!({ "source": "/etc", "on_progress": "__CHANNEL__:1" }),
    );
    assert!(e.contains("non valida"), "{e}");
    // An empty archive: a dashboard with nothing in it, not an error.
    let d = h.ok("coord_dashboard", json!({ "scope": { "kind": "italy" } }));
    assert!(d["reports"].as_array().unwrap().is_empty());
}

#[test]
fn a_foreign_file_in_place_of_the_coordinator_database_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(crate::coordination::COORDINATOR_DB_FILE);
    std::fs::write(&path, b"these are someone's notes, not a database").unwrap();
    let state = AppState::open(dir.path());
    let e = state.with_desk(|_| Ok(())).unwrap_err();
    assert!(
        e.0.contains("non è un archivio del coordinamento"),
        "{}",
        e.0
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"these are someone's notes, not a database"
    );
}
