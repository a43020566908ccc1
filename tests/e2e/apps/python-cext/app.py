import yamlcount

with open("catalogue.yaml") as f:
    counts = yamlcount.count(f.read())
print("libyaml", yamlcount.libyaml_version().split(".")[0] + ".x")
for key in sorted(counts):
    print(key, counts[key])
