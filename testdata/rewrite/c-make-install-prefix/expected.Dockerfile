FROM debian:trixie AS build

RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src/tinyhttpd
COPY . .
RUN make && make install PREFIX=/opt/app

EXPOSE 8080
CMD ["/opt/app/bin/tinyhttpd", "-p", "8080"]

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /src/tinyhttpd
COPY --chown=65532:65532 . /src/tinyhttpd/
COPY --from=build --chown=65532:65532 /opt/app /opt/app
EXPOSE 8080
CMD ["/opt/app/bin/tinyhttpd", "-p", "8080"]
