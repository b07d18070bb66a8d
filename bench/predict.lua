-- wrk script: POST /predict with a realistic ticket.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"subject":"Cannot access my account","body":"Hello support team, I have been unable to log in to the customer portal since yesterday morning. The password reset email never arrives, I checked the spam folder and tried two browsers. I have an urgent deadline for our quarterly report and need access today. Please help as soon as possible. Best regards, Anna"}'
