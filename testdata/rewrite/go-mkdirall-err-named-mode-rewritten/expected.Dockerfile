FROM golang:1.23-alpine AS build
WORKDIR /src
COPY . .
RUN go build -o /statekeeper .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /statekeeper /usr/local/bin/statekeeper
ENTRYPOINT ["statekeeper"]
