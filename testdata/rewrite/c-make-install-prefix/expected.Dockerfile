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
COPY . /src/tinyhttpd/
COPY --from=build /opt/app /opt/app
EXPOSE 8080
CMD ["/opt/app/bin/tinyhttpd", "-p", "8080"]
