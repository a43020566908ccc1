mod conv;
fn main() { conv::run(); }
