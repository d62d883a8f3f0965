# One entry point for people and CI. Every target installs what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench forms translations translations-check package clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Opens the window on the embedded demo (seeded on first run into the user's data folder).
demo: install
	$(BIN)/operator-app --demo

test: install
	# Two processes: the GUI suite's Qt event loop never runs beside the server suites'
	# in-process uvicorn threads.
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/unit tests/server tests/e2e
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/gui

lint: install
	$(BIN)/ruff check operator_app tests
	$(BIN)/ruff format --check operator_app tests
	$(BIN)/mypy

bench: install
	$(BIN)/python -m tests.benchmarks.run

forms: install
	$(BIN)/python -m operator_app.gui.forms.build

# Re-extract every translatable text into resources/translations/*.ts (translations
# already made are kept), then build the .qm files the app loads. Both are committed.
# translations-check changes nothing: it lists texts missing from the .ts or unfinished.
translations: install
	$(BIN)/python -m operator_app.gui.translations_build

translations-check: install
	$(BIN)/python -m operator_app.gui.translations_build --check

# Linux one-folder bundle (dist/operator-app/) and its tarball; the version comes from
# operator_app.__version__ only. Windows and macOS: see README "Building installers".
VERSION = $(shell $(BIN)/python -c 'import operator_app; print(operator_app.__version__)')
package: install
	rm -rf build/pyinstaller dist/operator-app
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/operator-app.spec
	cp packaging/linux/operator-app.desktop dist/operator-app/
	tar -C dist -czf dist/operator-app-$(VERSION)-linux-x86_64.tar.gz operator-app
	@echo "package: dist/operator-app-$(VERSION)-linux-x86_64.tar.gz"

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .bench-cache
