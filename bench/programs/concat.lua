-- Building a string of N characters by appending (a buffer, as idiomatic Lua does).
n = tonumber(arg[1])
parts = {}
i = 0
while i < n do
  parts[#parts + 1] = "x"
  i = i + 1
end
print(#table.concat(parts))
