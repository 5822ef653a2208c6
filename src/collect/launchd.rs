//! macOS: the PATH launchd gives a user's session, when an administrator set one with
//! `sudo launchctl config user path …` (the way to give apps started from the Dock a
//! PATH). launchd keeps it in a property list, key `PathEnvironmentVariable`, read at
//! boot.

use std::path::Path;

use crate::host::Host;
use crate::snapshot::Origin;

/// Where `launchctl config user …` writes (`/var` is a link to `/private/var`).
const USER_CONFIG: [&str; 2] = [
    "/private/var/db/com.apple.xpc.launchd/config/user.plist",
    "/var/db/com.apple.xpc.launchd/config/user.plist",
];

const LIMIT: u64 = 1 << 20;

/// The configured PATH and where it is set (the key's line in an XML property list,
/// line 1 in a binary one).
pub fn configured_path(host: &dyn Host) -> Option<(String, Origin)> {
    USER_CONFIG.iter().find_map(|file| {
        let bytes = host.read_limited(Path::new(file), LIMIT).ok()?;
        let value = plist::Value::from_reader(std::io::Cursor::new(&bytes)).ok()?;
        let path = value
            .as_dictionary()?
            .get("PathEnvironmentVariable")?
            .as_string()?
            .to_string();
        let line = String::from_utf8_lossy(&bytes)
            .lines()
            .position(|l| l.contains("PathEnvironmentVariable"))
            .map_or(1, |index| index + 1);
        Some((
            path,
            Origin {
                file: file.to_string(),
                line,
            },
        ))
    })
}
