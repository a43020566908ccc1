FROM debian:trixie AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
COPY plugin.c /src/plugin.c
RUN gcc -O2 -o /usr/local/bin/plugin /src/plugin.c

FROM debian:trixie AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends libyaml-0-2 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/plugin /usr/local/bin/plugin
CMD ["plugin"]

FROM scratch
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY --from=runtime /etc/ld.so.cache /etc/
COPY --from=runtime \
    /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 \
    /lib/x86_64-linux-gnu/libc.so.6 \
    /lib/x86_64-linux-gnu/libyaml-0.so.2 \
    /lib/x86_64-linux-gnu/
COPY --from=runtime /lib64/ld-linux-x86-64.so.2 /lib64/
COPY --from=runtime /usr/local/bin/plugin /usr/local/bin/
USER 65532:65532
CMD ["plugin"]
