FROM node:22-slim AS build
WORKDIR /srv/mern
COPY . .
RUN cd client && npm ci && npm run build
WORKDIR /srv/mern/server
RUN npm ci --omit=dev
EXPOSE 5000
CMD ["node", "index.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /srv/mern/server
COPY --from=build --chown=65532:65532 /srv/mern /srv/mern
EXPOSE 5000
CMD ["index.js"]
