#!/usr/bin/env python3
"""Test vectors for Huawei Cloud's AK/SK request signing (SDK-HMAC-SHA256).

This is a second, independent implementation of the algorithm, written from its
description with nothing but the standard library, so that the Rust signer in
codegen/src/runtime/sign.rs is checked against something it was not derived from.

    python3 tests/sign/vectors.py           rewrites vectors.json next to this file
    python3 tests/sign/vectors.py --check   exits 1 if vectors.json is not what it computes

The keys below are made up; they sign nothing real.
"""

import hashlib
import hmac
import json
import os
import sys
import urllib.parse

ALGORITHM = "SDK-HMAC-SHA256"
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json")

PROJECT = "4bd6efdb0fb747b39aa2c0162c112226"
HOST = "dcaas.eu-de.otc.t-systems.com"
AK = "EXAMPLEAK0NETAPI0TEST"
SK = "ExampleSecretKey0ForNetapi0SigningTests01"
# Longer than the 64-byte HMAC block, so HMAC hashes the key first.
LONG_SK = "ExampleTemporarySecretKey/" + "0123456789" * 5


def encode(text):
    # Only ASCII letters, digits and _.-~ stay; everything else is %XX of its UTF-8 bytes.
    return urllib.parse.quote(text, safe="~")


def canonical_uri(path):
    segments = urllib.parse.unquote(path).split("/")
    uri = "/".join(encode(segment) for segment in segments)
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(query):
    pairs = []
    for piece in query.split("&"):
        key, _, value = piece.partition("=")
        if key == "":
            continue
        # unquote, not unquote_plus: a '+' in the query is a literal plus.
        pairs.append((urllib.parse.unquote(key), urllib.parse.unquote(value)))
    pairs.sort()
    return "&".join(encode(k) + "=" + encode(v) for k, v in pairs)


EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def payload_digest(headers, body):
    # The official signer (huaweicloudsdkcore) signs the empty body's digest when there is no
    # body, whatever X-Sdk-Content-Sha256 says; with a body, a non-empty value of that header
    # stands in for the digest.
    if not body:
        return EMPTY_SHA256
    stand_in = headers.get("x-sdk-content-sha256", "")
    return stand_in if stand_in else hashlib.sha256(body).hexdigest()


def sign(vector):
    headers = {}
    for name, value in vector["headers"]:
        # The official signer leaves out names with an underscore, which nginx-style proxies
        # drop on the way to the gateway.
        if "_" in name:
            continue
        # A dictionary keyed by the lowercased name: a repeated header keeps its later value.
        headers[name.lower()] = value.strip()
    names = sorted(headers)
    canonical_headers = "".join(n + ":" + headers[n] + "\n" for n in names)
    signed_headers = ";".join(names)
    body = vector["body"].encode("utf-8")
    payload = payload_digest(headers, body)
    canonical_request = "\n".join([
        vector["method"].upper(),
        canonical_uri(vector["path"]),
        canonical_query(vector["query"]),
        canonical_headers,
        signed_headers,
        payload,
    ])
    string_to_sign = "\n".join([
        ALGORITHM,
        vector["sdk_date"],
        hashlib.sha256(canonical_request.encode("utf-8")).hexdigest(),
    ])
    signature = hmac.new(
        vector["secret_key"].encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256
    ).hexdigest()
    authorization = "%s Access=%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, vector["access_key"], signed_headers, signature)
    return dict(
        vector,
        canonical_request=canonical_request,
        string_to_sign=string_to_sign,
        signature=signature,
        authorization=authorization,
    )


def request(name, method, path, query, headers, body="", access_key=AK, secret_key=SK,
            sdk_date="20191115T033655Z"):
    return {
        "name": name,
        "method": method,
        "path": path,
        "query": query,
        "headers": [list(h) for h in headers],
        "body": body,
        "access_key": access_key,
        "secret_key": secret_key,
        "sdk_date": sdk_date,
    }


def requests():
    vif_peers = "/v3/%s/dcaas/vif-peers" % PROJECT
    return [
        request(
            "get_without_query_or_body",
            "GET", vif_peers, "",
            [("Host", HOST), ("X-Sdk-Date", "20191115T033655Z"),
             ("Content-Type", "application/json")],
        ),
        request(
            "get_with_query_and_non_ascii_value",
            "GET", vif_peers,
            "limit=10&name=%E5%90%8D%E7%A7%B0&marker=0f1e2d3c",
            [("host", HOST), ("x-sdk-date", "20240229T235959Z"),
             ("X-PROJECT-ID", PROJECT), ("content-type", "application/json")],
            sdk_date="20240229T235959Z",
        ),
        request(
            "get_with_multi_valued_query_key",
            "GET", "/v2.0/vpc/peerings",
            "id=c3d4&fields=name&id=a1b2&id=B9&fields=id&flag&status=ACTIVE",
            [("Host", "vpc.eu-de.otc.t-systems.com"), ("X-Sdk-Date", "20191115T033655Z"),
             ("X-Project-Id", PROJECT)],
        ),
        request(
            "post_json_body",
            "POST", vif_peers, "",
            [("Content-Type", "application/json"), ("Host", HOST),
             ("X-Sdk-Date", "20191115T033655Z"), ("X-Project-Id", PROJECT)],
            body=json.dumps({
                "vif_peer": {
                    "name": "peer-1",
                    "description": "测试 über",
                    "vif_id": "63b2b9b4-0f3c-4e1b-a8df-e907174eb11d",
                    "remote_ep_group": ["10.1.0.0/24"],
                },
            }, ensure_ascii=False, separators=(",", ":")),
        ),
        request(
            "non_ascii_path_and_reserved_query",
            "DELETE", "/v3/%s/dcaas/tags/%%E5%%90%%8D%%E7%%A7%%B0/k%%C3%%BC+1/" % PROJECT,
            "key=a%2Bb+c&path=%2Fx%2Fy&empty=&%E5%90%8D%E7%A7%B0=v%20w",
            [("HOST", HOST), ("X-SDK-DATE", "20000301T000000Z"),
             ("x-project-id", PROJECT)],
            sdk_date="20000301T000000Z",
        ),
        request(
            "put_with_security_token_and_long_secret",
            "put", "/v2.0/vpc/peerings/6c0b2b8d-a3e4-4f4e-9b85-1b1f5b9b1a77", "",
            [("Content-Type", "application/json;charset=UTF-8"),
             ("Host", "vpc.eu-de.otc.t-systems.com"),
             ("X-Sdk-Date", "19700101T000000Z"), ("X-Project-Id", PROJECT),
             ("X-Security-Token", "gQpjbi1ub3J0aC00iXWf3RFCSNqnY-EXAMPLE-TOKEN==")],
            body='{"peering":{"name":"renamed","description":""}}',
            access_key="EXAMPLETEMPAK0NETAPI", secret_key=LONG_SK, sdk_date="19700101T000000Z",
        ),
        request(
            "header_values_trimmed_and_repeated_header",
            "POST", "/v3/%s/dcaas/vif-peers/action" % PROJECT, "action=detect",
            [("Host", "  " + HOST + " "), ("X-Sdk-Date", "20191115T033655Z"),
             ("X-Project-Id", "stale"), ("Content-Type", "\tapplication/json "),
             ("X-Project-Id", PROJECT)],
            body="{}",
        ),
        request(
            "unsigned_payload",
            "PUT", "/v1/%s/objects/report.bin" % PROJECT, "",
            [("Host", HOST), ("X-Sdk-Date", "20191115T033655Z"),
             ("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD")],
            body="not hashed: the header stands in for the digest",
        ),
        request(
            "unsigned_payload_without_body",
            "DELETE", "/v1/%s/objects/report.bin" % PROJECT, "",
            [("Host", HOST), ("X-Sdk-Date", "20191115T033655Z"),
             ("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD")],
        ),
        request(
            "empty_content_sha256_value",
            "POST", vif_peers, "",
            [("Host", HOST), ("X-Sdk-Date", "20191115T033655Z"),
             ("X-Sdk-Content-Sha256", " ")],
            body="{}",
        ),
        request(
            "header_names_with_underscores_not_signed",
            "GET", vif_peers, "limit=1",
            [("Host", HOST), ("X-Sdk-Date", "20191115T033655Z"), ("X_Request_Tag", "a"),
             ("X-Project-Id", PROJECT), ("x-trace_id", "b"), ("_", "c")],
        ),
    ]


def render():
    vectors = [sign(r) for r in requests()]
    return json.dumps(vectors, indent=2, ensure_ascii=False) + "\n"


def main(argv):
    text = render()
    if argv[1:] == ["--check"]:
        try:
            with open(OUTPUT, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != text:
            print("%s is stale; run python3 tests/sign/vectors.py" % OUTPUT, file=sys.stderr)
            return 1
        return 0
    if argv[1:]:
        print("usage: vectors.py [--check]", file=sys.stderr)
        return 2
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
