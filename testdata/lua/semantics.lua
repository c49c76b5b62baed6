-- Written for sluice's tests (not third-party): values whose Lua 5.1 / LuaJIT behaviour
-- differs from Lua 5.3, so the Fluent Bit run pins what sluice must produce.
function cb_semantics(tag, timestamp, record)
  record["int_plus"] = 2147483647 + 1
  record["mul"] = 100000 * 100000
  record["div"] = 10 / 4
  record["whole_div"] = 10 / 2
  record["pow"] = 2 ^ 10
  record["mod"] = 7 % 3
  record["neg_mod"] = -7 % 3
  record["floor"] = math.floor(3.7)
  record["text"] = "n=" .. 10 / 2 .. " f=" .. 1.5 .. " big=" .. 2 ^ 53 .. " third=" .. 1 / 3
  record["tostring"] = tostring(3) .. "|" .. tostring(3.0) .. "|" .. tostring(1e15) .. "|" .. tostring(-0.5)
  record["fmt"] = string.format("%d|%5.2f|%s|%x|%g", 3.7, 2, 42, 255, 0.1)
  record["n_plus"] = (record["n"] or 0) + 1
  record["n_text"] = "n:" .. (record["n"] or 0)
  record["f_text"] = "f:" .. (record["f"] or 0)
  record["num_str"] = tonumber("10") + tonumber("0x10") + tonumber("1e2")
  record["str_arith"] = "10" + 5
  record["len"] = #"héllo"
  record["upper"] = string.upper("abc")
  record["gsub"] = (string.gsub("a.b.c", "%.", "_"))
  record["sub"] = string.sub("hello", 2, -2)
  record["rep"] = string.rep("ab", 3)
  record["find"] = string.find("key=value", "=", 1, true)
  record["byte"] = string.byte("A")
  record["char"] = string.char(72, 105)
  record["maxn"] = table.maxn({1, 2, 3})
  record["concat"] = table.concat({1, 2, 3}, ",")
  record["unpack"] = select("#", unpack({1, 2, 3}))
  record["utc"] = os.date("!%Y-%m-%dT%H:%M:%S", 1700000000)
  record["array"] = {1, 2, 3}
  record["map"] = {a = 1}
  record["mixed"] = {1, 2, x = 3}
  record["holes"] = {[1] = "a", [3] = "c"}
  record["empty"] = {}
  record["nested"] = {{k = 1}, {k = 2}}
  record["float_int"] = 2.0
  record["bits"] = table.concat({bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(5, 3),
    bit.bnot(0), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4),
    bit.tohex(255), bit.tobit(0xffffffff)}, ",")
  record["specials"] = tostring(0 / 0) .. "," .. tostring(1 / 0) .. "," .. tostring(2 ^ 63)
  record["idiv_free"] = math.floor(7 / 2)
  record["tag"] = tag
  return 2, timestamp, record
end

-- Splits a record into one record per element of its "items" array.
function cb_split(tag, timestamp, record)
  local items = record["items"]
  if type(items) ~= "table" then
    return 0, timestamp, record
  end
  local out = {}
  for i, item in ipairs(items) do
    out[i] = {item = item, index = i, source = record["log"]}
  end
  if #out == 0 then
    return -1, timestamp, record
  end
  return 2, timestamp, out
end

-- Moves the time forward by 1.5 s, reading and writing it as a table.
function cb_time_table(tag, timestamp, record)
  record["sec"] = timestamp["sec"]
  record["nsec"] = timestamp["nsec"]
  local nsec = timestamp["nsec"] + 500000000
  local sec = timestamp["sec"] + 1
  if nsec >= 1000000000 then
    nsec = nsec - 1000000000
    sec = sec + 1
  end
  return 1, {sec = sec, nsec = nsec}, record
end

-- Keeps null values with enable_flb_null and tells them apart from missing keys.
function cb_nulls(tag, timestamp, record)
  record["had_null"] = record["nothing"] == flb_null
  record["set_null"] = flb_null
  return 2, timestamp, record
end
