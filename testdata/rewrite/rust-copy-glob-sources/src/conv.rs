pub fn run() -> u32 { 42 }
