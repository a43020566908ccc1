# A Ruby CLI from Debian's packages: no distroless image carries Ruby, so only a trace
# tells which of the interpreter's files it needs (its standard library, its encodings).
require "json"
require "set"

orders = JSON.parse(File.read("orders.json"))
items = Set.new
total = 0
orders.each do |o|
  items << o["item"]
  total += o["qty"] * o["price"]
end
puts "items: #{items.to_a.sort.join(", ")}"
puts format("total: %.2f", total)
puts "ruby #{RUBY_VERSION.split(".").first(2).join(".")}"
