-- wrk script: POST /similar, cycling through real request bodies (one JSON object a line) from the file named by
-- SIMILAR_BODIES; each wrk thread starts at its own offset so two connections do not send the same ticket together.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = {}
for line in io.lines(os.getenv("SIMILAR_BODIES")) do
  bodies[#bodies + 1] = line
end
local next_body = math.random(#bodies)

function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end
