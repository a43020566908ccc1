pub fn run() { std::process::Command::new("ffmpeg").status().unwrap(); }
