"""A fake Zammad for bench/replicas/webhooks.sh: answers every API call with 200 {} and records each write-back
(PUT /api/v1/tickets/{id}, POST /api/v1/ticket_articles) in arrival order. GET /_calls returns the record as JSON."""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

calls = []
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self, body=b"{}"):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        with lock:
            calls.append({"method": self.command, "path": self.path, "body": body})
        self._answer()

    def do_GET(self):
        if self.path == "/_calls":
            with lock:
                self._answer(json.dumps(calls).encode())
        else:
            self._answer()

    do_PUT = do_POST = do_PATCH = _record

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a killed replica resets its connections; that is the point of the run


Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
