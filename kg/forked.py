"""Run a function in a forked child process and get its outcome as a Future.

A thread of the build shares the interpreter lock with the build's own steps; a forked child shares
only memory (copied on write), so Python work in it runs beside the build instead of taking turns
with it. The child sees the parent's objects as they were at the fork, with nothing to serialise.
Linux's fork: start it before the process has other threads, since only the forking thread is copied.
"""
from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import Future
from typing import Callable


def forked(work: Callable, *args) -> Future:
    """A Future of (work(*args), seconds), run in a forked child. An exception raised by `work` is
    raised again by the Future's result(), so it must pickle with its attributes."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    started = time.perf_counter()
    child = context.Process(target=_run, args=(send, work, args), daemon=True)
    child.start()
    send.close()  # the child holds the other end: an EOF means it died without an answer
    future: Future = Future()

    def wait() -> None:
        try:
            succeeded, value = receive.recv()
        except EOFError:
            child.join()
            succeeded, value = False, RuntimeError(f"the child process running {work.__name__} ended "
                                                   f"with exit code {child.exitcode} and no answer")
        finally:
            receive.close()
        child.join()
        if succeeded:
            future.set_result((value, time.perf_counter() - started))
        else:
            future.set_exception(value)

    threading.Thread(target=wait, name=f"waiting for {work.__name__}", daemon=True).start()
    return future


def _run(send, work: Callable, args: tuple) -> None:
    try:
        outcome = (True, work(*args))
    except BaseException as error:  # everything goes back to the parent, which decides
        outcome = (False, error)
    try:
        send.send(outcome)
    except Exception as unsendable:  # an answer that does not pickle: say so rather than die silently
        send.send((False, RuntimeError(f"{work.__name__} answered {outcome[1]!r}, which cannot be sent back: {unsendable}")))
    send.close()
