function extract_trace_id(tag, timestamp, record)
    local log = record["log"]
    
    if type(log) == "string" then
        -- Try to extract trace ID using pattern matching
        local _, _, trace_id = string.find(log, "TraceID=([0-9a-f]+)")
        
        if trace_id then
            -- Add the trace ID as a new field
            record["trace_id"] = trace_id
        end
    end
    
    return 1, timestamp, record
end
