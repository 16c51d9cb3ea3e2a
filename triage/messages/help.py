"""`--help` in Korean: every help text of the commands (typer's own included), by its English text.

Keyed by the English text itself, so changing a help text in a command fails tests/test_messages.py until its
Korean is written here too. triage/commands/help_ko.py puts these into the command tree when `--help` is asked
for in Korean (`--lang ko` or WARBOY_TRIAGE_LANG=ko); nothing here is loaded otherwise.
"""

from __future__ import annotations

HELP_KO: dict[str, str] = {
    (
        "Diagnose FuriosaAI Warboy NPU logs: the cause, the evidence lines, and the fix.\n\nGive it a log "
        "file (plain or .gz), several files, or pipe a log into it. `warboy-triage FILE` is short for "
        "`warboy-triage analyze FILE`."
    ): (
        "FuriosaAI Warboy NPU 로그를 진단한다: 원인, 근거 줄, 해결 방법.\n\n로그 파일(일반 또는 .gz) 하나나 "
        "여러 개를 주거나, 로그를 파이프로 넘긴다. `warboy-triage FILE` 은 `warboy-triage analyze FILE` 의 "
        "줄임이다."
    ),
    (
        "Examples:\n\n  furiosa-compile model.onnx 2>&1 | warboy-triage\n\n  warboy-triage run.log --format "
        "markdown > ticket.md\n\n  warboy-triage run.log.gz --format json --fail-on warning\n\nExit codes: "
        "0 nothing at or above --fail-on, 1 findings at or above it, 2 bad usage or unreadable input."
    ): (
        "예시:\n\n  furiosa-compile model.onnx 2>&1 | warboy-triage\n\n  warboy-triage run.log --format "
        "markdown > ticket.md\n\n  warboy-triage run.log.gz --format json --fail-on warning\n\n종료 코드: 0 "
        "--fail-on 이상인 결과 없음, 1 --fail-on 이상인 결과 있음, 2 잘못된 사용법 또는 읽을 수 없는 입력."
    ),
    "Show the version and exit.": "버전을 보여 주고 끝낸다.",
    "Install completion for the current shell.": "현재 셸에 자동 완성을 설치한다.",
    ("Show completion for the current shell, to copy it or customize the installation."): (
        "현재 셸의 자동 완성 스크립트를 보여 준다 (복사하거나 설치를 바꿀 때)."
    ),
    (
        "Analyse logs and print the ranked findings (the default command)."
    ): "로그를 분석하고 순위를 매긴 결과를 출력한다 (기본 명령).",
    (
        "Examples:\n\n  warboy-triage analyze run.log\n\n  cat run.log | warboy-triage analyze -f json\n\n  "
        "warboy-triage analyze a.log b.log.gz --fail-on warning\n\nA file that cannot be read is reported "
        "on stderr; the others are still analysed, and the exit code is 2."
    ): (
        "예시:\n\n  warboy-triage analyze run.log\n\n  cat run.log | warboy-triage analyze -f json\n\n  "
        "warboy-triage analyze a.log b.log.gz --fail-on warning\n\n읽을 수 없는 파일은 stderr에 알리고 "
        "나머지는 그대로 분석하며, 종료 코드는 2이다."
    ),
    ("Log files (plain or gzip). '-' or nothing reads standard input."): (
        "로그 파일 (일반 또는 gzip). '-' 나 아무것도 주지 않으면 표준 입력을 읽는다."
    ),
    (
        "Output format (jsonl: one record per line, written as each input ends; prometheus: the text format "
        "of node_exporter's textfile collector)."
    ): (
        "출력 형식 (jsonl: 입력 하나가 끝날 때마다 한 줄에 레코드 하나; prometheus: node_exporter textfile "
        "collector 의 텍스트 형식)."
    ),
    ("Write the report to this file, atomically (for a textfile collector or a shipper)."): (
        "보고서를 이 파일에 원자적으로 쓴다 (textfile collector 나 shipper 용)."
    ),
    (
        "NAME=VALUE added to every jsonl record and prometheus series (repeatable). jsonl also gets "
        "host=<this machine> unless you give host."
    ): (
        "모든 jsonl 레코드와 prometheus 시계열에 붙일 NAME=VALUE (여러 번 가능). host 를 주지 않으면 jsonl "
        "에는 host=<이 머신> 도 붙는다."
    ),
    "Exit 1 when a finding is at least this severe.": "이 심각도 이상인 결과가 있으면 1로 종료한다.",
    ("Language of what is printed for people (JSON stays English)."): "사람이 읽는 출력의 언어 (JSON은 영어 그대로).",
    ("Evidence lines shown per finding (0: none, only the count)."): "결과마다 보여 줄 근거 줄 수 (0: 개수만).",
    "Use this patterns directory instead of the bundled one.": "번들된 패턴 대신 이 패턴 디렉터리를 쓴다.",
    (
        "Colour the text output (default: when stdout is a terminal)."
    ): "텍스트 출력에 색을 입힌다 (기본: stdout이 터미널일 때).",
    "Processes for a large plain log file (same report).": "큰 일반 로그 파일에 쓸 프로세스 수 (보고서는 같다).",
    (
        "Line scanner: auto (Hyperscan when installed, else re), re, hyperscan (pip install "
        "'warboy-triage[fast]'), or line (every line through every rule; slowest). Same report."
    ): (
        "줄 스캐너: auto (설치되어 있으면 Hyperscan, 아니면 re), re, hyperscan (pip install "
        "'warboy-triage[fast]'), line (모든 줄에 모든 규칙; 가장 느림). 보고서는 같다."
    ),
    ("jsonl: the inputs are log shippers' JSON records (Vector, Fluent Bit, journalctl -o json)."): (
        "jsonl: 입력이 로그 shipper 의 JSON 레코드다 (Vector, Fluent Bit, journalctl -o json)."
    ),
    (
        "Keep reading files and directories as they grow (tail -F: rotation, truncation, files that appear "
        "later) and print each finding as soon as it is known, and again when it grows. Ctrl-C stops. With "
        "jsonl: one event record per change."
    ): (
        "파일과 디렉터리가 커지는 동안 계속 읽고 (tail -F: 로테이션, 잘림, 나중에 생기는 파일), 각 결과를 "
        "알게 되는 즉시, 그리고 커질 때마다 다시 출력한다. Ctrl-C로 멈춘다. jsonl 에서는 바뀔 때마다 이벤트 "
        "레코드 하나."
    ),
    ("With --input-format jsonl: the field holding the log line (dots for nested fields)."): (
        "--input-format jsonl 일 때: 로그 줄이 들어 있는 필드 (중첩 필드는 점으로)."
    ),
    (
        "Stop reading an input after this many bytes (decompressed; a note says so): gzip bombs and endless "
        "devices end. 0: no limit. Counted in bytes, not time, so reports do not depend on load."
    ): (
        "입력을 이 바이트 수만큼 읽고 멈춘다 (압축을 푼 크기; 참고로 알린다): gzip 폭탄과 끝없는 장치도 "
        "끝난다. 0: 제한 없음. 시간이 아니라 바이트로 세므로 보고서가 부하에 따라 달라지지 않는다."
    ),
    ("Run a command, pass its output through, and diagnose it when it fails."): (
        "명령을 실행하고 그 출력을 그대로 보여 주며, 실패하면 진단한다."
    ),
    (
        "Examples:\n\n  warboy-triage run -- python infer.py --model yolo.enf\n\n  warboy-triage run -- "
        "furiosa-compiler model.onnx -o model.enf\n\n  warboy-triage run --fail-on warning --report "
        "diag.json -- sh -c 'make compile && make bench'\n\nThe command's output is passed through as it "
        "comes (on a terminal it keeps its colours). When it fails, or its output shows an error a cause "
        "explains, the diagnosis is printed on stderr after it. Exit status: the command's own; with "
        "--fail-on, 1 also when the command exited 0 but a finding is that severe. Ctrl-C reaches the "
        "command first; warboy-triage then diagnoses what it printed and exits 130."
    ): (
        "예시:\n\n  warboy-triage run -- python infer.py --model yolo.enf\n\n  warboy-triage run -- "
        "furiosa-compiler model.onnx -o model.enf\n\n  warboy-triage run --fail-on warning --report "
        "diag.json -- sh -c 'make compile && make bench'\n\n명령의 출력은 나오는 대로 그대로 전달된다 "
        "(터미널에서는 색도 유지). 명령이 실패하거나 출력에 원인이 설명하는 에러가 있으면 그 뒤에 진단을 "
        "stderr로 출력한다. 종료 상태: 명령의 것 그대로; --fail-on 을 주면 명령이 0으로 끝났어도 그 "
        "심각도의 결과가 있을 때 1. Ctrl-C는 먼저 명령에 전달되고, warboy-triage 는 명령이 출력한 것을 "
        "진단한 뒤 130으로 끝난다."
    ),
    "The command and its arguments, after `--`.": "명령과 그 인자, `--` 뒤에.",
    ("Also exit 1 when the command exited 0 but a finding is at least this severe."): (
        "명령이 0으로 끝났어도 이 심각도 이상인 결과가 있으면 1로 종료한다."
    ),
    "Format of the diagnosis on stderr.": "stderr 에 출력할 진단의 형식.",
    ("Also write the full JSON report here (every run, healthy or not)."): (
        "전체 JSON 보고서도 여기에 쓴다 (정상이든 아니든 매 실행마다)."
    ),
    "Print the diagnosis even when the run looks healthy.": "실행이 정상으로 보여도 진단을 출력한다.",
    ("Also read the compile logs the command names or writes to the Furiosa log directory."): (
        "명령이 가리키거나 Furiosa 로그 디렉터리에 쓴 컴파일 로그도 읽는다."
    ),
    ("Give the command a pseudo-terminal (default: when stdout is a terminal; keeps its colours)."): (
        "명령에 의사 터미널을 준다 (기본: stdout이 터미널일 때; 색이 유지된다)."
    ),
    "Evidence lines shown per finding.": "결과마다 보여 줄 근거 줄 수.",
    ("Check an ONNX model for Warboy before compiling: quantization, CPU-bound operators, input sizes."): (
        "컴파일 전에 ONNX 모델을 Warboy 기준으로 검사한다: 양자화, CPU에서 도는 연산자, 입력 크기."
    ),
    (
        "Examples:\n\n  warboy-triage lint model.onnx\n\n  warboy-triage lint model.onnx --sdk 0.9 -f "
        "markdown\n\nNeeds the optional extra: pip install 'warboy-triage[model]'. The model is read, never "
        "run."
    ): (
        "예시:\n\n  warboy-triage lint model.onnx\n\n  warboy-triage lint model.onnx --sdk 0.9 -f "
        "markdown\n\n선택 extra 가 필요하다: pip install 'warboy-triage[model]'. 모델은 읽기만 하고 "
        "실행하지 않는다."
    ),
    "The ONNX model file.": "ONNX 모델 파일.",
    "Furiosa SDK release to check the operator table against.": "연산자 표를 맞춰 볼 Furiosa SDK 릴리스.",
    "Output format.": "출력 형식.",
    ("Evidence nodes shown per finding (0: none, only the count)."): "결과마다 보여 줄 근거 노드 수 (0: 개수만).",
    ("Explain a cause or a native error code: what it means, why it happens, how to fix it."): (
        "원인이나 네이티브 에러 코드를 설명한다: 무슨 뜻인지, 왜 생기는지, 어떻게 고치는지."
    ),
    (
        "Examples:\n\n  warboy-triage explain 15\n\n  warboy-triage explain OUT_OF_SRAM\n\n  warboy-triage "
        "explain instruction-memory-overflow --lang ko"
    ): (
        "예시:\n\n  warboy-triage explain 15\n\n  warboy-triage explain OUT_OF_SRAM\n\n  warboy-triage "
        "explain instruction-memory-overflow --lang ko"
    ),
    ("A cause id, a native error code (15, compiler:9) or a code or exception name (OUT_OF_SRAM, DeviceBusy)."): (
        "원인 id, 네이티브 에러 코드 (15, compiler:9), 또는 코드나 예외 이름 (OUT_OF_SRAM, DeviceBusy)."
    ),
    ('Find the causes that match a symptom ("slow inference", "정확도", "device busy").'): (
        '증상에 맞는 원인을 찾는다 ("slow inference", "정확도", "device busy").'
    ),
    (
        "Examples:\n\n  warboy-triage search slow inference\n\n  warboy-triage search 느려요\n\n  "
        "warboy-triage search device busy --format json"
    ): (
        "예시:\n\n  warboy-triage search slow inference\n\n  warboy-triage search 느려요\n\n  warboy-triage "
        "search device busy --format json"
    ),
    "Symptom words, English or Korean.": "증상 단어, 영어 또는 한국어.",
    "Most causes to list.": "나열할 원인의 최대 개수.",
    ("Browse findings, their evidence in the log, remediation, the knowledge base and the checklist."): (
        "결과와 로그 속 근거, 해결 방법, 지식 베이스, 체크리스트를 둘러본다."
    ),
    (
        "Examples:\n\n  warboy-triage tui run.log\n\n  furiosa-compile model.onnx 2>&1 | warboy-triage "
        "tui\n\n  warboy-triage tui   (no log: browse the knowledge base)"
    ): (
        "예시:\n\n  warboy-triage tui run.log\n\n  furiosa-compile model.onnx 2>&1 | warboy-triage tui\n\n  "
        "warboy-triage tui   (로그 없음: 지식 베이스 둘러보기)"
    ),
    ("Log files (plain or gzip); a pipe is read too. None: the knowledge base browser."): (
        "로그 파일 (일반 또는 gzip); 파이프도 읽는다. 없으면: 지식 베이스 브라우저."
    ),
    "Start in this language (k toggles).": "이 언어로 시작한다 (k 로 전환).",
    "Print the JSON Schema of the report (the JSON contract).": "보고서의 JSON Schema 를 출력한다 (JSON 계약).",
    "The schema of `lint`'s report instead.": "대신 `lint` 보고서의 스키마.",
    ("Check this machine for what Warboy needs: packages, versions, devices, logs."): (
        "이 머신에 Warboy가 필요로 하는 것을 점검한다: 패키지, 버전, 장치, 로그."
    ),
    (
        "Examples:\n\n  warboy-triage doctor\n\n  warboy-triage doctor --json > doctor.json\n\n  "
        "warboy-triage doctor --python ~/venvs/furiosa/bin/python\n\nExit codes: 0 no check failed "
        "(warnings are fine), 1 a check failed, 2 bad usage."
    ): (
        "예시:\n\n  warboy-triage doctor\n\n  warboy-triage doctor --json > doctor.json\n\n  warboy-triage "
        "doctor --python ~/venvs/furiosa/bin/python\n\n종료 코드: 0 실패한 점검 없음 (경고는 괜찮음), 1 "
        "실패한 점검 있음, 2 잘못된 사용법."
    ),
    "Print the stable JSON record.": "안정된 JSON 레코드를 출력한다.",
    "List the checks and exit.": "점검 목록을 보여 주고 끝낸다.",
    "Run only this check (repeatable; ids from --list-checks).": (
        "이 점검만 실행한다 (여러 번 가능; id 는 --list-checks 에서)."
    ),
    ("Inspect the packages of this Python interpreter instead of warboy-triage's own."): (
        "warboy-triage 자신의 Python 대신 이 Python 인터프리터의 패키지를 점검한다."
    ),
    "Show details of passing checks too.": "통과한 점검의 상세도 보여 준다.",
    ("Write a support ticket (markdown) and, with --bundle, a redacted zip or tar.gz to attach to it."): (
        "지원 티켓(markdown)을 쓰고, --bundle 을 주면 거기에 첨부할 가린(redacted) zip 또는 tar.gz 도 만든다."
    ),
    (
        "Examples:\n\n  warboy-triage ticket run.log > ticket.md\n\n  warboy-triage ticket run.log --bundle "
        "ticket.zip --follow-compile-log\n\n  warboy-triage ticket run.log --bundle ticket.zip "
        "--preview\n\nRedaction is on by default: host, user and Kubernetes names, IPs, MACs, e-mails, "
        "keys, tokens, serials, UUIDs and environment values become pseudonyms like `<host-1>` "
        "(docs/redaction.md). The mapping never goes into the bundle."
    ): (
        "예시:\n\n  warboy-triage ticket run.log > ticket.md\n\n  warboy-triage ticket run.log --bundle "
        "ticket.zip --follow-compile-log\n\n  warboy-triage ticket run.log --bundle ticket.zip "
        "--preview\n\n가리기(redaction)는 기본으로 켜져 있다: 호스트, 사용자, Kubernetes 이름, IP, MAC, "
        "이메일, 키, 토큰, 시리얼, UUID, 환경 변수 값이 `<host-1>` 같은 가명으로 바뀐다 "
        "(docs/redaction.md). 원래 값과의 대응표는 묶음에 들어가지 않는다."
    ),
    ("Log files (plain or gzip). Nothing: read a piped log, or write an environment-only ticket."): (
        "로그 파일 (일반 또는 gzip). 없으면: 파이프로 들어온 로그를 읽거나, 환경 정보만 담은 티켓을 쓴다."
    ),
    "Write the ticket markdown here instead of standard output.": "티켓 markdown 을 표준 출력 대신 여기에 쓴다.",
    (
        "Also write a bundle, a zip or (for .tar.gz/.tgz) a tar.gz: redacted logs, report.json, "
        "doctor.json, ticket.md, manifest.json."
    ): (
        "묶음도 쓴다: zip 또는 (.tar.gz/.tgz 이면) tar.gz: 가린 로그, report.json, doctor.json, ticket.md, "
        "manifest.json."
    ),
    "Replace personal and secret values.": "개인 정보와 비밀 값을 바꾼다.",
    ("Show every replacement with its line and what stayed, then write only after you confirm."): (
        "바꾸는 것마다 그 줄과 남은 것을 보여 주고, 확인한 뒤에만 쓴다."
    ),
    ("Add the compile log a named log points at (default: ask when interactive, else no)."): (
        "주어진 로그가 가리키는 컴파일 로그를 추가한다 (기본: 대화형이면 묻고, 아니면 추가하지 않음)."
    ),
    "Probe this machine too.": "이 머신도 점검한다.",
    (
        "For doctor: inspect the packages of this Python interpreter."
    ): "doctor 용: 이 Python 인터프리터의 패키지를 점검한다.",
    ("Keep the pseudonym mapping (original value -> `<host-1>`) in this file, for your own records."): (
        "가명 대응표(원래 값 -> `<host-1>`)를 이 파일에 보관한다, 본인 기록용."
    ),
    ("Check pattern files: list them, validate them, test their examples (exit 1 on any failure)."): (
        "패턴 파일을 점검한다: 나열하고, 검증하고, 예시를 테스트한다 (하나라도 실패하면 1로 종료)."
    ),
    ("List every cause: id, severity, kind, title and the native codes it claims."): (
        "모든 원인을 나열한다: id, 심각도, 종류, 제목, 해당하는 네이티브 코드."
    ),
    ("Patterns directory (default: the bundled one with the user's over it, see `patterns new --help`)."): (
        "패턴 디렉터리 (기본: 번들된 것 위에 사용자 것을 얹은 것, `patterns new --help` 참고)."
    ),
    "Output format (markdown: the table in docs/causes.md).": "출력 형식 (markdown: docs/causes.md 의 표).",
    ("Schema, regexes, unique ids, English and Korean text, and every native error code covered."): (
        "스키마, 정규식, id 중복, 영어와 한국어 텍스트, 모든 네이티브 에러 코드가 다뤄지는지."
    ),
    ("validate, then: examples match, counterexamples do not, no pattern fires on another's examples."): (
        "validate 다음: 예시는 맞고, 반례는 맞지 않으며, 어떤 패턴도 다른 패턴의 예시에서 발생하지 않는지."
    ),
    "CI runs `warboy-triage patterns test`.": "CI는 `warboy-triage patterns test` 를 실행한다.",
    ("Draft a pattern file from a log line no pattern explains: its regex, examples and near misses."): (
        "어떤 패턴도 설명하지 않는 로그 줄로 패턴 파일 초안을 만든다: 정규식, 예시, 비슷하지만 아닌 것."
    ),
    (
        "Examples:\n\n  warboy-triage patterns new --from run.log:57\n\n  warboy-triage patterns new --from "
        "run.log -o ~/.config/warboy-triage/patterns/\n\nPatterns in ~/.config/warboy-triage/patterns/ (or "
        "$WARBOY_TRIAGE_PATTERNS) are layered over the bundled ones: they add causes, or replace a bundled "
        "cause with the same id."
    ): (
        "예시:\n\n  warboy-triage patterns new --from run.log:57\n\n  warboy-triage patterns new --from "
        "run.log -o ~/.config/warboy-triage/patterns/\n\n~/.config/warboy-triage/patterns/ (또는 "
        "$WARBOY_TRIAGE_PATTERNS) 의 패턴은 번들된 패턴 위에 얹힌다: 원인을 더하거나, 같은 id 의 번들 "
        "원인을 바꾼다."
    ),
    ("LOG:LINE, or LOG alone for the first line of its unrecognized-error finding."): (
        "LOG:LINE, 또는 LOG 만 주면 그 로그의 unrecognized-error 결과의 첫 줄."
    ),
    ("Write <id>.toml into this directory instead of printing it."): "출력하는 대신 <id>.toml 을 이 디렉터리에 쓴다.",
    "The pattern id (default: from the line's words).": "패턴 id (기본: 그 줄의 단어들에서).",
    "Show this message and exit.": "이 도움말을 보여 주고 끝낸다.",
    "Overwrite an existing file.": "이미 있는 파일을 덮어쓴다.",
}

PANELS_KO = {"Arguments": "인자", "Options": "옵션", "Commands": "명령"}
# The frame of plain help (typer's core asks gettext for these; the usage prefix is click's default).
FRAME_KO = {
    **PANELS_KO,
    "Usage: ": "사용법: ",
    "required": "필수",
    "default: {default}": "기본값: {default}",
    "env var: {var}": "환경 변수: {var}",
    "Missing command.": "명령이 없음.",
    "No such command {name!r}.": "{name!r} 라는 명령은 없음.",
}
