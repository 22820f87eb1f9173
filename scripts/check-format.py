"""Re-derives the pinned sealed-cookie example of docs/FORMAT.md with an independent PASETO
implementation (pyseto), so that the wire format is checked by code that is not ours."""

import base64
import hashlib
import hmac
import json
import pathlib
import re
import sys

import pyseto
from pyseto import Key

ROOT = pathlib.Path(__file__).resolve().parent.parent
FORMAT = (ROOT / "docs" / "FORMAT.md").read_text()


def hkdf_sha256(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


def cell(name: str) -> str:
    match = re.search(r"^\| " + re.escape(name) + r" \| `([^`]*)`", FORMAT, re.MULTILINE)
    if not match:
        sys.exit(f"docs/FORMAT.md has no '{name}' row")
    return match.group(1)


def main() -> None:
    secret = cell("secret").encode()
    cookie_name = cell("cookie name").encode()
    payload = cell("payload").encode()
    token = re.search(r"^(v4\.local\.[A-Za-z0-9_.-]+)$", FORMAT, re.MULTILINE).group(1)

    salt = b"session-core/v1"
    key = Key.new(version=4, purpose="local", key=hkdf_sha256(salt, secret, b"sealed-cookie", 32))
    kid = base64.urlsafe_b64encode(hkdf_sha256(salt, secret, b"key-id", 6)).rstrip(b"=").decode()

    checks = []
    checks.append(("key id", kid == cell("key id")))
    opened = pyseto.decode(key, token, implicit_assertion=cookie_name)
    checks.append(("payload", opened.payload == payload))
    checks.append(("footer", json.loads(opened.footer) == {"kid": kid}))
    resealed = pyseto.encode(
        key, payload, footer=opened.footer, implicit_assertion=cookie_name, nonce=bytes(range(32))
    )
    checks.append(("token bytes", resealed.decode() == token))
    try:
        pyseto.decode(key, token, implicit_assertion=b"another-cookie")
        checks.append(("implicit assertion binds the name", False))
    except pyseto.DecryptError:
        checks.append(("implicit assertion binds the name", True))

    failed = [name for name, ok in checks if not ok]
    for name, ok in checks:
        print(f"format check: {name}: {'ok' if ok else 'FAILED'}")
    print(f"{len(checks) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
