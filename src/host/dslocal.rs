//! macOS accounts. A Mac's `/etc/passwd` lists system accounts only; its users live in
//! the local directory service, one property list per account under
//! `/var/db/dslocal/nodes/Default/users` (binary or XML; the `plist` crate reads both),
//! each attribute an array of strings: `name`, `uid`, `home`, `shell`.

use std::path::Path;

use super::{Host, PasswdEntry};

/// Where a Mac keeps its local accounts.
pub const USERS_DIR: &str = "/var/db/dslocal/nodes/Default/users";

/// A property list is a few kilobytes; a larger file is not an account record.
const RECORD_LIMIT: u64 = 1 << 20;

/// The accounts of a Mac's local directory, sorted by name; none elsewhere.
pub fn accounts(host: &dyn Host) -> Vec<PasswdEntry> {
    let mut accounts: Vec<PasswdEntry> = host
        .dir_entries(Path::new(USERS_DIR))
        .unwrap_or_default()
        .into_iter()
        .filter(|entry| entry.name.ends_with(".plist"))
        .filter_map(|entry| host.read_limited(&entry.path, RECORD_LIMIT).ok())
        .filter_map(|bytes| record(&bytes))
        .collect();
    accounts.sort_by(|a, b| a.name.cmp(&b.name));
    accounts
}

/// One account record; `None` when it lacks a name, a numeric uid or a home.
fn record(bytes: &[u8]) -> Option<PasswdEntry> {
    let value = plist::Value::from_reader(std::io::Cursor::new(bytes)).ok()?;
    let dict = value.as_dictionary()?;
    let first = |key: &str| -> Option<String> {
        let value = dict.get(key)?;
        let text = match value.as_array() {
            Some(items) => items.first()?.as_string()?,
            None => value.as_string()?,
        };
        Some(text.to_string())
    };
    Some(PasswdEntry {
        name: first("name")?,
        uid: first("uid")?.parse().ok()?,
        home: first("home")?,
        // Since Catalina a new account's shell is zsh.
        shell: first("shell").unwrap_or_else(|| "/bin/zsh".to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_xml_record_and_a_binary_one() {
        let mut dict = plist::Dictionary::new();
        for (key, value) in [
            ("name", "dev"),
            ("uid", "501"),
            ("home", "/Users/dev"),
            ("shell", "/bin/zsh"),
        ] {
            dict.insert(key.into(), plist::Value::Array(vec![value.into()]));
        }
        let value = plist::Value::Dictionary(dict);
        let mut xml = Vec::new();
        value.to_writer_xml(&mut xml).unwrap();
        let mut binary = Vec::new();
        value.to_writer_binary(&mut binary).unwrap();
        for bytes in [xml, binary] {
            let account = record(&bytes).unwrap();
            assert_eq!(
                (account.name.as_str(), account.uid, account.home.as_str()),
                ("dev", 501, "/Users/dev")
            );
            assert_eq!(account.shell, "/bin/zsh");
        }
        assert!(record(b"not a plist").is_none());
    }
}
