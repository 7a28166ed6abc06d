# Everything a fresh Debian machine needs, then the job.
#   make demo   set up, then count the sample ballots in samples/demo: tally, one ballot decided, minutes
#   make test   set up, then run the tests
#   make train  make reader B's training crops and train its classifiers (torch: training only; ~1 h on 2 cores)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEBS   := tesseract-ocr tesseract-ocr-vie poppler-utils fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 fonts-freefont-ttf \
          libpango-1.0-0 libpangoft2-1.0-0 \
          chromium chromium-driver
OUT    := out
KP     := $(BIN)/kiemphieu
DEMO   := $(OUT)/demo.kp

TRAIN_DATA ?= /tmp/kiemphieu-train
# Seeds: the training pages (training/make_data.py --seed), the networks' initial weights and batch order
# (training/train_reader_b.py --seed).
TRAIN_DATA_SEED ?= 900000000
TRAIN_SEED ?= 1

.PHONY: setup system venv demo test lint train clean

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
	rm -f $(DEMO) $(DEMO)-wal $(DEMO)-shm $(DEMO).*.png $(OUT)/bien-ban.pdf
	$(KP) new $(DEMO) --election samples/demo/election.toml --template samples/demo/blank.png
	$(KP) scan $(DEMO) samples/demo/scans
	@# Ballots 11 (a stroke through part of a name) and 6 (a light pencil stroke) go to review; a committee
	@# member decides them.
	$(KP) resolve $(DEMO) 11 --reviewer "Trần Văn Kiểm" \
	  --votes "Lý Thị Châu;Hoàng Ngọc Huyền;Cao Minh Nghĩa;Hoàng Quang Phong;Võ Xuân Quang;Ngô Ngọc Quyên;Huỳnh Thùy Vân;Lê Đình Vinh"
	$(KP) resolve $(DEMO) 6 --reviewer "Trần Văn Kiểm" --votes 1,3,4,5,6,8,9,10,12,13,14,16,17
	$(KP) set $(DEMO) present=11 issued=11 returned=11 number=01 place="Quảng Yên" \
	  header="ĐẢNG BỘ TỈNH QUẢNG NINH; ĐẠI HỘI ĐẢNG BỘ XÃ QUẢNG YÊN" \
	  committee="Trần Văn Kiểm (Trưởng ban); Lê Thị Hoa (Phó Trưởng ban); Phạm Quốc Dũng"
	$(KP) tally $(DEMO)
	$(KP) minutes $(DEMO) -o $(OUT)/bien-ban.pdf
	@echo
	@echo "Tiếp theo / next:"
	@echo "  # ảnh phiếu 11 với kết quả đọc từng tên / ballot 11 with the reading of each name drawn over it"
	@echo "  $(KP) inspect $(DEMO) 11"
	@echo "  # xem xét trên trình duyệt: thêm người (in mật khẩu), rồi mở / review in the browser: add a reviewer (prints a password), then serve"
	@echo "  $(KP) reviewer add $(DEMO) \"Trần Văn Kiểm\" --admin"
	@echo "  $(KP) serve $(DEMO)"
	@echo "  # nhật ký quyết định; mã cuối như trong biên bản / the decision log; its head as in the minutes"
	@echo "  $(KP) audit $(DEMO) --verify"

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: venv
	$(BIN)/ruff check .

# Reader B: crops of fresh stress-matrix pages (training/make_data.py, seeded), then the three classifiers,
# exported to kiemphieu/detect/second/models/ with their accuracy report (REPORT.md).
# make_data keeps the counts already in TRAIN_DATA (to resume a stopped run) whatever seed or code cut them:
# after a change to the generator or to detect/, train from an empty TRAIN_DATA.
train: setup
	$(BIN)/pip install -q -e '.[train]'
	$(BIN)/python training/make_data.py $(TRAIN_DATA) --counts 64 --pages 16 --seed $(TRAIN_DATA_SEED) --jobs 2
	$(BIN)/python training/train_reader_b.py $(TRAIN_DATA) --epochs 16 --seed $(TRAIN_SEED)

clean:
	rm -rf $(OUT) .pytest_cache
