"""Fill-in templates for new referrals and cases, written only where nothing exists yet."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from generator.checks.sections import PROMPT_PREFIX
from generator.core.errors import UsageError
from generator.core.layout import Kind, case_folder, classify, decision_path, referral_path
from generator.loading.repository import Repository
from generator.models import Panel, Status
from generator.models.common import shown


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _prompt(text: str) -> str:
    return f"{PROMPT_PREFIX} {text}_"


def referral_template(repo: Repository, panel: Panel, case_id: str, meeting: date, request_id: str) -> str:
    """The text of a referral template holding every field and section the request needs."""
    case_doc = repo.cases[case_id]
    case = case_doc.model
    request = panel.request_type(request_id)
    if request is None:
        raise UsageError(
            f"panel '{panel.id}' has no request type '{request_id}'; "
            f"choose one of: {', '.join(r.id for r in panel.request_types)}"
        )
    needs = panel.requirements_for(request_id)
    specs = {s.id: s for s in panel.documents}
    lines = [
        "---",
        f"panel: {panel.id}",
        f"meeting: {meeting.isoformat()}",
        f"case: {_quoted(case.id)}",
        f"request: {request.id}",
        "children:",
        *[f"  - {child.id}" for child in case.children],
    ]
    if panel.triggers:
        lines += ["# The eligibility ground, one of:"]
        lines += [f"#   {t.id}: {t.description}" for t in panel.triggers]
        lines += [f"ground: {panel.triggers[0].id}"]
    lines += [
        f"sought: {_quoted(_prompt('what you are asking the panel to decide or recommend, in a sentence'))}",
        f"presenter: {case.worker}",
        "emergency: false",
    ]
    lines += ["documents: []"]
    if needs.documents:
        lines += ["# Required documents: add each as a list item like the example below."]
        for document_id in needs.documents:
            spec = specs[document_id]
            age = f", at most {spec.max_age_days} days old at the meeting" if spec.max_age_days is not None else ""
            chaired = f", chaired by a {' or '.join(spec.chaired_by)}" if spec.chaired_by else ""
            lines += [f"#   {spec.id}: {spec.name}{age}{chaired}"]
        lines += [
            "# - id: <document id>",
            "#   date: YYYY-MM-DD",
            f"#   location: where it is held in {repo.authority.case_system if repo.authority else 'the case record'}",
        ]
    lines += ["authorisations: []"]
    if needs.authorisations:
        lines += ["# Required agreement, in order: " + ", ".join(needs.authorisations)]
        lines += ["# - role: <role>", "#   person: <roster id>", "#   date: YYYY-MM-DD"]
    if needs.scaling:
        lines += [
            "scaling: []",
            "# Signs of Safety scaling, 0 (remove the child) to 10 (safe enough to close):",
            "# - by: <roster id, or a family member's relation to the child>",
            "#   score: 5",
            "#   reasons: why this score",
        ]
    lines += ["---", "", f"# {request.name}: case {case.id} to {panel.short_name} on {meeting.isoformat()}", ""]
    section_specs = {s.id: s for s in panel.sections}
    for section_id in needs.sections:
        section = section_specs[section_id]
        lines += [f"## {section.heading}", "", _prompt(section.prompt), ""]
    return "\n".join(lines)


def case_template(case_id: str, worker: str, team: str) -> str:
    """The text of a new case file: every field, with prompts where only a person can fill it in."""
    lines = [
        "---",
        f"id: {_quoted(case_id)}",
        "children:",
        "  - id: c1",
        f"    name: {_quoted(_prompt('the child’s name as recorded'))}",
        '    date_of_birth: "YYYY-MM-DD"',
        "    # For an unborn baby, use due_date instead of date_of_birth and legal_status: unborn.",
        f"    ethnicity: {_quoted(_prompt('as recorded'))}",
        "    legal_status: cin",
        '    legal_status_since: "YYYY-MM-DD"',
        f"worker: {worker}",
        f"team: {team}",
        "events:",
        '  - date: "YYYY-MM-DD"',
        "    kind: opened",
        "---",
        "",
        f"# Case {case_id}",
        "",
        "Key facts only: the record itself lives in the case-management system.",
        "",
    ]
    return "\n".join(lines)


def write_new(root: Path, relative: str, text: str) -> Path:
    """Write a new file, refusing to overwrite anything that exists."""
    target = root / relative
    if target.exists() or target.is_symlink():
        raise UsageError(f"{relative} already exists; nothing was written")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return target


def new_referral(repo: Repository, case_id: str, panel_id: str, meeting: date, request_id: str | None) -> Path:
    """Scaffold a referral; the request type may be omitted when the panel hears only one."""
    panel = repo.panels.get(panel_id)
    if panel is None:
        raise UsageError(f"there is no panel '{panel_id}'; panels: {', '.join(sorted(repo.panels))}")
    if case_id not in repo.cases:
        raise UsageError(f"there is no case '{case_id}'; create it first with `panel new case`")
    if request_id is None:
        if len(panel.request_types) != 1:
            raise UsageError(
                f"panel '{panel_id}' hears several kinds of request; choose one with --request: "
                + ", ".join(r.id for r in panel.request_types)
            )
        request_id = panel.request_types[0].id
    text = referral_template(repo, panel, case_id, meeting, request_id)
    return write_new(repo.root, referral_path(case_id, meeting, panel_id), text)


def new_case(repo: Repository, case_id: str, worker: str, team: str) -> Path:
    """Scaffold a case file; UsageError for an id that cannot name a case folder (`../x`, `a/b`, a newline)."""
    path = f"{case_folder(case_id)}/case.md"
    location = classify(path)
    if location is None or location.kind is not Kind.CASE:
        raise UsageError(f"'{shown(case_id)}' cannot be a case id: use ASCII letters, digits, '-' and '_'")
    return write_new(repo.root, path, case_template(case_id, worker, team))


def new_correction(repo: Repository, path: str) -> Path:
    """Start the correction of an approved decision at its own meeting: the next version of its sheet.

    The new file is a copy of the decision with `status: draft` and `supersedes:` naming it; the
    original is left exactly as it is.
    """
    location = classify(path)
    if location is None or location.kind is not Kind.DECISION:
        raise UsageError(f"'{path}' is not a decision sheet's path (decisions/<panel>/<meeting-date>/<case-id>.md)")
    doc = repo.decision_by_path.get(path)
    if doc is None:
        if (repo.root / path).is_file():
            raise UsageError(f"{path} has errors and cannot be corrected yet; run `panel check {path}`")
        raise UsageError(f"there is no decision sheet {path}")
    if doc.model.status is not Status.APPROVED:
        raise UsageError(f"{path} is a draft: edit it directly (only approved decisions are corrected by a new sheet)")
    newer = [other.path for other in repo.decisions if other.model.supersedes == path]
    if newer:
        raise UsageError(f"{path} is already superseded by {', '.join(newer)}; correct the latest sheet instead")
    if location.panel is None or location.date is None or location.case is None:  # the layout always names them
        raise UsageError(f"'{path}' does not name its panel, meeting and case")
    target = decision_path(location.panel, location.date, location.case, location.version + 1)
    text = (repo.root / path).read_text(encoding="utf-8")
    return write_new(repo.root, target, correction_text(text, path))


def correction_text(original: str, path: str) -> str:
    """The text of a decision sheet's correction: the original with `status: draft` and `supersedes: <path>`.

    Only those two top-level fields of the front matter change; every other line is kept as written.
    """
    lines = original.splitlines(keepends=True)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if not lines or lines[0].rstrip() != "---" or end is None:
        raise UsageError(f"{path} has no front matter between `---` lines")
    front = _without_key(_without_key(lines[1:end], "status"), "supersedes")
    front += ["status: draft\n", f"supersedes: {path}\n"]
    return "".join([lines[0], *front, *lines[end:]])


def _without_key(lines: list[str], key: str) -> list[str]:
    """The front matter lines less a top-level key and its indented continuation lines."""
    kept: list[str] = []
    skipping = False
    for line in lines:
        top_level = bool(line.strip()) and not line[0].isspace() and not line.startswith("#")
        if top_level:
            skipping = line.split(":", 1)[0].strip() == key
        if not skipping:
            kept.append(line)
    return kept
