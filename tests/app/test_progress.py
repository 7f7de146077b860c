"""Progress dialogs for long work: what the user sees while a large file is read or exported,
and what the caller gets back (app layer)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QProgressDialog, QPushButton, QWidget

from smo_designer.app.progress import Cancelled, busy, run_in_background, steps_with_progress
from smo_designer.formats.bpmn import BpmnReadError, read_bpmn, serialize

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import generate  # noqa: E402

LONG_ENOUGH = 30  # seconds a worker waits for the test's go-ahead before giving up


@pytest.fixture
def window(qtbot) -> QWidget:
    widget = QWidget()
    widget.setWindowTitle("SMO Designer")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def visible_dialog(window: QWidget) -> QProgressDialog | None:
    shown = [dialog for dialog in window.findChildren(QProgressDialog) if dialog.isVisible()]
    return shown[0] if shown else None


def label_of(dialog: QProgressDialog) -> str:
    return dialog.findChild(QLabel).text()


def cancel_button(dialog: QProgressDialog) -> QPushButton:
    return dialog.findChild(QPushButton)


class ShownDialogs(QObject):
    """Every progress dialog that appears anywhere while it is installed."""

    def __init__(self) -> None:
        super().__init__()
        self.titles: list[str] = []

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Show and isinstance(watched, QProgressDialog):
            self.titles.append(watched.windowTitle())
        return False


def when_dialog_shows(window: QWidget, then: Callable[[QProgressDialog], None]) -> QTimer:
    """Look for the progress dialog on every turn of the GUI thread's event loop; once it is
    on screen, call `then` with it. Runs only if the GUI thread keeps processing events."""
    timer = QTimer(window)
    timer.setInterval(5)

    def look() -> None:
        dialog = visible_dialog(window)
        if dialog is not None:
            timer.stop()
            then(dialog)

    timer.timeout.connect(look)
    timer.start()
    return timer


# --- work in a worker thread ---------------------------------------------------------------------


def test_slow_work_shows_a_busy_dialog_while_the_window_keeps_running_and_returns_its_result(
    window: QWidget,
) -> None:
    go_ahead = threading.Event()
    seen: dict[str, object] = {}

    def look_at(dialog: QProgressDialog) -> None:
        seen.update(
            title=dialog.windowTitle(),
            label=label_of(dialog),
            busy_indicator=(dialog.minimum(), dialog.maximum()),
            modality=dialog.windowModality(),
            cancel=cancel_button(dialog).text(),
            worker_still_waiting=not go_ahead.is_set(),
            busy=busy(),
        )
        go_ahead.set()

    when_dialog_shows(window, look_at)
    result = run_in_background(
        window, "Opening", "Reading tasks-20000.bpmn…", lambda: go_ahead.wait(LONG_ENOUGH) and 42, delay_ms=20
    )

    assert result == 42
    assert seen == {
        "title": "Opening",
        "label": "Reading tasks-20000.bpmn…",
        "busy_indicator": (0, 0),
        "modality": Qt.WindowModality.WindowModal,
        "cancel": "Cancel",
        "worker_still_waiting": True,
        "busy": True,
    }
    assert visible_dialog(window) is None
    assert not busy()


def test_work_done_before_the_delay_shows_no_dialog(window: QWidget) -> None:
    shown = ShownDialogs()
    QCoreApplication.instance().installEventFilter(shown)
    try:
        result = run_in_background(window, "Opening", "Reading small.bpmn…", lambda: "small", delay_ms=10_000)
    finally:
        QCoreApplication.instance().removeEventFilter(shown)

    assert result == "small"
    assert shown.titles == []


def test_an_unreadable_file_reaches_the_caller_as_the_readers_error(window: QWidget, tmp_path: Path) -> None:
    broken = tmp_path / "broken.bpmn"
    # a download cut short: the file ends in the middle of the model
    broken.write_text('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process>', encoding="utf-8")

    with pytest.raises(BpmnReadError, match=r"broken\.bpmn: not well-formed XML") as raised:
        run_in_background(window, "Opening", "Reading broken.bpmn…", lambda: read_bpmn(broken))
    assert len(str(raised.value).splitlines()) == 1


def test_an_error_raised_by_the_work_keeps_its_type_and_message(window: QWidget) -> None:
    def work() -> None:
        raise PermissionError("raci.xlsx: permission denied")

    with pytest.raises(PermissionError, match=r"^raci\.xlsx: permission denied$"):
        run_in_background(window, "Exporting", "Writing raci.xlsx…", work)


def test_cancel_raises_cancelled_and_the_late_result_goes_nowhere(window: QWidget) -> None:
    first_may_end, first_ended = threading.Event(), threading.Event()

    def first_work() -> str:
        first_may_end.wait(LONG_ENOUGH)
        first_ended.set()
        return "first"

    when_dialog_shows(window, lambda dialog: QTest.mouseClick(cancel_button(dialog), Qt.MouseButton.LeftButton))
    with pytest.raises(Cancelled):
        run_in_background(window, "Opening", "Reading tasks-20000.bpmn…", first_work, delay_ms=0)
    assert visible_dialog(window) is None
    assert not first_ended.is_set()  # the call returned before the work ended

    def second_work() -> str:
        # the cancelled work ends while this one runs: its news reaches the GUI thread now
        first_may_end.set()
        first_ended.wait(LONG_ENOUGH)
        return "second"

    assert run_in_background(window, "Opening", "Reading other.bpmn…", second_work, delay_ms=0) == "second"


def test_cancel_stops_work_that_reports_progress_before_it_writes_anything(window: QWidget, tmp_path: Path) -> None:
    target = tmp_path / "raci.xlsx"
    go_ahead, worker_ended = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def export(report) -> None:
        try:
            report(1, 4)
            go_ahead.wait(LONG_ENOUGH)
            report(2, 4)
            target.write_bytes(b"workbook")
        finally:
            worker_ended.set()

    def cancel_once_the_bar_moved(dialog: QProgressDialog) -> None:
        if dialog.value() != 1:  # the first report has not arrived yet: look again
            QTimer.singleShot(5, lambda: cancel_once_the_bar_moved(dialog))
            return
        seen["bar"] = (dialog.value(), dialog.maximum())
        QTest.mouseClick(cancel_button(dialog), Qt.MouseButton.LeftButton)
        go_ahead.set()

    when_dialog_shows(window, cancel_once_the_bar_moved)
    with pytest.raises(Cancelled):
        run_in_background(window, "Exporting", "Writing raci.xlsx…", export, delay_ms=0, reports_progress=True)

    assert seen["bar"] == (1, 4)
    assert worker_ended.wait(LONG_ENOUGH)
    assert not target.exists()


def test_reading_a_generated_5000_task_model_in_the_background_gives_what_reading_it_directly_gives(
    window: QWidget, tmp_path: Path
) -> None:
    model = tmp_path / "tasks-5000.bpmn"
    model.write_bytes(generate(5000))

    in_background = run_in_background(window, "Opening", "Reading tasks-5000.bpmn…", lambda: read_bpmn(model))
    directly = read_bpmn(model)

    assert serialize(in_background.document) == serialize(directly.document) == model.read_bytes()
    assert [str(problem) for problem in in_background.problems] == [str(problem) for problem in directly.problems]


# --- work in the GUI thread, in steps -----------------------------------------------------------


def test_steps_move_the_bar_and_let_the_window_run_between_them(window: QWidget) -> None:
    fired_during_the_steps: list[int] = []
    seen: list[tuple[bool, int, int, str]] = []
    with steps_with_progress(window, "Exporting", "Printing diagram.pdf…", 5, delay_ms=0) as step:
        QTimer.singleShot(0, lambda: fired_during_the_steps.append(len(seen)))
        for page in range(1, 6):
            step(page, f"Page {page} of 5")
            dialog = visible_dialog(window)
            assert dialog is not None
            seen.append((dialog.isVisible(), dialog.value(), dialog.maximum(), label_of(dialog)))

    assert seen == [(True, page, 5, f"Page {page} of 5") for page in range(1, 6)]
    assert fired_during_the_steps and fired_during_the_steps[0] < 5
    assert visible_dialog(window) is None


def test_cancel_stops_the_steps_at_the_next_one(window: QWidget) -> None:
    pages_painted: list[int] = []
    when_dialog_shows(window, lambda dialog: QTest.mouseClick(cancel_button(dialog), Qt.MouseButton.LeftButton))

    with pytest.raises(Cancelled):
        with steps_with_progress(window, "Exporting", "Printing diagram.pdf…", 100, delay_ms=0) as step:
            for page in range(1, 101):
                pages_painted.append(page)
                step(page)

    assert 1 <= len(pages_painted) < 100
    assert visible_dialog(window) is None
    assert not busy()


def test_steps_that_cannot_be_cancelled_offer_no_cancel_and_ignore_escape(window: QWidget) -> None:
    with steps_with_progress(window, "Opening", "Drawing the diagram…", 3, delay_ms=0, cancellable=False) as step:
        dialog = visible_dialog(window)
        assert dialog is not None
        assert dialog.findChildren(QPushButton) == []
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        dialog.close()
        for done in range(1, 4):
            step(done)
        assert dialog.isVisible()
        assert dialog.value() == 3


# --- in the main window ------------------------------------------------------------------------


@pytest.fixture
def main_window(qtbot):
    from smo_designer.app.main_window import MainWindow

    shown = MainWindow()
    with qtbot.waitExposed(shown):
        shown.show()
    yield shown
    for tab in shown.document_tabs():
        tab.controller.undo_stack.setClean()
    shown.close()


def test_opening_a_file_that_reads_slowly_shows_its_name_and_cancel_opens_nothing(
    main_window, monkeypatch, tmp_path: Path
) -> None:
    import smo_designer.app.main_window as window_module

    model = tmp_path / "slow.bpmn"
    model.write_bytes(generate(20))
    go_on = threading.Event()

    def slow_read(path):
        go_on.wait(LONG_ENOUGH)
        return read_bpmn(path)

    monkeypatch.setattr(window_module, "read_bpmn", slow_read)
    seen: list[str] = []

    def press_cancel(dialog: QProgressDialog) -> None:
        seen.append(label_of(dialog))
        QTest.mouseClick(cancel_button(dialog), Qt.MouseButton.LeftButton)
        go_on.set()

    when_dialog_shows(main_window, press_cancel)
    tabs_before = main_window.tabs.count()
    assert main_window.open_file(model) is False
    assert seen == ["Reading slow.bpmn…"]
    assert main_window.tabs.count() == tabs_before and main_window.path is None
    assert main_window.statusBar().currentMessage() == "Did not open slow.bpmn"
    monkeypatch.undo()
    assert main_window.open_file(model) is True  # nothing was left behind to stop a second try
    assert main_window.path == model


def test_exporting_the_raci_workbook_slowly_shows_progress_and_cancel_writes_no_file(
    main_window, monkeypatch, tmp_path: Path
) -> None:
    import smo_designer.formats.raci_xlsx as raci_xlsx

    assert main_window.open_file(Path(__file__).resolve().parents[2] / "samples" / "incident-management.bpmn")
    made = raci_xlsx.raci_workbook_bytes
    go_on = threading.Event()

    def slow_bytes(*args, **kwargs):
        go_on.wait(LONG_ENOUGH)
        return made(*args, **kwargs)

    monkeypatch.setattr(raci_xlsx, "raci_workbook_bytes", slow_bytes)
    seen: list[str] = []

    def press_cancel(dialog: QProgressDialog) -> None:
        seen.append(label_of(dialog))
        QTest.mouseClick(cancel_button(dialog), Qt.MouseButton.LeftButton)
        go_on.set()

    when_dialog_shows(main_window, press_cancel)
    target = tmp_path / "raci.xlsx"
    assert main_window.export_raci(target) is False
    assert seen == ["Writing raci.xlsx…"]
    assert not target.exists()
    monkeypatch.undo()
    assert main_window.export_raci(target) is True and target.stat().st_size > 0
