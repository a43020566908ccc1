FROM debian:trixie AS build

RUN apt-get update && apt-get install -y --no-install-recommends jq \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /data
COPY orders.json .

ENTRYPOINT ["jq", "-r"]
CMD ["[.orders[] | select(.qty > 1) | .item] | sort | join(\",\")", "orders.json"]

FROM gcr.io/distroless/base-debian13:nonroot
WORKDIR /data
# The input the original copied in.
COPY --from=build /data /data
# jq, from the package apt-get installed (its documentation left out).
COPY --from=build /usr/bin/jq /usr/bin/
# What jq loads that base lacks (glibc is base's): read from its ELF closure.
COPY --from=build /usr/lib/x86_64-linux-gnu/libjq.so.1 /usr/lib/x86_64-linux-gnu/libonig.so.5 /usr/lib/x86_64-linux-gnu/
ENTRYPOINT ["jq", "-r"]
CMD ["[.orders[] | select(.qty > 1) | .item] | sort | join(\",\")", "orders.json"]
