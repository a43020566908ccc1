FROM golang:1.22 AS tools
RUN CGO_ENABLED=0 go install github.com/grpc-ecosystem/grpc-health-probe@v0.4.28

FROM node:22 AS build
WORKDIR /app
COPY . .
RUN npm ci --omit=dev

FROM gcr.io/distroless/nodejs22-debian13:nonroot
COPY --from=tools /go/bin/grpc-health-probe /bin/grpc-health-probe
COPY --from=build /app /app
WORKDIR /app
CMD ["server.js"]
