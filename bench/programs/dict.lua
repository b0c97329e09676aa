-- Filling a table with N string keys.
n = tonumber(arg[1])
d = {}
count = 0
i = 0
while i < n do
  d[tostring(i)] = i
  count = count + 1
  i = i + 1
end
print(count)
