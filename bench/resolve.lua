-- wrk script: each request rejects (with a note, so approvals with options need none) the next
-- pending approval of $RESOLVE_FILE ("token path" a line, tenants interleaved). Thread k of n takes
-- lines k, k+n, k+2n, … (n = $WRK_THREADS, default 2), so no approval is asked twice; past the end
-- the last line is repeated (409: counted as non-2xx).
local rows = {}
local index = 0
local threads = 0 -- `first` and `stride` are globals: setup() sets them in each thread
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
end

function request()
    local i = math.min(index, #rows - 1) + 1
    index = index + (stride or 1)
    local row = rows[i]
    return wrk.format("POST", row[2], {
        ["Authorization"] = "Bearer " .. row[1],
        ["Content-Type"] = "application/json",
    }, body)
end

-- Non-2xx answers by status, printed at the end (a resolve should never fail while approvals last).
local failures = {}
function response(status, headers, body)
    if status >= 300 then
        local key = tostring(status)
        if failures[key] == nil then
            failures[key] = 0
            io.stderr:write("resolve: first " .. key .. ": " .. string.sub(body, 1, 300) .. "\n")
        end
        failures[key] = failures[key] + 1
    end
end
