"""Where one-time codes and rate-limit counters live: Redis (one atomic Lua call per operation) when the
default cache is Django's Redis cache, otherwise the Django cache API (the in-process cache of tests and of
the zero-setup default, which has one process only).

Both stores answer the same three questions with the same rules, so services.py does not care which
one it talks to:

- `count(key, window)`: count an event in a fixed window and return the count so far;
- `put_codes({(code_key, attempts_key): digest}, ttl)`: keep codes, resetting their attempt counters;
- `try_code(code_key, attempts_key, digest, ttl, max_attempts)`: count an attempt and check the code; the
  first matching attempt deletes it (so a code succeeds once), and the attempt after the last allowed one,
  or a wrong last one, voids it. Returns (outcome, tries) with outcome "ok", "wrong", "expired" or
  "too_many".
"""

import threading

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

_COUNT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""

_TRY = """
local tries = redis.call('INCR', KEYS[2])
if tries == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
local most = tonumber(ARGV[3])
if tries > most then
  redis.call('DEL', KEYS[1])
  return {'too_many', tries}
end
local stored = redis.call('GET', KEYS[1])
if not stored then return {'expired', tries} end
if stored ~= ARGV[1] then
  if tries == most then
    redis.call('DEL', KEYS[1])
    return {'too_many', tries}
  end
  return {'wrong', tries}
end
redis.call('DEL', KEYS[1], KEYS[2])
return {'ok', tries}
"""


class CacheStore:
    """Through the Django cache API (add + incr for counters, delete as the single-use step)."""

    def __init__(self, cache):
        self.cache = cache

    def count(self, key: str, window: int) -> int:
        for _ in range(3):
            self.cache.add(key, 0, timeout=window + 1)
            try:
                return self.cache.incr(key)
            except ValueError:  # expired between add and incr: start the window again
                continue
        raise RuntimeError("rate-limit counter keeps expiring")

    def put_codes(self, codes: dict, ttl: int) -> None:
        self.cache.set_many({code_key: digest for (code_key, _), digest in codes.items()}, timeout=ttl)
        self.cache.delete_many([attempts_key for _, attempts_key in codes])

    def try_code(self, code_key, attempts_key, digest, ttl, max_attempts) -> tuple[str, int]:
        tries = self.count(attempts_key, ttl - 1)
        if tries > max_attempts:
            self.cache.delete(code_key)
            return "too_many", tries
        stored = self.cache.get(code_key)
        if stored is None:
            return "expired", tries
        if stored != digest:
            if tries == max_attempts:
                self.cache.delete(code_key)
                return "too_many", tries
            return "wrong", tries
        # Deleting is the atomic step: of two requests with the right code only one deletes the key.
        if not self.cache.delete(code_key):
            return "expired", tries
        self.cache.delete(attempts_key)
        return "ok", tries


class RedisStore:
    """Straight on Redis with Lua scripts: each operation is one atomic round trip. Keys carry the cache's
    KEY_PREFIX and version (`make_key`), values are plain strings (not the cache's pickles)."""

    def __init__(self, cache, client, scripts):
        self.key = cache.make_key
        self.client = client
        self._count, self._try = scripts

    def count(self, key: str, window: int) -> int:
        return int(self._count(keys=[self.key(key)], args=[window + 1]))

    def put_codes(self, codes: dict, ttl: int) -> None:
        pipe = self.client.pipeline(transaction=False)
        for (code_key, attempts_key), digest in codes.items():
            pipe.set(self.key(code_key), digest, ex=ttl)
            pipe.delete(self.key(attempts_key))
        pipe.execute()

    def try_code(self, code_key, attempts_key, digest, ttl, max_attempts) -> tuple[str, int]:
        outcome, tries = self._try(
            keys=[self.key(code_key), self.key(attempts_key)], args=[digest, ttl, max_attempts]
        )
        return outcome.decode(), int(tries)


_clients: dict = {}
_lock = threading.Lock()


def get_store():
    """The store for the current default cache (re-read each time: tests switch caches)."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return CacheStore(cache)
    location = cache._servers[0]
    with _lock:
        if location not in _clients:
            import redis

            client = redis.Redis.from_url(location)
            _clients[location] = client, (client.register_script(_COUNT), client.register_script(_TRY))
        client, scripts = _clients[location]
    return RedisStore(cache, client, scripts)
