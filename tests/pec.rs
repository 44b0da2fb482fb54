//! Result files that arrive by PEC: a CAdES `.p7m` made by a real tool
//! (`openssl cms -sign -cades`, as a smart-card signing program makes one)
//! and `.eml` messages saved from a mail client, with the result file
//! attached (also inside the `postacert.eml` of a PEC delivery). `verify`
//! and `collect` open them and verify the result file as usual; hostile
//! envelopes are refused with a clear message and exit code 2.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use common::{run, sentinella, stderr, stdout, write};

const Q: &str = "tests/fixtures/questionnaires";

/// A genuine result file.
fn result_file(dir: &Path) -> PathBuf {
    let out = dir.join("risultato.json");
    let o = sentinella(&[
        "export",
        "--questionnaires",
        Q,
        "--answers",
        "tests/fixtures/answers/example1.answers.json",
        "--out",
        out.to_str().unwrap(),
        "--keys",
        dir.join("keys").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

/// A smart card's stand-in: a key and a self-signed certificate.
fn signer(dir: &Path) -> (String, String) {
    let key = dir.join("firma.key").to_str().unwrap().to_string();
    let cert = dir.join("firma.pem").to_str().unwrap().to_string();
    run(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &key,
            "-out",
            &cert,
            "-subj",
            "/CN=Segretario comunale",
            "-days",
            "2",
        ],
    );
    (key, cert)
}

/// Sign `input` into a CAdES `.p7m` with the content inside (or detached).
fn p7m(dir: &Path, input: &Path, out: &str, attached: bool) -> PathBuf {
    let (key, cert) = signer(dir);
    let out = dir.join(out);
    let mut args = vec![
        "cms", "-sign", "-cades", "-binary", "-md", "sha256", "-outform", "DER",
    ];
    if attached {
        args.push("-nodetach");
    }
    let (i, o) = (input.to_str().unwrap(), out.to_str().unwrap());
    args.extend(["-in", i, "-signer", &cert, "-inkey", &key, "-out", o]);
    run("openssl", &args);
    out
}

/// A MIME message with these attachments (name, type, bytes), base64.
fn message(attachments: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut m = String::from(
        "From: protocollo@pec.comune.example.it\r\nTo: coordinamento@pec.example.it\r\nSubject: Risultati autovalutazione\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\n--XYZ\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nIn allegato il file dei risultati.\r\n",
    );
    for (name, ctype, bytes) in attachments {
        m.push_str(&format!(
            "--XYZ\r\nContent-Type: {ctype}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        ));
        for chunk in B64.encode(bytes).as_bytes().chunks(76) {
            m.push_str(std::str::from_utf8(chunk).unwrap());
            m.push_str("\r\n");
        }
    }
    m.push_str("--XYZ--\r\n");
    m.into_bytes()
}

/// A PEC delivery: the provider's message with `daticert.xml` and the
/// original message attached as `postacert.eml`.
fn pec(inner: &[u8]) -> Vec<u8> {
    let mut m = String::from(
        "From: posta-certificata@pec.example.it\r\nSubject: POSTA CERTIFICATA: Risultati autovalutazione\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"PEC\"\r\n\r\n--PEC\r\nContent-Type: text/plain\r\n\r\nMessaggio di posta certificata.\r\n--PEC\r\nContent-Type: application/xml; name=\"daticert.xml\"\r\nContent-Disposition: attachment; filename=\"daticert.xml\"\r\n\r\n<postacert tipo=\"posta-certificata\"/>\r\n--PEC\r\nContent-Type: message/rfc822; name=\"postacert.eml\"\r\nContent-Disposition: attachment; filename=\"postacert.eml\"\r\n\r\n",
    );
    m.push_str(std::str::from_utf8(inner).unwrap());
    m.push_str("\r\n--PEC--\r\n");
    m.into_bytes()
}

fn verify(file: &Path) -> std::process::Output {
    sentinella(&["verify", "--questionnaires", Q, file.to_str().unwrap()])
}

#[test]
fn result_files_in_p7m_and_eml_envelopes_are_verified_and_collected() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let result = result_file(d);
    let bytes = std::fs::read(&result).unwrap();
    let inbox = d.join("inbox");
    std::fs::create_dir(&inbox).unwrap();

    // A CAdES .p7m: opened, the result file inside verified.
    let signed = p7m(d, &result, "risultato.json.p7m", true);
    let o = verify(&signed);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("1 verified"), "{}", stdout(&o));
    // The same in base64 text, as some clients save it.
    let b64 = write(
        d,
        "base64.json.p7m",
        B64.encode(std::fs::read(&signed).unwrap()),
    );
    assert!(verify(&b64).status.success());

    // An .eml with the .p7m attached, inside a PEC delivery.
    let inner = message(&[(
        "risultato.json.p7m",
        "application/pkcs7-mime",
        &std::fs::read(&signed).unwrap(),
    )]);
    let eml = write(&inbox, "pec.eml", pec(&inner));
    let o = verify(&eml);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    // An .eml with the plain result file attached.
    write(
        &inbox,
        "semplice.eml",
        message(&[("risultato.json", "application/json", &bytes)]),
    );
    std::fs::copy(&signed, inbox.join("risultato.json.p7m")).unwrap();

    // `collect` of the folder takes the .p7m and .eml files too: the same
    // assessment three times, stored once.
    let db = d.join("coord.db");
    let o = sentinella(&[
        "collect",
        "--questionnaires",
        Q,
        inbox.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["files"], 3, "{v}");
    assert_eq!(v["stored"]["results"], 1, "{v}");
    // What is stored is the result file itself, verifiable again.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let stored: Vec<u8> = conn
        .query_row("SELECT file FROM results", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, bytes);
}

#[test]
fn hostile_envelopes_are_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let result = result_file(d);
    let bytes = std::fs::read(&result).unwrap();
    let refused = |file: &Path, needle: &str| {
        let o = verify(file);
        assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
        let out = stdout(&o);
        assert!(out.contains(needle), "expected {needle:?} in: {out}");
    };

    // Garbage inside a .p7m.
    let garbage: Vec<u8> = (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect();
    refused(&write(d, "garbage.p7m", &garbage), "not a .p7m envelope");
    let mut der = vec![0x30, 0x82, 0x13, 0x88];
    der.extend_from_slice(&garbage);
    refused(
        &write(d, "der-garbage.p7m", &der),
        "not a valid CAdES .p7m envelope",
    );
    // A valid .p7m whose content is not a result file.
    let text = write(d, "lettera.txt", "Gentile coordinamento, ecco i dati.");
    refused(&p7m(d, &text, "lettera.txt.p7m", true), "not valid JSON");
    // A detached signature: no content to take.
    refused(
        &p7m(d, &result, "detached.json.p7m", false),
        "detached signature",
    );
    // A .p7m of a result file altered before it was wrapped.
    let tampered = write(d, "alterato.json", common_tamper(&bytes));
    refused(
        &p7m(d, &tampered, "alterato.json.p7m", true),
        "the signature does not match the content",
    );

    // An .eml with a hundred attachments.
    let many: Vec<(String, Vec<u8>)> = (0..100)
        .map(|i| (format!("allegato-{i}.pdf"), vec![b'x'; 10]))
        .collect();
    let parts: Vec<(&str, &str, &[u8])> = many
        .iter()
        .map(|(n, b)| (n.as_str(), "application/pdf", b.as_slice()))
        .collect();
    refused(
        &write(d, "cento.eml", message(&parts)),
        "more than 20 attachments",
    );
    // No result file attached; two result files attached.
    refused(
        &write(
            d,
            "nessuno.eml",
            message(&[("delibera.pdf", "application/pdf", b"%PDF-1.4")]),
        ),
        "no result file attached",
    );
    refused(
        &write(
            d,
            "due.eml",
            message(&[
                ("a.json", "application/json", &bytes),
                ("b.json", "application/json", &bytes),
            ]),
        ),
        "2 attachments that could be result files",
    );
    // Not a message at all.
    refused(&write(d, "vuoto.eml", ""), "not an e-mail message");
}

/// The result file with one byte of its signed payload changed.
fn common_tamper(file: &[u8]) -> Vec<u8> {
    let mut env: serde_json::Value = serde_json::from_slice(file).unwrap();
    let payload = B64.decode(env["payload"].as_str().unwrap()).unwrap();
    let edited = String::from_utf8(payload)
        .unwrap()
        .replacen("Comune di", "Comune  di", 1);
    env["payload"] = B64.encode(edited).into();
    serde_json::to_vec(&env).unwrap()
}
