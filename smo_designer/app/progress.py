"""Progress dialogs for work that takes a while: opening and exporting large files (app layer).

Two helpers, both showing a standard QProgressDialog, window-modal, only once the work has
lasted `delay_ms` (400 ms by default), so that small files show no flash:

- `run_in_background(parent, title, label, work)` runs a pure-Python callable in a worker
  thread while the GUI thread keeps painting, and returns its result (or raises its exception
  here). The dialog is a busy indicator with a Cancel button; Cancel raises `Cancelled` at once
  and the result, when the work ends later, is thrown away.
- `steps_with_progress(parent, title, label, total)` is for GUI-thread work done in steps
  (building the scene, painting pages): `with steps_with_progress(...) as step:` and call
  `step(done)` after each piece; the bar moves, the dialog repaints, and Cancel makes the next
  `step()` raise `Cancelled`.

Rules for the work given to `run_in_background`
-----------------------------------------------

The worker thread runs while the GUI thread spins an event loop, so:

1. The work touches no Qt object (no scene, no QTextDocument, no painter): only the model,
   the formats layer, files. Qt widgets and QGraphicsScene live in the GUI thread only.
2. The work must not change the open document. It may read it (serialize, the RACI workbook,
   the guide's HTML): the open window cannot edit it meanwhile, because user input is held
   back until the dialog shows and the window-modal dialog blocks the window after that. Reads
   from both threads are safe: the document's lazy indexes (`Document.ids()`,
   `document.derived`) are computed and assigned whole, the same by either thread.
3. A document the work builds (`read_bpmn`) belongs to the worker until the call returns; the
   GUI thread sees it only as the returned value, after the worker is done with it.
4. lxml is fine in a worker: `read_bpmn` makes its own parser per call (lxml parsers must not be
   shared between threads; ours never are) and libxml2 keeps its state per thread.
5. Cancel cannot stop a thread. The work simply runs on and its result is dropped, so the work
   must have no effect the user did not ask for once they pressed Cancel: compute bytes in the
   worker and write the file in the GUI thread after the call returns (`write_atomic`), never
   write files from the worker. A work that takes a `report` callback (`reports_progress=True`)
   is stopped at its next `report()` after Cancel, which raises `Cancelled` in the worker.
6. While the dialog is up, timers and other windows' events still run in the GUI thread (that
   is how it paints). Timers that replace the document, such as the disk watcher's reload,
   should wait while `busy()` says a progress operation is running.
7. Another top-level window (a second main window of the recovery offer) is not blocked by a
   window-modal dialog; a long operation started there nests its event loop inside this one,
   and this call returns only once that one has ended.

How each call site uses it (the lead wires these in; the names are main_window.py's)
-----------------------------------------------------------------------------------

Opening a file (`open_file`; `DocumentController.load` stays for `reload_from_disk`)::

    from .progress import Cancelled, run_in_background

    def open_file(self, path: str) -> bool:
        name = Path(path).name
        try:
            result = run_in_background(self, "Opening", f"Reading {name}…", lambda: read_bpmn(path))
        except Cancelled:
            self.statusBar().showMessage(f"Did not open {name}", 4000)
            return False
        except BpmnReadError as error:
            QMessageBox.warning(self, "Cannot open the model", str(error))
            self.statusBar().showMessage(str(error))
            return False
        self.controller.adopt(result.document, Path(path), result.problems)
        ...  # remember_recent and the status message as today

Building the scene of the opened document (`_show_canvas`), in steps. This needs a change to
canvas/scene.py: `DiagramScene(document, plane=None, parent=None, progress=None)`, whose
`build()` calls `progress(index)` every few hundred drawings of the plane (nothing when None),
and, before adding items, sets a provisional scene rect and the item index to NoIndex (back to
BspTreeIndex, and `_update_scene_rect()`, at the end). Without those two, every turn of the event
loop between steps makes Qt ask each item already added for its bounding rect: 20,000 tasks took
22 s with events run every 200 drawings against 3.5 s in one go; with them, 4.2 s. The dialog
may not be cancelled here: the document is adopted already, and a half-built scene would be a
half-applied open::

    from ..canvas.scene import first_plane

    def _show_canvas(self, document: Document) -> None:
        plane = first_plane(document)
        total = len(plane.children) if plane is not None else 0
        ...
        with steps_with_progress(self, "Opening", "Drawing the diagram…", total, cancellable=False) as step:
            self.scene = DiagramScene(document, progress=step)
        ...

Saving (`DocumentController.save`, called by `_save_to`): serialize in the worker, write here,
so that Cancel leaves the file as it was and the disk watcher sees our own write only after
`saved` has told it so::

    from ..formats.bpmn import serialize, write_atomic

    def _save_to(self, path: Path) -> bool:
        document = self.document
        try:
            data = run_in_background(self, "Saving", f"Saving {path.name}…", lambda: serialize(document))
            self.controller.save_bytes(data, path)  # write_atomic, setClean, saved.emit()
            remember_recent(path)
        except Cancelled:
            self.statusBar().showMessage(f"Did not save {path.name}", 4000)
            return False
        except BpmnWriteError as error:
            ...  # as today

RACI workbook (`export_raci`): build the workbook's bytes in the worker, write them here::

    from ..formats.bpmn import write_atomic
    from ..formats.raci_xlsx import raci_workbook_bytes

    document = self.document
    try:
        data = run_in_background(
            self, "Exporting", f"Writing {path.name}…", lambda: raci_workbook_bytes(document, source)
        )
        write_atomic(path, data)
    except Cancelled:
        self.statusBar().showMessage(f"Did not export {path.name}", 4000)
        return False
    except (RaciSheetWriteError, BpmnWriteError) as error:
        ...  # as today

Process guide (`export_guide`): the drawing is Qt (a scene rendered to SVG, GUI thread), the
text is pure Python (worker), the PDF is printed with Qt (GUI thread). HTML::

    from ..editors.guide_pdf import diagram_svg
    from ..formats.guide import guide_html

    document, problems = self.document, self.controller.problems
    with steps_with_progress(self, "Exporting", "Drawing the diagram…", 1, delay_ms=0, cancellable=False):
        svg, note = diagram_svg(document)  # one Qt call: the dialog shows, but cannot move meanwhile
    try:
        text = run_in_background(
            self, "Exporting", f"Writing {path.name}…",
            lambda: guide_html(document, diagram_svg=svg, today=date.today(), problems=problems,
                               source_name=source, diagram_note=note),
        )
        write_atomic(path, text.encode("utf-8"))
    except Cancelled:
        ...
    except (GuideError, BpmnWriteError) as error:
        ...

PDF: the same, with `build_guide` (same arguments) in the worker, then `write_guide_pdf(guide,
path)` on the GUI thread inside `steps_with_progress(..., pages)` once editors/guide_pdf.py's
`_print` takes a `progress(page)` callback, called after each page.

Picture (`export_image`): GUI thread only. `export_svg`, `export_png` and a one-page PDF are
each one `scene.render()`, which nothing can interrupt; show the dialog at once so the user
knows what the window waits for::

    with steps_with_progress(self, "Exporting", f"Drawing {path.name}…", 1, delay_ms=0, cancellable=False):
        export_image(self.scene, path, scale=scale, title=self._title())

A PDF over many pages (`paint_pages(..., fit=False)`) can step and cancel once canvas/export.py's
`paint_pages` and `export_pdf` take a `progress(page)` callback, called after each page; since
QPdfWriter writes the file as it goes, `export_pdf` must then print to a temporary file beside
the target and rename it only when all pages are done, as guide_pdf.py does, so that Cancelled
leaves the old file whole::

    with steps_with_progress(self, "Exporting", f"Printing {path.name}…", pages) as step:
        export_pdf(self.scene, path, fit=False, title=self._title(), progress=step)
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")
Report = Callable[[int, int], None]

DEFAULT_DELAY_MS = 400
QT_INT_MAX = 2**31 - 1  # QProgressBar counts in C++ ints
BAR_STEPS = 200  # the bar moves at most this many times: each move repaints the dialog


class Cancelled(Exception):
    """The user pressed Cancel: the caller leaves everything as it was."""


_active_operations = 0


def busy() -> bool:
    """Whether a progress dialog's operation is under way: code run by a timer that would replace
    or edit the open document should wait until it is over."""
    return _active_operations > 0


@contextmanager
def _counted() -> Iterator[None]:
    global _active_operations
    _active_operations += 1
    try:
        yield
    finally:
        _active_operations -= 1


class _ProgressDialog(QProgressDialog):
    """QProgressDialog that says when it shows and, when the work cannot be cancelled, ignores
    Escape and the window's close button (both would otherwise cancel, and hide it)."""

    shown = Signal()

    def __init__(
        self, parent: QWidget | None, title: str, label: str, total: int, delay_ms: int, cancellable: bool
    ) -> None:
        super().__init__(label, "Cancel", 0, total, parent)
        self.cancellable = cancellable
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        # hidden by whoever made it, when the work is over: a bar that reaches its maximum
        # before the work has returned must not close the dialog and free the window early
        self.setAutoClose(False)
        self.setAutoReset(False)
        if not cancellable:
            self.setCancelButton(None)  # type: ignore[arg-type]
        self.setMinimumDuration(delay_ms)
        self.setValue(0)  # starts the clock of minimumDuration: Qt 6 shows nothing before

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.shown.emit()

    def reject(self) -> None:  # Escape
        if self.cancellable:
            super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self.cancellable:
            super().closeEvent(event)
        else:
            event.ignore()

    def show_progress(self, done: int, total: int) -> None:
        if total > QT_INT_MAX:
            done, total = round(done / total * QT_INT_MAX), QT_INT_MAX
        if self.maximum() != total:
            self.setMaximum(total)
        self.setValue(max(0, min(done, total)))

    def dispose(self) -> None:
        self.hide()
        self.deleteLater()


# --- work in a worker thread ---------------------------------------------------------------------


@dataclass
class _Job:
    """One call of run_in_background, as both threads see it."""

    number: int
    finished: threading.Event = field(default_factory=threading.Event)
    abandoned: threading.Event = field(default_factory=threading.Event)  # the user cancelled
    result: Any = None
    error: BaseException | None = None


class _Relay(QObject):
    """Carries a worker's news to the GUI thread. One for the whole application, living in the
    GUI thread: a worker left running after Cancel may still emit on it long after the call
    that started it has returned, so it must outlive any one call. Signals emitted from a worker
    reach the slots queued, in the GUI thread."""

    finished = Signal(int)  # job number
    progressed = Signal(int, int, int)  # job number, done, total (already within a C++ int)

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self.waiting: dict[int, tuple[QEventLoop, _ProgressDialog]] = {}
        self.finished.connect(self._finished)
        self.progressed.connect(self._progressed)

    @Slot(int)
    def _finished(self, number: int) -> None:
        waiting = self.waiting.get(number)
        if waiting is not None:  # nobody waits any more for a job that was cancelled
            waiting[0].quit()

    @Slot(int, int, int)
    def _progressed(self, number: int, done: int, total: int) -> None:
        waiting = self.waiting.get(number)
        if waiting is not None and not waiting[1].wasCanceled():
            waiting[1].show_progress(done, total)


_relay: _Relay | None = None
_job_numbers = itertools.count(1)


def _the_relay() -> _Relay:
    global _relay
    if _relay is None or not shiboken6.isValid(_relay):
        _relay = _Relay()
    return _relay


def _reporter(job: _Job, relay: _Relay) -> Report:
    """The `report(done, total)` handed to a work: sends the bar's position when it has moved
    by a visible amount, and stops the work once the user has cancelled."""
    last_position = -1

    def report(done: int, total: int) -> None:
        nonlocal last_position
        if job.abandoned.is_set():
            raise Cancelled()
        if total <= 0:
            return
        position = min(BAR_STEPS, done * BAR_STEPS // total)
        if position == last_position:
            return
        last_position = position
        if total > QT_INT_MAX:
            done, total = round(done / total * QT_INT_MAX), QT_INT_MAX
        _emit(relay.progressed, job.number, done, total)

    return report


def _emit(signal: Any, *arguments: int) -> None:
    try:
        signal.emit(*arguments)
    except RuntimeError:
        pass  # the application has ended: nobody is left to tell


def _work_in_thread(job: _Job, relay: _Relay, work: Callable[..., Any], arguments: tuple) -> None:
    try:
        job.result = work(*arguments)
    except BaseException as error:  # noqa: B036 (handed to the GUI thread, which raises it)
        job.error = error
    job.finished.set()
    _emit(relay.finished, job.number)


def run_in_background(
    parent: QWidget | None,
    title: str,
    label: str,
    work: Callable[..., T],
    *,
    delay_ms: int = DEFAULT_DELAY_MS,
    cancellable: bool = True,
    reports_progress: bool = False,
) -> T:
    """Run `work()` in a worker thread and return what it returns, or raise here what it raised.

    A window-modal busy dialog (title, label, Cancel) shows once the work has lasted `delay_ms`.
    Until then the GUI thread runs timers and paints but holds user input back (it is delivered
    afterwards, as it would be after a call that froze the window). Cancel raises `Cancelled`.
    With `reports_progress=True` the work is called as `work(report)`; `report(done, total)`
    moves the bar, and raises `Cancelled` in the worker once the user has cancelled.
    Read the module's rules: the work touches no Qt object and does not change the open document.
    """
    relay = _the_relay()
    job = _Job(next(_job_numbers))
    arguments = (_reporter(job, relay),) if reports_progress else ()
    dialog = _ProgressDialog(parent, title, label, 0, delay_ms, cancellable)
    # One loop, run twice: until the dialog shows, without user input; then with it, so that
    # Cancel can be pressed (the window-modal dialog keeps it from the window).
    loop = QEventLoop()
    before_dialog = True

    def dialog_shown() -> None:
        if before_dialog:
            loop.quit()

    def cancelled() -> None:
        job.abandoned.set()
        loop.quit()

    dialog.shown.connect(dialog_shown)
    dialog.canceled.connect(cancelled)
    worker = threading.Thread(
        target=_work_in_thread,
        args=(job, relay, work, arguments),
        name=f"progress: {title}",
        daemon=True,  # a cancelled read left running must not keep the program from ending
    )
    with _counted():
        relay.waiting[job.number] = (loop, dialog)
        try:
            worker.start()
            if not job.finished.is_set():
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            before_dialog = False
            if not job.finished.is_set() and not job.abandoned.is_set():
                loop.exec()
        finally:
            del relay.waiting[job.number]
            dialog.dispose()
    if job.abandoned.is_set():
        raise Cancelled()
    if job.error is not None:
        raise job.error
    return job.result


# --- work in the GUI thread, in steps -----------------------------------------------------------


@contextmanager
def steps_with_progress(
    parent: QWidget | None,
    title: str,
    label: str,
    total: int,
    *,
    delay_ms: int = DEFAULT_DELAY_MS,
    cancellable: bool = True,
) -> Iterator[Callable[..., None]]:
    """A window-modal progress bar for GUI-thread work done in `total` steps::

        with steps_with_progress(window, "Exporting", "Printing pages…", len(pages)) as step:
            for number, page in enumerate(pages, 1):
                paint(page)
                step(number)  # or step() to count one more, step(number, "Page 3 of 9")

    The dialog shows once the steps have lasted `delay_ms`; from then on each step that moves
    the bar repaints the dialog and runs pending events (the window itself is blocked by the
    dialog). After Cancel the next `step()` raises `Cancelled`. With `delay_ms=0` the dialog is
    shown and painted at once, for work that is one long Qt call and cannot step at all.
    """
    dialog = _ProgressDialog(parent, title, label, max(total, 0), delay_ms, cancellable)
    every = max(1, total // BAR_STEPS)  # more bar moves than the bar has pixels only cost time
    done_so_far = [0]

    def step(done: int | None = None, label: str | None = None) -> None:
        if dialog.wasCanceled():
            raise Cancelled()
        done = done_so_far[0] + 1 if done is None else done
        moved_enough = done - dialog.value() >= every or done >= total
        done_so_far[0] = done
        if label is not None:
            dialog.setLabelText(label)
        if moved_enough or label is not None:
            dialog.show_progress(done, total)  # runs pending events once the dialog shows
        if dialog.wasCanceled():
            raise Cancelled()

    with _counted():
        try:
            if delay_ms <= 0:
                dialog.show()
                # paints it before the caller's work holds the GUI thread; user input waits
                QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            yield step
        finally:
            dialog.dispose()


__all__ = ["Cancelled", "Report", "busy", "run_in_background", "steps_with_progress"]
