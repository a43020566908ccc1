module example.com/notifierdeclined

go 1.24
