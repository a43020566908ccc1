FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y gcc ccache
WORKDIR /src
COPY . .
RUN gcc -fopenmp -o /app main.c
FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --from=build /app /app
USER 1000
ENTRYPOINT ["/app"]
