use std::process::Command as Cmd;

fn main() {
    Cmd::new("sh").args(["-c", "echo ready"]).status().unwrap();
    serve();
}

fn serve() { std::thread::park(); }
