-- map, filter and reduce with closures over N elements.
local function map(a, f) local r = {} for i = 1, #a do r[i] = f(a[i]) end return r end
local function filter(a, f) local r = {} for i = 1, #a do if f(a[i]) then r[#r + 1] = a[i] end end return r end
local function reduce(a, f, acc) for i = 1, #a do acc = f(acc, a[i]) end return acc end
local n = tonumber(arg[1])
local xs = {}
for i = 0, n - 1 do xs[#xs + 1] = i end
local ys = map(xs, function(x) return x * 2 end)
local zs = filter(ys, function(x) return x % 3 == 0 end)
print(reduce(zs, function(acc, x) return acc + x end, 0))
