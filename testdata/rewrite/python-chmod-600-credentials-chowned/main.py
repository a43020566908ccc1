import json; json.load(open("config/credentials.json"))
