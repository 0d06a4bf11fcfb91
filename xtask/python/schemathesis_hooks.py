"""Schemathesis signs in as a site's owner the way the console does: authorization code with
PKCE at the local issuer. `cargo xtask test` sets JOBSLOT_URL, JOBSLOT_EMAIL and
JOBSLOT_PASSWORD."""

import base64
import hashlib
import json
import os
import secrets
import urllib.error
import urllib.parse
import urllib.request

import schemathesis

CLIENT_ID = "jobslot-console"


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(base: str, email: str, password: str) -> str:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect_uri = f"{base}/admin/"
    form = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": redirect_uri,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": secrets.token_urlsafe(16),
        "email": email,
        "password": password,
    }
    opener = urllib.request.build_opener(_KeepRedirects)
    try:
        opener.open(f"{base}/oauth2/authorize", urllib.parse.urlencode(form).encode())
        raise RuntimeError("the sign-in answered without redirecting back with a code")
    except urllib.error.HTTPError as answer:
        if answer.code not in (302, 303):
            raise
        location = answer.headers["Location"]
    code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": CLIENT_ID,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    with urllib.request.urlopen(f"{base}/oauth2/token", urllib.parse.urlencode(exchange).encode()) as answer:
        return json.load(answer)["access_token"]


@schemathesis.auth()
class SiteOwner:
    def get(self, case, context):
        return sign_in(os.environ["JOBSLOT_URL"], os.environ["JOBSLOT_EMAIL"], os.environ["JOBSLOT_PASSWORD"])

    def set(self, case, token, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {token}"
