-- wrk script: POST /predict/batch with 100 tickets, so each request is in flight for tens of milliseconds.
local ticket = '{"subject":"Cannot access my account","body":"Hello support team, I have been unable to log in to the customer portal since yesterday morning. The password reset email never arrives and I have an urgent deadline. Best regards, Anna"}'
local tickets = {}
for i = 1, 100 do tickets[i] = ticket end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"tickets":[' .. table.concat(tickets, ",") .. ']}'
