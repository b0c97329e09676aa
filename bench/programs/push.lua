-- Building an array of N elements by appending.
n = tonumber(arg[1])
a = {}
i = 0
while i < n do
  a[#a + 1] = i
  i = i + 1
end
print(#a)
