FROM
RUN echo hello
