fn main() {
    println!("notify-bot");
}
