FROM denoland/deno:latest AS build
WORKDIR /app
COPY main.ts deno.json ./
EXPOSE 8000
CMD ["run", "--allow-net", "main.ts"]

FROM denoland/deno:distroless
ENV DENO_DIR=/tmp/deno-dir
WORKDIR /app
COPY --from=build /app /app
EXPOSE 8000
USER nonroot
CMD ["run", "--allow-net", "main.ts"]
