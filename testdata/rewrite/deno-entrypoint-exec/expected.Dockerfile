FROM denoland/deno AS build
WORKDIR /app
COPY . .
USER deno
ENTRYPOINT ["deno", "run", "--allow-net", "--allow-env"]
CMD ["server.ts"]

FROM denoland/deno:distroless
ENV DENO_DIR=/tmp/deno-dir
WORKDIR /app
COPY --from=build /app /app
USER nonroot
ENTRYPOINT ["/tini", "--", "/bin/deno", "run", "--allow-net", "--allow-env"]
CMD ["server.ts"]
