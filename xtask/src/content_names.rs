//! Names that carry a hash of the file's content, for the widget's build.
//!
//! A pasted `<script src=".../embed.js">` must keep its address across releases, so the loader
//! keeps its name and is cached briefly. Everything it loads (the JS glue, the wasm, the glue's
//! snippets) is renamed after its content, so a CDN and browsers may keep those a year without
//! ever serving one release's glue with another's wasm. The loader is rewritten to name them.

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Trunk's names for the build's files, before renaming.
const GLUE: &str = "jobslot-widget.js";
const WASM: &str = "jobslot-widget_bg.wasm";
const LOADER: &str = "embed.js";
const SNIPPETS: &str = "snippets";

/// The names a build's loader points at.
#[derive(Debug)]
pub struct Names {
    pub glue: String,
    pub wasm: String,
}

/// Sixteen hex digits of the SHA-256 of `bytes`: Trunk's length for the console's names.
fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Renames the glue, the wasm and the snippets the glue imports in `dist` after their contents,
/// removes snippets nothing imports (a stale one would otherwise ship), and points the loader
/// at the new names. The glue's name covers the names it imports, so it changes with any of them.
pub fn apply(dist: &Path) -> Result<Names> {
    let read = |name: &str| {
        std::fs::read(dist.join(name)).with_context(|| format!("reading {name} in {}", dist.display()))
    };
    let wasm = format!("jobslot-widget-{}_bg.wasm", digest(&read(WASM)?));
    std::fs::rename(dist.join(WASM), dist.join(&wasm))?;

    let mut glue = String::from_utf8(read(GLUE)?).context("the JS glue is not UTF-8")?;
    glue = rename_snippets(dist, &glue)?;
    // Only the glue's fallback when no wasm address is given; kept right all the same.
    glue = glue.replace(WASM, &wasm);
    let glue_name = format!("jobslot-widget-{}.js", digest(glue.as_bytes()));
    std::fs::write(dist.join(&glue_name), &glue)?;
    std::fs::remove_file(dist.join(GLUE))?;

    let loader = String::from_utf8(read(LOADER)?).context("the loader is not UTF-8")?;
    let loader = replace_once(&loader, GLUE, &glue_name)?;
    let loader = replace_once(&loader, WASM, &wasm)?;
    std::fs::write(dist.join(LOADER), loader)?;
    Ok(Names { glue: glue_name, wasm })
}

/// `text` with its one occurrence of `quoted` (as a JS string, in either quote) replaced.
fn replace_once(text: &str, name: &str, new: &str) -> Result<String> {
    for quote in ['"', '\''] {
        let quoted = format!("{quote}{name}{quote}");
        if text.matches(&quoted).count() == 1 {
            return Ok(text.replace(&quoted, &format!("{quote}{new}{quote}")));
        }
    }
    bail!("the loader must name {name} exactly once, as a string")
}

/// Moves the snippets the glue imports (`./snippets/<dir>/<path>`) into one directory named
/// after all their paths and contents, deletes the rest, and returns the glue pointing there.
fn rename_snippets(dist: &Path, glue: &str) -> Result<String> {
    let mut imported: Vec<(String, String)> = Vec::new();
    for (at, _) in glue.match_indices("./snippets/") {
        let rest = &glue[at + "./snippets/".len()..];
        let end = rest.find(['"', '\'', '`']).context("an unterminated snippet import in the glue")?;
        let Some((dir, path)) = rest[..end].split_once('/') else {
            bail!("a snippet import without a directory: {}", &rest[..end]);
        };
        let pair = (dir.to_owned(), path.to_owned());
        if !imported.contains(&pair) {
            imported.push(pair);
        }
    }
    imported.sort();
    let snippets = dist.join(SNIPPETS);
    let mut hashed = Vec::new();
    let mut contents = Vec::new();
    for (dir, path) in &imported {
        let bytes = std::fs::read(snippets.join(dir).join(path))
            .with_context(|| format!("the glue imports snippets/{dir}/{path}, which is not there"))?;
        hashed.extend_from_slice(path.as_bytes());
        hashed.push(0);
        hashed.extend_from_slice(&bytes);
        contents.push(bytes);
    }
    if snippets.exists() {
        std::fs::remove_dir_all(&snippets)?;
    }
    if imported.is_empty() {
        return Ok(glue.to_owned());
    }
    let new_dir = format!("jobslot-widget-{}", digest(&hashed));
    let mut glue = glue.to_owned();
    for ((dir, path), bytes) in imported.iter().zip(contents) {
        let target = snippets.join(&new_dir).join(path);
        std::fs::create_dir_all(target.parent().unwrap_or(&snippets))?;
        std::fs::write(target, bytes)?;
        glue = glue.replace(&format!("./snippets/{dir}/{path}"), &format!("./snippets/{new_dir}/{path}"));
    }
    Ok(glue)
}

/// Moves the one inline module script Trunk writes into `dist/index.html` (the console's
/// start-up) into `<prefix>-boot-<hash>.js` beside it, and loads that by address instead: a
/// page whose Content-Security-Policy allows scripts from `'self'` only then runs it, with no
/// per-build hash in the policy. Returns the new file's name.
pub fn externalise_boot_script(dist: &Path, prefix: &str, public_url: &str) -> Result<String> {
    const OPEN: &str = "<script type=\"module\">";
    const CLOSE: &str = "</script>";
    let page_path = dist.join("index.html");
    let page =
        std::fs::read_to_string(&page_path).with_context(|| format!("reading {}", page_path.display()))?;
    if page.matches(OPEN).count() != 1 {
        bail!("{} must hold exactly one inline module script (Trunk's start-up)", page_path.display());
    }
    let start = page.find(OPEN).context("checked above")?;
    let body_start = start + OPEN.len();
    let body_len = page[body_start..].find(CLOSE).context("an unterminated inline script")?;
    let body = &page[body_start..body_start + body_len];
    let name = format!("{prefix}-boot-{}.js", digest(body.as_bytes()));
    std::fs::write(dist.join(&name), body.trim())?;
    let tag = format!("<script type=\"module\" src=\"{public_url}{name}\"></script>");
    let page = format!("{}{tag}{}", &page[..start], &page[body_start + body_len + CLOSE.len()..]);
    std::fs::write(&page_path, page)?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(dir: &Path, wasm: &[u8], element: &str) {
        let snippets = dir.join("snippets/jobslot-widget-0123/src");
        std::fs::create_dir_all(&snippets).expect("test fixture");
        std::fs::write(snippets.join("element.js"), element).expect("test fixture");
        std::fs::write(dir.join("snippets/jobslot-widget-0123/inline0.js"), "stale").expect("test fixture");
        std::fs::write(
            dir.join(GLUE),
            "import{a}from\"./snippets/jobslot-widget-0123/src/element.js\";new URL(\"jobslot-widget_bg.wasm\",import.meta.url)",
        )
        .expect("test fixture");
        std::fs::write(dir.join(WASM), wasm).expect("test fixture");
        std::fs::write(
            dir.join(LOADER),
            "import(b+\"jobslot-widget.js\").then(g=>g.default({module_or_path:b+\"jobslot-widget_bg.wasm\"}))",
        )
        .expect("test fixture");
    }

    fn names(wasm: &[u8], element: &str) -> (tempfile::TempDir, Names) {
        let dir = tempfile::tempdir().expect("test fixture");
        build(dir.path(), wasm, element);
        let names = apply(dir.path()).expect("test fixture");
        (dir, names)
    }

    #[test]
    fn the_loader_names_the_renamed_files_and_the_glue_its_renamed_snippet() {
        let (dir, names) = names(b"wasm", "export function a(){}");
        let loader = std::fs::read_to_string(dir.path().join(LOADER)).expect("test fixture");
        assert!(
            loader.contains(&format!("\"{}\"", names.glue))
                && loader.contains(&format!("\"{}\"", names.wasm))
        );
        assert_eq!(std::fs::read(dir.path().join(&names.wasm)).expect("test fixture"), b"wasm");
        assert!(!dir.path().join(GLUE).exists() && !dir.path().join(WASM).exists());

        let glue = std::fs::read_to_string(dir.path().join(&names.glue)).expect("test fixture");
        let import = glue.split('"').nth(1).expect("test fixture");
        assert_ne!(import, "./snippets/jobslot-widget-0123/src/element.js");
        assert_eq!(
            std::fs::read_to_string(dir.path().join(import)).expect("test fixture"),
            "export function a(){}"
        );
        assert!(glue.contains(&names.wasm));
        let left: Vec<_> = walk(&dir.path().join(SNIPPETS));
        assert_eq!(left.len(), 1, "the snippet nothing imports is gone: {left:?}");
    }

    #[test]
    fn a_change_in_any_file_renames_it_and_the_glue_that_imports_it() {
        let (_a, first) = names(b"wasm", "export function a(){}");
        let (_b, same) = names(b"wasm", "export function a(){}");
        assert_eq!((&first.glue, &first.wasm), (&same.glue, &same.wasm), "the same build, the same names");
        let (_c, new_wasm) = names(b"wasm 2", "export function a(){}");
        assert_ne!(new_wasm.wasm, first.wasm);
        assert_ne!(new_wasm.glue, first.glue, "the glue names the wasm it falls back to");
        let (_d, new_snippet) = names(b"wasm", "export function a(){ }");
        assert_eq!(new_snippet.wasm, first.wasm);
        assert_ne!(new_snippet.glue, first.glue, "a changed snippet moves, and so the glue changes");
    }

    #[test]
    fn a_loader_that_does_not_name_the_glue_fails_the_build() {
        let dir = tempfile::tempdir().expect("test fixture");
        build(dir.path(), b"wasm", "");
        std::fs::write(dir.path().join(LOADER), "import(b+glueName)").expect("test fixture");
        assert!(apply(dir.path()).is_err());
    }

    fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).expect("test fixture").flatten() {
            if entry.path().is_dir() {
                out.extend(walk(&entry.path()));
            } else {
                out.push(entry.path());
            }
        }
        out
    }

    #[test]
    fn the_console_start_up_moves_to_a_file_named_after_it() {
        let dir = tempfile::tempdir().expect("test fixture");
        let page = "<head>\n<script type=\"module\">\nimport init from '/admin/a.js';\nawait init();\n</script>\n<link rel=\"stylesheet\" href=\"/admin/s.css\"/></head>";
        std::fs::write(dir.path().join("index.html"), page).expect("test fixture");
        let name = externalise_boot_script(dir.path(), "jobslot-console", "/admin/").expect("moved");
        assert!(name.starts_with("jobslot-console-boot-") && name.ends_with(".js"), "{name}");
        let rewritten = std::fs::read_to_string(dir.path().join("index.html")).expect("page");
        assert_eq!(
            rewritten,
            format!(
                "<head>\n<script type=\"module\" src=\"/admin/{name}\"></script>\n<link rel=\"stylesheet\" href=\"/admin/s.css\"/></head>"
            )
        );
        let script = std::fs::read_to_string(dir.path().join(&name)).expect("script");
        assert_eq!(script, "import init from '/admin/a.js';\nawait init();");
        // Run twice (a page already rewritten) it refuses rather than writing a page with no start-up.
        assert!(externalise_boot_script(dir.path(), "jobslot-console", "/admin/").is_err());
    }
}
