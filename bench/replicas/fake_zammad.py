"""A fake Zammad for bench/replicas/webhooks.sh: answers every API call with 200 {} and records each call in arrival order.
Notes (POST /api/v1/ticket_articles) are kept per ticket and served as Zammad does by GET
/api/v1/ticket_articles/by_ticket/{id} (a JSON array of the ticket's articles, message_id included), which the outbox
reads before it sends a note again. GET /_calls returns the record as JSON."""
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

calls = []
articles = {}
lock = threading.Lock()
BY_TICKET = re.compile(r"^/api/v1/ticket_articles/by_ticket/(\d+)$")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self, body=b"{}", status=200):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        answer, status = b"{}", 200
        with lock:
            calls.append({"method": self.command, "path": self.path, "body": body})
            if self.command == "POST" and self.path == "/api/v1/ticket_articles":
                article = json.loads(body)
                ticket = articles.setdefault(int(article["ticket_id"]), [])
                article["id"] = sum(len(a) for a in articles.values()) + 1
                ticket.append(article)
                answer, status = json.dumps(article).encode(), 201
        self._answer(answer, status)

    def do_GET(self):
        if self.path == "/_calls":
            with lock:
                self._answer(json.dumps(calls).encode())
            return
        match = BY_TICKET.match(self.path)
        with lock:
            calls.append({"method": "GET", "path": self.path, "body": ""})
            answer = json.dumps(articles.get(int(match.group(1)), [])).encode() if match else b"{}"
        self._answer(answer)

    do_PUT = do_POST = do_PATCH = _record

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a killed replica resets its connections; that is the point of the run


Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
