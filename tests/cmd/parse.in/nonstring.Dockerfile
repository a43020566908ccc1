FROM a
CMD [1, 2]
