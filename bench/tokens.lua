-- wrk script: each request carries the next of the bearer tokens listed in $TOKENS_FILE (one a
-- line), and may take its path from $PATHS_FILE (one a line, same order as the tokens), so load is
-- spread over tenants. Each wrk thread starts at a different offset.
local tokens, paths = {}, {}
local index = 0

local function lines(name)
    local out = {}
    if name and name ~= "" then
        for line in io.lines(name) do
            if line ~= "" then out[#out + 1] = line end
        end
    end
    return out
end

function setup(thread)
    thread:set("offset", math.random(1, 1000))
end

function init(args)
    tokens = lines(os.getenv("TOKENS_FILE"))
    paths = lines(os.getenv("PATHS_FILE"))
    index = offset or 0
end

function request()
    index = index + 1
    local i = (index % #tokens) + 1
    local path = wrk.path
    if #paths > 0 then path = paths[i] end
    return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. tokens[i] })
end
