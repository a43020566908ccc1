FROM node:22-slim AS build
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
RUN mkdir -p uploads
EXPOSE 3000
CMD ["node", "server.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /usr/src/app
COPY --from=build --chown=65532:65532 /usr/src/app /usr/src/app
EXPOSE 3000
CMD ["server.js"]
