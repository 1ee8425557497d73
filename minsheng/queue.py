"""Queueing Celery tasks from a request: a broker (Redis) that is down is found in about a second and told
to the user in Chinese (a QueueUnavailable refusal, 503 on the API), never a request hanging ~20 s on
kombu's and the result backend's reconnect loops, nor a 500.

Call `enqueue(task, *args)` instead of `task.delay(*args)` wherever a user's action queues work; call
`check_broker()` before writing anything that only makes sense once its task is queued.
"""

import logging

from celery import Task
from celery.result import AsyncResult

from .celery import app
from .errors import CommonErrorCode, DomainError

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = (
    "后台任务队列（Redis）暂时无法连接，本次操作未执行、未保存任何内容。"
    "请稍后重试，或联系系统管理员检查任务队列服务。"
)
# How long the quick check waits for Redis to answer a connection.
CHECK_TIMEOUT = 2.0


class QueueUnavailable(DomainError):
    """The task queue (Redis) does not answer: the action was not started."""

    code = CommonErrorCode.QUEUE_UNAVAILABLE
    status = 503

    def __init__(self, message: str = UNAVAILABLE_MESSAGE):
        super().__init__(message)


def _eager() -> bool:
    return bool(app.conf.task_always_eager)


def _connection_errors() -> tuple[type[BaseException], ...]:
    import kombu.exceptions

    errors: tuple[type[BaseException], ...] = (kombu.exceptions.OperationalError, OSError, RuntimeError)
    try:
        import redis

        errors += (redis.RedisError,)
    except ImportError:  # pragma: no cover - redis is a dependency whenever REDIS_URL is set
        pass
    return errors


def check_broker() -> None:
    """Raise QueueUnavailable unless the broker accepts a connection now (eager mode: nothing to check)."""
    if _eager():
        return
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0.2, timeout=CHECK_TIMEOUT
            )
    except _connection_errors() as error:
        logger.warning("task queue unavailable: %s", error)
        raise QueueUnavailable from error


def enqueue(task: Task, *args, **kwargs) -> AsyncResult:
    """`task.delay(*args, **kwargs)`, or QueueUnavailable when the broker or the result store is down."""
    if _eager():
        return task.apply_async(args, kwargs)
    check_broker()
    try:
        return task.apply_async(args, kwargs)
    except _connection_errors() as error:
        logger.warning("could not queue %s: %s", task.name, error)
        raise QueueUnavailable from error
