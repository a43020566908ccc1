FROM debian:bookworm-slim AS build

RUN apt-get update \
    && apt-get install -y --no-install-recommends g++ make \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/pricer
COPY src/ ./src/
RUN g++ -std=c++20 -O2 -pthread -o pricer src/main.cpp src/engine.cpp

ENTRYPOINT ["./pricer"]
CMD ["--threads", "4"]

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /opt/pricer
COPY --chown=65532:65532 src/ /opt/pricer/src/
COPY --from=build /opt/pricer/pricer /opt/pricer/pricer
ENTRYPOINT ["./pricer"]
CMD ["--threads", "4"]
