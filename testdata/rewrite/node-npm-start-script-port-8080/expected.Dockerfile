FROM node:24-bookworm-slim AS build

WORKDIR /srv/app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .

EXPOSE 3000
CMD ["npm", "start"]

FROM gcr.io/distroless/nodejs24-debian13:nonroot
WORKDIR /srv/app
COPY --from=build --chown=65532:65532 /srv/app /srv/app
EXPOSE 3000
CMD ["src/main.js", "--port", "8080"]
