"""Every label the reports and the TUI print, in English and Korean. No Textual or typer imports.

The texts of causes live in patterns/ (title_ko, why_ko, remediation_ko, checklist_ko); what is here is the frame
around them: section headings, key names in the footer, notices. A test fails when a key lacks a language.
"""

from __future__ import annotations

from typing import Any

LANGS = ("en", "ko")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        # sections (reports, explain, TUI)
        "why": "Why",
        "evidence": "Evidence",
        "fix": "Fix",
        "remediation": "Remediation",
        "checklist": "Checklist",
        "references": "References",
        "keywords": "Keywords",
        "examples": "Examples (log excerpts that produce this finding)",
        "lint_examples": "Examples (ONNX graphs, in ONNX's text syntax, that lint reports this cause for)",
        "versions": "Versions",
        "native_codes": "Native error codes",
        "other_lines": "Other error/warning lines no pattern explains",
        "no_problem": "no known Warboy problem found",
        "findings": "Findings",
        "detail": "Detail",
        "log": "Log",
        "knowledge_base": "Knowledge base",
        "cause": "Cause",
        "evidence_lines": "Evidence: {count} line(s)",
        "evidence_kept": ", first {shown} kept",
        "also_explains": "Also explains",
        "confidence_possible": "confidence: possible (a guess from your own numbers)",
        # TUI notices and prompts
        "search_causes": "Search causes (English or 한국어)",
        "no_cause_matches": "No cause matches {query!r}.",
        "no_problem_log": "No known problem found in this log.",
        "no_finding_hint": "No finding: the knowledge base (b) lists every known cause.",
        "no_versions": "No version lines in the log.",
        "no_report_yet": "No report yet: open a log (the checklist follows its findings).",
        "not_found": "Not found: {query}",
        "no_command": "No command in this remediation step.",
        "copied": "Copied: {command}",
        "checklist_title": "Checklist before opening a ticket",
        "checklist_intro": "Space ticks an item; s exports the list as markdown for the ticket.",
        "checklist_empty": "The current findings have no checklist items.",
        "export_prompt": "Export the checklist as markdown to (Enter saves, Esc cancels):",
        "export_failed": "Cannot write {path}: {reason}",
        "export_done": "Checklist written to {path}",
        # footer (binding descriptions, by action)
        "key_quit": "Quit",
        "key_help": "Help",
        "key_knowledge_base": "Knowledge base",
        "key_checklist": "Checklist",
        "key_toggle_korean": "한국어",
        "key_toggle_dark": "Dark/light",
        "key_find": "Search log",
        "key_toggle_problems": "ERROR/WARN only",
        "key_copy_command": "Copy command",
        "key_close": "Back",
        "key_focus_search": "Search",
        "key_leave_search": "Leave search",
        "key_export": "Export markdown",
        "key_cancel": "Cancel",
    },
    "ko": {
        "why": "원인",
        "evidence": "근거",
        "fix": "해결 방법",
        "remediation": "해결 방법",
        "checklist": "체크리스트",
        "references": "참고",
        "keywords": "키워드",
        "examples": "예시 (이 결과를 만드는 로그 발췌)",
        "lint_examples": "예시 (lint가 이 원인을 보고하는 ONNX 그래프, ONNX 텍스트 문법)",
        "versions": "버전",
        "native_codes": "네이티브 에러 코드",
        "other_lines": "어떤 패턴도 설명하지 않는 다른 에러/경고 줄",
        "no_problem": "알려진 Warboy 문제를 찾지 못함",
        "findings": "결과",
        "detail": "상세",
        "log": "로그",
        "knowledge_base": "지식 베이스",
        "cause": "원인",
        "evidence_lines": "근거: {count}줄",
        "evidence_kept": ", 처음 {shown}줄 표시",
        "also_explains": "함께 설명함",
        "confidence_possible": "신뢰도: 가능성 있음 (사용자 수치에서 나온 추정)",
        "search_causes": "원인 검색 (English 또는 한국어)",
        "no_cause_matches": "{query!r} 에 맞는 원인이 없음.",
        "no_problem_log": "이 로그에서 알려진 문제를 찾지 못함.",
        "no_finding_hint": "결과 없음: 지식 베이스(b)에서 알려진 모든 원인을 볼 수 있음.",
        "no_versions": "로그에 버전 줄이 없음.",
        "no_report_yet": "아직 보고서 없음: 로그를 연다 (체크리스트는 그 결과를 따름).",
        "not_found": "찾지 못함: {query}",
        "no_command": "이 해결 단계에는 명령이 없음.",
        "copied": "복사함: {command}",
        "checklist_title": "티켓을 열기 전 체크리스트",
        "checklist_intro": "Space로 항목을 체크하고, s로 티켓용 markdown으로 내보낸다.",
        "checklist_empty": "현재 결과에는 체크리스트 항목이 없음.",
        "export_prompt": "체크리스트를 markdown으로 저장할 경로 (Enter 저장, Esc 취소):",
        "export_failed": "{path} 에 쓸 수 없음: {reason}",
        "export_done": "체크리스트를 {path} 에 저장함",
        "key_quit": "종료",
        "key_help": "도움말",
        "key_knowledge_base": "지식 베이스",
        "key_checklist": "체크리스트",
        "key_toggle_korean": "English",
        "key_toggle_dark": "다크/라이트",
        "key_find": "로그 검색",
        "key_toggle_problems": "ERROR/WARN만",
        "key_copy_command": "복사",
        "key_close": "뒤로",
        "key_focus_search": "검색",
        "key_leave_search": "검색 나가기",
        "key_export": "markdown 내보내기",
        "key_cancel": "취소",
    },
}


# The key reference (`?` in the TUI): (key, what it does); an empty meaning starts a section.
HELP: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("Everywhere", ""),
        ("q / ctrl+q", "quit"),
        ("?", "this help"),
        ("b", "knowledge base browser (every known cause, searchable in English and 한국어)"),
        ("l", "checklist for the current findings (space ticks, s exports markdown)"),
        ("k", "Korean / English"),
        ("d", "dark / light"),
        ("tab", "next pane"),
        ("escape", "leave a search box; close a screen (the knowledge base alone: quit)"),
        ("Main screen", ""),
        ("up / down", "choose a finding: the log jumps to its evidence (highlighted)"),
        ("c", "copy the remediation command (of the focused step, else the first) to the clipboard"),
        ("/", "search the log; n / N next / previous hit"),
        ("e", "show only ERROR and WARN lines (again: all lines)"),
        ("o", "next log file, when several were given"),
        ("Knowledge base", ""),
        ("/", "search causes (English or 한국어); Enter or Esc back to the list"),
    ],
    "ko": [
        ("어디서나", ""),
        ("q / ctrl+q", "종료"),
        ("?", "이 도움말"),
        ("b", "지식 베이스 (알려진 모든 원인, English와 한국어로 검색)"),
        ("l", "현재 결과의 체크리스트 (space로 체크, s로 markdown 내보내기)"),
        ("k", "한국어 / English"),
        ("d", "다크 / 라이트"),
        ("tab", "다음 창"),
        ("escape", "검색창에서 나가기; 화면 닫기 (지식 베이스만 열린 경우: 종료)"),
        ("메인 화면", ""),
        ("up / down", "결과 선택: 로그가 그 근거 줄로 이동 (강조 표시)"),
        ("c", "해결 명령 (선택한 단계의 명령, 없으면 첫 명령)을 클립보드로 복사"),
        ("/", "로그 검색; n / N 다음 / 이전"),
        ("e", "ERROR와 WARN 줄만 보기 (다시 누르면 전체)"),
        ("o", "여러 파일을 열었을 때 다음 로그 파일"),
        ("지식 베이스", ""),
        ("/", "원인 검색 (English 또는 한국어); Enter나 Esc로 목록으로"),
    ],
}
LABELS["en"].update(
    {
        "help_title": "warboy-triage keys (Esc closes)",
        "report_title": "warboy-triage report",
        "finding_count": "{count} finding(s)",
        "analysed": "Analysed {names}: {findings} finding(s), {errors} error(s).",
        "no_problem_md": "No known Warboy problem was found.",
        "line_count": "{count} line(s)",
        "first_of": " (first {shown} of {count})",
        "collect": "Collect for a ticket",
        "skew": "Version skew",
        "ambiguous": " (ambiguous: the log does not say which table)",
        "model": "Model",
        "at": "at",
        "line": "line",
        "note": "note",
        "empty_input": "empty input, nothing to analyse",
        "empty_md": "The input is empty: nothing was analysed.",
        "closest": "Closest known causes",
        "per_shape": " ({count} lines, one shown per shape)",
        "node": "node",
        "input": "input",
    }
)
LABELS["ko"].update(
    {
        "help_title": "warboy-triage 키 (Esc로 닫기)",
        "report_title": "warboy-triage 보고서",
        "finding_count": "결과 {count}개",
        "analysed": "{names} 분석: 결과 {findings}개, 에러 {errors}개.",
        "no_problem_md": "알려진 Warboy 문제를 찾지 못했다.",
        "line_count": "{count}줄",
        "first_of": " ({count}개 중 처음 {shown}개)",
        "collect": "티켓에 첨부할 것",
        "skew": "버전 불일치",
        "ambiguous": " (모호함: 로그에 어느 표의 코드인지 나오지 않음)",
        "model": "모델",
        "at": "위치",
        "line": "줄",
        "note": "참고",
        "empty_input": "빈 입력, 분석할 것이 없음",
        "empty_md": "입력이 비어 있다: 분석한 것이 없다.",
        "closest": "가장 가까운 알려진 원인",
        "per_shape": " ({count}줄, 같은 형태마다 하나씩 표시)",
        "node": "노드",
        "input": "입력",
    }
)


# `doctor`'s check titles in Korean, by check id (the English ones are the probes' own titles).
DOCTOR_TITLES_KO: dict[str, str] = {
    "pci": "PCI 버스의 Warboy",
    "npu-devices": "NPU 장치 노드",
    "furiosactl": "furiosactl info / ps",
    "driver-firmware": "드라이버와 펌웨어",
    "environment": "Furiosa 환경 변수",
    "log-dir": "Furiosa 로그 디렉터리",
    "python-packages": "Furiosa Python 패키지",
    "apt-packages": "Furiosa apt 패키지",
    "libnux": "libnux 라이브러리",
    "sdk-versions": "SDK 버전 일관성",
    "python": "Python",
    "os": "운영체제",
    "glibc": "C 라이브러리 (glibc)",
    "cpu-memory": "CPU와 메모리",
}
LABELS["en"].update(
    {
        "t_comment": "Written by warboy-triage {version}. Replace every {fill} and tick what you tried before sending.",
        "t_fill": "<fill in>",
        "t_one_line": "{fill}: one-line summary of the problem",
        "t_summary": "Summary",
        "t_summary_fill": "{fill}: what you were doing, what you expected, and what happened instead.",
        "t_analysed": "warboy-triage analysed {names}: {findings} finding(s), {errors} error(s)",
        "t_most_likely": ", most likely cause first:",
        "t_none_matched": "; no known Warboy problem matched.",
        "t_model": "Model",
        "t_model_fill": "Model: {fill} (name, ONNX or TFLite, input shape, batch size)",
        "t_compiled_fill": "Compiled with: {fill} (furiosa-compile options or compiler_config, which SDK built"
        " the .enf)",
        "t_steps": "Steps to reproduce",
        "t_findings": "Findings",
        "t_tried": "What was already tried",
        "t_tick": "Tick each step you have done (and say what happened below it if it changed anything).",
        "t_for_support": "Information for support",
        "t_environment": "Environment",
        "t_no_doctor": "Not collected (`--no-doctor`). Run `warboy-triage doctor` on the machine with the NPU and paste"
        " its output here.",
        "t_doctor": "Collected by `warboy-triage doctor` at {at} on the machine that wrote this ticket: {counts}.",
        "t_attachments": "Attachments",
        "t_none": "(none)",
        "t_versions_fill": "{fill}: `pip list | grep furiosa` and `dpkg -l | grep furiosa`",
        "t_log_line": "log line {line}",
        "t_this_machine": "this machine ({source})",
        "t_from": "from",
    }
)
LABELS["en"]["doctor_counts"] = "{passed} passed, {warn} warning(s), {failed} failed, {unknown} not collected"
LABELS["ko"].update(
    {
        "t_comment": "warboy-triage {version}이 작성함. 보내기 전에 모든 {fill} 을 채우고 시도한 것을 체크한다.",
        "t_fill": "<채울 것>",
        "t_one_line": "{fill}: 문제를 한 줄로 요약",
        "t_summary": "요약",
        "t_summary_fill": "{fill}: 무엇을 하고 있었는지, 무엇을 기대했는지, 대신 무슨 일이 일어났는지.",
        "t_analysed": "warboy-triage가 {names} 를 분석함: 결과 {findings}개, 에러 {errors}개",
        "t_most_likely": ", 가장 가능성 높은 원인부터:",
        "t_none_matched": "; 알려진 Warboy 문제와 맞는 것이 없음.",
        "t_model": "모델",
        "t_model_fill": "모델: {fill} (이름, ONNX 또는 TFLite, 입력 shape, batch 크기)",
        "t_compiled_fill": "컴파일 방법: {fill} (furiosa-compile 옵션 또는 compiler_config, .enf를 만든 SDK)",
        "t_steps": "재현 방법",
        "t_findings": "결과",
        "t_tried": "이미 시도한 것",
        "t_tick": "해 본 단계를 체크한다 (바뀐 것이 있으면 그 아래에 적는다).",
        "t_for_support": "지원팀에 보낼 정보",
        "t_environment": "환경",
        "t_no_doctor": "수집하지 않음 (`--no-doctor`). NPU가 있는 머신에서 `warboy-triage doctor` 를 실행하고 그 출력을"
        " 여기에 붙인다.",
        "t_doctor": "이 티켓을 작성한 머신에서 {at}에 `warboy-triage doctor` 가 수집함: {counts}.",
        "t_attachments": "첨부",
        "t_none": "(없음)",
        "t_versions_fill": "{fill}: `pip list | grep furiosa` 와 `dpkg -l | grep furiosa`",
        "t_log_line": "로그 {line}줄",
        "t_this_machine": "이 머신 ({source})",
        "t_from": "출처",
    }
)
LABELS["ko"]["doctor_counts"] = "통과 {passed}, 경고 {warn}, 실패 {failed}, 수집 못함 {unknown}"
LABELS["en"].update(
    {
        "k_component": "component",
        "k_severity": "severity",
        "k_confidence": "confidence",
        "k_explains": "explains",
        "same_shape": "  (x{count} lines of this shape)",
        "no_input": "(no input)",
        "version_columns": "| component | version | line |",
        "analysing": "Analysing the log…",
        "analysis_failed": "Analysis failed: {error}",
        "find_placeholder": "Search the log: Enter finds, n / N next / previous, Esc closes",
        "file_position": " [{at}/{count}, o: next]",
        "no_findings": "No findings.",
        "md_no_log": "(no log)",
        "md_checklist_title": "warboy-triage checklist",
        "md_no_items": "No checklist items for these findings.",
        "t_no_log": "no log",
        "log_lines": "{name}: {lines} lines",
        "log_indexing": " (indexing…)",
        "log_problem_rows": ", {count} ERROR/WARN rows",
        "log_so_far": " so far",
        "key_find_next": "Next hit",
        "key_find_previous": "Previous hit",
        "key_next_file": "Next file",
        "t_for_cause": "for `{id}`",
        "t_not_attached": "not attached: `{path}`, the compile log a log names: {why}",
        "t_newest_not_attached": "newest compile log on this machine, not attached: `{path}` ({modified}); name it on"
        " the command line if it belongs to this problem",
        "t_on_this_machine": "on this machine: {summary}",
        "t_component": "component",
        "t_version": "version",
    }
)
LABELS["ko"].update(
    {
        "k_component": "컴포넌트",
        "k_severity": "심각도",
        "k_confidence": "신뢰도",
        "k_explains": "포함하는 원인",
        "same_shape": "  (같은 형태의 줄 {count}개)",
        "no_input": "(입력 없음)",
        "version_columns": "| 컴포넌트 | 버전 | 줄 |",
        "analysing": "로그 분석 중…",
        "analysis_failed": "분석 실패: {error}",
        "find_placeholder": "로그 검색: Enter 찾기, n / N 다음 / 이전, Esc 닫기",
        "file_position": " [{at}/{count}, o: 다음]",
        "no_findings": "결과 없음.",
        "md_no_log": "(로그 없음)",
        "md_checklist_title": "warboy-triage 체크리스트",
        "md_no_items": "이 결과에는 체크리스트 항목이 없음.",
        "t_no_log": "로그 없음",
        "log_lines": "{name}: {lines}줄",
        "log_indexing": " (색인 중…)",
        "log_problem_rows": ", ERROR/WARN {count}줄",
        "log_so_far": " (지금까지)",
        "key_find_next": "다음 찾기",
        "key_find_previous": "이전 찾기",
        "key_next_file": "다음 파일",
        "t_for_cause": "`{id}` 의 단계",
        "t_not_attached": "첨부하지 않음: `{path}`, 로그가 가리키는 컴파일 로그: {why}",
        "t_newest_not_attached": "이 머신의 최신 컴파일 로그, 첨부하지 않음: `{path}` ({modified}); 이 문제와 관련이"
        " 있으면 명령행에 그 이름을 준다",
        "t_on_this_machine": "이 머신: {summary}",
        "t_component": "컴포넌트",
        "t_version": "버전",
    }
)


def label(key: str, lang: str = "en", **fields: Any) -> str:
    """The label in `lang` (English when the language is unknown), with `fields` filled in."""
    text = LABELS.get(lang, LABELS["en"])[key]
    return text.format(**fields) if fields else text


def why(item: Any, lang: str) -> str:
    """A finding's or pattern's why, in `lang` when it has that text."""
    ko: str = getattr(item, "why_ko", "") or ""
    text: str = ko if lang == "ko" and ko else item.why
    return " ".join(text.split())


def checklist(item: Any, lang: str) -> list[str]:
    ko = getattr(item, "checklist_ko", [])
    return list(ko) if lang == "ko" and ko else list(item.checklist)
