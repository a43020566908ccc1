FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/bot ./cmd/bot

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
WORKDIR /home/bot
COPY --from=build /out/bot /usr/local/bin/bot
USER nonroot
# the bot keeps its session and cache next to it
CMD ["bot", "--state", "./state.json"]
