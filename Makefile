# make run   : install everything (Debian packages, .venv) and process samples/ into output/
# make test  : install what the tests need and run them
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup run test bench samples model clean-output
setup: $(STAMP)

$(STAMP): pyproject.toml scripts/install-system.sh
	bash scripts/install-system.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,dask]'
	touch $(STAMP)

run: setup
	$(VENV)/bin/telegrams run samples --out output

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) -m pipeline.bench samples --bare

samples: setup
	$(PY) -m tests.synth.make_samples

model: setup
	$(PY) -m pipeline.train_ner

clean-output:
	rm -rf output
