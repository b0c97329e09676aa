-- A while loop of N iterations with arithmetic on globals (Whispem's top-level names are globals).
n = tonumber(arg[1])
i = 0
sum = 0
while i < n do
  sum = sum + i * 2 % 7
  i = i + 1
end
print(sum)
