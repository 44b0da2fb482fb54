//! The installation's signing key (Ed25519): created on first use in a
//! directory the caller chooses (the app-data directory in the app, `--keys`
//! on the command line), private key file readable by its owner only.
//!
//! Files in the directory:
//! - `sentinella-signing.key`: `sentinella-key/1` JSON with the 32-byte
//!   secret seed in base64 (mode 0600 on Unix; a key readable by others is
//!   refused, as ssh does);
//! - `sentinella-signing.pub`: the public key and its fingerprint, for
//!   convenience (never read back).

use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// File name of the private key.
pub const PRIVATE_KEY_FILE: &str = "sentinella-signing.key";
/// File name of the public key.
pub const PUBLIC_KEY_FILE: &str = "sentinella-signing.pub";
/// Format tag of the private key file.
pub const KEY_FORMAT: &str = "sentinella-key/1";

/// Why the signing key could not be loaded or created.
#[derive(Debug, Error)]
pub enum KeyError {
    /// File-system error.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// The key file is readable or writable by others.
    #[error("{path}: the private key is accessible to other users (mode {mode:o}); restrict it with `chmod 600 {path}`")]
    Permissions {
        /// The key file.
        path: String,
        /// Its permission bits.
        mode: u32,
    },
    /// The key file is not a Sentinella key.
    #[error("{path}: not a valid Sentinella key file: {message}")]
    Invalid {
        /// The key file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The operating system gave no randomness.
    #[error("cannot get random bytes from the operating system: {0}")]
    Random(String),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    format: String,
    secret_key: String,
    public_key: String,
}

/// The installation's key pair.
#[derive(Debug)]
pub struct KeyPair {
    signing: SigningKey,
    /// Whether this call created the key.
    pub created: bool,
    /// The private key file.
    pub path: PathBuf,
}

impl KeyPair {
    /// Load the key pair from `dir`, creating the directory and a new key on
    /// first use. Safe against two processes creating it at once: the key
    /// file is published atomically and never overwritten.
    pub fn load_or_create(dir: &Path) -> Result<KeyPair, KeyError> {
        let path = dir.join(PRIVATE_KEY_FILE);
        if path.exists() {
            return Self::load(&path);
        }
        create_private_dir(dir)?;
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
        let signing = SigningKey::from_bytes(&seed);
        let public = signing.verifying_key();
        let file = KeyFile {
            format: KEY_FORMAT.into(),
            secret_key: B64.encode(signing.to_bytes()),
            public_key: B64.encode(public.to_bytes()),
        };
        let text = serde_json::to_string_pretty(&file).map_err(|e| KeyError::Invalid {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        // Write a private temporary file, then hard-link it into place: the
        // link fails if another process won the race, and then we use its key.
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = dir.join(format!("{PRIVATE_KEY_FILE}.{}-{n}.tmp", std::process::id()));
        let io = |p: &Path| {
            let p = p.display().to_string();
            move |source| KeyError::Io { path: p, source }
        };
        {
            let mut f = private_file(&tmp).map_err(io(&tmp))?;
            f.write_all(text.as_bytes()).map_err(io(&tmp))?;
            f.write_all(b"\n").map_err(io(&tmp))?;
            f.sync_all().map_err(io(&tmp))?;
        }
        match fs::hard_link(&tmp, &path) {
            Ok(()) => {
                let _ = fs::remove_file(&tmp);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists || path.exists() => {
                let _ = fs::remove_file(&tmp);
                return Self::load(&path);
            }
            // File systems without hard links (FAT on a USB stick): rename.
            Err(_) => {
                if let Err(source) = fs::rename(&tmp, &path) {
                    let _ = fs::remove_file(&tmp);
                    return Err(KeyError::Io {
                        path: path.display().to_string(),
                        source,
                    });
                }
            }
        }
        let pub_path = dir.join(PUBLIC_KEY_FILE);
        let pub_text = format!(
            "{}\nfingerprint {}\n",
            B64.encode(public.to_bytes()),
            fingerprint(&public)
        );
        fs::write(&pub_path, pub_text).map_err(io(&pub_path))?;
        Ok(KeyPair {
            signing,
            created: true,
            path,
        })
    }

    /// Load an existing key file.
    pub fn load(path: &Path) -> Result<KeyPair, KeyError> {
        let shown = path.display().to_string();
        check_private(path)?;
        let invalid = |message: String| KeyError::Invalid {
            path: shown.clone(),
            message,
        };
        // A key file is about 200 bytes: read at most 64 KB, never a FIFO.
        let bytes =
            crate::store::file::read_regular_capped(path, 64 * 1024).map_err(|e| match e {
                crate::store::file::ReadError::Io(source) => KeyError::Io {
                    path: shown.clone(),
                    source,
                },
                other => invalid(other.to_string()),
            })?;
        let text = String::from_utf8(bytes).map_err(|_| invalid("not UTF-8 text".into()))?;
        let file: KeyFile = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        if file.format != KEY_FORMAT {
            return Err(invalid(format!(
                "format is {:?}, expected {KEY_FORMAT:?}",
                file.format
            )));
        }
        let seed: [u8; 32] = B64
            .decode(file.secret_key.as_bytes())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| invalid("secret_key is not 32 bytes of base64".into()))?;
        let signing = SigningKey::from_bytes(&seed);
        if B64.encode(signing.verifying_key().to_bytes()) != file.public_key {
            return Err(invalid(
                "public_key does not belong to secret_key".to_string(),
            ));
        }
        Ok(KeyPair {
            signing,
            created: false,
            path: path.to_path_buf(),
        })
    }

    /// A key pair from a 32-byte seed (tests, benchmarks).
    pub fn from_seed(seed: [u8; 32]) -> KeyPair {
        KeyPair {
            signing: SigningKey::from_bytes(&seed),
            created: false,
            path: PathBuf::new(),
        }
    }

    /// The signing key.
    pub fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    /// The public key.
    pub fn public_key(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    /// The public key's short fingerprint.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.public_key())
    }
}

/// Short fingerprint of a public key, for display and for reading over the
/// phone: the first 8 bytes of SHA-256 of the key, as four groups of four
/// upper-case hex digits (`3F2A-9C01-77DE-B410`).
pub fn fingerprint(key: &VerifyingKey) -> String {
    fingerprint_bytes(key.as_bytes())
}

/// [`fingerprint`] of raw public-key bytes.
pub fn fingerprint_bytes(key: &[u8]) -> String {
    let digest = Sha256::digest(key);
    digest
        .iter()
        .take(8)
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .chunks(2)
        .map(|c| c.concat())
        .collect::<Vec<_>>()
        .join("-")
}

/// A normalized fingerprint (16 hex digits) written as [`fingerprint`]
/// writes it: four groups of four upper-case digits.
pub fn format_fingerprint(normalized: &str) -> String {
    let digits: Vec<char> = normalized.chars().map(|c| c.to_ascii_uppercase()).collect();
    digits
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> Result<(), KeyError> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|source| KeyError::Io {
            path: dir.display().to_string(),
            source,
        })
}

/// On Windows there is no mode to set: the key lives under the user's
/// profile (`%APPDATA%`), whose ACL Windows sets to the user, SYSTEM and the
/// administrators, and new files inherit it. Nothing here pretends otherwise.
#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> Result<(), KeyError> {
    fs::create_dir_all(dir).map_err(|source| KeyError::Io {
        path: dir.display().to_string(),
        source,
    })
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

/// On Windows the file inherits the ACL of its folder (see
/// [`create_private_dir`]).
#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), KeyError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = fs::metadata(path).map_err(|source| KeyError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(KeyError::Permissions {
            path: path.display().to_string(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), KeyError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn key_is_created_once_private_and_reloaded() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("app-data/keys");
        let first = KeyPair::load_or_create(&dir).unwrap();
        assert!(first.created);
        let again = KeyPair::load_or_create(&dir).unwrap();
        assert!(!again.created);
        assert_eq!(first.public_key(), again.public_key());
        assert_eq!(first.fingerprint().len(), 19);
        let pub_text = fs::read_to_string(dir.join(PUBLIC_KEY_FILE)).unwrap();
        assert!(pub_text.contains(&first.fingerprint()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.join(PRIVATE_KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
            fs::set_permissions(
                dir.join(PRIVATE_KEY_FILE),
                fs::Permissions::from_mode(0o644),
            )
            .unwrap();
            let e = KeyPair::load_or_create(&dir).unwrap_err();
            assert!(e.to_string().contains("chmod 600"), "{e}");
        }
    }

    #[test]
    fn concurrent_first_use_yields_one_key() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("keys");
        let keys: Vec<KeyPair> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| KeyPair::load_or_create(&dir).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let first = keys[0].public_key();
        assert!(keys.iter().all(|k| k.public_key() == first));
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
    }

    #[test]
    fn damaged_key_files_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(PRIVATE_KEY_FILE);
        for text in [
            "",
            "{}",
            r#"{"format":"sentinella-key/1","secret_key":"AAAA","public_key":""}"#,
        ] {
            fs::write(&path, text).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
            }
            let e = KeyPair::load(&path).unwrap_err();
            assert!(e.to_string().contains("not a valid Sentinella key"), "{e}");
        }
    }

    #[test]
    fn fingerprint_is_stable() {
        let a = KeyPair::from_seed([7; 32]);
        let b = KeyPair::from_seed([7; 32]);
        let c = KeyPair::from_seed([8; 32]);
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), c.fingerprint());
        assert!(a
            .fingerprint()
            .chars()
            .all(|ch| ch == '-' || ch.is_ascii_hexdigit()));
    }
}
