"""Assertions for autograded cells and self-checks.

Graded notebooks call these instead of writing checks of their own, so a trainee sees
in the test cell the same cited findings the widget shows. Each function raises
``AssertionError`` with a message a trainee can act on, and returns normally when the
point is earned. Case-specific expected values (the right custodian, the right moment)
are passed in by the hidden tests; nothing here knows an exercise's answers.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .evidence_time import parse_timestamp
from .findings import Report
from .law import cite
from .preservation import (
    ELEMENTS,
    _split_ip,
    check_preservation_request,
    parse_preservation_request,
)


def _report(request: Any) -> Report:
    return request if isinstance(request, Report) else check_preservation_request(request)


def _listing(findings) -> str:
    return "\n".join(f"  - {f}" for f in findings)


def assert_element(request: Any, letter: str) -> None:
    """The draft satisfies Article 29(2)(letter); otherwise say which findings stand in the way."""
    if letter not in ELEMENTS:
        raise ValueError(f"Article 29(2) has elements {', '.join(ELEMENTS)}; got {letter!r}")
    report = _report(request)
    if letter in report.missing_elements:
        blocking = [f for f in report.findings if f.element == letter and f.severity.value == "error"]
        provision = cite(f"29(2)({letter})")
        raise AssertionError(
            f"Article 29(2)({letter}) is not satisfied: {provision.summary()}\n{_listing(blocking)}"
        )


def assert_no_findings(request: Any, codes: list[str] | tuple[str, ...], point: str) -> None:
    """None of ``codes`` is among the draft's findings; ``point`` names the practice point."""
    report = _report(request)
    hits = [f for f in report.findings if f.code in codes]
    if hits:
        raise AssertionError(f"{point}:\n{_listing(hits)}")


def assert_has_items(request: Any, point: str, *, kind: str = "", timed: bool = False) -> None:
    """The draft has at least one data item (of identifier ``kind``, with a time if ``timed``)."""
    parsed = parse_preservation_request(request)
    items = [
        i
        for i in parsed.data_items
        if (not kind or i.identifier_type == kind or (kind == "ip" and _is_ip(i.identifier)))
        and (not timed or i.start not in (None, "") or i.end not in (None, ""))
    ]
    if not items:
        what = f"an {kind} data item" if kind else "a data item"
        raise AssertionError(f"{point}: the draft has no {what}{' with a time window' if timed else ''} yet.")


def _is_ip(text: str) -> bool:
    try:
        _split_ip(text)
        return True
    except ValueError:
        return False


def _aware(value: Any) -> datetime | None:
    parsed = parse_timestamp(value)
    return parsed.value if parsed.problem == "" else None


def assert_ip_item(
    request: Any,
    address: str,
    *,
    port: int | None = None,
    covers: tuple[str, str] | None = None,
    max_span_hours: float | None = None,
) -> None:
    """Some data item names ``address`` (and ``port``), its window covers ``covers``, within ``max_span_hours``."""
    parsed = parse_preservation_request(request)
    candidates = []
    for item in parsed.data_items:
        try:
            found, embedded_port = _split_ip(item.identifier)
        except ValueError:
            continue
        if str(found) == address:
            candidates.append((item, item.source_port if item.source_port is not None else embedded_port))
    if not candidates:
        raise AssertionError(f"No data item names the address {address} from the case file.")
    if port is not None and not any(p == port for _, p in candidates):
        raise AssertionError(f"The item for {address} does not give the source port shown in the case file.")
    if covers is None:
        return
    want_start, want_end = (_aware(v) for v in covers)
    problems = []
    for item, _ in candidates:
        start, end = _aware(item.start), _aware(item.end)
        if start is None or end is None:
            problems.append("its window needs a start and an end, both with a UTC offset")
            continue
        if not (start <= want_start and want_end <= end):
            problems.append(
                "its window does not cover the moments in the case file; "
                "check which time zone the log uses"
            )
            continue
        if max_span_hours is not None and end - start > timedelta(hours=max_span_hours):
            problems.append(f"its window is wider than {max_span_hours:g} hours")
            continue
        return
    raise AssertionError(f"The item for {address}: " + "; ".join(sorted(set(problems))) + ".")


def assert_mentions(value: Any, any_of: list[str] | tuple[str, ...], field: str) -> None:
    """``value`` (a text) mentions one of ``any_of`` (case-insensitive)."""
    text = value if isinstance(value, str) else ""
    if not any(word.lower() in text.lower() for word in any_of):
        raise AssertionError(f"'{field}' does not name what the case file points to.")


def request_field(request: Any, name: str) -> Any:
    """A field of the draft as the checker reads it (e.g. ``'custodian'``), for hidden tests."""
    return getattr(parse_preservation_request(request), name)


# ---------------------------------------------------------------------------
# Answer sheets: a dict of cases, answers["case_1"] = {...}
# Used by the exercises "Choose the channel" and "Is this access lawful under Article 32?".
# The expected answers are passed in by hidden tests; the messages never name them.
# ---------------------------------------------------------------------------

_CHANNEL_EXAMPLE = "{'channel': '<channel code>', 'article': '<article, e.g. 29>'}"
_ARTICLE32_EXAMPLE = "{'decision': '32(a)' or '32(b)' or 'not covered', 'unmet': '<condition code or empty>'}"


def _entry(answers: Any, case_id: str, keys: tuple[str, ...], example: str) -> dict:
    """The answer to one case, with the keys it needs; an AssertionError that says how to fix it otherwise."""
    if not isinstance(answers, dict):
        raise AssertionError(
            f"`answers` must be a dict of cases, such as answers['{case_id}'] = {example}; "
            f"it is a {type(answers).__name__}."
        )
    if case_id not in answers:
        raise AssertionError(f"`answers` has no entry '{case_id}': add answers['{case_id}'] = {example}.")
    entry = answers[case_id]
    if not isinstance(entry, dict):
        raise AssertionError(f"{case_id}: the answer must be a dict such as {example}, not a {type(entry).__name__}.")
    missing = [key for key in keys if key not in entry]
    if missing:
        raise AssertionError(f"{case_id}: the answer needs the key(s) {', '.join(repr(k) for k in missing)}: {example}.")
    return entry


def _suggest(value: str, known: Any, what: str) -> str:
    from difflib import get_close_matches

    close = get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"Did you mean '{close[0]}'?" if close else f"Use a code from {what}."


def _case_order(case_id: Any) -> tuple:
    text = str(case_id)
    digits = "".join(ch for ch in text if ch.isdigit())
    return (text.rstrip("0123456789"), int(digits) if digits else 0, text)


def _read_channel_answer(answers: Any, case_id: str):
    """(channel code, Citation) of a well-formed channel answer; AssertionError otherwise."""
    from .channels import channel_catalogue
    from .citations import CitationError, parse_citation

    entry = _entry(answers, case_id, ("channel", "article"), _CHANNEL_EXAMPLE)
    code, article = entry["channel"], entry["article"]
    if not isinstance(code, str) or not code.strip():
        raise AssertionError(f"{case_id}: 'channel' is empty: choose one code from the list of channels.")
    code = code.strip()
    catalogue = channel_catalogue()
    if code not in catalogue:
        raise AssertionError(
            f"{case_id}: '{code}' is not a channel code. {_suggest(code, catalogue, 'the list of channels')}"
        )
    if isinstance(article, bool) or not isinstance(article, (str, int)) or not str(article).strip():
        raise AssertionError(
            f"{case_id}: 'article' is empty: give the article of the Convention the channel rests on, "
            "as text such as '29' or '32(b)'."
        )
    try:
        citation = parse_citation(str(article))
        cite(citation)
    except CitationError as exc:
        raise AssertionError(f"{case_id}: {exc}") from None
    except KeyError:
        raise AssertionError(
            f"{case_id}: Article {article} is not one of the articles this course covers: "
            "check the number (the channels rest on Articles 18 and 23-35)."
        ) from None
    return code, citation


def assert_channel_answer(answers: Any, case_id: str) -> None:
    """``answers[case_id]`` names a known channel code and an article that :func:`parse_citation` reads."""
    _read_channel_answer(answers, case_id)


def assert_channel_choice(answers: Any, case_id: str, accepted: dict[str, Any]) -> None:
    """The answer names one of the ``accepted`` channels and an article that channel rests on.

    ``accepted`` maps each right channel code to the article(s) accepted with it, e.g.
    ``{"preservation_247": ["29", "35"]}``.
    """
    from .channels import channel_catalogue
    from .citations import parse_citation

    unknown = [code for code in accepted if code not in channel_catalogue()]
    if not accepted or unknown:
        raise ValueError(f"accepted must map known channel codes to articles; unknown: {unknown}")
    code, citation = _read_channel_answer(answers, case_id)
    if code not in accepted:
        raise AssertionError(
            f"{case_id}: '{code}' is not the channel to start with in this case. Read the facts again: "
            "is the data at home, in a Party, in a non-Party, or is its location unknown? Is it publicly "
            "available (Article 32(a)), or does the person entitled to disclose it consent (Article 32(b))? "
            "Is it about to be deleted (Article 29) or is a life at risk (Articles 25(3) and 35)? "
            "Is the data stored, or needed in real time (Articles 33 and 34)?"
        )
    articles = accepted[code]
    articles = [articles] if isinstance(articles, str) else list(articles)
    wanted = {(c.instrument, c.article) for c in map(parse_citation, articles)}
    if (citation.instrument, citation.article) not in wanted:
        raise AssertionError(
            f"{case_id}: '{code}' is the right channel, but it does not rest on Article {citation.key}. "
            "The self-check shows the articles each channel you chose rests on."
        )


def channel_answers_table(answers: Any):
    """Self-check: each answer's channel explained from the catalogue, and what is wrong with its form.

    Says nothing about whether a channel is the right one for the case.
    """
    import pandas as pd

    from .channels import channel_catalogue

    columns = ["case", "channel", "name", "delivers", "cannot_deliver", "rests_on", "problem"]
    if not isinstance(answers, dict):
        problem = f"`answers` must be a dict of cases, not a {type(answers).__name__}."
        return pd.DataFrame([{**dict.fromkeys(columns, ""), "problem": problem}], columns=columns)
    rows = []
    catalogue = channel_catalogue()
    for case_id in sorted(answers, key=_case_order):
        entry = answers[case_id] if isinstance(answers[case_id], dict) else {}
        row = {**dict.fromkeys(columns, ""), "case": case_id, "channel": entry.get("channel", "")}
        try:
            _read_channel_answer(answers, case_id)
        except AssertionError as exc:
            row["problem"] = str(exc)
        channel = catalogue.get(str(row["channel"]).strip())
        if channel is not None:
            row.update(
                name=channel.name.get("en", ""),
                delivers=channel.delivers.get("en", ""),
                cannot_deliver=channel.cannot_deliver.get("en", ""),
                rests_on="; ".join(str(c) for c in channel.citations),
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def _read_decision(value: Any) -> str:
    """'32(a)', '32(b)' or 'not covered' from what a trainee typed ('32a', 'Art. 32(b)', 'Not covered'), or ''."""
    from .citations import CONVENTION, CitationError, parse_citation
    from .transborder import DECISION_A, DECISION_B, NOT_COVERED

    if not isinstance(value, str):
        return ""
    text = " ".join(value.replace("_", " ").split()).lower()
    if text == NOT_COVERED:
        return NOT_COVERED
    try:
        citation = parse_citation(text)
    except CitationError:
        return ""
    if citation.instrument == CONVENTION and citation.article == "32" and not citation.paragraph:
        return {"a": DECISION_A, "b": DECISION_B}.get(citation.letter, "")
    return ""


def _read_article32_answer(answers: Any, case_id: str) -> tuple[str, str]:
    """(decision, unmet code or '') of a well-formed Article 32 answer; AssertionError otherwise."""
    from .transborder import NOT_COVERED, unmet_conditions

    entry = _entry(answers, case_id, ("decision", "unmet"), _ARTICLE32_EXAMPLE)
    decision = _read_decision(entry["decision"])
    if not decision:
        raise AssertionError(
            f"{case_id}: 'decision' must be '32(a)', '32(b)' or 'not covered' (Article 32), "
            f"not {entry['decision']!r}."
        )
    raw = entry["unmet"]
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise AssertionError(
            f"{case_id}: 'unmet' must be one condition code as text (or '' when Article 32 applies), "
            f"not a {type(raw).__name__}."
        )
    codes = [c.code for c in unmet_conditions()]
    unmet = raw.strip().lower()
    if unmet and unmet not in codes and f"art32.{unmet}" in codes:
        unmet = f"art32.{unmet}"
    if unmet and unmet not in codes:
        raise AssertionError(
            f"{case_id}: '{raw}' is not a condition code. {_suggest(unmet, codes, 'unmet_conditions_table()')}"
        )
    if decision != NOT_COVERED and unmet:
        raise AssertionError(
            f"{case_id}: you say Article {decision} covers the access, so no condition of it is unmet: "
            "leave 'unmet' empty ('')."
        )
    if decision == NOT_COVERED and not unmet:
        raise AssertionError(
            f"{case_id}: you say Article 32 does not cover the access: name in 'unmet' the condition "
            "that is not met (a code from unmet_conditions_table())."
        )
    return decision, unmet


def assert_article32_answer(answers: Any, case_id: str) -> None:
    """``answers[case_id]`` has a known decision and, only for 'not covered', a known condition code."""
    _read_article32_answer(answers, case_id)


def assert_article32_decision(answers: Any, case_id: str, expected: str) -> None:
    """The answer's decision is ``expected`` ('32(a)', '32(b)' or 'not covered')."""
    from .transborder import DECISIONS

    if expected not in DECISIONS:
        raise ValueError(f"expected must be one of {DECISIONS}, got {expected!r}")
    decision, _ = _read_article32_answer(answers, case_id)
    if decision != expected:
        raise AssertionError(
            f"{case_id}: '{decision}' is not the right decision for these facts. Check each condition: "
            "Article 32(a) needs data that is publicly available, wherever it is stored; Article 32(b) "
            "needs data located in another Party, accessed or received through a computer system in your "
            "territory, with the lawful and voluntary consent of the person who has lawful authority to "
            "disclose it."
        )


def assert_article32_unmet(answers: Any, case_id: str, accepted: Any) -> None:
    """The answer names one of the ``accepted`` condition codes; with none accepted, 'unmet' is empty."""
    from .transborder import unmet_conditions

    accepted = tuple(accepted)
    codes = {c.code for c in unmet_conditions()}
    unknown = [code for code in accepted if code not in codes]
    if unknown:
        raise ValueError(f"accepted holds unknown condition codes: {unknown}")
    _, unmet = _read_article32_answer(answers, case_id)
    right = unmet in accepted if accepted else unmet == ""
    if not right:
        raise AssertionError(
            f"{case_id}: 'unmet' ({unmet or 'empty'}) does not fit the facts of this case. Go through the "
            "conditions of Article 32 in unmet_conditions_table() one by one; where the data is plainly "
            "not public, name the condition that stops Article 32(b)."
        )


def article32_answers_table(answers: Any):
    """Self-check: what each answer's decision and unmet condition mean, and what is wrong with its form.

    Says nothing about whether an answer is right for the case.
    """
    import pandas as pd

    from .messages import ui_text
    from .transborder import NOT_COVERED, unmet_conditions

    columns = ["case", "decision", "what_it_requires", "unmet", "meaning", "problem"]
    if not isinstance(answers, dict):
        problem = f"`answers` must be a dict of cases, not a {type(answers).__name__}."
        return pd.DataFrame([{**dict.fromkeys(columns, ""), "problem": problem}], columns=columns)
    meanings = {c.code: f"{c.meaning} (Art. {c.citation.key})" for c in unmet_conditions()}
    rows = []
    for case_id in sorted(answers, key=_case_order):
        entry = answers[case_id] if isinstance(answers[case_id], dict) else {}
        row = {**dict.fromkeys(columns, ""), "case": case_id, "decision": entry.get("decision", ""),
               "unmet": entry.get("unmet", "")}
        try:
            decision, unmet = _read_article32_answer(answers, case_id)
        except AssertionError as exc:
            row["problem"] = str(exc)
            decision, unmet = _read_decision(row["decision"]), ""
        if decision and decision != NOT_COVERED:
            provision = cite(decision)
            row["what_it_requires"] = f"{provision.summary()} ({provision.citation})"
        elif decision == NOT_COVERED:
            row["what_it_requires"] = f"{ui_text('art32.headline.not_covered')} ({cite('32').citation})"
        row["meaning"] = meanings.get(unmet, "")
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)
