#!/bin/sh
set -e
docker build -t addrhigh .
docker run -d --name addrhigh -p 80:8080 addrhigh -addr :8080
