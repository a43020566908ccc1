FROM alpine:3.20 AS build
RUN apk add --no-cache build-base
WORKDIR /src
COPY . .
RUN gcc -O2 -o /out/hello hello.c

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends musl \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/hello /usr/local/bin/hello
ENTRYPOINT ["/usr/local/bin/hello"]
