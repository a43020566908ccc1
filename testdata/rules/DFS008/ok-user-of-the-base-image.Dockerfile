FROM node:22-slim
WORKDIR /home/node/app
COPY --chown=node:node . .
RUN npm ci --omit=dev
USER node
CMD ["node", "server.js"]
