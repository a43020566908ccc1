FROM debian:trixie AS build

RUN apt-get update && apt-get install -y --no-install-recommends file \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /data
COPY report.json .

ENTRYPOINT ["file", "--brief", "--mime-type"]
CMD ["report.json"]

FROM gcr.io/distroless/base-debian13:nonroot
WORKDIR /data
COPY --from=build /data /data
COPY --from=build /usr/bin/file /usr/bin/
COPY --from=build \
    /usr/lib/x86_64-linux-gnu/libmagic.so.1 \
    /usr/lib/x86_64-linux-gnu/liblzma.so.5 \
    /usr/lib/x86_64-linux-gnu/libbz2.so.1.0 \
    /usr/lib/x86_64-linux-gnu/libz.so.1 \
    /usr/lib/x86_64-linux-gnu/
COPY --from=build /etc/magic /etc/magic.mime /etc/
COPY --from=build /usr/lib/file /usr/lib/file
COPY --from=build /usr/share/file/magic.mgc /usr/share/file/
COPY --from=build /usr/share/misc/magic.mgc /usr/share/misc/
ENTRYPOINT ["file", "--brief", "--mime-type"]
CMD ["report.json"]
