FROM node:20-trixie AS build

ENV NODE_ENV=production
WORKDIR /usr/src/app

COPY package.json ./
COPY server.js ./

USER node
CMD ["node", "server.js"]

# Node 20: distroless has no nodejs20 on debian13, so the stand-in named for what it is
# (dfslim.args passes it with --base). Its ENTRYPOINT is /nodejs/bin/node.
FROM localhost/dfslim-standin/nodejs20-debian13:nonroot
ENV NODE_ENV=production
WORKDIR /usr/src/app
# the application: server.js, which CMD runs, and package.json, which node reads for the
# module type of the files beside it (no node_modules: the app has no dependencies)
COPY --from=build /usr/src/app/package.json /usr/src/app/server.js ./
# the named user `node` does not exist in the target: nonroot (65532), as the :nonroot tag sets
USER 65532
# not ["node", "server.js"]: the ENTRYPOINT is node
CMD ["server.js"]
