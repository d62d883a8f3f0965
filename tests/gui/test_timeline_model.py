"""The timeline model pages by keyset, shows every item once in order, and can drop and
re-read pages without changing what the rows are."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from operator_app.gui.db_worker import DbWorker
from operator_app.gui.models.roles import ID_ROLE, ITEM_ROLE
from operator_app.gui.models.timeline import TimelineModel
from tests.gui.dataset import Dataset


@pytest.fixture
def worker(engine: Engine) -> Iterator[DbWorker]:
    worker = DbWorker(engine)
    yield worker
    worker.close()


def load_everything(qtbot, model: TimelineModel) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not model.is_loading)
    while model.canFetchMore():
        model.fetchMore()
        qtbot.waitUntil(lambda: not model.is_loading)


def test_pages_join_into_the_whole_history_newest_first_each_item_once(
    qtbot, worker: DbWorker, dataset: Dataset
) -> None:
    model = TimelineModel(worker, page_size=25)
    pages: list[int] = []
    model.page_loaded.connect(pages.append)
    model.set_customer(dataset.anna)
    load_everything(qtbot, model)

    ids = [model.index(row).data(ID_ROLE) for row in range(model.rowCount())]
    assert ids == [key[1] for key in dataset.anna_timeline]
    assert len(set(ids)) == len(ids)
    assert model.is_complete and not model.canFetchMore()
    assert all(size == 25 for size in pages[:-1]) and pages[-1] < 25
    times = [model.key(row)[0] for row in range(model.rowCount())]
    assert times == sorted(times, reverse=True)


def test_evicted_pages_are_read_again_by_keyset_and_match_the_same_rows(
    qtbot, worker: DbWorker, dataset: Dataset
) -> None:
    model = TimelineModel(worker, page_size=20, max_cached_pages=2)
    model.set_customer(dataset.anna)
    load_everything(qtbot, model)
    assert model.cached_page_count == 2  # only the last two pages kept their items

    first = model.index(0)
    assert first.data(ITEM_ROLE) is None  # not cached: a re-read starts
    with qtbot.waitSignal(model.dataChanged):
        pass
    item = first.data(ITEM_ROLE)
    assert item is not None and item.id == dataset.anna_timeline[0][1]
    middle = model.index(45)
    model.data(middle, ITEM_ROLE)
    qtbot.waitUntil(lambda: model.data(middle, ITEM_ROLE) is not None)
    assert model.data(middle, ITEM_ROLE).id == dataset.anna_timeline[45][1]
    assert model.cached_page_count == 2


def test_switching_customer_drops_pages_still_in_flight(
    qtbot, worker: DbWorker, dataset: Dataset
) -> None:
    model = TimelineModel(worker, page_size=50)
    model.set_customer(dataset.anna)
    model.set_customer(dataset.shared[0])  # before Anna's first page can arrive
    qtbot.waitUntil(lambda: not worker.busy)
    assert model.customer_id == dataset.shared[0]
    assert model.rowCount() == 0
    assert model.is_complete


def test_no_customer_means_no_rows_and_nothing_to_fetch(worker: DbWorker) -> None:
    model = TimelineModel(worker)
    model.set_customer(None)
    assert model.rowCount() == 0
    assert not model.canFetchMore()
