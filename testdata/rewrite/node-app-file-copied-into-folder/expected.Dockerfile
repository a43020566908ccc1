FROM node:22-slim AS build
COPY server.js /app/server.js
EXPOSE 8080
CMD ["node", "/app/server.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /
COPY --from=build --chown=65532:65532 /app /app
EXPOSE 8080
CMD ["/app/server.js"]
