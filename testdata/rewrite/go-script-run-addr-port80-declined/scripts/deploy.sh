#!/bin/sh
set -e
docker build -t addrflag .
docker run -d --name addrflag -p 80:80 addrflag -addr :80
