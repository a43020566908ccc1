FROM debian
RUN <<EOF
echo never closed
