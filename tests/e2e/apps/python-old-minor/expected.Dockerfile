FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY app.py .
CMD ["python3", "app.py"]

FROM scratch
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /app
COPY --from=build /app/app.py /app/
COPY --from=build /etc/ld.so.cache /etc/localtime /etc/
COPY --from=build \
    /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 \
    /lib/x86_64-linux-gnu/libc.so.6 \
    /lib/x86_64-linux-gnu/libexpat.so.1 \
    /lib/x86_64-linux-gnu/libm.so.6 \
    /lib/x86_64-linux-gnu/libsqlite3.so.0 \
    /lib/x86_64-linux-gnu/libz.so.1 \
    /lib/x86_64-linux-gnu/
COPY --from=build /lib64/ld-linux-x86-64.so.2 /lib64/
COPY --from=build /usr/bin/python3 /usr/bin/
COPY --from=build /usr/lib/locale/C.utf8/LC_CTYPE /usr/lib/locale/C.utf8/
COPY --from=build \
    /usr/lib/python3.11/__pycache__/copyreg.cpython-311.pyc \
    /usr/lib/python3.11/__pycache__/datetime.cpython-311.pyc \
    /usr/lib/python3.11/__pycache__/enum.cpython-311.pyc \
    /usr/lib/python3.11/__pycache__/functools.cpython-311.pyc \
    /usr/lib/python3.11/__pycache__/keyword.cpython-311.pyc \
    /usr/lib/python3.11/__pycache__/operator.cpython-311.pyc \
    /usr/lib/python3.11/__pycache__/reprlib.cpython-311.pyc \
    /usr/lib/python3.11/__pycache__/sitecustomize.cpython-311.pyc \
    /usr/lib/python3.11/__pycache__/types.cpython-311.pyc \
    /usr/lib/python3.11/__pycache__/
COPY --from=build /usr/lib/python3.11/collections/__init__.py /usr/lib/python3.11/collections/abc.py /usr/lib/python3.11/collections/
COPY --from=build /usr/lib/python3.11/collections/__pycache__/__init__.cpython-311.pyc /usr/lib/python3.11/collections/__pycache__/abc.cpython-311.pyc /usr/lib/python3.11/collections/__pycache__/
COPY --from=build \
    /usr/lib/python3.11/copyreg.py \
    /usr/lib/python3.11/datetime.py \
    /usr/lib/python3.11/enum.py \
    /usr/lib/python3.11/functools.py \
    /usr/lib/python3.11/keyword.py \
    /usr/lib/python3.11/operator.py \
    /usr/lib/python3.11/os.py \
    /usr/lib/python3.11/reprlib.py \
    /usr/lib/python3.11/sitecustomize.py \
    /usr/lib/python3.11/types.py \
    /usr/lib/python3.11/
COPY --from=build \
    /usr/lib/python3.11/encodings/__init__.py \
    /usr/lib/python3.11/encodings/aliases.py \
    /usr/lib/python3.11/encodings/utf_8.py \
    /usr/lib/python3.11/encodings/
COPY --from=build \
    /usr/lib/python3.11/encodings/__pycache__/__init__.cpython-311.pyc \
    /usr/lib/python3.11/encodings/__pycache__/aliases.cpython-311.pyc \
    /usr/lib/python3.11/encodings/__pycache__/utf_8.cpython-311.pyc \
    /usr/lib/python3.11/encodings/__pycache__/
COPY --from=build \
    /usr/lib/python3.11/json/__init__.py \
    /usr/lib/python3.11/json/decoder.py \
    /usr/lib/python3.11/json/encoder.py \
    /usr/lib/python3.11/json/scanner.py \
    /usr/lib/python3.11/json/
COPY --from=build \
    /usr/lib/python3.11/json/__pycache__/__init__.cpython-311.pyc \
    /usr/lib/python3.11/json/__pycache__/decoder.cpython-311.pyc \
    /usr/lib/python3.11/json/__pycache__/encoder.cpython-311.pyc \
    /usr/lib/python3.11/json/__pycache__/scanner.cpython-311.pyc \
    /usr/lib/python3.11/json/__pycache__/
COPY --from=build /usr/lib/python3.11/lib-dynload/_json.cpython-311-x86_64-linux-gnu.so /usr/lib/python3.11/lib-dynload/_sqlite3.cpython-311-x86_64-linux-gnu.so /usr/lib/python3.11/lib-dynload/
COPY --from=build \
    /usr/lib/python3.11/re/__init__.py \
    /usr/lib/python3.11/re/_casefix.py \
    /usr/lib/python3.11/re/_compiler.py \
    /usr/lib/python3.11/re/_constants.py \
    /usr/lib/python3.11/re/_parser.py \
    /usr/lib/python3.11/re/
COPY --from=build \
    /usr/lib/python3.11/re/__pycache__/__init__.cpython-311.pyc \
    /usr/lib/python3.11/re/__pycache__/_casefix.cpython-311.pyc \
    /usr/lib/python3.11/re/__pycache__/_compiler.cpython-311.pyc \
    /usr/lib/python3.11/re/__pycache__/_constants.cpython-311.pyc \
    /usr/lib/python3.11/re/__pycache__/_parser.cpython-311.pyc \
    /usr/lib/python3.11/re/__pycache__/
COPY --from=build /usr/lib/python3.11/sqlite3/__init__.py /usr/lib/python3.11/sqlite3/dbapi2.py /usr/lib/python3.11/sqlite3/
COPY --from=build /usr/lib/python3.11/sqlite3/__pycache__/__init__.cpython-311.pyc /usr/lib/python3.11/sqlite3/__pycache__/dbapi2.cpython-311.pyc /usr/lib/python3.11/sqlite3/__pycache__/
COPY --from=build /usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache /usr/lib/x86_64-linux-gnu/gconv/
USER 65532:65532
CMD ["python3", "app.py"]
