# make run   : install everything (Debian packages, .venv) and process samples/ into output/
# make test  : install what the tests need and run them
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: setup run test bench samples model clean-output
setup: $(STAMP)

$(STAMP): pyproject.toml scripts/install-system.sh
	bash scripts/install-system.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,dask]'
	touch $(STAMP)

# The tests also need Chromium (review page) and the ALTO 4.4 XSD, which htrflow ships; only that
# file is used, so its own (large) dependencies are not installed.
$(TSTAMP): $(STAMP)
	bash scripts/install-system.sh --test
	$(PY) -m pip install -q --no-deps htrflow==0.2.6
	touch $(TSTAMP)

run: setup
	$(VENV)/bin/telegrams run samples --out output

test: $(TSTAMP)
	$(PY) -m pytest -q

bench: setup
	$(PY) -m tools.bench samples --bare

samples: setup
	$(PY) -m tools.synth.make_samples

model: setup
	$(PY) -m tools.train_ner

clean-output:
	rm -rf output
