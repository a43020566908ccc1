FROM golang:1.24-trixie AS build
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -o /out/whoami .
# the user is made here, and the runtime stage takes this stage's passwd with it
RUN useradd -u 10001 -M appuser

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /etc/passwd /etc/passwd
COPY --from=build /out/whoami /usr/local/bin/whoami
USER appuser
ENTRYPOINT ["/usr/local/bin/whoami"]
