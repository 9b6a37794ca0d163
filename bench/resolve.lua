-- wrk script: each request rejects (with a note, so approvals with options need none) the next
-- pending approval of $RESOLVE_FILE ("token path" a line, tenants interleaved). Thread k of n takes
-- lines k, k+n, k+2n, … (n = $WRK_THREADS, default 2), so no approval is asked twice; past the end the last line is repeated
-- (409: counted as non-2xx).
local rows = {}
local index, stride = 0, 1
local threads = 0
local body = '{"resolution":"rejected","note":"Benchmark: not this one."}'

function setup(thread)
    thread:set("first", threads)
    threads = threads + 1
    thread:set("stride", tonumber(os.getenv("WRK_THREADS") or "2"))
end

function init(args)
    for line in io.lines(os.getenv("RESOLVE_FILE")) do
        local token, path = line:match("^(%S+) (%S+)$")
        if token then rows[#rows + 1] = { token, path } end
    end
    index = first or 0
    stride = stride or 1
end

function request()
    local i = math.min(index, #rows - 1) + 1
    index = index + stride
    local row = rows[i]
    return wrk.format("POST", row[2], {
        ["Authorization"] = "Bearer " .. row[1],
        ["Content-Type"] = "application/json",
    }, body)
end
