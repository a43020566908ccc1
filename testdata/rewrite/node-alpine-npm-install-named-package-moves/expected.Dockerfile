# npm install sharp adds a package the lockfile does not list: on Alpine it is musl's build, so the build moves off Alpine.
FROM node:22-slim AS build
WORKDIR /usr/src/app
COPY package*.json app.js ./
RUN npm install && npm install sharp
EXPOSE 3000
CMD ["node", "app.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /usr/src/app
COPY --from=build --chown=65532:65532 /usr/src/app /usr/src/app
EXPOSE 3000
CMD ["app.js"]
