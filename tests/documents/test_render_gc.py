"""Rendering raises the collector's thresholds (fewer collections while
WeasyPrint builds its boxes); they are the interpreter's, so overlapping
renders in threads must leave them as they found them."""

import gc
import threading

from core.documents import rendering


def test_overlapping_renders_restore_the_thresholds():
    """The first render ends while the second still runs: the second keeps
    the raised thresholds, and the end of the second restores the old ones."""
    before = gc.get_threshold()
    second_in = threading.Event()
    first_done = threading.Event()
    seen = []

    def first():
        with rendering._fewer_collections():
            second_in.wait(5)
        first_done.set()

    def second():
        with rendering._fewer_collections():
            second_in.set()
            first_done.wait(5)
            seen.append(gc.get_threshold())

    one = threading.Thread(target=first)
    one.start()
    two = threading.Thread(target=second)
    two.start()
    one.join(10)
    two.join(10)

    assert seen == [tuple(rendering.RENDER_GC_THRESHOLDS)]
    assert gc.get_threshold() == before
