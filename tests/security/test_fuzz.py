"""Schemathesis fuzz of the running API's own OpenAPI schema (real stack): valid and invalid
inputs for every operation, authenticated as a website of its own. No answer may be a 5xx, and
every non-2xx must be the JSON error envelope of spec §3 with a code from the table.

Bounded: ``MAX_EXAMPLES`` per operation (7 operations), valid and invalid inputs mixed. The
``schemathesis.pytest`` plugin's lazy loader does not run under pytest 9, so each operation's
strategies are driven by Hypothesis directly."""
from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from api.main import create_app
from shared.errors import ErrorCode
from shared.websites import Website, WebsiteStore

MAX_EXAMPLES = 30
FUZZ_WEBSITE = 25
CODES = {str(e.code): e.http_status for e in ErrorCode}
AUTH_CODES = {str(e.code) for e in (ErrorCode.WEBSITE_ID_INVALID, ErrorCode.WEBSITE_UNKNOWN,
                                    ErrorCode.API_KEY_MISSING, ErrorCode.API_KEY_INVALID)}
# The operations, from the app's own schema (built without opening any client).
OPERATIONS = [(method.upper(), path) for path, item in create_app().openapi()["paths"].items()
              for method in item if path.startswith("/api/")]


@pytest.fixture(scope="session")
def fuzz_target(stack):
    """The schema as the API serves it, and the headers of a website only the fuzz uses."""
    site = Website(id=FUZZ_WEBSITE, name="fuzz shop")
    key = site.add_key()
    WebsiteStore(stack.storage).save(site)
    loaded = schemathesis.openapi.from_url(stack.stack.api_url + "/openapi.json")
    return loaded, {"websiteId": str(FUZZ_WEBSITE), "webApiClientKey": key}


@pytest.mark.parametrize("method, path", OPERATIONS)
def test_no_5xx_and_every_error_is_the_envelope(stack, fuzz_target, method, path):
    schema, headers = fuzz_target
    operation = schema[path][method]
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                      operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=cases)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call(base_url=stack.stack.api_url, headers=headers, timeout=60)
        seen.append(assert_contract(case, response))

    seen: list[str] = []
    check()
    assert set(seen) - AUTH_CODES, "every request was refused at authentication: nothing fuzzed"


def assert_contract(case, response) -> str:
    """The answer's status (2xx/3xx) or error code, after checking it keeps the contract."""
    where = f"{case.method} {case.path} query={case.query!r} -> {response.status_code}"
    assert response.status_code < 500, f"{where}: {response.text[:500]}"
    if response.status_code < 300 or response.status_code == 304:
        return str(response.status_code)
    headers = {name.lower(): values[0] for name, values in response.headers.items()}
    assert headers.get("x-request-id"), where
    if case.method.upper() == "HEAD":
        return str(response.status_code)
    assert headers["content-type"].startswith("application/json"), where
    body = json.loads(response.content)
    assert set(body) == {"Response", "Message", "Data", "ErrorCode"}, where
    assert body["Response"] == "Error" and isinstance(body["Message"], str), where
    assert CODES.get(body["ErrorCode"]) == response.status_code, f"{where}: {body}"
    return body["ErrorCode"]
