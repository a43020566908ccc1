FROM node:22-slim AS build
WORKDIR /srv/api
COPY server/ ./server/
WORKDIR /srv/api/server
RUN npm ci --omit=dev
EXPOSE 5000
CMD ["node", "index.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /srv/api/server
COPY --from=build --chown=65532:65532 /srv/api/server /srv/api/server
EXPOSE 5000
CMD ["index.js"]
