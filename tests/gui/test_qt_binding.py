"""The installed Qt binding does not kill the app: PySide6 6.12.0 under Python 3.11 drops a reference to
None on every call that returns nothing, and the interpreter aborts after a few thousand of them."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_qt_calls_leave_the_references_to_none_alone(qapp):
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("x")
    assert sys.getrefcount(None) >= before - 10
