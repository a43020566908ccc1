FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y gcc libc6-dev
WORKDIR /src
COPY main.c .
RUN gcc -O2 -o server main.c -lm -lpthread

FROM gcr.io/distroless/base-debian13:nonroot
WORKDIR /
COPY --from=build /src/server /usr/local/bin/server
CMD ["server"]
