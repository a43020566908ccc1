# A C program linked against musl, dynamically: Alpine's way, made here from Debian's
# musl-tools (Alpine's packages cannot be reached). The runtime stage is alpine-like: a
# Debian image whose programs' C library is musl, with musl's loader installed.
FROM debian:trixie AS build
RUN apt-get update && apt-get install -y --no-install-recommends musl-tools binutils \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY wordfreq.c .
RUN musl-gcc -O2 -o /usr/local/bin/wordfreq wordfreq.c

FROM debian:trixie AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends musl \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/wordfreq /usr/local/bin/wordfreq
COPY text.txt /srv/text.txt
CMD ["wordfreq", "/srv/text.txt"]

FROM scratch
# The program, linked against musl: scratch, with musl's loader below.
COPY --from=runtime /usr/local/bin/wordfreq /usr/local/bin/wordfreq
# Its input.
COPY --from=runtime /srv/text.txt /srv/text.txt
# What a distroless image would carry and scratch does not.
COPY --from=runtime /usr/share/zoneinfo /usr/share/zoneinfo
# musl's loader, which is its C library too (the link resolved to the file).
COPY --from=runtime /lib/ld-musl-x86_64.so.1 /lib/
USER 65532:65532
CMD ["/usr/local/bin/wordfreq", "/srv/text.txt"]
