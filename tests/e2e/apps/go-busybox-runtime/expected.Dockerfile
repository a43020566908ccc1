FROM golang:1.24-trixie AS build
WORKDIR /src
COPY go.mod main.go ./
# cgo is on by default here (gcc is in the image): read alone, this build may link glibc
RUN go build -o /out/wordcount .

# busybox's uclibc variant has no C library: the binary runs here only if it is static
FROM gcr.io/distroless/static-debian13:nonroot
# dfslim: made here as the user the image runs as, who may write in it
WORKDIR /data
WORKDIR /
# dfslim ignore=DFS007 -- the original final stage runs it on `busybox:1.37-uclibc` which has no glibc: it must be static
COPY --from=build /out/wordcount /usr/local/bin/wordcount
COPY words.txt /data/words.txt
WORKDIR /data
ENTRYPOINT ["wordcount"]
CMD ["words.txt"]
