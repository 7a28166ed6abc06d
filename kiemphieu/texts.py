"""Every text a committee member reads, in Vietnamese first and English.

The language is taken from ``KIEMPHIEU_LANG`` ("vi", the default, or "en"); the CLI's ``--lang``
sets it. Keys are stable; translators edit only this file.
"""
from __future__ import annotations

import os

TEXTS: dict[str, tuple[str, str]] = {
    # --- election file -------------------------------------------------------------------------
    "election_missing": ("{file}: thiếu mục '{field}'. Hãy thêm '{field} = …' vào tệp bầu cử.",
                         "{file}: '{field}' is missing. Add '{field} = …' to the election file."),
    "election_not_int": ("{file}: '{field}' phải là một số nguyên, không phải {value!r}.",
                         "{file}: '{field}' must be a whole number, not {value!r}."),
    "election_not_bool": ("{file}: '{field}' phải là true hoặc false.",
                          "{file}: '{field}' must be true or false."),
    "election_bad_choice": ("{file}: '{field}' = {value!r} không hợp lệ; chọn một trong: {choices}.",
                            "{file}: '{field}' = {value!r} is not allowed; use one of: {choices}."),
    "election_bad_candidate": ("{file}: ứng cử viên thứ {n} phải là một tên (chuỗi) hoặc {{name = \"…\"}}.",
                               "{file}: candidate {n} must be a name (a string) or {{name = \"…\"}}."),
    "election_bad_candidate_key": ("{file}: ứng cử viên thứ {n} có mục không biết: {keys} (chỉ dùng name, note, born).",
                                   "{file}: candidate {n} has unknown keys: {keys} (use name, note, born)."),
    "election_duplicate": ("{file}: tên '{name}' xuất hiện hai lần (ứng cử viên thứ {a} và {b}). Nếu là hai người trùng tên, "
                           "thêm ghi chú in trên phiếu, ví dụ {{name = \"…\", note = \"1970\"}}.",
                           "{file}: the name '{name}' appears twice (candidates {a} and {b}). If these are two people with "
                           "the same name, add the note printed on the ballot, e.g. {{name = \"…\", note = \"1970\"}}."),
    "election_seats_small": ("{file}: số người cần bầu (seats = {seats}) phải ít nhất là 1.",
                             "{file}: seats = {seats} must be at least 1."),
    "election_seats_large": ("{file}: số người cần bầu (seats = {seats}) lớn hơn số ứng cử viên ({n}).",
                             "{file}: seats = {seats} is larger than the number of candidates ({n})."),
    "election_electorate_small": ("{file}: 'electorate' = {value} phải lớn hơn 0.",
                                  "{file}: 'electorate' = {value} must be greater than 0."),
    "election_not_utf8": ("{file}: tệp bầu cử phải được lưu ở mã UTF-8.",
                          "{file}: the election file must be saved as UTF-8."),
    "election_bad_toml": ("{file}: lỗi cú pháp TOML: {error}",
                          "{file}: TOML syntax error: {error}"),
    "file_unreadable": ("{file}: không đọc được tệp ({error}).", "{file}: cannot read the file ({error})."),
    # --- layout ----------------------------------------------------------------------------------
    "layout_not_found": ("Không tìm thấy trên phiếu trắng {blank}: {names}. Kiểm tra tên trong tệp bầu cử có đúng như in "
                         "trên phiếu không, và phiếu trắng có rõ nét không (quét ở 200–300 dpi).",
                         "Not found on the blank ballot {blank}: {names}. Check that the names in the election file are "
                         "spelled as printed, and that the blank is a clear scan (200–300 dpi)."),
    "layout_same_line": ("Trên phiếu trắng {blank}, hai ứng cử viên nằm trên cùng một dòng: {names}. Không thể xác định "
                         "vị trí từng người; hãy kiểm tra tệp bầu cử và phiếu trắng.",
                         "On the blank ballot {blank}, two candidates were found on one line: {names}. Their places "
                         "cannot be told apart; check the election file and the blank."),
    "layout_boxes_not_found": ("Trên phiếu trắng {blank}, không tìm thấy ô đánh dấu cạnh tên: {names}.",
                               "On the blank ballot {blank}, no mark box was found beside: {names}."),
    "ballot_kind_unsupported": ("Loại phiếu '{kind}' chưa đọc được tự động; phiên bản này chỉ đọc phiếu gạch tên "
                                "(ballot = \"strike\"). Hãy kiểm phiếu loại này bằng tay.",
                                "Ballots of kind '{kind}' cannot be read automatically yet; this version reads strike "
                                "ballots only (ballot = \"strike\"). Count these by hand."),
    "layout_written": ("Đã tìm thấy {n} ứng cử viên trên phiếu trắng. Ảnh bố cục để kiểm tra: {picture}",
                       "Found all {n} candidates on the blank ballot. Layout picture to check: {picture}"),
    "layout_needs_template": ("Cần phiếu trắng để đọc bố cục: kiemphieu new {count} --election … --template PHIEU_TRANG",
                              "A blank ballot is needed to read the layout: kiemphieu new {count} --election … --template BLANK"),
    "ocr_missing": ("Không chạy được Tesseract OCR ({error}). Cài đặt bằng: make demo (hoặc apt-get install tesseract-ocr "
                    "tesseract-ocr-vie).",
                    "Tesseract OCR cannot run ({error}). Install it with: make demo (or apt-get install tesseract-ocr "
                    "tesseract-ocr-vie)."),
    # --- count file ------------------------------------------------------------------------------
    "count_exists": ("{count} đã tồn tại. Chọn tên khác hoặc xoá tệp cũ nếu chắc chắn.",
                     "{count} already exists. Choose another name, or remove the old file if you are sure."),
    "count_missing": ("Không có cuộc kiểm phiếu {count}. Tạo bằng: kiemphieu new {count} --election … --template …",
                      "No count at {count}. Create it with: kiemphieu new {count} --election … --template …"),
    "count_bad": ("{count} không phải là tệp kiểm phiếu của kiemphieu ({error}).",
                  "{count} is not a kiemphieu count file ({error})."),
    "count_created": ("Đã tạo cuộc kiểm phiếu {count}: {title} — {n} ứng cử viên, bầu {seats}.",
                      "Created count {count}: {title} — {n} candidates, {seats} to elect."),
    # --- scanning ----------------------------------------------------------------------------------
    "scan_no_files": ("Không tìm thấy tệp ảnh hoặc PDF nào trong: {paths}",
                      "No image or PDF files found in: {paths}"),
    "scan_progress": ("Đang đọc phiếu", "Reading ballots"),
    "scan_pages_unit": ("trang", "pages"),
    "scan_file_failed": ("Bỏ qua {file}: {error}", "Skipped {file}: {error}"),
    "scan_page_failed": ("Bỏ qua {file} trang {page}: {error}", "Skipped {file} page {page}: {error}"),
    "scan_summary": ("Xong: {new} trang mới ({valid} hợp lệ, {invalid} không hợp lệ, {review} cần xem xét, {rejected} "
                     "loại), {skipped} trang đã có từ trước, {failed} tệp lỗi.",
                     "Done: {new} new pages ({valid} valid, {invalid} invalid, {review} for review, {rejected} rejected), "
                     "{skipped} pages already counted, {failed} files failed."),
    "scan_failed_hint": ("Có tệp không đọc được; các trang tốt vẫn đã được đếm. Sửa hoặc quét lại các tệp trên rồi chạy lại "
                         "lệnh scan (trang đã đếm sẽ không bị đếm hai lần).",
                         "Some files could not be read; the good pages were counted. Fix or rescan the files above and "
                         "run scan again (pages already counted are not counted twice)."),
    "not_a_file": ("không phải tệp ảnh (JPG, PNG, TIFF) hay PDF", "not an image (JPG, PNG, TIFF) or PDF file"),
    "decode_failed": ("tệp hỏng hoặc không phải ảnh", "the file is damaged or not an image"),
    "pdf_failed": ("không đọc được PDF ({error})", "cannot read the PDF ({error})"),
    "file_missing": ("tệp không tồn tại", "the file does not exist"),
    "file_permission": ("không có quyền đọc tệp", "no permission to read the file"),
    "image_too_large": ("ảnh quá lớn ({mp:.0f} megapixel, tối đa {limit} megapixel)",
                        "image too large ({mp:.0f} megapixels, limit {limit})"),
    # --- review / resolve ----------------------------------------------------------------------------
    "ballot_missing": ("Không có phiếu số {id} trong {count}.", "There is no ballot {id} in {count}."),
    "resolve_one_action": ("Chọn đúng một quyết định: --votes, --invalid hoặc --reject.",
                           "Give exactly one decision: --votes, --invalid or --reject."),
    "resolve_unknown_name": ("Không có ứng cử viên '{name}'. Các tên hợp lệ: {names}",
                             "No candidate '{name}'. Valid names: {names}"),
    "resolve_too_many": ("Có {n} tên được bầu nhưng chỉ bầu {seats} người: phiếu này không hợp lệ (dùng --invalid overvote).",
                         "{n} names given but only {seats} are to be elected: that ballot is invalid (use --invalid overvote)."),
    "resolved": ("Phiếu {id}: {status} (người quyết định: {reviewer}).", "Ballot {id}: {status} (decided by {reviewer})."),
    # --- statuses and reasons -------------------------------------------------------------------------
    "status_valid": ("hợp lệ", "valid"),
    "status_invalid": ("không hợp lệ", "invalid"),
    "status_review": ("cần xem xét", "for review"),
    "status_rejected": ("không phải phiếu", "not a ballot"),
    "reason_overvote": ("để lại nhiều tên hơn số người cần bầu", "more names left than seats"),
    "reason_no_votes": ("gạch hết tên", "every name struck"),
    "reason_extra_writing": ("có viết thêm trên phiếu", "writing added on the ballot"),
    "reason_write_in": ("có ghi thêm tên", "a name written in"),
    "reason_no_seal": ("không có dấu", "no seal"),
    "reason_not_ballot": ("không phải phiếu bầu của cuộc bầu cử này", "not a ballot of this election"),
    "reason_unclear": ("có đánh dấu không rõ ràng", "an unclear mark"),
    # --- tally ------------------------------------------------------------------------------------------
    "tally_title": ("KẾT QUẢ KIỂM PHIẾU", "RESULT OF THE COUNT"),
    "tally_ballots": ("Phiếu: {valid} hợp lệ, {invalid} không hợp lệ, {review} chờ xem xét, {rejected} trang không phải phiếu.",
                      "Ballots: {valid} valid, {invalid} invalid, {review} awaiting review, {rejected} pages not ballots."),
    "tally_base": ("Tỷ lệ tính trên {base_name}: {base}. Trúng cử cần trên một nửa (> {half}).",
                   "Percentages of the {base_name}: {base}. Elected needs more than half (> {half})."),
    "base_electorate": ("tổng số đại biểu/cử tri được triệu tập", "delegates/voters summoned"),
    "base_valid": ("số phiếu hợp lệ", "valid ballots"),
    "tally_header": ("STT  Họ và tên                          Số phiếu   Tỷ lệ   Trúng cử",
                     "No.  Name                               Votes    Percent  Elected"),
    "tally_elected_mark": ("✔", "✔"),
    "tally_tie": ("HÒA PHIẾU ở vị trí cuối cùng giữa: {names} — cần bầu lại theo quy định.",
                  "TIE for the last seat between: {names} — a new vote is needed under the rules."),
    "tally_outstanding": ("CHƯA XONG: còn {n} phiếu chờ xem xét ({ids}). Kết quả là tạm thời.",
                          "NOT FINAL: {n} ballots await review ({ids}). The result is provisional."),
    # --- generic ------------------------------------------------------------------------------------------
    "error_prefix": ("Lỗi: ", "Error: "),
}


def lang() -> str:
    return "en" if os.environ.get("KIEMPHIEU_LANG", "vi").lower().startswith("en") else "vi"


def t(key: str, **kw) -> str:
    """The text for ``key`` in the current language, formatted with ``kw``."""
    vi, en = TEXTS[key]
    return (en if lang() == "en" else vi).format(**kw)
