"""Notes the core writes into reports (report.notes, a source's notes) in English, the JSON contract; renderers
show them in Korean through messages.localize_note, which matches a note against these English templates.

Every note the core writes must have its template here: tests/test_messages.py reads the core's source for
the notes it appends and fails on one without a template.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        # reader, parallel reader (the --max-bytes budget), JSONL input
        "note_budget": "stopped after {limit} bytes (the --max-bytes budget): the rest was not read; --max-bytes 0"
        " reads all",
        "note_gzip_cut": "gzip data is truncated or corrupt ({error}); read what was there",
        "note_utf16": "the log is UTF-16 text (a PowerShell redirect?); it was converted to UTF-8",
        "note_long_line": "line {no} is longer than {limit} bytes; the rest was cut",
        "note_flattened": "line {no} ({size} bytes) is a flattened paste: re-split into {records} records",
        "note_flattened_cut": "line {no} ({size} bytes) is a flattened paste: re-split into {records} records;"
        " {cut} record(s) longer than {limit} characters were cut",
        "note_jsonl_plain": "{count} line(s) were not JSON records and were read as plain text (the first is line"
        " {first})",
        "note_jsonl_missing": "{count} JSON record(s) had no '{key}' field and were skipped (the first is line {first},"
        " with fields: {fields}); choose the field with --message-key",
        # pipeline, api
        "note_empty": "{name} is empty: nothing to analyse (if the command prints its messages on stderr, pipe them"
        " with `2>&1 |`)",
        "note_version_disagreement": "version disagreement: {detail}",
        "note_too_many": "more exceptions or error codes than the report keeps; the first ones are listed",
        "note_text_is_file": "the text given is the name of an existing file; a str is analysed as text: pass"
        " pathlib.Path(...) to read the file",
        # run, follow
        "note_run_spooled": "the command printed {total} bytes; the diagnosis read the first {head} and the last"
        " {tail} ({dropped} in between were not kept)",
        "note_run_silent": "the command printed nothing",
        "note_run_held_open": "the command exited, but a process it started still held its output open; what that"
        " process printed afterwards is not in the diagnosis",
        "note_compile_log_unread": "compile log {path} not read: {why}",
        "note_followed_restart": "followed from its start after the file was {why}",
        # lint
        "note_lint_shape_inference": "shape inference failed ({error}); shape-dependent checks use declared shapes",
        "note_lint_cycle": "{count} node(s) form a cycle or read tensors nothing produces; they are listed last",
        "note_lint_subgraphs": "nodes with subgraphs (If, Loop, Scan) are checked as whole nodes; their bodies are not",
        "note_lint_broken_checks": "some checks could not read this graph and were skipped: {checks}",
        "note_lint_table": "operator table: {source}, scoped to SDK {sdk}; operators it lists without a version are"
        " taken as accelerated in every release, and later releases as accelerating the same set",
        "note_lint_new_sdk": "SDK {sdk} is newer than the releases this tool knows (latest {latest})",
        "note_lint_unchecked": "{count} node(s) counted on the NPU although a condition could not be checked (shape"
        " unknown or not NCHW rank 4): {nodes}",
        "note_lint_unchecked_more": "{count} node(s) counted on the NPU although a condition could not be checked"
        " (shape unknown or not NCHW rank 4): {nodes} and {more} more",
    },
    "ko": {
        "note_budget": "{limit}바이트에서 멈춤 (--max-bytes 한도): 나머지는 읽지 않음; --max-bytes 0 이면 전부 읽는다",
        "note_gzip_cut": "gzip 데이터가 잘렸거나 손상됨 ({error}); 읽을 수 있는 만큼 읽음",
        "note_utf16": "로그가 UTF-16 텍스트임 (PowerShell 리다이렉트?); UTF-8로 변환함",
        "note_long_line": "{no}번째 줄이 {limit}바이트보다 길어 나머지를 잘라냄",
        "note_flattened": "{no}번째 줄({size}바이트)은 한 줄로 붙여 넣은 로그: 레코드 {records}개로 다시 나눔",
        "note_flattened_cut": "{no}번째 줄({size}바이트)은 한 줄로 붙여 넣은 로그: 레코드 {records}개로 다시 나눔;"
        " {limit}자보다 긴 레코드 {cut}개는 잘라냄",
        "note_jsonl_plain": "JSON 레코드가 아닌 {count}줄은 일반 텍스트로 읽음 (첫 줄: {first})",
        "note_jsonl_missing": "'{key}' 필드가 없는 JSON 레코드 {count}개를 건너뜀 (첫 레코드: {first}번째 줄, 필드:"
        " {fields}); --message-key 로 필드를 지정한다",
        "note_empty": "{name} 이(가) 비어 있음: 분석할 것이 없음 (명령이 메시지를 stderr로 출력한다면 `2>&1 |` 로"
        " 파이프한다)",
        "note_version_disagreement": "버전 불일치: {detail}",
        "note_too_many": "보고서가 담는 것보다 예외나 에러 코드가 많음; 처음 것들만 나열함",
        "note_text_is_file": "주어진 텍스트는 존재하는 파일의 이름임; str 은 텍스트로 분석된다: 파일을 읽으려면"
        " pathlib.Path(...) 를 넘긴다",
        "note_run_spooled": "명령이 {total}바이트를 출력함; 진단은 처음 {head}바이트와 마지막 {tail}바이트를 읽음"
        " (그 사이 {dropped}바이트는 보관하지 않음)",
        "note_run_silent": "명령이 아무것도 출력하지 않음",
        "note_run_held_open": "명령은 끝났지만 그 명령이 시작한 프로세스가 출력을 계속 열어 두었음; 그 뒤에 그"
        " 프로세스가 출력한 내용은 진단에 없음",
        "note_compile_log_unread": "컴파일 로그 {path} 를 읽지 못함: {why}",
        "note_followed_restart": "파일이 {why} 되어 처음부터 다시 따라 읽음",
        "note_lint_shape_inference": "shape 추론 실패 ({error}); shape에 의존하는 검사는 선언된 shape를 사용함",
        "note_lint_cycle": "노드 {count}개가 순환하거나 아무도 만들지 않는 텐서를 읽음; 마지막에 나열함",
        "note_lint_subgraphs": "서브그래프가 있는 노드(If, Loop, Scan)는 노드 전체로만 검사하고 그 내부는 검사하지"
        " 않음",
        "note_lint_broken_checks": "일부 검사가 이 그래프를 읽지 못해 건너뜀: {checks}",
        "note_lint_table": "연산자 표: {source}, SDK {sdk} 기준; 표에 버전 없이 나온 연산자는 모든 릴리스에서"
        " 가속되는 것으로, 이후 릴리스는 같은 연산자 집합을 가속하는 것으로 본다",
        "note_lint_new_sdk": "SDK {sdk} 는 이 도구가 아는 릴리스보다 새로움 (최신 {latest})",
        "note_lint_unchecked": "조건을 확인할 수 없었지만 NPU에서 동작하는 것으로 센 노드 {count}개 (shape를 모르거나"
        " NCHW rank 4가 아님): {nodes}",
        "note_lint_unchecked_more": "조건을 확인할 수 없었지만 NPU에서 동작하는 것으로 센 노드 {count}개 (shape를"
        " 모르거나 NCHW rank 4가 아님): {nodes} 외 {more}개",
    },
}

# Errors the core raises in English (LintError, UnknownQuery): the commands show them through localize_note too.
MESSAGES["en"].update(
    {
        "err_lint_sdk_format": "--sdk {sdk} is not a version like 0.10 or 0.9.0",
        "err_lint_sdk_too_old": "--sdk {sdk}: the operator table starts at SDK {first}, the first Warboy release",
        "err_lint_onnx_text": "{name}: not a model in ONNX textual syntax ({error})",
        "err_lint_missing_extra": "reading ONNX models needs the optional extra 'model': pip install"
        " 'warboy-triage[model]'",
        "err_lint_unreadable": "{path}: cannot read ({reason})",
        "err_lint_directory": "{path}: is a directory, not an ONNX model",
        "err_lint_not_onnx": "{path}: not an ONNX model ({error})",
        "err_lint_not_onnx_log": "{path}: not an ONNX model ({error}); to diagnose a log, run `warboy-triage {log}`",
        "err_lint_no_graph": "{path}: not an ONNX model (no graph in the file)",
        "err_lint_no_graph_log": "{path}: not an ONNX model (no graph in the file); to diagnose a log, run"
        " `warboy-triage {log}`",
        "err_explain_empty": "nothing to explain: give a cause id, a native error code or a code name",
        "err_explain_no_code_either": "native error code {number} is not in either table ({known})",
        "err_explain_no_code": "native error code {number} is not in the {table} table ({known})",
        "err_explain_unknown": "{query} is not a cause id, a native error code or a code name",
        "note_explain_both_tables": "Native error code {number} exists in both tables and means different things;"
        " the exception's module (furiosa.runtime... or furiosa.tools.compiler...) or the lines around it tell"
        " which one printed it.",
    }
)
MESSAGES["ko"].update(
    {
        "err_lint_sdk_format": "--sdk {sdk} 는 0.10 이나 0.9.0 같은 버전이 아님",
        "err_lint_sdk_too_old": "--sdk {sdk}: 연산자 표는 첫 Warboy 릴리스인 SDK {first} 부터 시작함",
        "err_lint_onnx_text": "{name}: ONNX 텍스트 문법의 모델이 아님 ({error})",
        "err_lint_missing_extra": "ONNX 모델을 읽으려면 선택 extra 'model' 이 필요함: pip install"
        " 'warboy-triage[model]'",
        "err_lint_unreadable": "{path}: 읽을 수 없음 ({reason})",
        "err_lint_directory": "{path}: 디렉터리이며 ONNX 모델이 아님",
        "err_lint_not_onnx": "{path}: ONNX 모델이 아님 ({error})",
        "err_lint_not_onnx_log": "{path}: ONNX 모델이 아님 ({error}); 로그를 진단하려면 `warboy-triage {log}` 를"
        " 실행한다",
        "err_lint_no_graph": "{path}: ONNX 모델이 아님 (파일에 그래프가 없음)",
        "err_lint_no_graph_log": "{path}: ONNX 모델이 아님 (파일에 그래프가 없음); 로그를 진단하려면"
        " `warboy-triage {log}` 를 실행한다",
        "err_explain_empty": "설명할 것이 없음: 원인 id, 네이티브 에러 코드 또는 코드 이름을 준다",
        "err_explain_no_code_either": "네이티브 에러 코드 {number} 는 어느 표에도 없음 ({known})",
        "err_explain_no_code": "네이티브 에러 코드 {number} 는 {table} 표에 없음 ({known})",
        "err_explain_unknown": "{query} 는 원인 id, 네이티브 에러 코드, 코드 이름 중 어느 것도 아님",
        "note_explain_both_tables": "네이티브 에러 코드 {number} 는 두 표에 모두 있고 뜻이 다르다; 예외의 모듈"
        " (furiosa.runtime... 또는 furiosa.tools.compiler...)이나 주변 줄을 보면 어느 쪽이 출력했는지 알 수 있다.",
    }
)
MESSAGES["en"].update(
    {
        "err_no_such_file": "{path}: no such file",
        "err_cannot_open_dir": "{path}: cannot open (permission denied on a directory of its path)",
        "err_cannot_open": "{path}: cannot open ({reason})",
    }
)
MESSAGES["ko"].update(
    {
        "err_no_such_file": "{path}: 그런 파일이 없음",
        "err_cannot_open_dir": "{path}: 열 수 없음 (경로의 디렉터리에 접근 권한이 없음)",
        "err_cannot_open": "{path}: 열 수 없음 ({reason})",
    }
)
MESSAGES["en"].update(
    {
        "err_bundle_type": "{path}: unknown bundle type; name it .zip, .tar.gz or .tgz",
        "err_symlink_outside": "{name}: is a symlink to {real}, outside its directory: refused (name that file itself"
        " if you mean it)",
        "err_overwrite_input": "{path}: is one of the input logs; refusing to overwrite it (choose another name)",
        "err_cannot_read": "{path}: cannot read ({reason})",
        "err_too_large": "{name}: larger than {mb} MB; cut it to the failing run first",
    }
)
MESSAGES["ko"].update(
    {
        "err_bundle_type": "{path}: 알 수 없는 묶음 형식; 이름을 .zip, .tar.gz 또는 .tgz 로 끝낸다",
        "err_symlink_outside": "{name}: 자기 디렉터리 밖의 {real} 를 가리키는 심볼릭 링크라서 거부함 (그 파일을"
        " 쓰려면 그 파일 이름을 직접 준다)",
        "err_overwrite_input": "{path}: 입력 로그 중 하나라서 덮어쓰지 않음 (다른 이름을 고른다)",
        "err_cannot_read": "{path}: 읽을 수 없음 ({reason})",
        "err_too_large": "{name}: {mb} MB 보다 큼; 먼저 실패한 실행 부분만 잘라낸다",
    }
)
MESSAGES["en"].update(
    {
        "err_directory_logs": "{path}: is a directory (name the log files inside it)",
        "err_cannot_open_denied": "{path}: cannot open (permission denied)",
        "err_binary": "{path}: looks like binary data, not a text log",
        "err_binary_onnx": "{path}: looks like binary data, not a text log (an ONNX model? check it with:"
        " warboy-triage lint {model})",
    }
)
MESSAGES["ko"].update(
    {
        "err_directory_logs": "{path}: 디렉터리임 (그 안의 로그 파일 이름을 준다)",
        "err_cannot_open_denied": "{path}: 열 수 없음 (접근 권한 없음)",
        "err_binary": "{path}: 텍스트 로그가 아니라 바이너리 데이터로 보임",
        "err_binary_onnx": "{path}: 텍스트 로그가 아니라 바이너리 데이터로 보임 (ONNX 모델이라면:"
        " warboy-triage lint {model} 로 검사한다)",
    }
)
MESSAGES["en"].update(
    {
        "why_not_followed": "not followed (add it with --follow-compile-log)",
        "why_not_found_here": "not found on this machine",
        "why_outside_log_dir": "outside the Furiosa log directory once resolved: not followed",
        "why_named_by_log": "named by a log; {why}",
    }
)
MESSAGES["ko"].update(
    {
        "why_not_followed": "따라가지 않음 (--follow-compile-log 로 추가한다)",
        "why_not_found_here": "이 머신에 없음",
        "why_outside_log_dir": "실제 경로가 Furiosa 로그 디렉터리 밖이라 따라가지 않음",
        "why_named_by_log": "로그가 가리킴; {why}",
    }
)
MESSAGES["en"]["note_version_disagreement_detail"] = "version disagreement: {component} is reported as {versions}"
MESSAGES["ko"]["note_version_disagreement_detail"] = "버전 불일치: {component} 의 버전이 {versions} 로 서로 다르게 나옴"
# `run`: a command that cannot start (live.child.StartError), a diagnosis that failed (live.runner)
MESSAGES["en"].update(
    {
        "err_run_empty": "the command name is empty",
        "err_run_directory": "{name}: is a directory, not a command",
        "err_run_not_found": "{name}: command not found",
        "err_run_not_found_log": "{name}: command not found; to diagnose a log file: warboy-triage {log}",
        "err_run_denied": "{name}: permission denied (not executable?)",
        "err_run_denied_log": "{name}: permission denied (not executable?); to diagnose a log file:"
        " warboy-triage {log}",
        "err_run_cannot_start": "{name}: cannot start ({reason})",
        "note_run_diagnosis_failed": "the diagnosis failed: {error}",
    }
)
MESSAGES["ko"].update(
    {
        "err_run_empty": "명령 이름이 비어 있음",
        "err_run_directory": "{name}: 디렉터리이며 명령이 아님",
        "err_run_not_found": "{name}: 명령을 찾을 수 없음",
        "err_run_not_found_log": "{name}: 명령을 찾을 수 없음; 로그 파일을 진단하려면: warboy-triage {log}",
        "err_run_denied": "{name}: 권한 없음 (실행 파일이 아닌가?)",
        "err_run_denied_log": "{name}: 권한 없음 (실행 파일이 아닌가?); 로그 파일을 진단하려면: warboy-triage {log}",
        "err_run_cannot_start": "{name}: 시작할 수 없음 ({reason})",
        "note_run_diagnosis_failed": "진단 실패: {error}",
    }
)
MESSAGES["en"]["note_hyperscan_missing"] = (
    "the fast backend needs Hyperscan: pip install 'warboy-triage[fast]' (wheels exist for Linux and macOS on"
    " x86-64); using the pure-Python scanner (same results, slower)"
)
MESSAGES["ko"]["note_hyperscan_missing"] = (
    "빠른 backend 는 Hyperscan 이 필요함: pip install 'warboy-triage[fast]' (Linux와 macOS x86-64 용 wheel 이"
    " 있음); 순수 Python 스캐너를 사용함 (결과는 같고 더 느림)"
)
