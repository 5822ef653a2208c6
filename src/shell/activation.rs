//! Version-manager activation lines: recognised by their text, their effect modelled
//! (envgate never runs `goenv init -` or reads asdf's scripts).

use super::ast::{Node, Part, Simple, Word};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Manager {
    Goenv,
    Asdf,
    Mise,
    Gvm,
}

impl Manager {
    pub fn as_str(self) -> &'static str {
        match self {
            Manager::Goenv => "goenv",
            Manager::Asdf => "asdf",
            Manager::Mise => "mise",
            Manager::Gvm => "gvm",
        }
    }
}

/// `goenv init`, `mise activate` (or its old name `rtx activate`) inside command text.
pub fn in_command_text(text: &str) -> Option<Manager> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '|' || c == ';' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.windows(2) {
        let program = pair[0].rsplit('/').next().unwrap_or(pair[0]);
        match (program, pair[1]) {
            ("goenv", "init") => return Some(Manager::Goenv),
            ("mise" | "rtx", "activate") => return Some(Manager::Mise),
            _ => {}
        }
    }
    None
}

/// A sourced script that activates a manager: asdf's `asdf.sh`/`asdf.fish`, gvm's
/// `scripts/gvm`.
pub fn in_sourced_path(path: &str) -> Option<Manager> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "asdf.sh" || name == "asdf.fish" {
        return Some(Manager::Asdf);
    }
    if path.ends_with("/scripts/gvm") || path == "scripts/gvm" {
        return Some(Manager::Gvm);
    }
    None
}

/// The texts of command substitutions inside a word (`"$(goenv init -)"`, `<(…)`).
pub fn substitutions(word: &Word) -> impl Iterator<Item = &str> {
    word.parts.iter().filter_map(|p| match p {
        Part::CmdSub { text } => Some(text.as_str()),
        _ => None,
    })
}

/// The manager a command activates, judged from its words alone (used for the
/// per-file facts; the evaluator also resolves variables in sourced paths).
pub fn in_simple(simple: &Simple) -> Option<Manager> {
    let first = simple.words.first()?.literal()?;
    let args = &simple.words[1..];
    match first.as_str() {
        "eval" => args
            .iter()
            .flat_map(substitutions)
            .find_map(in_command_text)
            .or_else(|| {
                let joined: Vec<&str> = args.iter().map(|w| w.raw.as_str()).collect();
                in_command_text(&joined.join(" "))
            }),
        "source" | "." => {
            let target = args.first()?;
            substitutions(target)
                .find_map(in_command_text)
                .or_else(|| in_sourced_path(&target.raw.replace(['"', '\''], "")))
        }
        _ => None,
    }
}

/// fish's `goenv init - | source` and `mise activate fish | source`.
pub fn in_pipeline(commands: &[Node]) -> Option<Manager> {
    let [first @ .., Node::Simple(last)] = commands else {
        return None;
    };
    let sourced = last
        .words
        .first()
        .and_then(Word::literal)
        .is_some_and(|w| w == "source" || w == ".");
    if !sourced {
        return None;
    }
    first.iter().find_map(|node| match node {
        Node::Simple(simple) => {
            let text: Vec<&str> = simple.words.iter().map(|w| w.raw.as_str()).collect();
            in_command_text(&text.join(" "))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_usual_spellings() {
        assert_eq!(in_command_text("goenv init -"), Some(Manager::Goenv));
        assert_eq!(
            in_command_text("$HOME/.goenv/bin/goenv init - bash"),
            Some(Manager::Goenv)
        );
        assert_eq!(
            in_command_text("~/.local/bin/mise activate zsh"),
            Some(Manager::Mise)
        );
        assert_eq!(in_command_text("dircolors -b"), None);
        assert_eq!(
            in_sourced_path("/home/dev/.asdf/asdf.sh"),
            Some(Manager::Asdf)
        );
        assert_eq!(
            in_sourced_path("/home/dev/.gvm/scripts/gvm"),
            Some(Manager::Gvm)
        );
        assert_eq!(in_sourced_path("/home/dev/.cargo/env"), None);
    }
}
