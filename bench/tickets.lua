-- wrk script for bench/tickets.sh: every request signs with a bearer token
-- picked at random from the signed-in bench agents, so "assignee_id=me" is a
-- different agent's queue from one request to the next.
--
--   wrk … -s bench/tickets.lua URL -- MODE TOKENS_FILE ARG
--   MODE get    ARG = highest ticket id   GET /api/v1/tickets/<random id>
--   MODE list   ARG = path with query     GET ARG (as given: already encoded)
--   MODE post   ARG = number of customers POST /api/v1/tickets for a random
--                                         existing customer (T-3)
local mode, arg
local tokens = {}

local types = { "complaint", "inquiry", "query", "repair", "suggestion", "help", "service" }
local channels = { "phone", "phone", "phone", "web", "chat", "chat", "visit", "other" }
local products = { "空调", "热水器", "冰箱", "洗衣机", "净水器", "油烟机", "燃气灶", "电视" }
local faults = { "漏水", "不制冷", "不加热", "噪音大", "无法开机", "显示E4故障代码", "遥控失灵" }
local asks = { "要求尽快安排师傅上门维修。", "希望客服尽快回电说明处理进度。", "要求更换新机。",
	"要求退货并全额退款。", "希望尽快处理。" }

function init(args)
	mode = args[1]
	local f = assert(io.open(args[2]))
	for line in f:lines() do
		if #line > 0 then
			tokens[#tokens + 1] = "Bearer " .. line
		end
	end
	f:close()
	assert(#tokens > 0, "no tokens in " .. args[2])
	arg = args[3]
	if mode ~= "list" then
		arg = tonumber(arg)
	end
	-- Each wrk thread has its own Lua state: seed each differently.
	local addr = tostring({}):match("0x(%x+)") or "0"
	math.randomseed(os.time() + tonumber(addr:sub(-6), 16))
end

local function pick(t)
	return t[math.random(#t)]
end

function request()
	local headers = { ["Authorization"] = pick(tokens) }
	if mode == "get" then
		return wrk.format("GET", "/api/v1/tickets/" .. math.random(arg), headers)
	elseif mode == "list" then
		return wrk.format("GET", arg, headers)
	end
	local p, f = pick(products), pick(faults)
	local body = string.format(
		'{"type":"%s","channel":"%s","customer_id":"%d","subject":"%s%s",' ..
		'"description":"客户来电反映，家里的%s近期出现%s的情况，已自行断电重启无效。%s已告知客户处理时限。"}',
		pick(types), pick(channels), math.random(arg), p, f, p, f, pick(asks))
	headers["Content-Type"] = "application/json"
	return wrk.format("POST", "/api/v1/tickets", headers, body)
end
