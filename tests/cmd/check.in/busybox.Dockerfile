FROM busybox:1.36
COPY site/ /www/
USER 1000
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
