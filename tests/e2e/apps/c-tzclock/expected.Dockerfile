FROM debian:bookworm AS build

RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY tzclock.c .
RUN gcc -O2 -Wall -o /usr/local/bin/tzclock tzclock.c

# gcc links glibc dynamically: `base`. Built against bookworm's glibc 2.36, it runs on
# debian13's 2.41 (newer); the other way round would not.
FROM gcr.io/distroless/base-debian13:nonroot
# the one artifact: the output of `gcc -o /usr/local/bin/tzclock` (it reads
# /usr/share/zoneinfo and /etc/passwd, which the target provides)
COPY --from=build /usr/local/bin/tzclock /usr/local/bin/tzclock
# the shell-form CMD used no shell feature: exec form, with the PATH lookup made explicit
CMD ["/usr/local/bin/tzclock", "Europe/Paris", "America/New_York", "Asia/Tokyo"]
