use clap::Parser;
#[derive(Parser)]
struct Args {
    #[arg(long, env = "PORT", default_value_t = 80)]
    port: u16,
}
#[tokio::main]
async fn main() {
    let a = Args::parse();
    let listener = tokio::net::TcpListener::bind(("0.0.0.0", a.port)).await.unwrap();
    axum::serve(listener, axum::Router::new()).await.unwrap();
}
