//! Passwords of the local issuer's accounts: argon2id hashes in PHC format.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Shortest password accepted for a new account.
pub const MIN_LENGTH: usize = 12;
/// Longest password accepted: argon2 takes any length, but one request should not make it
/// hash megabytes.
pub const MAX_LENGTH: usize = 256;

/// The common passwords a new one may not be (see the file's header).
fn common() -> &'static std::collections::HashSet<&'static str> {
    static COMMON: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    COMMON.get_or_init(|| {
        include_str!("common-passwords.txt")
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Whether `password` is one a guesser tries early: a common password, one with digits or
/// symbols added at its end (`Password123!`), or one short piece repeated (`abcabcabcabc`).
fn guessable(password: &str) -> bool {
    let lower = password.to_lowercase();
    let stem = lower.trim_end_matches(|c: char| !c.is_alphabetic());
    let chars: Vec<char> = lower.chars().collect();
    let repeated = (1..=chars.len() / 2).any(|unit| {
        chars.len().is_multiple_of(unit) && chars.chunks(unit).all(|chunk| chunk == &chars[..unit])
    });
    common().contains(lower.as_str()) || common().contains(stem) || repeated
}

/// Checks a new password: at least [`MIN_LENGTH`] characters, at most [`MAX_LENGTH`], and not
/// [`guessable`]. The error names `field`.
pub fn check_new(field: &str, password: &str) -> Result<(), jobslot_domain::FieldError> {
    let length = password.chars().count();
    let problem = if length < MIN_LENGTH {
        format!("Use at least {MIN_LENGTH} characters.")
    } else if length > MAX_LENGTH {
        format!("Use at most {MAX_LENGTH} characters.")
    } else if guessable(password) {
        "This password is among the first ones guessed; choose another.".to_owned()
    } else {
        return Ok(());
    };
    Err(jobslot_domain::FieldError::new(field, problem))
}

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
    fn generated_passwords_are_long_enough_and_pass_the_check() {
        assert!(generate().len() >= MIN_LENGTH);
        assert_eq!(check_new("password", &generate()), Ok(()));
    }

    #[test]
    fn short_common_padded_and_repeated_passwords_are_refused_naming_the_field() {
        for weak in [
            "short",
            "qwerty123456",
            "1qaz2wsx3edc",
            "Password1234!",
            "BASEBALL2024#",
            "abcabcabcabc",
            "zzzzzzzzzzzz",
        ] {
            let refused = check_new("new_password", weak).expect_err(weak);
            assert_eq!(refused.field, "new_password", "{weak}");
        }
        assert!(check_new("p", &"x".repeat(MAX_LENGTH + 1)).is_err());
        for fine in ["correct horse battery staple", "Plumbing-van-7-Kirribilli"] {
            assert_eq!(check_new("new_password", fine), Ok(()), "{fine}");
        }
    }
}
