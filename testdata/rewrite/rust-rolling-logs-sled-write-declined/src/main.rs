fn main() {
    // Creates ./logs/ and ./logs/app.log.YYYY-MM-DD; `rolling::daily` panics with
    // "initializing rolling file appender failed" when the folder cannot be created.
    let file_appender = tracing_appender::rolling::daily("logs", "app.log");
    let (writer, _guard) = tracing_appender::non_blocking(file_appender);
    tracing_subscriber::fmt().with_writer(writer).init();

    // Creates the directory ./my_db
    let db = sled::open("my_db").expect("open sled db");
    db.insert(b"started", b"1").unwrap();
    tracing::info!("started");
    loop { std::thread::park(); }
}
