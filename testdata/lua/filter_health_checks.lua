function filter_health_checks(tag, timestamp, record)
    local log = record["log"]
    
    if log ~= nil and string.match(string.lower(log), "health check") then
        return -1, timestamp, record
    end
    
    return 2, timestamp, record
end
