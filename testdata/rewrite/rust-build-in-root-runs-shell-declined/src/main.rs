use std::process::Command;

fn main() {
    // run a user-configurable hook through the shell, as many small services do
    let hook = std::env::var("ON_START").unwrap_or_else(|_| "echo started".to_string());
    let status = Command::new("sh").arg("-c").arg(&hook).status().expect("failed to run hook");
    println!("hook exited with {status}");
}
