/**
 * Lua 5.1 / LuaJIT names a Fluent Bit script may use that Lua 5.3 dropped or changed, run
 * once in each new state before the script. `__sluice_utc_offset` is given by the state.
 */
export const PRELUDE = `
unpack = unpack or table.unpack
loadstring = loadstring or load
table.getn = table.getn or function(t) return #t end
table.maxn = table.maxn or function(t)
  local n = 0
  for k in pairs(t) do
    if type(k) == "number" and k > n then n = k end
  end
  return n
end
math.pow = math.pow or function(x, y) return x ^ y end
math.mod = math.mod or math.fmod
math.log10 = math.log10 or function(x) return math.log(x, 10) end
math.ldexp = math.ldexp or function(m, e) return m * 2 ^ e end
string.gfind = string.gfind or string.gmatch
os.exit = function() error("os.exit is not available in sluice's lua filter", 2) end
do
  local date, utc_offset = os.date, __sluice_utc_offset
  os.date = function(fmt, t)
    fmt = fmt or "%c"
    if string.sub(fmt, 1, 1) == "!" then
      t = math.floor(t or os.time())
      return date(string.sub(fmt, 2), t + utc_offset(t))
    end
    return date(fmt, t)
  end
end
__sluice_utc_offset = nil
`;
