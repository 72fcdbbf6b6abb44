"""A reverse proxy on 127.0.0.1 that forwards a request only when its AWS SigV4 signature verifies.

The signature is recomputed with botocore (AWS's own Python implementation, not this project's) from the
request as it arrived; anything that does not match is refused with 403, as an AWS service would. It also
refuses what a signing bug would let through unnoticed: a body whose bytes differ from the signed hash, a
chunked body, a header sent but not signed, a signed hop-by-hop header. One JSON line per request on
stdout says what it decided, so tests can count verified and refused requests.

Secrets are known for the access keys given with --key; with --moto, a temporary key is looked up among
the sessions that moto_server's STS issued (and its session token must match).
"""
import argparse
import hashlib
import hmac
import http.client
import http.server
import json
import re
import sys
import threading
import urllib.request
from datetime import datetime, timezone

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate",
              "te", "trailer", "transfer-encoding", "upgrade", "expect"}
# Headers botocore itself never signs; a sender may leave them out of the signature.
NEVER_SIGNED = HOP_BY_HOP | {"user-agent", "x-amzn-trace-id"}
AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request,"
    r" ?SignedHeaders=(?P<signed>[a-z0-9;-]+), ?Signature=(?P<signature>[0-9a-f]{64})$")


class Refusal(Exception):
    pass


_output = threading.Lock()


def report(record):
    # One whole line per verdict: requests are handled on concurrent threads.
    with _output:
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--service", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--key", action="append", default=[], help="ACCESS_KEY=SECRET")
    parser.add_argument("--moto")
    args = parser.parse_args()
    keys = dict(k.split("=", 1) for k in args.key)
    upstream = urllib.request.urlparse(args.upstream)

    def secret_for(access_key, token):
        if access_key in keys:
            return keys[access_key], None
        if args.moto:
            with urllib.request.urlopen(args.moto.rstrip("/") + "/moto-api/data.json") as reply:
                sessions = json.load(reply).get("sts", {}).get("AssumedRole", [])
            for session in sessions:
                if session["access_key_id"] == access_key:
                    if token != session["session_token"]:
                        raise Refusal("session token does not belong to the access key")
                    return session["secret_access_key"], session["session_token"]
        raise Refusal("unknown access key")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.handle_any()

        def do_POST(self):
            self.handle_any()

        def do_DELETE(self):
            self.handle_any()

        def log_message(self, *_):
            pass

        def handle_any(self):
            body = b""
            record = {"method": self.command}
            try:
                if "transfer-encoding" in (h.lower() for h in self.headers.keys()):
                    raise Refusal("chunked body: a signed body must carry Content-Length")
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length) if length else b""
                record.update(self.verify(body))
            except Refusal as refusal:
                record.update(verdict="refused", reason=str(refusal))
                report(record)
                payload = json.dumps({"message": "The request signature we calculated does not match"}).encode()
                self.send_response(403)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(payload)
                return
            record["verdict"] = "verified"
            report(record)
            self.forward(body)

        def verify(self, body):
            match = AUTHORIZATION.match(self.headers.get("Authorization", ""))
            if not match:
                raise Refusal("no SigV4 Authorization header")
            if (match["service"], match["region"]) != (args.service, args.region):
                raise Refusal("signed for another service or region")
            signed = match["signed"].split(";")
            present = {h.lower() for h in self.headers.keys()} - {"authorization"}
            for required in ("host", "x-amz-date") + (("content-length",) if body else ()):
                if required not in signed:
                    raise Refusal(required + " is not signed")
            if set(signed) & HOP_BY_HOP:
                raise Refusal("a hop-by-hop header is signed")
            if present - set(signed) - NEVER_SIGNED:
                raise Refusal("headers sent but not signed: " + ",".join(sorted(present - set(signed) - NEVER_SIGNED)))
            claimed = self.headers.get("X-Amz-Content-Sha256")
            if claimed is not None and not hmac.compare_digest(claimed, hashlib.sha256(body).hexdigest()):
                raise Refusal("body does not match its signed hash")
            amz_date = self.headers.get("X-Amz-Date", "")
            try:
                at = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
            except ValueError:
                raise Refusal("bad x-amz-date")
            if abs((datetime.now(timezone.utc) - at).total_seconds()) > 900 or amz_date[:8] != match["date"]:
                raise Refusal("x-amz-date outside the allowed skew")

            token = self.headers.get("X-Amz-Security-Token")
            secret, expected_token = secret_for(match["key"], token)
            headers = {name: self.headers.get(name) for name in signed if name != "host"}
            request = AWSRequest(method=self.command, url="http://" + self.headers["Host"] + self.path, data=body, headers=headers)
            request.context["timestamp"] = amz_date
            auth = SigV4Auth(Credentials(match["key"], secret, expected_token), args.service, args.region)
            if auth.signed_headers(auth.headers_to_sign(request)) != match["signed"]:
                raise Refusal("signed header list differs from the canonical one")
            expected = auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request)
            if not hmac.compare_digest(expected, match["signature"]):
                raise Refusal("signature mismatch")
            return {"accessKey": match["key"], "signedHeaders": signed, "sessionToken": token is not None}

        def forward(self, body):
            connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
            connection.request(self.command, self.path, body=body if body else None, headers=headers)
            reply = connection.getresponse()
            self.send_response(reply.status)
            for name, value in reply.getheaders():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            # Relayed as it arrives: an SSE answer is streamed, event by event.
            while chunk := reply.read1(65536):
                self.wfile.write(chunk)
                self.wfile.flush()
            connection.close()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(json.dumps({"listening": server.server_address[1]}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
