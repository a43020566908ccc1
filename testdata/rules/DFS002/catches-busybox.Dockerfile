FROM busybox:1.36
COPY site/ /www/
EXPOSE 8080
USER 1000
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
