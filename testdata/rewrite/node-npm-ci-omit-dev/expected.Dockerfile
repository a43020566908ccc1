FROM node:22-bookworm-slim AS build

ENV NODE_ENV=production
WORKDIR /usr/src/app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev

COPY . .

EXPOSE 3000
CMD ["node", "index.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY --from=build --chown=65532:65532 /usr/src/app /usr/src/app
EXPOSE 3000
CMD ["index.js"]
