# nginx from Debian serving a static site: no distroless image carries nginx, so a trace
# (with probes that fetch a page and a missing one) says what it reads.
FROM debian:trixie AS build
RUN apt-get update && apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/* \
    && ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log
COPY default.conf /etc/nginx/sites-enabled/default
COPY site/ /var/www/html/
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]

FROM scratch
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY --from=build /run /run
COPY --from=build /var/lib/nginx /var/lib/nginx
COPY --from=build /var/log/nginx /var/log/nginx
COPY --from=build \
    /etc/group \
    /etc/ld.so.cache \
    /etc/localtime \
    /etc/nsswitch.conf \
    /etc/passwd \
    /etc/
COPY --from=build /etc/nginx/mime.types /etc/nginx/nginx.conf /etc/nginx/
COPY --from=build /etc/nginx/sites-enabled/default /etc/nginx/sites-enabled/
COPY --from=build \
    /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 \
    /lib/x86_64-linux-gnu/libc.so.6 \
    /lib/x86_64-linux-gnu/libcrypt.so.1 \
    /lib/x86_64-linux-gnu/libcrypto.so.3 \
    /lib/x86_64-linux-gnu/libpcre2-8.so.0 \
    /lib/x86_64-linux-gnu/libssl.so.3 \
    /lib/x86_64-linux-gnu/libz.so.1 \
    /lib/x86_64-linux-gnu/libzstd.so.1 \
    /lib/x86_64-linux-gnu/
COPY --from=build /lib64/ld-linux-x86-64.so.2 /lib64/
COPY --from=build /usr/sbin/nginx /usr/sbin/
COPY --from=build /var/www/html/404.html /var/www/html/index.html /var/www/html/
EXPOSE 8080/tcp
CMD ["nginx", "-g", "daemon off;"]
