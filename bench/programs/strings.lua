-- String building: N pieces, each a character picked from a word plus a digit (a buffer, as
-- idiomatic Lua does).
n = tonumber(arg[1])
word = "whispering"
parts = {}
i = 0
while i < n do
  local j = i % 10
  c = string.sub(word, j + 1, j + 1)
  parts[#parts + 1] = c .. (i % 7) .. ";"
  i = i + 1
end
out = table.concat(parts)
print(#out)
print(string.sub(out, #out - 11))
