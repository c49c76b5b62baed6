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
do
  -- io.open and io.lines for reading (lookup tables loaded by a script); fengari has no io.open.
  local read_file = __sluice_read_file
  local function reader(text)
    local pos, f = 1, {}
    local function read1(fmt)
      if type(fmt) == "number" then
        if pos > #text then return nil end
        local s = string.sub(text, pos, pos + fmt - 1)
        pos = pos + fmt
        return s
      end
      local c = string.sub(string.gsub(fmt or "l", "^%*", ""), 1, 1)
      if c == "a" then
        local s = string.sub(text, pos)
        pos = #text + 1
        return s
      end
      if pos > #text then return nil end
      if c == "n" then
        local s, e = string.find(text, "^%s*[-+]?[%w%.]+", pos)
        if not s then return nil end
        pos = e + 1
        return tonumber(string.sub(text, s, e))
      end
      local e = string.find(text, "\\n", pos, true)
      local line
      if e then
        line = string.sub(text, pos, c == "L" and e or e - 1)
        pos = e + 1
      else
        line = string.sub(text, pos)
        pos = #text + 1
      end
      return line
    end
    function f:read(...)
      local n = select("#", ...)
      if n == 0 then return read1("l") end
      local out = {}
      for i = 1, n do out[i] = read1((select(i, ...))) end
      return unpack(out, 1, n)
    end
    function f:lines(fmt) return function() return read1(fmt or "l") end end
    function f:close() return true end
    return f
  end
  io.open = function(path, mode)
    if not string.find(mode or "r", "^r") then
      return nil, path .. ": sluice's lua filter opens files for reading only"
    end
    local text, err = read_file(path)
    if not text then return nil, err end
    return reader(text)
  end
  io.lines = function(path, fmt)
    local f, err = io.open(path)
    if not f then error(err, 2) end
    return f:lines(fmt)
  end
end
__sluice_read_file = nil
`;
