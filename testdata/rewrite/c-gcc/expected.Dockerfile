FROM debian:bookworm AS build

RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY hello.c .
RUN gcc -O2 -Wall -o /usr/local/bin/hello hello.c

CMD ["hello"]

FROM gcr.io/distroless/base-debian13:nonroot
WORKDIR /src
COPY --chown=65532:65532 hello.c /src/
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
CMD ["hello"]
