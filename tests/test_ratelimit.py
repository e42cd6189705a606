"""Sign-in limits hold across workers when their counters live in Redis."""

import uuid

import pytest
import redis

from config import TestConfig
from incubator import create_app
from tests.conftest import post_form

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return REDIS_URL


def test_two_workers_share_the_login_limit(app, redis_url, database_url):
    prefix = f"test-{uuid.uuid4().hex}"

    class Worker(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_STORAGE_URI = redis_url
        RATELIMIT_KEY_PREFIX = prefix

    # Two app instances stand for two gunicorn workers behind one address.
    first, second = create_app(Worker).test_client(), create_app(Worker).test_client()
    statuses = []
    for attempt in range(6):
        client = first if attempt % 2 == 0 else second
        response = post_form(client, "/auth/login", {"email": "shared@example.org", "password": "wrong-pass-1"})
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 200, 200, 429]
    keys = redis.Redis.from_url(redis_url).keys(f"*{prefix}*")
    assert keys != []
    redis.Redis.from_url(redis_url).delete(*keys)


def test_redis_down_falls_back_to_memory(app, database_url):
    class NoRedis(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_STORAGE_URI = "redis://127.0.0.1:1/0"

    client = create_app(NoRedis).test_client()
    statuses = [
        post_form(client, "/auth/login", {"email": "fallback@example.org", "password": "wrong-pass-1"}).status_code
        for _ in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 200, 429]
