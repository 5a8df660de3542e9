"""Per-website rate limit against a real Redis: 429 / 290 with Retry-After, shared by replicas,
per website, and failing open when Redis is down. Clocks are injected; nothing waits."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from api.ratelimit import KEY_PREFIX, WINDOW_S, RateLimiter
from scripts.stack import free_port
from tests import factories
from tests.security.conftest import IMAGE, SAVE, STATUS, URL, make_sec

WINDOW_START = 1_700_000_040.0  # a multiple of 60: the start of a window


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def limited(sec):
    website = sec.website(23)
    website.rate_limit_per_minute = 3
    sec.update_website(website)
    clock = Clock(WINDOW_START + 15)
    sec.client.app.state.rate_limiter = RateLimiter(sec.services.redis, clock=clock)
    return sec, clock


def status(sec, website_id: int = 23):
    return sec.client.get(STATUS, params={"DesignId": 1}, headers=sec.headers(website_id))


def test_over_the_limit_is_429_290_with_retry_after(limited):
    sec, _ = limited
    assert [status(sec).status_code for _ in range(3)] == [404, 404, 404]
    refused = status(sec)
    assert refused.status_code == 429
    body = refused.json()
    assert body["ErrorCode"] == "290" and body["Response"] == "Error"
    assert refused.headers["Retry-After"] == "45" == str(body["Data"]["RetryAfter"])
    assert body["Data"]["LimitPerMinute"] == 3


def test_every_authenticated_endpoint_counts_and_is_refused(limited):
    sec, _ = limited
    h = sec.headers(23)
    calls = [
        lambda: sec.client.post(SAVE, json=factories.design(1), headers=h),
        lambda: sec.client.get(IMAGE, params={"DesignId": 1}, headers=h),
        lambda: sec.client.post(URL, params={"DesignId": 1}, headers=h),
    ]
    assert [c().status_code for c in calls] == [202, 202, 200]
    for call in calls:
        assert call().json()["ErrorCode"] == "290"
    assert sec.client.head(IMAGE, params={"DesignId": 1}, headers=h).status_code == 429


def test_signed_urls_count_against_their_website(limited):
    sec, _ = limited
    sec.client.post(SAVE, json=factories.design(1), headers=sec.headers(24))
    website = sec.website(23)
    website.rate_limit_per_minute = None
    sec.update_website(website)
    url = sec.client.post(URL, params={"DesignId": 1}, headers=sec.headers(23)).json()["Data"]["Url"]
    website.rate_limit_per_minute = 2
    sec.update_website(website)
    assert [sec.client.get(url).status_code for _ in range(3)][-1] == 429


def test_a_new_window_lets_requests_through_again(limited):
    sec, clock = limited
    for _ in range(4):
        status(sec)
    assert status(sec).status_code == 429
    clock.now += WINDOW_S
    assert status(sec).status_code == 404


def test_limit_is_per_website_and_unlimited_costs_no_redis_key(limited):
    sec, _ = limited
    for _ in range(4):
        status(sec, 23)
    assert status(sec, 23).status_code == 429
    assert [status(sec, 24).status_code for _ in range(10)] == [404] * 10
    keys = {k.decode() for k in sec.services.redis.keys(f"{KEY_PREFIX}*")}
    assert keys == {f"{KEY_PREFIX}23:{int(WINDOW_START // WINDOW_S)}"}
    assert 0 < sec.services.redis.ttl(keys.pop()) <= 2 * WINDOW_S


def test_replicas_share_one_count(sec_redis_url):
    """Two API replicas (two apps, own clients, one Redis and one bucket) share the window."""
    first, first_client = make_sec(sec_redis_url)
    second, second_client = make_sec(sec_redis_url)
    second.storage.objects = first.storage.objects
    second.keys = first.keys
    website = first.website(23)
    website.rate_limit_per_minute = 4
    first.update_website(website)
    clock = Clock(WINDOW_START)
    with first_client, second_client:
        for replica in (first, second):
            replica.client.app.state.rate_limiter = RateLimiter(replica.services.redis, clock=clock)
        answers = [status(r).status_code for r in (first, second, first, second, first, second)]
    assert answers == [404, 404, 404, 404, 429, 429]
    first.services.close()
    second.services.close()


def test_concurrent_hits_are_counted_atomically(sec_redis):
    limiter = RateLimiter(sec_redis, clock=Clock(WINDOW_START))
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: limiter.retry_after_s(23, 20), range(100)))
    assert answers.count(None) == 20
    assert set(answers) - {None} == {WINDOW_S}


def test_redis_down_fails_open_with_a_warning(limited, caplog):
    sec, _ = limited
    dead = redis.Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=0.5)
    sec.client.app.state.rate_limiter = RateLimiter(dead, clock=Clock(WINDOW_START))
    caplog.set_level(logging.WARNING, logger="api.ratelimit")
    assert [status(sec).status_code for _ in range(6)] == [404] * 6
    warnings = [r for r in caplog.records if r.name == "api.ratelimit"]
    assert len(warnings) == 1 and "Redis unavailable" in warnings[0].getMessage()
