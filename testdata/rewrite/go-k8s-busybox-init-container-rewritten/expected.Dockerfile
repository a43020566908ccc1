FROM golang:1.24-alpine AS build
WORKDIR /src
COPY . .
RUN go build -o /orders .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /orders /orders
EXPOSE 8080
ENTRYPOINT ["/orders"]
