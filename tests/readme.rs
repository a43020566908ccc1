//! The README's rules table is generated from the rule registry: this test fails when the
//! two drift apart. Regenerate the table with `dfslim rules --format markdown`.

#[test]
fn readme_rules_table_is_current() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- rules:start -->\n")
        .expect("rules:start marker")
        + "<!-- rules:start -->\n".len();
    let end = readme.find("<!-- rules:end -->").expect("rules:end marker");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dfslim"))
        .args(["rules", "--format", "markdown"])
        .output()
        .unwrap();
    let generated = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        &readme[start..end],
        generated,
        "README.md's rules table is out of date: paste `dfslim rules --format markdown` between the markers"
    );
}
