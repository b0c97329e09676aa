-- Closures called in a loop: function values made by functions, each capturing its argument,
-- called twice per iteration through the (global) variables that hold them.
local function make_adder(k)
  return function(x) return x + k end
end
local function make_scaler(m)
  return function(x) return x * m % 1000003 end
end
n = tonumber(arg[1])
add = make_adder(7)
scale = make_scaler(3)
acc = 0
i = 0
while i < n do
  acc = scale(add(acc) + i)
  i = i + 1
end
print(acc)
