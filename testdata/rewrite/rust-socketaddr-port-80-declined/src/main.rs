use std::io::Write;
use std::net::{SocketAddr, TcpListener};

fn main() {
    // the address idiom of the axum/hyper examples, here on port 80
    let addr = SocketAddr::from(([0, 0, 0, 0], 80));
    let listener = TcpListener::bind(addr).expect("bind");
    for stream in listener.incoming() {
        let mut s = stream.unwrap();
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
    }
}
