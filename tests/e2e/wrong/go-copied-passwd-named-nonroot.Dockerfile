# app: go-copied-passwd
# caught-by: behaviour
# Wrong on purpose (for run.sh --self-test): the runtime stage copies its own /etc/passwd,
# which has no `nonroot`, and the user became `nonroot` anyway: the engine cannot start it.
FROM golang:1.24-trixie AS build
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -o /out/whoami .
# the user is made here, and the runtime stage takes this stage's passwd with it
RUN useradd -u 10001 -M appuser

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /etc/passwd /etc/passwd
COPY --from=build /out/whoami /usr/local/bin/whoami
USER nonroot
ENTRYPOINT ["/usr/local/bin/whoami"]
