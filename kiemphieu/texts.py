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
    "election_negative": ("{file}: '{field}' = {value} không được là số âm.",
                          "{file}: '{field}' = {value} must not be negative."),
    "election_excluded_no_electorate": ("{file}: có 'excluded' = {excluded} nhưng thiếu 'electorate' (tổng số được triệu "
                                        "tập) để trừ vào.",
                                        "{file}: 'excluded' = {excluded} is given but 'electorate' (the number summoned) "
                                        "it is taken from is missing."),
    "election_excluded_large": ("{file}: 'excluded' = {excluded} phải nhỏ hơn 'electorate' = {electorate}.",
                                "{file}: 'excluded' = {excluded} must be smaller than 'electorate' = {electorate}."),
    "election_base_no_electorate": ("{file}: overrides.base = \"electorate\" cần có 'electorate' trong tệp bầu cử.",
                                    "{file}: overrides.base = \"electorate\" needs 'electorate' in the election file."),
    "election_no_candidates": ("{file}: danh sách ứng cử viên trống (candidates = []). Hãy ghi tên từng người, ví dụ "
                               "candidates = [\"Nguyễn Văn An\", \"Trần Thị Bình\"].",
                               "{file}: the list of candidates is empty (candidates = []). Write each name, e.g. "
                               "candidates = [\"Nguyễn Văn An\", \"Trần Thị Bình\"]."),
    "election_not_utf8": ("{file}: tệp bầu cử phải được lưu ở mã UTF-8.",
                          "{file}: the election file must be saved as UTF-8."),
    "election_bad_toml": ("{file}, dòng {line}, cột {column}: lỗi cú pháp TOML — {error}. Sửa dòng đó rồi chạy lại.",
                          "{file}, line {line}, column {column}: TOML syntax error — {error}. Fix that line and run "
                          "again."),
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
    "count_not_count": ("{count} không phải là tệp kiểm phiếu của kiemphieu. {error}",
                        "{count} is not a kiemphieu count file. {error}"),
    "count_newer": ("{count} được ghi bởi một phiên bản kiemphieu mới hơn (lược đồ phiên bản {found}; phiên bản này "
                    "chỉ đọc được đến {supported}). Hãy cập nhật kiemphieu; tệp chưa bị thay đổi.",
                    "{count} was written by a newer kiemphieu (schema version {found}; this one reads up to "
                    "{supported}). Update kiemphieu; the file was not changed."),
    "count_read_only": ("{count} nằm trên ổ đĩa (hoặc là tệp) chỉ đọc: lệnh này cần ghi vào đó. Chép tệp sang ổ đĩa "
                        "ghi được rồi chạy lại (xem kết quả thì vẫn được: tally, export, inspect, verify).",
                        "{count} is on a read-only disk (or is a read-only file): this command writes to it. Copy it to "
                        "a disk that can be written and run the command again (tally, export, inspect and verify still "
                        "read it where it is)."),
    "disk_full": ("ổ đĩa đã đầy — giải phóng chỗ trống rồi chạy lại đúng lệnh đó. Những gì đã ghi xong vẫn nguyên vẹn "
                  "(không có trang hay quyết định nào bị ghi dở).",
                  "the disk is full — free some space and run the same command again. What was stored is whole (no "
                  "page or decision is half-written)."),
    "file_error": ("{file}: {error}", "{file}: {error}"),
    "count_disk_full": ("{count}: ổ đĩa đã đầy — giải phóng chỗ trống rồi chạy lại đúng lệnh đó.",
                        "{count}: the disk is full — free some space and run the same command again."),
    "disk_read_only": ("ổ đĩa chỉ đọc, không ghi được — chép tệp kiểm phiếu sang ổ đĩa khác rồi chạy lại.",
                       "the disk is read-only and cannot be written — copy the count to another disk and run the "
                       "command again."),
    "folder_missing": ("không có thư mục {folder} để ghi {file}: tạo thư mục đó trước, hoặc chọn chỗ khác.",
                       "the folder {folder} does not exist, so {file} cannot be written there: create it first, or "
                       "choose another place."),
    "count_created": ("Đã tạo cuộc kiểm phiếu {count}: {title} — {n} ứng cử viên, bầu {seats}.",
                      "Created count {count}: {title} — {n} candidates, {seats} to elect."),
    # --- scanning ----------------------------------------------------------------------------------
    "scan_no_files": ("Không tìm thấy tệp ảnh hoặc PDF nào trong: {paths}",
                      "No image or PDF files found in: {paths}"),
    "scan_progress": ("Đang đọc phiếu", "Reading ballots"),
    "scan_pages_unit": ("trang", "pages"),
    "cluster_no_dask": ("--cluster cần Dask: cài bằng pip install 'kiemphieu[cluster]' (hoặc 'dask[distributed]').",
                        "--cluster needs Dask: install it with pip install 'kiemphieu[cluster]' (or 'dask[distributed]')."),
    "cluster_connect_failed": ("Không kết nối được tới bộ lập lịch Dask {address}: {error}",
                               "Cannot connect to the Dask scheduler {address}: {error}"),
    "cluster_page_lost": ("máy trong cụm không trả kết quả ({error}); chạy lại lệnh scan để đọc lại trang này",
                          "the cluster returned no result ({error}); run scan again to read this page"),
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
    "not_a_file": ("không phải tệp ảnh (JPG, PNG, TIFF, WebP, GIF, HEIC) hay PDF",
                   "not an image (JPG, PNG, TIFF, WebP, GIF, HEIC) or PDF file"),
    "file_dangling_link": ("liên kết tới một tệp không còn tồn tại", "a link to a file that does not exist"),
    "file_not_regular": ("không phải tệp thường (ống dẫn, socket hay thiết bị), không đọc",
                         "not a regular file (a pipe, socket or device); not read"),
    "file_odd_extension": ("nội dung là ảnh {kind} nhưng tên tệp có đuôi '{ext}': nếu đây là phiếu quét, đổi đuôi thành "
                           ".{good} rồi chạy lại; nếu không, chuyển tệp ra khỏi thư mục",
                           "the content is a {kind} file but the name ends in '{ext}': if it is a scanned ballot, rename "
                           "it to .{good} and run scan again; if not, move it out of the folder"),
    "no_ext": ("(không có đuôi)", "(no extension)"),
    "folder_unreadable": ("không mở được thư mục ({error})", "cannot open the folder ({error})"),
    "page_missing": ("tệp không có trang {page} (chỉ có {n} trang)", "the file has no page {page} (only {n})"),
    "scan_ignored": ("Không đọc {n} tệp không phải ảnh quét hay PDF: {names}",
                     "Not read: {n} files that are not scans or PDFs: {names}"),
    "decode_failed": ("tệp hỏng hoặc không phải ảnh", "the file is damaged or not an image"),
    "pdf_failed": ("không đọc được PDF ({error})", "cannot read the PDF ({error})"),
    "file_missing": ("tệp không tồn tại", "the file does not exist"),
    "file_permission": ("không có quyền đọc tệp", "no permission to read the file"),
    "image_too_large": ("ảnh quá lớn ({mp:.0f} megapixel, tối đa {limit} megapixel)",
                        "image too large ({mp:.0f} megapixels, limit {limit})"),
    # --- faults, duplicates, verify (scan/load.py, scan/batch.py, verify) ------------------------------
    "file_empty": ("tệp rỗng (0 byte)", "the file is empty (0 bytes)"),
    "file_truncated": ("tệp bị cắt cụt (thiếu phần cuối), hãy chép hoặc quét lại",
                       "the file is truncated (its end is missing); copy or scan it again"),
    "jpeg_damaged": ("tệp JPEG bị hỏng (dữ liệu ảnh bên trong bị lỗi); hãy quét lại trang này",
                     "the JPEG file is damaged (corrupt image data inside); scan the page again"),
    "pdf_encrypted": ("PDF có mật khẩu; hãy xuất lại không đặt mật khẩu",
                      "the PDF is password-protected; export it again without a password"),
    "pdf_page_damaged": ("trang hỏng ({error})", "the page is damaged ({error})"),
    "scan_exact_copy": ("Bỏ qua {file} trang {page}: bản sao y hệt của phiếu số {id} ({other}), không đếm lại.",
                        "Skipped {file} page {page}: an exact copy of ballot {id} ({other}), not counted again."),
    "scan_double_feed": ("{file} trang {page} (phiếu số {new_id}) gần giống hệt phiếu số {id} ({other}): có thể một tờ "
                         "được quét hai lần; chuyển sang cần xem xét.",
                         "{file} page {page} (ballot {new_id}) is nearly identical to ballot {id} ({other}): possibly "
                         "the same sheet fed twice; sent to review."),
    "reason_double_feed": ("có thể là tờ đã quét (gần giống hệt phiếu số {ballot})",
                           "possibly a sheet fed twice (nearly identical to ballot {ballot})"),
    "verify_missing": ("Phiếu số {id}: thiếu tệp {file}", "Ballot {id}: file {file} is missing"),
    "verify_altered": ("Phiếu số {id}: tệp {file} trang {page} đã bị thay đổi (mã băm khác)",
                       "Ballot {id}: file {file} page {page} has been altered (its hash differs)"),
    "verify_unreadable": ("Phiếu số {id}: không đọc được {file} trang {page}: {error}",
                          "Ballot {id}: cannot read {file} page {page}: {error}"),
    "verify_differs": ("Phiếu số {id} ({file} trang {page}): đọc lại cho kết quả khác — lúc đếm: {before}; bây giờ: {after}",
                       "Ballot {id} ({file} page {page}): reading it again gives another result — counted: {before}; "
                       "now: {after}"),
    "verify_summary": ("Kiểm tra {n} trang: {ok} khớp, {missing} thiếu tệp, {altered} tệp bị thay đổi, {differs} đọc lại "
                       "khác, {unreadable} không đọc được.",
                       "Checked {n} pages: {ok} match, {missing} files missing, {altered} files altered, {differs} read "
                       "differently, {unreadable} unreadable."),
    "verify_progress": ("Đang kiểm tra lại", "Verifying"),
    "verify_count_damaged": ("Tệp kiểm phiếu bị hỏng (PRAGMA integrity_check): {error}",
                             "The count file is damaged (PRAGMA integrity_check): {error}"),
    "verify_ok": ("Mọi trang khớp với tệp quét và đọc lại cho cùng kết quả.",
                  "Every page matches its scan file and reads the same again."),
    "verify_failed": ("Có sai khác (xem ở trên): hãy tìm lại tệp quét gốc hoặc đối chiếu phiếu giấy.",
                      "There are differences (see above): find the original scan files or compare with the paper "
                      "ballots."),
    # --- review / resolve ----------------------------------------------------------------------------
    "ballot_bad_id": ("Số phiếu phải là một số nguyên dương (1, 2, 3 …), không phải '{value}'.",
                      "A ballot ID is a whole number from 1 (1, 2, 3 …), not '{value}'."),
    "ballot_missing": ("Không có phiếu số {id} trong {count}.", "There is no ballot {id} in {count}."),
    "resolve_one_action": ("Chọn đúng một quyết định: --votes, --invalid hoặc --reject.",
                           "Give exactly one decision: --votes, --invalid or --reject."),
    "resolve_bad_row": ("Phiếu không có dòng số {n} (có {k} tên, đánh số từ 1 đến {k}).",
                        "The ballot has no row {n} ({k} names, numbered 1 to {k})."),
    "resolve_unknown_name": ("Không có ứng cử viên '{name}'. Các tên hợp lệ: {names}",
                             "No candidate '{name}'. Valid names: {names}"),
    "decision_unknown_name": ("Không có ứng cử viên: {names}.", "No such candidate: {names}."),
    "decision_against_not_approve": ("--against chỉ dùng cho phiếu đồng ý / không đồng ý.",
                                     "--against is only for yes/no ballots."),
    "decision_for_and_against": ("Một tên không thể vừa đồng ý vừa không đồng ý: {names}.",
                                 "A name cannot be both for and against: {names}."),
    "decision_bad_state": ("Lựa chọn không hợp với loại phiếu này cho: {names}.",
                           "A choice that does not fit this kind of ballot for: {names}."),
    "resolved": ("Phiếu {id}: {status} (người quyết định: {reviewer}).", "Ballot {id}: {status} (decided by {reviewer})."),
    "resolved_invalid": ("Phiếu {id}: {status} — {reasons} (người quyết định: {reviewer}).",
                         "Ballot {id}: {status} — {reasons} (decided by {reviewer})."),
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
    "base_electorate": ("tổng số đại biểu/cử tri được triệu tập", "delegates/voters summoned"),
    "base_valid": ("số phiếu hợp lệ", "valid ballots"),
    "tally_needed": ("Tỷ lệ tính trên {base_name}: {base}. Trúng cử phải được quá một nửa: từ {needed} phiếu trở lên.",
                     "Percentages of the {base_name}: {base}. Elected needs more than half: at least {needed} votes."),
    "tally_col_percent": ("Tỷ lệ", "Percent"),
    "tally_elected_mark": ("✔", "✔"),
    "tally_tie": ("HÒA PHIẾU ở vị trí cuối cùng giữa: {names} — cần bầu lại theo quy định.",
                  "TIE for the last seat between: {names} — a new vote is needed under the rules."),
    "tally_outstanding": ("CHƯA XONG: còn {n} phiếu chờ xem xét ({ids}). Kết quả là tạm thời.",
                          "NOT FINAL: {n} ballots await review ({ids}). The result is provisional."),
    "rules_party": ("quy chế bầu cử trong Đảng", "Party election rules"),
    "rules_state": ("luật bầu cử của Nhà nước", "State election law"),
    "tally_rules": ("Áp dụng {rules}; bầu {seats} người.", "Under the {rules}; {seats} to elect."),
    "round_suffix": (" (bầu lần thứ {n})", " (round {n})"),
    "base_electorate_excluded": ("tổng số đại biểu/cử tri được triệu tập ({electorate}) trừ {excluded} không tính",
                                 "delegates/voters summoned ({electorate}) less {excluded} not counted"),
    "tally_elected": ("Trúng cử (theo thứ tự số phiếu): {names}.", "Elected (by votes): {names}."),
    "tally_none_elected": ("Chưa có ai trúng cử.", "Nobody is elected."),
    "tally_short": ("Mới có {n} trên {seats} người trúng cử: còn thiếu {free}.",
                    "Only {n} of {seats} are elected: {free} seats remain."),
    "tally_next_round": ("Lần bầu tiếp theo (bầu {seats}) lấy trong danh sách: {names}.",
                         "A further round (for {seats}) would list: {names}."),
    "tally_by_age": ("{name} trúng cử vì nhiều tuổi hơn (sinh {born}) khi bằng phiếu ({votes}) ở vị trí cuối cùng.",
                     "{name} is elected as the older candidate (born {born}) in a tie ({votes} votes) for the last seat."),
    "turnout_line": ("Tỷ lệ cử tri đi bầu: {returned}/{voters} = {percent} (tính theo {source}) — {verdict}.",
                     "Turnout: {returned}/{voters} = {percent} (from the {source}) — {verdict}."),
    "turnout_source_returned": ("số phiếu thu vào", "ballots returned"),
    "turnout_source_scanned": ("số phiếu đã quét", "ballots scanned"),
    "turnout_ok": ("trên một nửa, đạt", "more than half, met"),
    "turnout_failed": ("KHÔNG quá một nửa: cuộc bầu cử KHÔNG CÓ GIÁ TRỊ, phải bầu lại",
                       "NOT more than half: the election is NOT VALID and must be held again"),
    "recon_returned_scanned": ("CHÊNH LỆCH: thu vào {a} phiếu nhưng đã quét {b} phiếu (chênh {d:+d}). Tìm phiếu chưa quét "
                               "hoặc quét trùng.",
                               "MISMATCH: {a} ballots returned but {b} scanned (difference {d:+d}). Look for ballots not "
                               "scanned or scanned twice."),
    "recon_returned_issued": ("CHÊNH LỆCH: số phiếu thu vào ({a}) nhiều hơn số phiếu phát ra ({b}).",
                              "MISMATCH: more ballots returned ({a}) than issued ({b})."),
    "recon_scanned_issued": ("CHÊNH LỆCH: đã quét {a} phiếu, nhiều hơn số phiếu phát ra ({b}).",
                             "MISMATCH: {a} ballots scanned, more than were issued ({b})."),
    "recon_issued_electorate": ("CHÊNH LỆCH: số phiếu phát ra ({a}) nhiều hơn số đại biểu/cử tri được tính ({b}).",
                                "MISMATCH: more ballots issued ({a}) than delegates/voters counted ({b})."),
    "recon_present_electorate": ("CHÊNH LỆCH: số có mặt ({a}) nhiều hơn số được triệu tập ({b}).",
                                 "MISMATCH: more present ({a}) than summoned ({b})."),
    "recon_issued_present": ("CHÊNH LỆCH: số phiếu phát ra ({a}) nhiều hơn số có mặt ({b}).",
                             "MISMATCH: more ballots issued ({a}) than present ({b})."),
    "recon_ok": ("Đối chiếu: số phiếu thu vào ({n}) khớp với số phiếu đã quét.",
                 "Reconciled: the ballots returned ({n}) match the ballots scanned."),
    "recon_unknown": ("Chưa nhập số phiếu phát ra và thu vào: kiemphieu set {count} issued=… returned=…",
                      "Ballots issued and returned not entered yet: kiemphieu set {count} issued=… returned=…"),
    # --- set / round ------------------------------------------------------------------------------------
    "set_bad_pair": ("'{arg}': hãy viết KEY=VALUE, với KEY là một trong: {keys}.",
                     "'{arg}': write KEY=VALUE, with KEY one of: {keys}."),
    "set_not_int": ("'{field}' phải là một số nguyên, không phải '{value}'.", "'{field}' must be a whole number, not '{value}'."),
    "set_done": ("Đã lưu: {values}", "Saved: {values}"),
    "set_bad_role": ("'{name}': không có chức danh '{role}'. Dùng một trong: {roles}.",
                     "'{name}': there is no role '{role}'. Use one of: {roles}."),
    "set_two_chairs": ("Chỉ một người là Trưởng ban (Tổ trưởng), không phải: {names}.",
                       "Only one person can be the chair (head), not: {names}."),
    "round_not_needed": ("Không cần bầu thêm: đã đủ {seats} người trúng cử.",
                         "No further round is needed: all {seats} seats are filled."),
    "round_provisional": ("Còn {n} phiếu chờ xem xét: hãy quyết định các phiếu này trước khi bầu lần tiếp theo.",
                          "{n} ballots still await review: decide them before starting a further round."),
    "round_written": ("Đã ghi tệp bầu cử lần {n}: {file} — {k} ứng cử viên, bầu {seats}.",
                      "Wrote the election file of round {n}: {file} — {k} candidates, {seats} to elect."),
    "round_next_step": ("Bước tiếp theo, với phiếu trắng của lần bầu này: kiemphieu new {count} --election {file} "
                        "--template PHIEU_TRANG",
                        "Next, with this round's blank ballot: kiemphieu new {count} --election {file} --template BLANK"),
    "minutes_written": ("Đã ghi biên bản: {file}", "Minutes written: {file}"),
    "minutes_bad_suffix": ("Tệp biên bản phải có đuôi .pdf hoặc .html: {file}", "The minutes file must end in .pdf or .html: {file}"),
    # --- minutes ----------------------------------------------------------------------------------------
    "mn_page": ("Trang", "Page"),
    "mn_date": ("{place}ngày {dd} tháng {mm} năm {y}", "{place}{y}-{m:02d}-{d:02d}"),
    "mn_closing": ("Biên bản lập xong lúc {hh} giờ {mi} phút, {date}.",
                   "These minutes were completed at {hh}:{mi} on {date}."),
    "mn_provisional": ("TẠM THỜI — còn {n} phiếu chờ xem xét. Biên bản này chưa phải kết quả chính thức.",
                       "PROVISIONAL — {n} ballots in review. These minutes are not the final result."),
    "mn_provisional_page": ("TẠM THỜI — còn {n} phiếu chờ xem xét", "PROVISIONAL — {n} ballots in review"),
    "mn_not_valid": ("KHÔNG CÓ GIÁ TRỊ — không quá một nửa cử tri đi bầu; phải bầu lại.",
                     "NOT VALID — not more than half of the voters returned a ballot; the election must be held again."),
    "mn_audit": ("Nhật ký quyết định: {n} mục, mã cuối:", "Decision log: {n} entries, head:"),
    "mn_audit_empty": ("Nhật ký quyết định: chưa có mục nào (không phiếu nào do người quyết định).",
                       "Decision log: empty (no ballot was decided by a person)."),
    "mn_made_with": ("Lập bằng kiemphieu từ tệp {count}", "Made with kiemphieu from {count}"),
    "mn_sign_hint": ("(Ký, ghi rõ họ tên)", "(Signature and full name)"),
    "mn_none": ("không có", "none"),
    "mn_col_no": ("STT", "No."),
    "mn_col_name": ("Họ và tên", "Name"),
    "mn_col_votes": ("Số phiếu", "Votes"),
    "mn_col_percent": ("Tỷ lệ (%)", "Percent"),
    "mn_col_for": ("Đồng ý", "For"),
    "mn_col_against": ("Không đồng ý", "Against"),
    "mn_col_result": ("Kết quả", "Result"),
    "mn_col_elected": ("Trúng cử", "Elected"),
    # the Party form (biên bản kiểm phiếu của Ban kiểm phiếu)
    "mn_party_1": ("ĐẢNG CỘNG SẢN VIỆT NAM", "COMMUNIST PARTY OF VIET NAM"),
    "mn_committee": ("BAN KIỂM PHIẾU", "COUNTING COMMITTEE"),
    "mn_number": ("Số: {n}-BB/BKP", "No. {n}-BB/BKP"),
    "mn_title": ("BIÊN BẢN KIỂM PHIẾU", "MINUTES OF THE COUNT"),
    "mn_members_intro": ("Ban kiểm phiếu gồm các đồng chí:", "The counting committee:"),
    "mn_member": ("Đồng chí {name} – {role}", "{name} – {role}"),
    "mn_role_chair": ("Trưởng ban", "chair"),
    "mn_role_vice": ("Phó Trưởng ban", "vice-chair"),
    "mn_role_secretary": ("Thư ký", "secretary"),
    "mn_role_member": ("Ủy viên", "member"),
    "mn_intro": ("Ban kiểm phiếu đã kiểm phiếu và lập biên bản như sau:",
                 "The committee counted the ballots and records the following:"),
    "mn_numbers": ("I. Số liệu", "I. Numbers"),
    "mn_summoned": ("Tổng số đại biểu được triệu tập", "Delegates summoned"),
    "mn_excluded": ("Số không tính vào tổng số", "Not counted in the total"),
    "mn_present": ("Số đại biểu có mặt", "Delegates present"),
    "mn_issued": ("Số phiếu phát ra", "Ballots issued"),
    "mn_returned": ("Số phiếu thu vào", "Ballots returned"),
    "mn_scanned": ("Số phiếu đã kiểm (quét)", "Ballots counted (scanned)"),
    "mn_valid": ("Số phiếu hợp lệ", "Valid ballots"),
    "mn_invalid": ("Số phiếu không hợp lệ", "Invalid ballots"),
    "mn_invalid_reason": ("trong đó: {reason}", "of which: {reason}"),
    "mn_review": ("Số phiếu còn chờ xem xét", "Ballots still in review"),
    "mn_rejected": ("Số trang không phải phiếu bầu (loại)", "Pages that are not ballots (rejected)"),
    "mn_votes": ("II. Số phiếu bầu cho từng người", "II. Votes for each candidate"),
    "mn_base_note": ("Tỷ lệ tính trên {base_name}: {base}. Trúng cử phải được quá một nửa, tức là từ {needed} phiếu "
                     "trở lên.",
                     "Percentages are of the {base_name}: {base}. Elected needs more than half, i.e. at least {needed} "
                     "votes."),
    "mn_result_elected": ("Trúng cử", "Elected"),
    "mn_result_by_age": ("Trúng cử (nhiều tuổi hơn)", "Elected (older)"),
    "mn_result_tie": ("Hòa phiếu", "Tied"),
    "mn_chart": ("Biểu đồ số phiếu; vạch đỏ: quá một nửa (từ {needed} phiếu trở lên)",
                 "Votes; red line: more than half (at least {needed})"),
    "mn_threshold": ("từ {needed}", "≥ {needed}"),
    "mn_result": ("III. Kết quả", "III. Result"),
    "mn_elected_list": ("Những đồng chí trúng cử, theo thứ tự số phiếu từ cao xuống thấp:",
                        "Elected, in order of votes from highest:"),
    "mn_sign_chair": ("TRƯỞNG BAN KIỂM PHIẾU", "CHAIR OF THE COUNTING COMMITTEE"),
    "mn_sign_members": ("CÁC THÀNH VIÊN", "MEMBERS"),
    # the state form (biên bản kết quả kiểm phiếu của Tổ bầu cử, Luật Bầu cử 2015, Điều 75)
    "mn_state_1": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
    "mn_state_2": ("Độc lập – Tự do – Hạnh phúc", "Independence – Freedom – Happiness"),
    "mn_state_province": ("Tỉnh/Thành phố: {dots}", "Province/City: {dots}"),
    "mn_state_commune": ("Xã/Phường/Đặc khu: {dots}", "Commune/Ward: {dots}"),
    "mn_state_title": ("BIÊN BẢN KẾT QUẢ KIỂM PHIẾU", "MINUTES OF THE RESULT OF THE COUNT"),
    "mn_state_of": ("CỦA TỔ BẦU CỬ", "OF THE POLLING TEAM"),
    "mn_state_area": ("Khu vực bỏ phiếu số: {area}", "Polling area no. {area}"),
    "mn_state_unit": ("Đơn vị bầu cử số: {unit}", "Constituency no. {unit}"),
    "mn_state_members_intro": ("Ngày {dd} tháng {mm} năm {y}, Tổ bầu cử gồm có:", "On {date}, the polling team:"),
    "mn_state_member": ("Ông/Bà {name} – {role}", "{name} – {role}"),
    "mn_state_role_chair": ("Tổ trưởng", "head"),
    "mn_state_role_vice": ("Tổ phó", "deputy head"),
    "mn_state_role_secretary": ("Thư ký", "secretary"),
    "mn_state_role_member": ("Ủy viên", "member"),
    "mn_state_witness_intro": ("đã kiểm phiếu tại phòng bỏ phiếu, với sự chứng kiến của hai cử tri không phải là người "
                               "ứng cử:",
                               "counted the ballots in the polling room, witnessed by two voters who are not "
                               "candidates:"),
    "mn_state_witness": ("Ông/Bà {name}", "{name}"),
    "mn_state_results_intro": ("Kết quả kiểm phiếu như sau:", "The result of the count:"),
    "mn_state_voters": ("Tổng số cử tri của khu vực bỏ phiếu", "Voters on the list of the polling area"),
    "mn_state_voted": ("Số cử tri đã tham gia bỏ phiếu", "Voters who voted"),
    "mn_state_rate": ("tỷ lệ so với tổng số cử tri của khu vực bỏ phiếu", "as a share of the voters on the list"),
    "mn_state_people": ("người", "people"),
    "mn_state_ballots": ("phiếu", "ballots"),
    "mn_state_votes": ("Số phiếu bầu cho mỗi người ứng cử:", "Votes for each candidate:"),
    "mn_state_col_name": ("Họ và tên người ứng cử", "Candidate"),
    "mn_state_col_votes": ("Số phiếu bầu", "Votes"),
    "mn_state_complaints": ("Khiếu nại, tố cáo:", "Complaints and denunciations:"),
    "mn_state_received": ("Những khiếu nại, tố cáo nhận được", "Received"),
    "mn_state_resolved": ("Những khiếu nại, tố cáo đã giải quyết", "Resolved by the polling team"),
    "mn_state_forwarded": ("Những khiếu nại, tố cáo chuyển đến Ban bầu cử", "Passed on to the election board"),
    "mn_state_notes": ("Ghi chú", "Notes"),
    "mn_sign_witnesses": ("HAI CỬ TRI CHỨNG KIẾN", "THE TWO WITNESSES"),
    "mn_sign_secretary": ("THƯ KÝ", "SECRETARY"),
    "mn_sign_head": ("TỔ TRƯỞNG", "HEAD OF THE POLLING TEAM"),
    "mn_sign_seal_hint": ("(Ký, ghi rõ họ tên và đóng dấu)", "(Signature, full name and seal)"),
    # --- review in the browser (kiemphieu serve), reviewers, audit log ----------------------------------
    "serve_started": ("Trang xem xét phiếu: {url}  (Ctrl+C để dừng)", "Ballot review: {url}  (Ctrl+C to stop)"),
    "serve_no_reviewers": ("Chưa có người xem xét nào. Thêm người đầu tiên (quản trị): kiemphieu reviewer add {count} "
                           "\"Họ Tên\" --admin",
                           "No reviewers yet. Add the first one (admin): kiemphieu reviewer add {count} \"Name\" --admin"),
    "serve_port_taken": ("Cổng {port} trên {host} đang được một chương trình khác dùng (có thể là một cuộc kiểm phiếu "
                         "khác đang mở). Chọn cổng khác, ví dụ: --port {next}",
                         "Port {port} on {host} is in use by another program (perhaps another count being served). "
                         "Choose another port, e.g. --port {next}"),
    "serve_cannot_listen": ("Không mở được {host}:{port} để phục vụ: {error}. Kiểm tra địa chỉ --host và cổng --port.",
                            "Cannot listen on {host}:{port}: {error}. Check the --host address and the --port."),
    "serve_no_https": ("CẢNH BÁO: đang phục vụ trên mạng ({host}) không mã hoá: mật khẩu và quyết định đi qua mạng "
                       "ở dạng đọc được. Hãy chạy lại với --https (chứng chỉ tự ký) hoặc --cert/--key.",
                       "WARNING: serving on the network ({host}) without encryption: passwords and decisions cross "
                       "it in the clear. Run again with --https (a self-signed certificate) or --cert/--key."),
    "serve_cert_and_key": ("Cần cả --cert và --key (chứng chỉ và khoá riêng của nó).",
                           "Give both --cert and --key (the certificate and its private key)."),
    "serve_cert_made": ("Đã tạo chứng chỉ tự ký: {cert} (giữ lại để lần sau trình duyệt nhận ra).",
                        "Made a self-signed certificate: {cert} (kept, so that browsers know it next time)."),
    "serve_cert_kept": ("Dùng chứng chỉ tự ký đã có: {cert}", "Using the self-signed certificate made before: {cert}"),
    "serve_cert_bad": ("Không dùng được chứng chỉ {cert} với khoá {key}: {error}",
                       "Cannot use the certificate {cert} with the key {key}: {error}"),
    "serve_fingerprint": ("Dấu vân tay SHA-256 của chứng chỉ (so với trình duyệt trước khi chấp nhận): {fingerprint}",
                          "The certificate's SHA-256 fingerprint (compare it with the browser's before accepting): "
                          "{fingerprint}"),
    "tls_no_openssl": ("Không có lệnh openssl để tạo chứng chỉ. Cài bằng: apt-get install openssl, hoặc dùng --cert "
                       "và --key.",
                       "The openssl command is missing, so no certificate can be made. Install it with apt-get "
                       "install openssl, or give --cert and --key."),
    "tls_failed": ("Không tạo được chứng chỉ tự ký: {error}", "Cannot make the self-signed certificate: {error}"),
    "serve_display": ("Màn hình trình chiếu (ai cũng xem được, chỉ có số tổng): {url}",
                      "Hall display (open to everyone, totals only): {url}"),
    "serve_two_person": ("Chế độ hai người: mỗi phiếu cần hai người xem xét đồng ý.",
                         "Two-person mode: every ballot needs two reviewers who agree."),
    "reviewer_added": ("Đã thêm {name} ({role}); lần đăng nhập đầu tiên sẽ đặt mật khẩu riêng. Mật khẩu dùng một lần, "
                       "chỉ hiện lần này: {password}",
                       "Added {name} ({role}); the first sign-in sets their own password. One-time password, shown "
                       "only now: {password}"),
    "reviewer_exists": ("Đã có người xem xét tên {name}. Dùng --reset để cấp mật khẩu mới.",
                        "There is already a reviewer named {name}. Use --reset to give a new password."),
    "reviewer_look_alike": ("Đã có người xem xét tên {other}, trông giống hệt {name} khi bỏ dấu và chữ hoa: hai tài "
                            "khoản như vậy dễ nhầm khi đăng nhập. Nếu là người khác, hãy thêm chữ để phân biệt (ví "
                            "dụ \"{name} (tổ 2)\"); nếu là cùng một người, dùng --reset để cấp mật khẩu mới.",
                            "There is already a reviewer named {other}, which looks the same as {name} without accents "
                            "and capitals: two such accounts are easily confused at sign-in. If this is another "
                            "person, add words to tell them apart (e.g. \"{name} (team 2)\"); if it is the same "
                            "person, use --reset to give a new password."),
    "audit_ok": ("Nhật ký nguyên vẹn: {n} mục, mã cuối {head}.", "Audit log intact: {n} entries, head {head}."),
    "audit_failed": ("NHẬT KÝ ĐÃ BỊ SỬA: {n} lỗi.", "AUDIT LOG TAMPERED WITH: {n} problems."),
    "audit_empty": ("Nhật ký trống: chưa có quyết định nào.", "The audit log is empty: no decisions yet."),
    "audit_bad_gap": ("mục bị xoá hoặc chèn (thiếu mục số {detail})", "an entry was deleted or inserted (entry {detail} missing)"),
    "audit_bad_link": ("không nối với mục trước (mục trước đã bị sửa hoặc xoá)",
                       "does not link to the entry before (that one was edited or deleted)"),
    "audit_bad_hash": ("nội dung đã bị sửa (mã băm không khớp)", "its content was edited (hash does not match)"),
    "audit_bad_head": ("mục cuối không khớp với mã cuối đã ghi ({detail}): mục mới nhất đã bị xoá hoặc sửa",
                       "the last entry does not match the recorded head ({detail}): newest entries deleted or edited"),
    "audit_bad_page": ("phiếu {detail}: kết quả đang dùng khác với quyết định cuối trong nhật ký",
                       "ballot {detail}: the decision in force differs from the last one in the log"),
    "audit_entry": ("mục", "entry"),
    # --- the page log (store/pagelog.py), in audit --verify and verify ------------------------------------
    "pages_entry": ("sổ trang, mục", "page log entry"),
    "pages_ok": ("Sổ trang nguyên vẹn: {n} trang, mã cuối {head}.", "Page log intact: {n} pages, head {head}."),
    "pages_since": ("Sổ trang bắt đầu khi tệp được nâng cấp ({at}): {n} trang có từ trước được ghi vào sổ lúc đó; "
                    "những gì xảy ra với chúng trước đó không kiểm tra được.",
                    "The page log starts when the count was upgraded ({at}): the {n} pages it held then were entered "
                    "at that time; what happened to them before cannot be checked."),
    "pages_bad_gap": ("mục bị xoá hoặc chèn (thiếu mục số {detail})",
                      "an entry was deleted or inserted (entry {detail} missing)"),
    "pages_bad_link": ("không nối với mục trước (mục trước đã bị sửa hoặc xoá)",
                       "does not link to the entry before (that one was edited or deleted)"),
    "pages_bad_missing": ("phiếu {detail} đã bị xoá khỏi tệp kiểm phiếu", "ballot {detail} was deleted from the count"),
    "pages_bad_changed": ("phiếu {detail}: kết quả đọc của máy hoặc trang đã lưu bị sửa sau khi quét",
                          "ballot {detail}: the machine's reading or the stored page was edited after scanning"),
    "pages_bad_added": ("phiếu {detail} được thêm vào tệp mà không qua lệnh scan",
                        "ballot {detail} was added to the count without being scanned"),
    "pages_bad_head": ("mục cuối không khớp với mã cuối đã ghi ({detail}): trang mới nhất đã bị xoá hoặc sửa",
                       "the last entry does not match the recorded head ({detail}): newest pages deleted or edited"),
    "verify_page_log": ("Sổ trang: {problem}", "Page log: {problem}"),
    "audit_action_decide": ("quyết định", "decision"),
    "audit_action_propose": ("đề xuất (chờ người thứ hai)", "proposal (awaits a second reviewer)"),
    "audit_action_disagree": ("không đồng ý — trả lại hàng chờ", "disagreement — back to the queue"),
    "audit_action_reopen": ("mở lại để xem xét", "reopened for review"),
    "audit_action_reviewer_add": ("thêm người xem xét", "reviewer added"),
    "role_admin": ("quản trị", "admin"),
    "role_reviewer": ("người xem xét", "reviewer"),
    "web_app_name": ("Kiểm phiếu — xem xét phiếu", "Ballot count — review"),
    "web_nav_queue": ("Phiếu cần xem xét", "Ballots to review"),
    "web_nav_results": ("Kết quả", "Results"),
    "web_nav_reviewers": ("Người xem xét", "Reviewers"),
    "web_nav_audit": ("Nhật ký", "Audit log"),
    "web_signout": ("Đăng xuất", "Sign out"),
    "web_signed_in_as": ("{name} ({role})", "{name} ({role})"),
    "web_login_title": ("Đăng nhập", "Sign in"),
    "web_login_count": ("Cuộc kiểm phiếu: {title} (tệp {file})", "Count: {title} (file {file})"),
    "web_login_name": ("Họ và tên", "Name"),
    "web_login_password": ("Mật khẩu", "Password"),
    "web_login_submit": ("Đăng nhập", "Sign in"),
    "web_err_too_many": ("Đã nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau {minutes} phút, hoặc nhờ người quản trị "
                         "cấp mật khẩu mới.",
                         "Too many wrong passwords. Try again in {minutes} minutes, or ask an admin for a new password."),
    "web_err_login": ("Tên hoặc mật khẩu không đúng.", "Wrong name or password."),
    "web_err_signed_out": ("Cần đăng nhập trước. Phiên có thể đã hết hạn.", "Please sign in first. Your session may have expired."),
    "web_err_csrf": ("Yêu cầu bị từ chối: không gửi từ trang của ứng dụng này (tải lại trang rồi thử lại).",
                     "Request refused: it did not come from this app's own page (reload the page and try again)."),
    "web_err_admin_only": ("Chỉ người quản trị được làm việc này.", "Only an admin can do this."),
    "web_err_not_found": ("Không có trang này. Kiểm tra lại địa chỉ, hoặc quay lại danh sách phiếu.",
                          "There is no such page. Check the address, or go back to the list of ballots."),
    "web_err_bad_request": ("Yêu cầu có giá trị không hợp lệ. Tải lại trang rồi thử lại.",
                            "The request carries a value that is not valid. Reload the page and try again."),
    "web_err_bad_value": ("Giá trị '{field}' không hợp lệ. Tải lại trang rồi thử lại; quyết định chưa được lưu.",
                          "The value '{field}' is not valid. Reload the page and try again; nothing was saved."),
    "web_err_disk_full": ("Ổ đĩa của máy chủ đã đầy: quyết định này chưa được lưu. Những gì đã lưu trước đó vẫn nguyên "
                          "vẹn. Hãy báo người quản trị giải phóng chỗ trống, rồi quay lại phiếu và lưu lại.",
                          "The server's disk is full: this decision was not saved. Everything saved before is whole. "
                          "Ask the administrator to free some space, then go back to the ballot and save again."),
    "web_err_disk_read_only": ("Ổ đĩa của máy chủ chỉ đọc: quyết định này chưa được lưu. Hãy báo người quản trị.",
                               "The server's disk is read-only: this decision was not saved. Tell the administrator."),
    "web_err_internal": ("Máy chủ gặp lỗi khi làm việc này. Tải lại trang để xem phiếu đang ở tình trạng nào rồi làm "
                         "lại; nếu lỗi lặp lại, báo cho người quản trị máy chủ.",
                         "The server failed while doing this. Reload the page to see where the ballot stands and "
                         "try again; if it happens again, tell the server's administrator."),
    "web_err_no_ballot": ("Không có phiếu số {id}.", "There is no ballot {id}."),
    "web_err_no_picture": ("Không mở được ảnh quét của phiếu {id} (tệp đã bị chuyển hoặc xoá?).",
                           "Cannot open the scan of ballot {id} (was the file moved or deleted?)."),
    "web_err_held": ("Phiếu {id} đang được {reviewer} xem xét. Quyết định của bạn KHÔNG được lưu.",
                     "Ballot {id} is being reviewed by {reviewer}. Your decision was NOT saved."),
    "web_err_stale": ("Phiếu {id} đã được {reviewer} quyết định lúc {at} ({status}) trong khi bạn đang xem. "
                      "Quyết định của bạn KHÔNG được lưu.",
                      "Ballot {id} was decided by {reviewer} at {at} ({status}) while you were looking at it. "
                      "Your decision was NOT saved."),
    "web_err_stale_unknown": ("Phiếu {id} đã thay đổi trong khi bạn đang xem. Quyết định của bạn KHÔNG được lưu.",
                              "Ballot {id} changed while you were looking at it. Your decision was NOT saved."),
    "web_err_name_unset": ("Chưa chọn cho tên số {n} ({name}). Hãy chọn cho từng tên rồi lưu.",
                           "Nothing chosen for name {n} ({name}). Choose for every name, then save."),
    "web_row": ("số {n} ({name})", "{n} ({name})"),
    "web_row_unset": ("Chưa chọn: hãy chọn cho tên này.", "Nothing chosen: choose for this name."),
    "web_err_unset_one": ("Chưa chọn cho tên {row}. Hãy chọn cho từng tên rồi lưu.",
                          "Nothing chosen for name {row}. Choose for every name, then save."),
    "web_err_unset_many": ("Còn {count} tên chưa chọn: {rows}. Hãy chọn cho từng tên rồi lưu.",
                           "{count} names have nothing chosen: {rows}. Choose for every name, then save."),
    "web_err_reason": ("Hãy chọn lý do phiếu không hợp lệ.", "Choose why the ballot is invalid."),
    "web_err_other_text": ("Lý do khác: hãy ghi lý do.", "Other reason: write the reason."),
    "web_err_action": ("Chưa chọn quyết định.", "No decision chosen."),
    "web_err_reviewer_name": ("Hãy nhập tên và vai trò.", "Give a name and a role."),
    "web_note_saved": ("Đã lưu quyết định.", "Decision saved."),
    "web_note_proposed": ("Đã ghi. Phiếu cần thêm một người nữa quyết định giống bạn.",
                          "Recorded. The ballot needs a second reviewer who decides the same."),
    "web_note_agreed": ("Hai người quyết định giống nhau: quyết định đã có hiệu lực.",
                        "Two reviewers agree: the decision is in force."),
    "web_note_disagreed": ("Hai người quyết định khác nhau: phiếu trở lại hàng chờ.",
                           "The two reviewers disagree: the ballot goes back to the queue."),
    "web_back": ("Về danh sách phiếu cần xem xét", "Back to the ballots to review"),
    "web_back_ballot": ("Mở lại phiếu", "Open the ballot again"),
    "web_queue_title": ("Phiếu cần xem xét", "Ballots to review"),
    "web_queue_left": ("Còn {n} phiếu cần xem xét.", "{n} ballots left to review."),
    "web_queue_empty": ("Đã xem xét hết, không còn phiếu nào chờ.", "All done: no ballot is waiting."),
    "web_queue_all_held": ("Các phiếu còn lại đang có người khác xem. Hãy chờ một lát rồi tải lại trang.",
                           "The remaining ballots are being reviewed by others. Wait a moment and reload the page."),
    "web_queue_to_results": ("Xem kết quả", "See the results"),
    "web_queue_to_minutes": ("Biên bản kiểm phiếu (PDF)", "Minutes of the count (PDF)"),
    "web_queue_start": ("Bắt đầu xem xét", "Start reviewing"),
    "web_queue_counts": ("Tất cả các trang: {valid} hợp lệ, {invalid} không hợp lệ, {review} cần xem xét, {rejected} "
                         "không phải phiếu bầu.",
                         "All pages: {valid} valid, {invalid} invalid, {review} for review, {rejected} not ballots."),
    "web_by_reason": ("Số phiếu theo lý do", "Ballots by reason"),
    "web_by_reason_line": ("{reason}: {n} phiếu", "{reason}: {n} ballots"),
    "web_group_double_feed": ("có thể là tờ đã quét (gần giống hệt một phiếu khác)",
                              "possibly a sheet fed twice (nearly identical to another ballot)"),
    "web_reason_read_error": ("máy không đọc được trang này; hãy xem ảnh rồi quyết định",
                              "the machine could not read this page; look at the picture and decide"),
    "web_col_ballot": ("Phiếu", "Ballot"),
    "web_col_file": ("Tệp", "File"),
    "web_col_reasons": ("Lý do", "Reasons"),
    "web_col_state": ("Người xem", "Reviewer"),
    "web_free": ("chưa ai xem", "nobody yet"),
    "web_held_by": ("{reviewer} đang xem (giữ đến {until})", "{reviewer} is on it (held until {until})"),
    "web_held_by_you": ("bạn đang xem (giữ đến {until})", "you are on it (held until {until})"),
    "web_proposed_by": ("{names} đã quyết định, chờ người thứ hai", "decided by {names}, awaiting a second reviewer"),
    "web_ballot_title": ("Phiếu số {id}", "Ballot {id}"),
    "web_position": ("phiếu thứ {i} trong {n} phiếu cần xem xét", "{i} of {n} ballots to review"),
    "web_source": ("{file}, trang {page}", "{file}, page {page}"),
    "web_scan_label": ("Ảnh phiếu", "The ballot's picture"),
    "web_scan_alt": ("Ảnh quét của phiếu số {id}, với kết quả máy đọc vẽ lên trên",
                     "The scan of ballot {id}, with what the machine read drawn over it"),
    "web_reasons": ("Vì sao phiếu cần xem xét", "Why this ballot needs review"),
    "web_machine_read": ("Máy đọc: {state}", "Machine read: {state}"),
    "web_reader_b_read": ("Cách đọc thứ hai: {state}", "Reader B read: {state}"),
    "web_decision": ("Quyết định của bạn", "Your decision"),
    "web_decide_by_names": ("Phiếu hợp lệ: chọn cho từng tên", "A valid ballot: choose for every name"),
    "web_names_hint_strike": ("Tên để lại là bầu, tên bị gạch là không bầu. Dòng có viền cam là chỗ máy chưa chắc.",
                              "A name left standing is a vote; a struck name is not. Rows with an orange edge are "
                              "where the machine is unsure."),
    "web_names_hint_mark": ("Tên có đánh dấu là bầu. Dòng có viền cam là chỗ máy chưa chắc.",
                            "A marked name is a vote. Rows with an orange edge are where the machine is unsure."),
    "web_names_hint_approve": ("Mỗi dòng: Đồng ý, Không đồng ý, hoặc Không tính khi đánh dấu cả hai ô hay không ô "
                               "nào. Dòng có viền cam là chỗ máy chưa chắc.",
                               "Each row: For, Against, or Void when both cells or neither are marked. Rows with an "
                               "orange edge are where the machine is unsure."),
    "web_name_standing": ("Bầu", "Vote"),
    "web_name_struck": ("Gạch", "Struck"),
    "web_name_marked": ("Có đánh dấu", "Marked"),
    "web_name_empty": ("Không đánh dấu", "Not marked"),
    "web_name_agree": ("Đồng ý", "For"),
    "web_name_disagree": ("Không đồng ý", "Against"),
    "web_name_void": ("Không tính", "Void"),
    "web_state_standing": ("tên để lại (bầu)", "left standing (a vote)"),
    "web_state_struck": ("tên bị gạch", "struck"),
    "web_state_unclear": ("không rõ", "unclear"),
    "web_state_empty": ("không đánh dấu", "not marked"),
    "web_state_marked": ("có đánh dấu (bầu)", "marked (a vote)"),
    "web_state_agree": ("đồng ý", "for"),
    "web_state_disagree": ("không đồng ý", "against"),
    "web_state_void": ("không tính", "void"),
    "web_decide_names": ("Lưu quyết định", "Save the decision"),
    "web_decide_invalid_legend": ("Hoặc: phiếu không hợp lệ, vì", "Or: the ballot is invalid, because"),
    "web_decide_invalid": ("Lưu: phiếu không hợp lệ", "Save: invalid ballot"),
    "web_decide_reject_legend": ("Hoặc: không phải phiếu bầu của cuộc bầu cử này",
                                 "Or: not a ballot of this election"),
    "web_decide_reject": ("Lưu: không phải phiếu bầu", "Save: not a ballot"),
    "web_invalid_overvote": ("để lại nhiều tên hơn số người cần bầu", "more names left than seats"),
    "web_invalid_overvote_mark": ("đánh dấu nhiều tên hơn số người cần bầu", "more names marked than seats"),
    "web_invalid_no_votes": ("gạch hết tên", "every name struck"),
    "web_invalid_no_votes_mark": ("không đánh dấu tên nào", "no name marked"),
    "web_invalid_write_in": ("ghi thêm tên người ngoài danh sách", "a name written in"),
    "web_invalid_extra_writing": ("viết thêm chữ hoặc ký hiệu lên phiếu", "other writing added on the ballot"),
    "web_invalid_no_seal": ("không có dấu của ban kiểm phiếu", "no seal of the committee"),
    "web_invalid_other": ("lý do khác (ghi rõ bên dưới)", "another reason (write it below)"),
    "web_other_text": ("Lý do khác", "Other reason"),
    "web_reject_text": ("Vì sao (không bắt buộc)", "Why (optional)"),
    "web_skip": ("Bỏ qua, sang phiếu sau", "Skip to the next ballot"),
    "web_help_button": ("Phím tắt", "Keys"),
    "web_help_close": ("Đóng", "Close"),
    "web_held_for_you": ("Phiếu này được giữ cho bạn đến {until} ({minutes} phút, tính lại mỗi lần mở); trong thời "
                         "gian đó người khác chỉ xem được.",
                         "This ballot is held for you until {until} ({minutes} minutes from each opening); meanwhile "
                         "others can only look."),
    "web_held_by_other": ("{reviewer} đang xem xét phiếu này (giữ đến {until}). Bạn chỉ xem được; hãy chọn phiếu khác.",
                          "{reviewer} is reviewing this ballot (held until {until}). You can only look; take another "
                          "one."),
    "web_not_in_review": ("Phiếu này đã có quyết định: {status}.", "This ballot is decided: {status}."),
    "web_two_person_mine": ("Bạn đã quyết định phiếu này; đang chờ người thứ hai.",
                            "You have decided this ballot; it awaits a second reviewer."),
    "web_two_person_other": ("Một người đã quyết định phiếu này; quyết định của bạn phải giống thì mới có hiệu lực.",
                             "One reviewer has decided this ballot; yours must agree for it to take effect."),
    "web_history": ("Các quyết định về phiếu này", "Decisions on this ballot"),
    "web_history_line": ("{at}: {reviewer} quyết định {status}", "{at}: {reviewer} decided {status}"),
    "web_reopen": ("Mở lại để xem xét", "Reopen for review"),
    "web_reopen_reason": ("Lý do mở lại", "Why reopen"),
    "web_zoom_in": ("Phóng to", "Zoom in"),
    "web_zoom_out": ("Thu nhỏ", "Zoom out"),
    "web_zoom_fit": ("Cả trang", "Whole page"),
    "web_zoom_flag": ("Chỗ cần xem", "Where to look"),
    "web_keys_title": ("Phím tắt", "Keyboard shortcuts"),
    "web_key_rows": ("chọn tên theo số thứ tự và đổi lựa chọn của tên đó (tên số 10 trở lên: gõ hai chữ số liền nhau)",
                     "pick a name by its number and change its choice (names 10 and above: type both digits)"),
    "web_key_updown": ("sang tên trên, tên dưới", "move to the name above or below"),
    "web_key_choice": ("đổi lựa chọn của tên đang chọn", "change the choice of the current name"),
    "web_key_enter": ("lưu quyết định", "save the decision"),
    "web_key_invalid": ("phiếu không hợp lệ: {reason}", "invalid ballot: {reason}"),
    "web_key_reject": ("không phải phiếu bầu", "not a ballot"),
    "web_key_names": ("trở lại quyết định theo từng tên", "back to deciding name by name"),
    "web_key_skip": ("bỏ qua, sang phiếu sau", "skip to the next ballot"),
    "web_key_zoom": ("phóng to, thu nhỏ, xem cả trang", "zoom in, zoom out, whole page"),
    "web_key_flag": ("phóng to vào chỗ cần xem", "zoom onto where to look"),
    "web_key_help": ("mở hoặc đóng bảng này", "open or close this list"),
    "web_key_escape": ("đóng bảng này, rời ô chữ đang gõ", "close this list, leave a text box"),
    "web_time": ("{H} giờ {M}, {d}/{m}/{Y}", "{H}:{M}, {d}/{m}/{Y}"),
    "web_clock": ("{H} giờ {M}", "{H}:{M}"),
    "web_percent": ("{x} %", "{x}%"),
    "web_results_title": ("Kết quả kiểm phiếu", "Result of the count"),
    "web_results_final": ("Kết quả cuối cùng: không còn phiếu chờ xem xét.", "Final: no ballot awaits review."),
    "web_results_provisional": ("TẠM THỜI: còn {n} phiếu chờ xem xét.", "PROVISIONAL: {n} ballots await review."),
    "web_base": ("Tỷ lệ tính trên {base_name}: {base}. Trúng cử cần từ {need} phiếu trở lên (quá một nửa).",
                 "Percentages of the {base_name}: {base}. Elected needs {need} votes or more (more than half)."),
    "web_chart_caption": ("Số phiếu của từng ứng cử viên; vạch đỏ: một nửa ({half}), phải vượt quá mới trúng cử.",
                          "Votes per candidate; red line: half ({half}), which must be passed to be elected."),
    "web_col_no": ("STT", "No."),
    "web_col_name": ("Họ và tên", "Name"),
    "web_col_votes": ("Số phiếu", "Votes"),
    "web_col_against": ("Không đồng ý", "Against"),
    "web_col_percent": ("Tỷ lệ", "Percent"),
    "web_col_elected": ("Trúng cử", "Elected"),
    "web_elected_yes": ("Trúng cử", "Elected"),
    "web_minutes_pdf": ("Biên bản kiểm phiếu (PDF)", "Minutes of the count (PDF)"),
    "web_minutes_file": ("bien-ban-kiem-phieu.pdf", "minutes-of-the-count.pdf"),
    "web_decided_title": ("Phiếu do người xem xét quyết định", "Ballots decided by a reviewer"),
    "web_display_open": ("Màn hình trình chiếu", "Hall display"),
    "web_display_title": ("Kết quả kiểm phiếu", "Result of the count"),
    "web_display_on": ("Màn hình trình chiếu đang mở cho mọi người xem, không cần đăng nhập (chỉ có số tổng).",
                       "The hall display is open to everyone without signing in (totals only)."),
    "web_display_off": ("Màn hình trình chiếu chỉ dành cho người đã đăng nhập.",
                        "The hall display is for signed-in users only."),
    "web_display_turn_on": ("Mở cho mọi người xem", "Show it to everyone"),
    "web_display_turn_off": ("Thôi mở cho mọi người", "Stop showing it to everyone"),
    "web_display_provisional": ("TẠM THỜI: còn {n} phiếu chờ xem xét", "PROVISIONAL: {n} ballots await review"),
    "web_display_final": ("Kết quả cuối cùng", "Final result"),
    "web_display_ballots": ("{valid} phiếu hợp lệ, {invalid} phiếu không hợp lệ",
                            "{valid} valid ballots, {invalid} invalid ballots"),
    "web_display_elected": ("Trúng cử: {names}", "Elected: {names}"),
    "web_display_updated": ("Cập nhật lúc {at}", "Updated at {at}"),
    "web_reviewers_title": ("Người xem xét", "Reviewers"),
    "web_reviewer_line": ("{name}: {role}, thêm lúc {at}", "{name}: {role}, added at {at}"),
    "web_reviewer_add": ("Thêm người xem xét", "Add a reviewer"),
    "web_reset": ("Cấp mật khẩu mới nếu đã có người tên này", "New password if the name exists"),
    "web_password_once": ("Mật khẩu dùng một lần của {name} (chỉ hiện lần này, hãy trao tận tay; lần đăng nhập đầu "
                          "tiên sẽ đặt mật khẩu riêng): {password}",
                          "One-time password for {name} (shown only now, hand it over in person; the first sign-in "
                          "sets their own): {password}"),
    "web_nav_password": ("Đổi mật khẩu", "Change password"),
    "web_password_title_first": ("Đặt mật khẩu của bạn", "Set your password"),
    "web_password_first_note": ("Mật khẩu được trao cho bạn chỉ dùng được một lần. Hãy đặt mật khẩu riêng (ít nhất {n} "
                                "ký tự) trước khi xem xét phiếu.",
                                "The password you were given works only once. Set your own (at least {n} characters) "
                                "before reviewing ballots."),
    "web_password_title": ("Đổi mật khẩu", "Change your password"),
    "web_password_note": ("Mật khẩu mới cần ít nhất {n} ký tự. Các phiên đăng nhập khác của bạn sẽ kết thúc.",
                          "The new password needs at least {n} characters. Your other sessions will end."),
    "web_password_new": ("Mật khẩu mới", "New password"),
    "web_password_again": ("Nhập lại mật khẩu mới", "New password again"),
    "web_password_submit": ("Lưu mật khẩu", "Save the password"),
    "web_err_password_short": ("Mật khẩu mới phải có ít nhất {n} ký tự.", "The new password needs at least {n} characters."),
    "web_err_password_differ": ("Hai lần nhập mật khẩu mới không giống nhau.", "The two new passwords differ."),
    "web_err_password_same": ("Mật khẩu mới phải khác mật khẩu cũ.", "The new password must differ from the old one."),
    "web_err_set_password": ("Hãy đặt mật khẩu riêng trước.", "Set your own password first."),
    "web_col_role": ("Vai trò", "Role"),
    "web_audit_title": ("Nhật ký quyết định", "Audit log"),
    "web_audit_ok": ("Nhật ký nguyên vẹn: {n} mục, không mục nào bị sửa, xoá hay chèn thêm.",
                     "The audit log is intact: {n} entries, none edited, deleted or inserted."),
    "web_audit_head": ("Mã cuối của nhật ký (ghi vào biên bản):", "Last hash of the log (write it into the minutes):"),
    "web_audit_when": ("Mục {seq}, {at}:", "Entry {seq}, {at}:"),
    "web_audit_see": ("xem phiếu {id}", "see ballot {id}"),
    "web_audit_decide": ("{actor} quyết định phiếu {id}: {before} → {after}.",
                         "{actor} decided ballot {id}: {before} → {after}."),
    "web_audit_change": ("{actor} đổi phiếu {id}: {before} → {after}.", "{actor} changed ballot {id}: {before} → {after}."),
    "web_audit_propose": ("{actor} đề xuất cho phiếu {id}: {after}; chờ người thứ hai.",
                          "{actor} proposed for ballot {id}: {after}; awaiting a second reviewer."),
    "web_audit_disagree": ("{actor} quyết định phiếu {id} khác với {other} ({after}, còn {other}: {before}); phiếu trở "
                           "lại hàng chờ.",
                           "{actor} decided ballot {id} differently from {other} ({after}; {other}: {before}); the "
                           "ballot goes back to the queue."),
    "web_audit_reopen": ("{actor} mở lại phiếu {id} để xem xét (trước đó: {before}){reason}.",
                         "{actor} reopened ballot {id} for review (before: {before}){reason}."),
    "web_audit_because": ("; lý do: {reason}", "; reason: {reason}"),
    "web_audit_reviewer_add": ("{actor} thêm {name} làm {role}.", "{actor} added {name} as {role}."),
    "web_audit_password": ("{actor} cấp mật khẩu mới cho {name} ({role}).", "{actor} gave {name} ({role}) a new password."),
    "web_actor_cli": ("Người quản trị máy chủ (dòng lệnh)", "The server's administrator (command line)"),
    "web_and": (" và ", " and "),
    "web_votes_for_other": ("bầu: {names}", "votes: {names}"),
    "web_votes_for_approve": ("đồng ý: {names}", "for: {names}"),
    "web_votes_against": ("không đồng ý: {names}", "against: {names}"),
    # --- pictures (review/overlay.py) ------------------------------------------------------------------
    "pic_legend": ("Chú giải", "Legend"),
    "pic_slot": ("{n}. {name} (OCR khớp {score}/100)", "{n}. {name} (OCR match {score}/100)"),
    "pic_legend_name": ("tên in trên phiếu, tìm thấy bằng OCR", "a printed name, found by OCR"),
    "pic_legend_row": ("phần phiếu thuộc về tên đó", "the part of the ballot that belongs to the name"),
    "pic_legend_core": ("thân chữ: nét gạch phải đi qua đây", "the letters' body: a strike must cross it"),
    "pic_legend_boxes": ("ô đánh dấu của tên", "the name's mark boxes"),
    "pic_legend_seal": ("chỗ đóng dấu", "where the seal is"),
    "pic_reader_a": ("cách đọc thứ nhất (A)", "reader A"),
    "pic_reader_b": ("cách đọc thứ hai (B)", "reader B"),
    "pic_b_unsure": ("không rõ", "cannot tell"),
    "pic_writing": ("viết thêm", "writing added"),
    # --- reasons in words (texts.reason) --------------------------------------------------------------
    "why_partial_strike": ("nét gạch chỉ qua một phần tên", "a stroke through only part of the name"),
    "why_two_rows": ("nét gạch chéo qua hai dòng", "a stroke across two rows"),
    "why_faint": ("nét quá mờ", "a faint mark"),
    "why_underline": ("nét gạch dưới tên", "a line under the name"),
    "why_above_name": ("nét phía trên tên", "a stroke above the name"),
    "why_mark_beside": ("nét bên cạnh tên", "a mark beside the name"),
    "why_mark_outside_box": ("dấu nằm ngoài ô", "a mark outside the box"),
    "why_ink_on_name": ("có nét mực trên tên", "ink on the name"),
    "why_seal_over_name": ("dấu đóng đè lên tên", "the seal is stamped over the name"),
    "why_straddle": ("một dấu nằm trên cả hai ô", "one mark across both cells"),
    "why_both": ("đánh dấu cả hai ô", "both cells marked"),
    "why_neither": ("không ô nào được đánh dấu", "neither cell marked"),
    "not_ballot_bad_pose": ("trang không khớp với phiếu trắng (méo hoặc sai cỡ)",
                            "the page does not fit the blank (distorted or of another size)"),
    "not_ballot_no_match": ("trang không khớp với phiếu trắng", "the page does not match the blank"),
    "not_ballot_no_features": ("trang trống hoặc không có nét in", "an empty page or one without print"),
    "not_ballot_print_mismatch": ("chữ in khác với phiếu trắng (phiếu khác hoặc tờ giấy trắng)",
                                  "the print differs from the blank (another ballot or a blank sheet)"),
    "reason_print_mismatch": ("một phần chữ in không thấy trên trang", "part of the print is missing from the page"),
    "reason_obstruction": ("có vật nằm trên phiếu (giấy ghi chú, mẩu giấy) che một phần phiếu",
                           "something lies on the ballot (a note, a slip of paper) and hides part of it"),
    "not_ballot_no_sheet": ("không thấy tờ phiếu nào trong ảnh", "no sheet of paper is seen in the photo"),
    "reason_photo_blurred": ("ảnh mờ, không đọc chắc được nét của cử tri: chụp lại rõ hơn",
                             "the photo is blurred, the voter's marks cannot be read surely: take it again"),
    "reason_photo_unmatched": ("ảnh có một tờ giấy có chữ in nhưng máy không khớp được với phiếu trắng (chụp quá "
                               "nghiêng, giấy cong, hoặc phiếu khác): hãy xem tờ phiếu hoặc chụp lại thẳng từ trên xuống",
                               "the photo shows a printed sheet the machine could not match to the blank (taken at too "
                               "steep an angle, curled paper, or another ballot): look at the paper or take it again "
                               "from straight above"),
    "reason_photo_too_small": ("ảnh chụp quá xa, chữ quá nhỏ để đọc chắc: chụp lại gần hơn, cho tờ phiếu chiếm gần hết ảnh",
                               "the photo was taken from too far, the print is too small to read surely: take it "
                               "again closer, the ballot filling most of the photo"),
    "reason_photo_cut_off": ("một phần tờ phiếu nằm ngoài ảnh: chụp lại cả tờ",
                             "part of the ballot lies outside the photo: take it again, the whole sheet"),
    "reason_photo_glare": ("ánh sáng lóa che mất chữ in trên tên: chụp lại, tránh đèn chiếu thẳng và đèn flash",
                           "glare washes out the print of a name: take it again, without direct light or flash"),
    "reason_light_scan": ("bản quét đen trắng có thể đã làm mất nét mờ của cử tri (nét in bị mất bớt, hoặc không "
                          "thấy nét nào của cử tri trên phiếu): hãy xem tờ phiếu giấy",
                          "the black-and-white scan may have lost a voter's faint mark (the print is thinned, or no "
                          "mark of the voter is seen on the ballot): look at the paper ballot"),
    "reason_two_ballots": ("có hai phiếu trên một trang quét: hãy quét riêng từng phiếu",
                           "two ballots on one scanned page: scan each on its own"),
    "reason_read_error": ("máy không đọc được trang ({why})", "the machine could not read the page ({why})"),
    "reason_stray_mark": ("có vết lạ trên phiếu", "a stray mark on the ballot"),
    "reason_faint_writing": ("có nét viết mờ trên phiếu (có thể là chữ viết thêm)",
                             "faint writing on the ballot (it may be writing added)"),
    "reason_seal_unclear": ("dấu không rõ", "seal unclear"),
    "reason_reopened": ("được mở lại", "reopened"),
    "reason_other": ("lý do khác", "other reason"),
    "reason_readers_disagree": ("hai cách đọc không khớp", "the two readers disagree"),
    "readers_disagree_writing": ("có viết thêm trên phiếu hay không", "whether writing was added"),
    # --- command-line help (kiemphieu --help; one language at a time) --------------------------------------
    "help.main": ("kiemphieu — kiểm phiếu bầu từ ảnh quét.\n\n"
                  "Mỗi cuộc kiểm phiếu nằm trong một tệp (COUNT). Các bước:\n\n\b\n"
                  "  kiemphieu new COUNT --election bau-cu.toml --template phieu-trang.png\n"
                  "  kiemphieu scan COUNT thu-muc-anh/\n"
                  "  kiemphieu tally COUNT\n"
                  "  kiemphieu resolve COUNT 17 --reviewer \"Nguyễn Văn An\" --votes 1,3,7\n"
                  "  kiemphieu minutes COUNT -o bien-ban.pdf\n\n"
                  "Xem hướng dẫn từng lệnh: kiemphieu LỆNH --help. Tiếng Anh: kiemphieu --lang en --help.",
                  "kiemphieu — count paper ballots from scans.\n\n"
                  "A count lives in one file (COUNT). The job, in order:\n\n\b\n"
                  "  kiemphieu new COUNT --election bau-cu.toml --template phieu-trang.png\n"
                  "  kiemphieu scan COUNT scans/\n"
                  "  kiemphieu tally COUNT\n"
                  "  kiemphieu resolve COUNT 17 --reviewer \"Nguyễn Văn An\" --votes 1,3,7\n"
                  "  kiemphieu minutes COUNT -o bien-ban.pdf\n\n"
                  "Help on one command: kiemphieu COMMAND --help. Vietnamese: kiemphieu --lang vi --help."),
    "help.usage_options": ("[TÙY CHỌN]", "[OPTIONS]"),
    "help.usage_command": ("LỆNH [ĐỐI SỐ]...", "COMMAND [ARGS]..."),
    "help.lang": ("Ngôn ngữ của mọi thông báo và hướng dẫn: vi (mặc định) hoặc en.",
                  "Language of every message and of this help: vi (the default) or en."),
    "help.verbose": ("Ghi ra lý do máy đọc từng trang như vậy (-v: kết quả; -vv: bằng chứng từng tên).",
                     "Log why each page was read as it was (-v: the verdict; -vv: every name's evidence)."),
    "help.version": ("In phiên bản rồi thoát.", "Show the version and exit."),
    "help.new": ("Tạo cuộc kiểm phiếu mới từ tệp bầu cử và một phiếu trắng đã quét.\n\n"
                 "Phiếu trắng được đọc bằng OCR: mọi ứng cử viên được tìm trên phiếu, và ảnh bố cục tìm được "
                 "được ghi cạnh COUNT (COUNT.layout.png) để người kiểm tra.",
                 "Start a new count from the election file and a scanned blank ballot.\n\n"
                 "The blank is read by OCR: every candidate is found on it, and a picture of the layout found is "
                 "written beside COUNT (COUNT.layout.png) for a person to check."),
    "help.new.election": ("Tệp bầu cử (TOML): title, seats, ballot, electorate, candidates.",
                          "The election file (TOML): title, seats, ballot, electorate, candidates."),
    "help.new.template": ("Phiếu trắng đã quét (ảnh, hoặc PDF như tệp in).",
                          "The scanned blank ballot (an image, or a PDF as printed)."),
    "help.new.page": ("Trang của PDF phiếu trắng.", "The page of a PDF blank."),
    "help.scan": ("Đọc các trang quét: tệp hoặc thư mục ảnh (JPG, PNG, TIFF, WebP, HEIC…) và PDF.\n\n"
                  "Trang đã có trong cuộc kiểm phiếu được bỏ qua: chạy lại scan trên cùng thư mục không đếm hai "
                  "lần và tiếp tục một lần quét bị ngắt. Tệp hỏng được nêu tên và bỏ qua; mã thoát là 1 khi có tệp "
                  "lỗi.",
                  "Read scanned pages: files or folders of images (JPG, PNG, TIFF, WebP, HEIC…) and PDFs.\n\n"
                  "Pages already in the count are skipped, so running scan again on the same folder counts nothing "
                  "twice and resumes an interrupted batch. A damaged file is named and skipped; the exit code is 1 "
                  "when some files failed."),
    "help.jobs": ("Số tiến trình đọc song song (mặc định: mọi lõi).", "Worker processes (default: every core)."),
    "help.quiet": ("Không hiện thanh tiến trình.", "No progress bar."),
    "help.scan.cluster": ("Đọc trang trên cụm Dask có bộ điều phối ở địa chỉ này (khi đó bỏ qua --jobs).",
                          "Read pages on the Dask cluster with this scheduler (--jobs is then ignored)."),
    "help.export": ("Xuất từng trang: kết quả, lý do và cách đọc từng tên.",
                    "One record per page: its status, reasons and the reading of every name."),
    "help.format": ("Định dạng ra.", "Output format."),
    "help.export.status": ("Chỉ các trang có trạng thái này.", "Only pages with this status."),
    "help.resolve": ("Ghi quyết định của một người về một phiếu (ở bất kỳ trạng thái nào).\n\n"
                     "Các tên được chọn được xét theo đúng quy tắc áp cho cách máy đọc: nhiều tên hơn số cần bầu, "
                     "hoặc không tên nào, làm phiếu gạch tên hay phiếu đánh dấu không hợp lệ.",
                     "Record a person's decision on one ballot (any status).\n\n"
                     "The names chosen are judged by the same rules as the machine's reading: more names than "
                     "seats, or none, make a strike or mark ballot invalid."),
    "help.resolve.reviewer": ("Người quyết định (được ghi lại).", "Who decides (recorded)."),
    "help.resolve.votes": ("Các tên được bầu (phiếu đồng ý: tên \"Đồng ý\"): tên cách nhau bởi \";\", hoặc số thứ "
                           "tự trên phiếu, ví dụ 1,3,7.",
                           "Names voted for (yes/no ballots: names for): names separated by \";\", or their "
                           "numbers on the ballot, e.g. 1,3,7."),
    "help.resolve.against": ("Phiếu đồng ý / không đồng ý: các tên \"Không đồng ý\" (tên hoặc số thứ tự).",
                             "Yes/no ballots: the names against (names or numbers)."),
    "help.resolve.invalid": ("Phiếu không hợp lệ, với lý do: overvote, no_votes, write_in, extra_writing, no_seal, "
                             "hoặc lời của người quyết định.",
                             "Invalid, with the reason: overvote, no_votes, write_in, extra_writing, no_seal, or "
                             "your own words."),
    "help.resolve.reject": ("Không phải phiếu bầu của cuộc bầu cử này, với lý do.",
                            "Not a ballot of this election, with the reason."),
    "help.tally": ("Kết quả: số phiếu từng người, tỷ lệ, người trúng cử, hòa phiếu, tỷ lệ đi bầu, đối chiếu.",
                   "The result: votes per candidate, percentages, the elected, ties, turnout, reconciliation."),
    "help.set": ("Nhập số liệu của Ban kiểm phiếu và các mục của biên bản: KHOÁ=GIÁ TRỊ …\n\n\b\n"
                 "Số: issued (phát ra), returned (thu vào), present (có mặt / đã bỏ phiếu), excluded.\n"
                 "committee: \"Tên (vai trò); Tên; …\" — Trưởng ban, Phó Trưởng ban, Thư ký, Ủy viên\n"
                 "  (bầu cử nhà nước: Tổ trưởng, Thư ký, Ủy viên); người đầu tiên không ghi vai trò là trưởng ban.\n"
                 "Đầu biên bản: header (\"ĐẢNG BỘ TỈNH …; ĐẠI HỘI ĐẢNG BỘ HUYỆN …\"), number (Số …-BB/BKP), place.\n"
                 "Bầu cử nhà nước: area, unit, witnesses (\"Tên; Tên\"), complaints_received,\n"
                 "  complaints_resolved, complaints_forwarded.\n"
                 "Ví dụ: kiemphieu set dam-ha.kp issued=250 returned=248 committee=\"Trần Văn Kiểm (Trưởng ban)\"\n"
                 "Giá trị để trống (returned=) xoá điều đã nhập. Kết quả đối chiếu các số này với số trang đã quét.",
                 "Enter the committee's numbers and the minutes' fields: KEY=VALUE …\n\n\b\n"
                 "Numbers: issued, returned, present (delegates present / voters who voted), excluded.\n"
                 "committee: \"Name (role); Name; …\" — Trưởng ban, Phó Trưởng ban, Thư ký, Ủy viên\n"
                 "  (state: Tổ trưởng, Thư ký, Ủy viên); unless one is named chair, the first without a role is.\n"
                 "The minutes' header: header (\"ĐẢNG BỘ TỈNH …; ĐẠI HỘI ĐẢNG BỘ HUYỆN …\"), number, place.\n"
                 "State elections: area, unit, witnesses (\"Name; Name\"), complaints_received,\n"
                 "  complaints_resolved, complaints_forwarded.\n"
                 "Example: kiemphieu set dam-ha.kp issued=250 returned=248 committee=\"Trần Văn Kiểm (Trưởng ban)\"\n"
                 "An empty value (returned=) removes what was entered. The tally compares the numbers with the pages "
                 "scanned."),
    "help.round": ("Lần bầu tiếp theo: ghi tệp bầu cử với những người được bầu tiếp theo quy tắc.",
                   "A further round: write the election file with the candidates the rules allow."),
    "help.round.next": ("Cuộc kiểm phiếu của lần bầu tiếp theo.", "The count of the next round."),
    "help.round.election": ("Tệp bầu cử ghi ra (mặc định: NEXT_COUNT đổi đuôi thành .toml).",
                            "The election file to write (default: NEXT_COUNT with .toml)."),
    "help.minutes": ("Biên bản kiểm phiếu, PDF hoặc HTML, để in và ký.\n\n"
                     "Mẫu của Ban kiểm phiếu (Đảng), hoặc với rules = \"state\" mẫu của Tổ bầu cử. Khi còn phiếu "
                     "chờ xem xét, mọi trang ghi TẠM THỜI kèm số phiếu đó. Mã cuối của nhật ký được in.",
                     "The minutes of the count, as PDF or HTML, ready to print and sign.\n\n"
                     "The Party form, or with rules = \"state\" the Tổ bầu cử's form. While ballots are still in "
                     "review every page is marked PROVISIONAL (TẠM THỜI) with their number. The audit log's last "
                     "hash is printed."),
    "help.minutes.output": ("Tệp biên bản: .pdf hoặc .html.", "The minutes file: .pdf or .html."),
    "help.inspect": ("Ảnh một phiếu với cách máy đọc từng tên và bằng chứng vẽ lên trên.",
                     "A picture of a ballot with each name's reading and evidence drawn over it."),
    "help.inspect.output": ("Ảnh PNG ghi ra (mặc định: COUNT.ballot-ID.png).",
                            "The PNG to write (default: COUNT.ballot-ID.png)."),
    "help.verify": ("Kiểm tra lại từ ảnh quét: băm lại tệp của mọi trang và đọc lại.\n\n"
                    "Tệp của mỗi trang (như đã đưa cho scan, tìm từ thư mục scan đã chạy, dù lệnh này chạy ở đâu) "
                    "được băm lại — tệp thiếu hoặc bị sửa được nêu — và đọc lại: kết quả của máy phải đúng như "
                    "đã lưu. Mã thoát là 1 khi có khác biệt.",
                    "Recount from the images: check every page's file and read it again.\n\n"
                    "Every counted page's file (as given to scan, found from the folder scan ran in, whatever folder "
                    "this runs in) is hashed again — missing and altered files are reported — and read again: the "
                    "machine's status and votes must be those stored. The exit code is 1 on any difference."),
    "help.serve": ("Xem xét phiếu trên trình duyệt (cần đăng nhập).",
                   "Review flagged ballots in the browser (sign-in required)."),
    "help.serve.host": ("Địa chỉ nghe (0.0.0.0: cả mạng nội bộ; khi đó dùng --https).",
                        "The address to listen on (0.0.0.0: the whole local network; use --https then)."),
    "help.serve.port": ("Cổng nghe.", "The port to listen on."),
    "help.serve.two_person": ("Mỗi phiếu cần hai người xem xét đồng ý.", "Every ballot needs two reviewers who agree."),
    "help.serve.hold_minutes": ("Phiếu đang mở được giữ cho người xem chừng này phút.",
                                "A ballot opened is held this many minutes for its reviewer."),
    "help.serve.session_hours": ("Phiên đăng nhập hết hạn sau chừng này giờ không dùng.",
                                 "Sessions expire after this many hours without use."),
    "help.serve.display": ("Mở màn hình trình chiếu /display cho mọi người, không cần đăng nhập (chỉ có số tổng).",
                           "Show the hall display /display to everyone without signing in (totals only)."),
    "help.serve.https": ("HTTPS với chứng chỉ tự ký, tạo lần đầu cạnh tệp kiểm phiếu.",
                         "HTTPS with a self-signed certificate, made on first use beside the count."),
    "help.serve.cert": ("Chứng chỉ HTTPS (PEM), cùng với --key.", "The HTTPS certificate (PEM), with --key."),
    "help.serve.key": ("Khoá riêng của chứng chỉ (PEM).", "The certificate's private key (PEM)."),
    "help.reviewer": ("Người xem xét được đăng nhập vào kiemphieu serve.",
                      "The reviewers who may sign in to kiemphieu serve."),
    "help.reviewer.add": ("Thêm người xem xét; in mật khẩu dùng một lần (lần đăng nhập đầu phải đặt mật khẩu mới).",
                          "Add a reviewer; prints a one-time password (the first sign-in sets a new one)."),
    "help.reviewer.admin": ("Quản trị: thêm người, mở lại quyết định.", "Admin: add reviewers, reopen decisions."),
    "help.reviewer.reset": ("Cấp mật khẩu mới cho người đã có.", "A new password for an existing reviewer."),
    "help.reviewer.list": ("Danh sách người xem xét.", "List the reviewers."),
    "help.audit": ("Nhật ký quyết định: chỉ ghi thêm, mỗi mục nối mã băm với mục trước.",
                   "The log of every decision: append-only, each entry chained to the one before by its hash."),
    "help.audit.verify": ("Kiểm tra chuỗi băm (và nhật ký trang); mã thoát 1 nếu có gì bị sửa.",
                          "Check the hash chains (decisions and pages); exit code 1 if anything was tampered with."),
    "help.readers": ("2: hai cách đọc độc lập phải khớp, không khớp thì cần xem xét; 1: chỉ cách đọc thứ nhất.",
                     "2: two independent readers must agree, else the ballot goes to review; 1: reader A alone."),
    "help.verify.readers": ("Như khi quét (scan --readers).", "As the pages were scanned (scan --readers)."),
    # --- generic ---------------------------------------------------------------------------------------
    "error_prefix": ("Lỗi: ", "Error: "),
}


# click's own messages (usage, missing arguments, --help…), in Vietnamese; English is click's own text.
CLICK_VI: dict[str, str] = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "In phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "Missing argument": "Thiếu đối số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing command.": "Thiếu lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "Try '{command} {option}' for help.": "Xem hướng dẫn: {command} {option}",
    "Error: {message}": "Lỗi: {message}",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "Got unexpected extra argument ({args})": "Thừa đối số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa các đối số ({args})",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là một số hợp lệ.",
    "{value!r} is not {choice}.": "{value!r} không phải là {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không phải là một trong: {choices}.",
    "{value} is not in the range {range}.": "{value} không nằm trong khoảng {range}.",
    "{name} {filename!r} does not exist.": "{filename!r} không tồn tại.",
    "{name} {filename!r} is a directory.": "{filename!r} là một thư mục.",
    "{name} {filename!r} is a file.": "{filename!r} là một tệp.",
    "{name} {filename!r} is not readable.": "Không đọc được {filename!r}.",
    "{name} {filename!r} is not writable.": "Không ghi được vào {filename!r}.",
    "Did you mean {possibility}?": "Có phải ý bạn là {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải ý bạn là một trong: {possibilities}?)",
    "default: {default}": "mặc định: {default}",
    "Aborted!": "Đã dừng!",
}


# tomllib's messages about a syntax error, in Vietnamese (the English ones are tomllib's own).
TOML_VI: dict[str, str] = {
    "Invalid value": "giá trị không hợp lệ (chuỗi phải nằm trong dấu ngoặc kép, số không có dấu ngoặc)",
    "Illegal character '\\n'": "chuỗi chưa đóng dấu ngoặc kép",
    "Expected '=' after a key in a key/value pair": "thiếu dấu '=' sau tên mục",
    "Cannot overwrite a value": "một mục được ghi hai lần",
    "Expected ']' at the end of a table declaration": "thiếu dấu ']' ở cuối tên bảng",
    "Unclosed array": "danh sách chưa đóng (thiếu ']' hoặc thiếu dấu phẩy giữa các phần tử)",
    "Unclosed inline table": "bảng trên một dòng chưa đóng (thiếu '}' hoặc thiếu dấu phẩy)",
    "Invalid statement": "dòng không hợp lệ",
}


def toml_error(message: str) -> str:
    """tomllib's description of a syntax error in the current language."""
    return TOML_VI.get(message, message) if lang() == "vi" else message


def click_text(message: str) -> str:
    """One of click's own messages in the current language."""
    return CLICK_VI.get(message, message) if lang() == "vi" else message


def lang() -> str:
    return "en" if os.environ.get("KIEMPHIEU_LANG", "vi").lower().startswith("en") else "vi"


def t(key: str, **kw) -> str:
    """The text for ``key`` in the current language, formatted with ``kw``."""
    vi, en = TEXTS[key]
    return (en if lang() == "en" else vi).format(**kw)


def _known(key: str, default: str) -> str:
    return t(key) if key in TEXTS else default


def reason(r) -> str:
    """A ``records.Reason`` in words, in the current language: "gạch không hết tên — Trần Văn An"."""
    code = str(r.code)
    if code == "unclear":
        words = _known("why_" + r.why, r.why) if r.why else t("reason_unclear")
    elif code == "not_ballot":
        words = t("reason_not_ballot") + (": " + _known("not_ballot_" + r.why, r.why) if r.why else "")
    elif code == "other":
        words = r.why or t("reason_other")
    elif code == "double_feed":
        words = t("reason_double_feed", ballot=r.ballot if r.ballot is not None else "?")
    elif code == "read_error":
        words = t("reason_read_error", why=r.why)
    elif code == "readers_disagree" and r.why == "writing":
        words = t("reason_readers_disagree") + ": " + t("readers_disagree_writing")
    else:
        words = _known("reason_" + code, code)
    return f"{words} — {'; '.join(r.names)}" if r.names else words
