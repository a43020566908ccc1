use libxml::parser::Parser;
fn main() {
    let doc = Parser::default().parse_string("<rss><channel><title>x</title></channel></rss>").unwrap();
    println!("{}", doc.get_root_element().unwrap().get_name());
}
