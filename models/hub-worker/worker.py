"""A worker of the hub/worker example in plain Python: JSON-RPC 2.0 at
/api/rpc, standard library only. The gateway forwards `py/add` here as
`add` (`strip_name = true` in registry.toml).

    python3 worker.py [PORT]      (default 7102; 0 picks one)

Prints `listening on http://127.0.0.1:<port>`, then one line per call with
its method, request id, caller and chain.
"""

import base64
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def caller_of(headers):
    """The caller the gateway vouches for (x-caller-context: base64url JSON)."""
    value = headers.get("x-caller-context")
    if not value:
        return None
    try:
        padded = value + "=" * (-len(value) % 4)
        return json.loads(base64.urlsafe_b64decode(padded))
    except ValueError:
        return None


def add(params, caller):
    numbers = params.get("numbers")
    if not isinstance(numbers, list) or not all(isinstance(n, (int, float)) for n in numbers):
        raise InvalidParams("`numbers` must be a list of numbers")
    return {"sum": sum(numbers)}


def echo(params, caller):
    return {"params": params, "caller": caller}


METHODS = {"add": add, "echo": echo}


class InvalidParams(Exception):
    pass


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        if self.path != "/api/rpc":
            self.send_error(404)
            return
        try:
            length = int(self.headers.get("content-length") or 0)
            if not 0 <= length <= 1 << 20:
                raise ValueError("content-length out of range")
            request = json.loads(self.rfile.read(length))
            if not isinstance(request, dict):
                raise ValueError("not a request object")
        except ValueError:
            self.answer({"jsonrpc": "2.0", "id": None,
                         "error": {"code": -32700, "message": "not JSON"}})
            return
        method = request.get("method")
        caller = caller_of(self.headers)
        # repr() keeps what callers chose on one line of the log.
        print(f"py worker: method={method!r} request_id={self.headers.get('x-request-id')!r} "
              f"caller={(caller or {}).get('id')!r} chain=[{self.headers.get('x-request-chain', '')}]",
              flush=True)
        try:
            if method not in METHODS:
                error = {"code": -32601, "message": f"no method `{method}`"}
                answer = {"jsonrpc": "2.0", "id": request.get("id"), "error": error}
            else:
                result = METHODS[method](request.get("params") or {}, caller)
                answer = {"jsonrpc": "2.0", "id": request.get("id"), "result": result}
        except InvalidParams as e:
            answer = {"jsonrpc": "2.0", "id": request.get("id"),
                      "error": {"code": -32602, "message": str(e)}}
        if "id" not in request:
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()
            return
        self.answer(answer)

    def answer(self, answer):
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 7102
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
