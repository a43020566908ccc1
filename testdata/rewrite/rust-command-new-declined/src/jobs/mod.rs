use std::process::Command;

/// ffmpeg does the work: the image must have it.
pub fn transcode(input: &str) {
    Command::new("ffmpeg").args(["-i", input, "out.webm"]).status().expect("ffmpeg runs");
}
