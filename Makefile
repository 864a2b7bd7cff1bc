VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: test demo lint docs templates pictures mutants clean

$(VENV)/installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

test: $(VENV)/installed
	@command -v soffice >/dev/null || command -v libreoffice >/dev/null || echo "!!! LibreOffice \
	(soffice) is not installed: its tests will be SKIPPED, not run (CI=1 makes them fail). \
	Install it first: apt-get install libreoffice-calc-nogui"
	@command -v java >/dev/null || echo "!!! Java is not installed: the Spark tests will be \
	SKIPPED, not run (CI=1 makes them fail). Install it first: apt-get install \
	--no-install-recommends openjdk-17-jre-headless"
	$(PY) -m ruff check .
	$(PY) -m pytest --numprocesses auto --dist loadfile

# Mutation testing of the core, one module at a time (slow; not in CI): `make mutants`, or
# `make mutants MODULES=csmetrics/satisfaction.py`. See CONTRIBUTING.md.
mutants: $(VENV)/installed
	$(PY) -m pip install --quiet 'cosmic-ray==8.7.0'
	nice $(PY) tools/mutants.py $(MODULES)

demo: $(VENV)/installed
	$(VENV)/bin/csmetrics demo

docs: $(VENV)/installed
	$(PY) tools/build_function_docs.py
	$(PY) tools/build_kpi_docs.py

templates: $(VENV)/installed
	$(PY) -m workbook_templates.build_templates

pictures: $(VENV)/installed
	$(PY) tools/render_readme_pictures.py

clean:
	rm -rf $(VENV) reports .pytest_cache
