//! primes: counts primes with a sieve split over threads, and checks the CA bundle is there.
use std::fs;
use std::thread;

fn sieve(limit: usize) -> Vec<bool> {
    let mut is = vec![true; limit + 1];
    is[0] = false;
    is[1] = false;
    let mut i = 2;
    while i * i <= limit {
        if is[i] {
            let mut j = i * i;
            while j <= limit {
                is[j] = false;
                j += i;
            }
        }
        i += 1;
    }
    is
}

fn main() {
    const LIMIT: usize = 2_000_000;
    let is = std::sync::Arc::new(sieve(LIMIT));
    let chunks = 4;
    let handles: Vec<_> = (0..chunks)
        .map(|k| {
            let is = is.clone();
            thread::spawn(move || {
                let lo = k * LIMIT / chunks;
                let hi = (k + 1) * LIMIT / chunks;
                (lo..hi).filter(|&n| is[n]).map(|n| n as u64).sum::<u64>()
            })
        })
        .collect();
    let sum: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    let count = is.iter().filter(|&&p| p).count();
    println!("primes below {LIMIT}: {count}, sum {sum}");

    match fs::read_to_string("/etc/ssl/certs/ca-certificates.crt") {
        Ok(s) => println!(
            "ca bundle: more than 100 certificates: {}",
            s.matches("BEGIN CERTIFICATE").count() > 100
        ),
        Err(e) => {
            println!("ca bundle: {e}");
            std::process::exit(3);
        }
    }
    // a panic caught on another thread needs the unwinder (libgcc_s)
    let r = thread::spawn(|| {
        let v: Vec<u8> = Vec::new();
        v[1]
    })
    .join();
    println!("panic on a thread caught: {}", r.is_err());
}
