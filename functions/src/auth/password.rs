//! Passwords of the local issuer's accounts: argon2id hashes in PHC format.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Shortest password accepted for a new account.
pub const MIN_LENGTH: usize = 12;

/// The PHC string of `password`'s argon2id hash with a fresh random salt.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::encode_b64(&crate::random::bytes::<16>())
        .map_err(|e| anyhow::anyhow!("encoding a salt: {e}"))?;
    let hashed = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?;
    Ok(hashed.to_string())
}

/// Whether `password` matches the stored `phc` hash. A malformed hash matches nothing.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash of nothing anyone can type, verified against when the e-mail is unknown so that
/// an unknown address takes as long as a wrong password.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&hex::encode(crate::random::bytes::<16>())).unwrap_or_default())
}

/// A random password to print once for a new account (24 characters, 120 bits).
pub fn generate() -> String {
    base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, crate::random::bytes::<18>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let phc = hash("correct horse battery").expect("hash");
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &phc));
        assert!(!verify("correct horse batterY", &phc));
        assert!(!verify("correct horse battery", "not a hash"));
        assert_ne!(phc, hash("correct horse battery").expect("hash"), "salted");
    }

    #[test]
    fn generated_passwords_are_long_enough() {
        assert!(generate().len() >= MIN_LENGTH);
    }
}
