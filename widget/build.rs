//! Writes the widget's stylesheet without its comments and layout whitespace into `OUT_DIR`,
//! for `lib.rs` to embed: what a visitor downloads need not carry what a reader of `style.css`
//! wants. Its only strings are font names, with single spaces, and it has no `url()`s, so a run
//! of whitespace is never more than a separator: where it separates tokens (selectors,
//! shorthand values, `"Segoe UI"`) one space stays.

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=src/style.css");
    let css = std::fs::read_to_string("src/style.css").expect("src/style.css is readable");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("style.min.css"), minify(&css)).expect("OUT_DIR is writable");
}

/// `css` without comments, with runs of whitespace made one space and none left next to the
/// punctuation that needs none (`{`, `}`, `;`, `,`, `>` and a declaration's `:`).
fn minify(css: &str) -> String {
    let mut without_comments = String::with_capacity(css.len());
    let mut rest = css;
    while let Some((kept, comment)) = rest.split_once("/*") {
        without_comments.push_str(kept);
        rest = comment.split_once("*/").map_or("", |(_, after)| after);
    }
    without_comments.push_str(rest);
    let mut out = String::with_capacity(without_comments.len());
    for word in without_comments.split_whitespace() {
        let joins = |c: char| matches!(c, '{' | '}' | ';' | ',' | '>');
        let glued = out.is_empty() || out.ends_with(joins) || out.ends_with(':') || word.starts_with(joins);
        if !glued {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.replace(";}", "}")
}
