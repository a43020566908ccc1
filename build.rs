//! Build script: compiles the built-in image catalogue from YAML (the source people edit,
//! with comments and anchors) to JSON, so that dfslim does not parse YAML at every start-up:
//! that was 4 ms of a 6 ms run on a small file.

fn main() {
    let path = "src/analysis/catalogue.yaml";
    println!("cargo:rerun-if-changed={path}");
    let yaml = std::fs::read_to_string(path).expect("src/analysis/catalogue.yaml is readable");
    // serde-saphyr resolves anchors and merge keys into the value.
    let value: serde_json::Value =
        serde_saphyr::from_str(&yaml).unwrap_or_else(|error| panic!("{path}: {error}"));
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let json = serde_json::to_string(&value).expect("a YAML value is valid JSON");
    std::fs::write(std::path::Path::new(&out_dir).join("catalogue.json"), json)
        .expect("OUT_DIR is writable");
}
