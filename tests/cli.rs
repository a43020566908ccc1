//! CLI tests as data: every `tests/cmd/*.md` file (and the README) holds commands with their
//! expected output and exit status, run against the real binary.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.md")
        .case("tests/cmd/*.toml")
        .case("README.md");
}
