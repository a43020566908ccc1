bind='0.0.0.0:8000'
workers=3
user='www-data'
group='www-data'
