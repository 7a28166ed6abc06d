# Everything a fresh Debian machine needs, then the job.
#   make demo   set up, then count the sample ballots in samples/demo and print the tally
#   make test   set up, then run the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEBS   := tesseract-ocr tesseract-ocr-vie poppler-utils fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 fonts-freefont-ttf \
          libpango-1.0-0 libpangoft2-1.0-0 \
          chromium chromium-driver
OUT    := out

.PHONY: setup system venv demo test clean

setup: system venv

# Debian packages, only those missing; apt-get update first (a fresh machine has no package lists).
system:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing </dev/null; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[test]'
	touch $@

demo: setup
	@mkdir -p $(OUT)
	rm -f $(OUT)/demo.kp $(OUT)/demo.kp-wal $(OUT)/demo.kp-shm
	$(BIN)/kiemphieu new $(OUT)/demo.kp --election samples/demo/election.toml --template samples/demo/blank.png
	$(BIN)/kiemphieu scan $(OUT)/demo.kp samples/demo/scans
	$(BIN)/kiemphieu tally $(OUT)/demo.kp

test: setup
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(OUT) .pytest_cache
