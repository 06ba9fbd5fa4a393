"""Enqueue a task as part of the change that causes it (ARCHITECTURE rule 6: nothing runs before the commit).

With the database task backend the task row is written inside the caller's transaction: an outbox. The
worker sees it exactly when the change is committed, a crash between the commit and the enqueue cannot lose
it, and one commit covers both (the intake path measured this: each task enqueued after the commit was a
transaction and a disk flush of its own). Any other backend (the immediate one runs the task at once) gets
the task after the commit, as before.
"""

from functools import partial

from django.db import transaction
from django_tasks_db.backend import DatabaseBackend


def enqueue_on_commit(task, **kwargs) -> None:
    if isinstance(task.get_backend(), DatabaseBackend) and transaction.get_connection().in_atomic_block:
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, **kwargs))
