//! Result files that arrive wrapped: a CAdES `.p7m` envelope (the comune
//! signed the attachment with its smart card before sending it by PEC) and
//! an `.eml` message saved from the PEC client with the result file
//! attached. The result file is taken out and then verified as usual.
//!
//! - `.p7m`: a CMS `SignedData` (RFC 5652) in DER (or in base64 of DER, as
//!   some clients save it), parsed with the RustCrypto `cms` crate; the
//!   encapsulated content is the result file (a `.p7m` inside a `.p7m`, a
//!   countersignature, is opened again, up to [`MAX_DEPTH`] levels). **The
//!   CAdES signature itself is not checked**: checking it means validating
//!   the signer's certificate against the Italian trusted list and its
//!   revocation, which an offline tool cannot do well; what Sentinella
//!   trusts is the Ed25519 signature of the result file inside, checked as
//!   for any result file.
//! - `.eml`: parsed with the `mail-parser` crate; attachments are counted
//!   (at most [`MAX_ATTACHMENTS`], nested messages included: a PEC message
//!   carries the original as `postacert.eml`), each at most
//!   [`super::MAX_RESULT_BYTES`]; exactly one attachment must be a result
//!   file (`*.json`, or `*.p7m` opened as above).
//!
//! No parsing of our own: CMS, DER, MIME, base64 and quoted-printable are
//! the crates'.

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::asn1::OctetString;
use der::oid::ObjectIdentifier;
use der::Decode as _;
use mail_parser::{Message, MessageParser, MimeHeaders as _};

use super::MAX_RESULT_BYTES;

/// Most attachments read from one `.eml` (nested messages included).
pub const MAX_ATTACHMENTS: usize = 20;
/// Most envelopes opened inside one another.
pub const MAX_DEPTH: usize = 3;

/// `id-signedData` (RFC 5652, 1.2.840.113549.1.7.2).
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");

/// What kind of wrapping a file name announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrapping {
    /// A plain result file.
    None,
    /// A CAdES `.p7m`.
    P7m,
    /// A saved e-mail message.
    Eml,
}

impl Wrapping {
    /// By the file name's extension (any case).
    pub fn of_name(name: &str) -> Wrapping {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".p7m") {
            Wrapping::P7m
        } else if lower.ends_with(".eml") {
            Wrapping::Eml
        } else {
            Wrapping::None
        }
    }
}

/// Take the result file out of `bytes` wrapped as `wrapping` (plain bytes
/// are returned as they are). The error says what is wrong, in English.
pub fn unwrap(bytes: Vec<u8>, wrapping: Wrapping) -> Result<Vec<u8>, String> {
    match wrapping {
        Wrapping::None => Ok(bytes),
        Wrapping::P7m => open_p7m(&bytes, 0),
        Wrapping::Eml => open_eml(&bytes, 0),
    }
}

fn open_p7m(bytes: &[u8], depth: usize) -> Result<Vec<u8>, String> {
    if depth >= MAX_DEPTH {
        return Err(format!(
            "the .p7m envelope is nested more than {MAX_DEPTH} levels deep"
        ));
    }
    // Some clients save the DER in base64 text.
    let decoded;
    let der = if bytes.first() == Some(&0x30) {
        bytes
    } else {
        use base64::Engine as _;
        let text: Vec<u8> = bytes
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        decoded = base64::engine::general_purpose::STANDARD
            .decode(&text)
            .map_err(|_| "not a .p7m envelope (neither DER nor base64 of DER)".to_string())?;
        &decoded[..]
    };
    let info = ContentInfo::from_der(der).map_err(|e| {
        format!("not a valid CAdES .p7m envelope ({e}); envelopes in BER with indefinite lengths are not read: save the file again as DER, or send the result file itself")
    })?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(format!(
            "the .p7m envelope holds {} content, not signed data",
            info.content_type
        ));
    }
    let signed: SignedData = info
        .content
        .decode_as()
        .map_err(|e| format!("the signed data of the .p7m envelope is not valid ({e})"))?;
    let Some(content) = signed.encap_content_info.econtent else {
        return Err(
            "the .p7m envelope has a detached signature and no content: send the result file itself"
                .into(),
        );
    };
    let octets: OctetString = content
        .decode_as()
        .map_err(|e| format!("the content of the .p7m envelope is not valid ({e})"))?;
    let inner = octets.into_bytes();
    if inner.len() as u64 > MAX_RESULT_BYTES {
        return Err(format!(
            "the content of the .p7m envelope is too large ({} bytes; a result file is at most {MAX_RESULT_BYTES} bytes)",
            inner.len()
        ));
    }
    // Signed twice (a countersignature): open the inner envelope too.
    if ContentInfo::from_der(&inner).is_ok_and(|i| i.content_type == ID_SIGNED_DATA) {
        return open_p7m(&inner, depth + 1);
    }
    Ok(inner)
}

/// One attachment of a message, taken whole.
struct Attachment {
    name: String,
    bytes: Vec<u8>,
}

fn gather(message: &Message<'_>, depth: usize, out: &mut Vec<Attachment>) -> Result<(), String> {
    if depth >= MAX_DEPTH {
        return Err(format!(
            "the message nests other messages more than {MAX_DEPTH} levels deep"
        ));
    }
    for part in message.attachments() {
        if out.len() >= MAX_ATTACHMENTS {
            return Err(format!(
                "the message has more than {MAX_ATTACHMENTS} attachments; save the result file from it and collect that"
            ));
        }
        if let Some(inner) = part.message() {
            gather(inner, depth + 1, out)?;
            continue;
        }
        let bytes = part.contents();
        if bytes.len() as u64 > MAX_RESULT_BYTES {
            return Err(format!(
                "an attachment of the message is too large ({} bytes; a result file is at most {MAX_RESULT_BYTES} bytes)",
                bytes.len()
            ));
        }
        out.push(Attachment {
            name: part.attachment_name().unwrap_or_default().to_string(),
            bytes: bytes.to_vec(),
        });
    }
    Ok(())
}

fn open_eml(bytes: &[u8], depth: usize) -> Result<Vec<u8>, String> {
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| "not an e-mail message".to_string())?;
    let mut attachments = Vec::new();
    gather(&message, depth, &mut attachments)?;
    let mut results: Vec<Attachment> = attachments
        .into_iter()
        .filter(|a| {
            let n = a.name.to_ascii_lowercase();
            n.ends_with(".json") || n.ends_with(".p7m")
        })
        .collect();
    match results.len() {
        0 => Err("the message has no result file attached (no .json or .p7m attachment)".into()),
        1 => {
            let a = results.remove(0);
            match Wrapping::of_name(&a.name) {
                Wrapping::P7m => open_p7m(&a.bytes, depth + 1),
                _ => Ok(a.bytes),
            }
        }
        n => Err(format!(
            "the message has {n} attachments that could be result files ({}): save each one and collect the files",
            results
                .iter()
                .map(|a| crate::validate::printable(&a.name).chars().take(60).collect::<String>())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decide_the_wrapping() {
        assert_eq!(Wrapping::of_name("a.json"), Wrapping::None);
        assert_eq!(Wrapping::of_name("risultato.json.P7M"), Wrapping::P7m);
        assert_eq!(Wrapping::of_name("PEC.eml"), Wrapping::Eml);
    }

    #[test]
    fn garbage_is_refused_without_panic() {
        assert!(unwrap(b"garbage".to_vec(), Wrapping::P7m).is_err());
        assert!(unwrap(vec![0x30, 0x80, 0, 0], Wrapping::P7m).is_err());
        assert!(unwrap(vec![0x30; 1000], Wrapping::P7m).is_err());
        assert!(unwrap(Vec::new(), Wrapping::Eml).is_err());
        assert!(unwrap(b"Subject: x\r\n\r\nbody".to_vec(), Wrapping::Eml).is_err());
    }
}
