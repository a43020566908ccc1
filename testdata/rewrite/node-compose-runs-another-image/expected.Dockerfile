FROM node:22-alpine AS build
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
CMD [ "node", "bot.js" ]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /usr/src/app
COPY --from=build --chown=65532:65532 /usr/src/app /usr/src/app
CMD ["bot.js"]
