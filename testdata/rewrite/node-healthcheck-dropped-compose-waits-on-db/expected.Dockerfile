FROM node:22-alpine AS build
WORKDIR /app
COPY app.js .
EXPOSE 3000
HEALTHCHECK CMD wget -qO- http://localhost:3000 || exit 1
CMD ["node", "app.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
EXPOSE 3000
CMD ["app.js"]
