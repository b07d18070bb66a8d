"""Sends signed Zammad webhooks round-robin to the replicas for bench/replicas/webhooks.sh: <tickets> deliveries, then
<repeats> repeated deliveries (the same X-Zammad-Delivery and body) of earlier ones, 8 at a time. After <kill_after>
deliveries it runs the kill command (SIGKILL of one replica). A delivery a replica refuses or drops goes to the next
replica, as a load balancer and Zammad's retries would do. Prints how many were accepted."""
import hashlib
import hmac
import json
import random
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

replicas = sys.argv[1].split(",")
secret, tickets, repeats, kill_after, kill_command = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]


def payload(ticket):
    return json.dumps({
        "ticket": {"id": ticket, "number": str(10000 + ticket), "title": "Invoice charged twice, urgent",
                   "group": {"id": 3, "name": "Service Desk"}, "group_id": 3,
                   "priority": {"id": 2, "name": "2 normal"}, "priority_id": 2, "state": "new", "state_id": 1,
                   "customer": {"id": 8, "email": "emily@example.com", "login": "emily@example.com"}, "customer_id": 8,
                   "created_at": "2020-11-13T14:34:35.282Z", "updated_at": "2020-11-13T14:34:35.333Z",
                   "updated_by": {"id": 3, "email": "chris@example.com", "login": "chris@example.com", "roles": ["Admin", "Agent"]},
                   "updated_by_id": 3, "tags": []},
        "article": {"id": 104, "ticket_id": ticket, "subject": "Invoice charged twice, urgent",
                    "body": "<div>The payment for our last invoice was charged twice. Please check the billing and send a receipt.</div>",
                    "content_type": "text/html", "created_at": "2020-11-13T14:34:35.318Z", "from": "Emily Adams <emily@example.com>",
                    "internal": False, "sender": "Customer", "type": "email", "to": "Service Desk"},
    }).encode()


def send(index, ticket, delivery):
    body = payload(ticket)
    signature = "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
    for attempt in range(len(replicas) * 20):
        url = f"{replicas[(index + attempt) % len(replicas)]}/integrations/zammad/main/webhook"
        request = urllib.request.Request(url, body, {"Content-Type": "application/json", "X-Hub-Signature": signature,
                                                     "X-Zammad-Delivery": delivery, "X-Zammad-Trigger": "otai"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status < 300:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
    return False


random.seed(14)
deliveries = [(t, f"d-{t}") for t in range(1, tickets + 1)]
deliveries += [random.choice(deliveries[:tickets]) for _ in range(repeats)]
accepted = 0
with ThreadPoolExecutor(8) as pool:
    first = list(pool.map(lambda p: send(p[0], *p[1]), enumerate(deliveries[:kill_after])))
    subprocess.run(kill_command, shell=True, check=True)
    second = list(pool.map(lambda p: send(p[0], *p[1]), enumerate(deliveries[kill_after:], start=kill_after)))
print(f"webhooks sent: {len(deliveries)} ({repeats} repeated deliveries), accepted: {sum(first) + sum(second)}")
