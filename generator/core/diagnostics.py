"""Diagnostics as values: every problem the checker and `panel verify` find, with a stable code and name.

A diagnostic never carries document content beyond the offending value: the data is about
children, and diagnostics end up in CI logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How serious a diagnostic is."""

    ERROR = "error"
    """Blocks a pull request: `panel check` exits 1."""
    WARNING = "warning"
    """Worth attention, never blocks."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of problem the checker or `panel verify` can report; `panel explain NAME` prints it."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem at one place in the repository."""

    path: str
    """The file, relative to the repository root; empty when no file applies (a commit's signature)."""
    line: int
    """1-based; 0 when no line applies."""
    code: str
    """The rule's stable code, `P401`."""
    name: str
    """The rule's kebab-case name, `missing-document`."""
    severity: Severity
    """The rule's severity."""
    message: str
    """One sentence that quotes the offending value."""
    hint: str
    """How to fix it."""
    commit: str | None = None
    """The commit id or seal tag name the problem is about (`panel verify`); None for the checker's."""

    def as_dict(self) -> dict[str, str | int | None]:
        """The JSON form: the field names are a public contract. `commit` is there only when set."""
        data: dict[str, str | int | None] = {
            "code": self.code,
            "name": self.name,
            "severity": str(self.severity),
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "hint": self.hint,
        }
        if self.commit is not None:
            data["commit"] = self.commit
        return data


_RULES: dict[str, Rule] = {}


def _rule(code: str, name: str, severity: Severity, summary: str, explanation: str) -> Rule:
    rule = Rule(code, name, severity, summary, explanation.strip())
    if name in _RULES or any(r.code == code for r in _RULES.values()):
        raise RuntimeError(f"duplicate rule {code} {name}")
    _RULES[name] = rule
    return rule


def rules() -> list[Rule]:
    """Every rule, in code order."""
    return sorted(_RULES.values(), key=lambda r: r.code)


def rule_named(name_or_code: str) -> Rule | None:
    """Look a rule up by its kebab-case name or its code (case-insensitive)."""
    key = name_or_code.strip().lower()
    if key in _RULES:
        return _RULES[key]
    for rule in _RULES.values():
        if rule.code.lower() == key:
            return rule
    return None


def make(rule: Rule, path: str, line: int, message: str, hint: str, *, commit: str | None = None) -> Diagnostic:
    """Build a diagnostic for `rule` at `path:line` (1-based; 0 when no line applies), about `commit` if given."""
    return Diagnostic(
        path=path,
        line=max(line, 0),
        code=rule.code,
        name=rule.name,
        severity=rule.severity,
        message=message,
        hint=hint,
        commit=commit,
    )


E, W = Severity.ERROR, Severity.WARNING

# --- P1xx: reading files ------------------------------------------------------------------------
INVALID_FRONT_MATTER = _rule(
    "P101",
    "invalid-front-matter",
    E,
    "The front matter is not valid YAML.",
    """
The block between the opening `---` and the closing `---` must be valid YAML. The message
gives the line where the parser stopped. Common causes: an unquoted value containing `: ` or
starting with `*`, `&`, `!`, `[` or `{`; a missing closing `---`; inconsistent indentation.
Quote values that contain punctuation: `summary: "Mother's view: agrees"`. A Unicode line
separator (U+2028, U+2029, often pasted from a word processor) is refused too: YAML reads it as
the end of a line and folds it into a space inside a quoted value, which editors do not show.
(U+0085 NEXT LINE is a control character, refused as P118 `invisible-character` before this.)
""",
)
MISSING_FRONT_MATTER = _rule(
    "P102",
    "missing-front-matter",
    E,
    "The document has no front matter block.",
    """
Every Markdown document in `cases/`, `panels/` and `decisions/` starts with a front matter block:
a line `---`, the YAML fields, and a closing `---`. Without it the document's facts cannot be
checked. Use `panel new referral` or `panel new case` to start from a template.
""",
)
FRONT_MATTER_NOT_MAPPING = _rule(
    "P103",
    "front-matter-not-mapping",
    E,
    "The front matter is not a set of `key: value` fields.",
    """
The front matter must be a mapping of field names to values. A list (lines starting with `- `)
or a bare value at the top level is refused rather than silently read as empty.
""",
)
DUPLICATE_KEY = _rule(
    "P104",
    "duplicate-key",
    E,
    "The same field appears twice in one mapping.",
    """
YAML parsers silently keep the last of two equal keys, so one of the two values would be lost
without anyone noticing. Remove or merge the duplicate.
""",
)
YAML_ALIAS = _rule(
    "P105",
    "yaml-alias",
    E,
    "YAML anchors and aliases (`&name`, `*name`) are not allowed.",
    """
Anchors and aliases make one value appear in several places; they can also be used to build a
small document that expands to exhaust memory. Write each value out in full.
""",
)
YAML_TAG = _rule(
    "P106",
    "yaml-tag",
    E,
    "YAML tags (`!tag`, `!!type`) are not allowed.",
    """
Tags change how a value is read and can construct arbitrary objects. Write plain values; quote
a value that starts with `!`.
""",
)
NON_STRING_KEY = _rule(
    "P107",
    "non-string-key",
    E,
    "A field name is not text.",
    """
Field names must be plain words. YAML reads `no:` as the boolean false and `1:` as a number;
such keys are refused. Rename the field, or quote it if it really is text.
""",
)
INVALID_ENCODING = _rule(
    "P108",
    "invalid-encoding",
    E,
    "The file is not valid UTF-8.",
    """
Files must be saved as UTF-8. Re-save the file as UTF-8 in your editor; the message gives the
line holding the first byte that is not valid UTF-8.
""",
)
BYTE_ORDER_MARK = _rule(
    "P109",
    "byte-order-mark",
    E,
    "The file starts with a byte-order mark.",
    """
A byte-order mark before `---` hides the front matter from most tools. Save the file as UTF-8
without BOM.
""",
)
CRLF_LINE_ENDINGS = _rule(
    "P110",
    "crlf-line-endings",
    E,
    "The file uses Windows (CRLF) line endings.",
    """
Use Unix line endings (LF). Mixed endings make diffs unreadable and line numbers unreliable.
Configure `git config core.autocrlf input` or set your editor to LF; the file is not rewritten
for you.
""",
)
TAB_INDENTATION = _rule(
    "P111",
    "tab-indentation",
    E,
    "The front matter is indented with a tab.",
    """
YAML does not allow tabs for indentation. Replace the tab with spaces.
""",
)
TOO_DEEP = _rule(
    "P112",
    "too-deep",
    E,
    "The front matter nests too deeply.",
    """
Front matter is limited to a small nesting depth; deeper structures are refused before parsing,
because pathological nesting can crash the YAML parser.
""",
)
FILE_TOO_LARGE = _rule(
    "P113",
    "file-too-large",
    E,
    "The file is larger than the limit.",
    """
Documents are limited in size (see the message). Referrals should be succinct; link to large
reports in the case-management system instead of pasting them.
""",
)
SYMLINK = _rule(
    "P114",
    "symlink",
    E,
    "The path is a symbolic link.",
    """
Symbolic links are refused: they can publish files from outside the repository on the site.
Replace the link with the file itself.
""",
)
UNEXPECTED_FILE = _rule(
    "P115",
    "unexpected-file",
    E,
    "A file is in a place the repository layout does not expect.",
    """
The layout is fixed: `panels/<panel-id>.md`, `panels/roster.yml`, `panels/authority.yml`,
`cases/<case-id>/case.md`, `cases/<case-id>/referrals/<meeting-date>-<panel-id>.md`,
`decisions/<panel-id>/<meeting-date>/meeting.md` and `.../<case-id>.md` (with corrections of an
approved sheet at `.../<case-id>.v2.md`, `.v3.md` and so on: the original carries no number), and
later records under `decisions/<panel-id>/<meeting-date>/records/`. Move the file to where it
belongs.
""",
)

INLINE_COMMENT = _rule(
    "P116",
    "inline-comment",
    E,
    "A `#` after a value starts a YAML comment that drops the rest of the line.",
    """
In YAML, ` #` after a plain value starts a comment: `concern: it's #1 priority` keeps only
`it's`. Quote the whole value if `#` belongs to it, or move the comment to a line of its own.
""",
)
# Hidden characters (generator/core/characters.py): never quoted, only their code points.
BIDI_CONTROL = _rule(
    "P117",
    "bidi-control",
    E,
    "The front matter holds a Unicode bidirectional control character.",
    """
Bidirectional controls (U+202A to U+202E, U+2066 to U+2069, U+200E, U+200F and U+061C) change the
order in which the text around them is shown, not the text itself: with a right-to-left override
a date of birth or a name reads differently on screen from what is recorded, in an editor, a
review and on the site alike. Front matter holds names, dates and ids, which never need one, so
the document is refused until it is removed. The message names the line and the code point,
never the value. An escape in a quoted value (`"\\u202e"`) counts as the character. Most
editors show these characters only with "show invisibles" turned on. A refused
document's values never reach the site: its page shows the problem instead.
""",
)
INVISIBLE_CHARACTER = _rule(
    "P118",
    "invisible-character",
    E,
    "The front matter holds an invisible or control character.",
    """
Zero-width characters (U+200B to U+200D, U+2060 to U+2064), a byte-order mark (U+FEFF) anywhere but
at the start, control characters other than tab and line feed (C0 and C1), U+180E, the soft hyphen
(U+00AD), tag characters (U+E0000 to U+E007F) and the interlinear annotation marks (U+FFF9 to
U+FFFB) show nothing, or nothing reliable, yet are part of the value: two case ids or names that
look the same differ, a search misses a name, a value hides text. They usually arrive by copying
from a web page, a PDF or a word processor. The document is refused until the character is
removed; the message names the line and the code point, never the value.
""",
)
HIDDEN_IN_NARRATIVE = _rule(
    "P119",
    "hidden-character-in-narrative",
    W,
    "The narrative (the Markdown after the front matter) holds a bidirectional control or invisible character.",
    """
The characters `bidi-control` (P117) and `invisible-character` (P118) refuse in front matter are
shown, not obeyed, in a narrative: the site replaces each with a visible mark naming its code
point (`[U+202E]`), so no sentence can be made to read backwards or hide text, and a reader sees
that something is there. Nothing is removed from the file. Remove the character (it was most
likely pasted in with the text) and the mark goes.
""",
)
UNSAFE_PATH = _rule(
    "P121",
    "unsafe-path",
    E,
    "A field that names a file could lead outside the repository.",
    """
`supersedes:` and `refers_to:` name another document by its path from the repository's root,
such as `decisions/cmr/2026-10-20/205104.md`. The generator opens and links what they name, so
the path must stay inside the repository: plain ASCII letters, digits, `-`, `_` and `.` in each
part, parts joined by `/`. An absolute path (`/etc/passwd`), a `..` part, a backslash, a NUL or
other control character (a trailing newline included), a space, or a letter from another script
that looks like a Latin one is refused, and the document is not read until it is corrected.
""",
)
INVALID_PATTERN = _rule(
    "P122",
    "invalid-pattern",
    E,
    "A regular expression in the settings does not compile.",
    """
`case_id_pattern` in `panels/authority.yml` is a regular expression every case id must match in
full, such as `[0-9]{6}` or `[A-Z]{2}[0-9]{5}`. This one is not a regular expression Python can
read; the message gives the reason and where in the pattern it is (the first character is
position 1). Until it is corrected, case ids are not checked against it. Python also warns about
a pattern it reads differently from other engines (`[[:digit:]]` is not a digit class in Python):
those are refused too.
""",
)
UNSUPPORTED_PATTERN = _rule(
    "P123",
    "unsupported-pattern",
    E,
    "A regular expression in the settings needs backtracking, which could hang the checker.",
    """
Settings patterns are matched by a linear-time engine, so that no case id, however long, can
make the checker take exponential time (`(([0-9])+)+` against `1111...1x` would take Python's
own engine longer than a day). That engine refuses what only a backtracking engine can do:
backreferences (`\\1`), lookahead and lookbehind (`(?=...)`, `(?<!...)`), atomic groups
(`(?>...)`), `\\Z` (write `$`), `{,n}` (write `{0,n}`), and patterns so large they would take too
much memory to compile. Write the pattern without them; a case id pattern rarely needs more than
character classes and counts. Until it is corrected, case ids are not checked against it.
""",
)
UNREADABLE_FILE = _rule(
    "P124",
    "unreadable-file",
    E,
    "A file in a document folder could not be read.",
    """
The file is there but could not be opened: the message gives the system's reason (permission
denied, for instance), or says that it is not a regular file (a named pipe or a device, which
git cannot hold and which would never finish reading). The rest of the repository is still
checked and built.
""",
)

# Audience rules (`audiences:` in panels/authority.yml; `panel build --audience NAME`).
DUPLICATE_AUDIENCE = _rule(
    "P125",
    "duplicate-audience",
    E,
    "Two audience rules in the settings have the same name.",
    """
`panel build --audience NAME` picks one rule of `audiences:` in `panels/authority.yml` by its
`name`. Two rules with one name would leave it unclear which one a site was built by, and a
redacted site could come out wider than intended. Give each rule its own name. Until it is
corrected, neither rule can be built.
""",
)
UNKNOWN_AUDIENCE_PANEL = _rule(
    "P126",
    "unknown-audience-panel",
    E,
    "An audience rule names a panel the repository does not have.",
    """
An audience's `panels:` lists the panel ids (the names of the files in `panels/`, such as `cdm`)
whose material its site holds. A misspelt id would silently leave that panel's material out, so
it is refused; leave `panels:` out altogether for every panel. An empty list is refused too: the
site would hold no panel at all. Until it is corrected, the rule cannot be built.
""",
)
AUDIENCE_CONTRADICTION = _rule(
    "P127",
    "audience-contradiction",
    E,
    "An audience rule lets its downloads show more than its pages.",
    """
An audience whose pages show children by their initials (`names: initials`) cannot have downloads
that carry full names (`exports: full`): the tracker and calendars would give away what the site
withholds. Widen the pages too (`names: full`) if the audience needs full names, or keep
`exports: initials`. Until it is corrected, the rule cannot be built.
""",
)
UNKNOWN_AUDIENCE_TEAM = _rule(
    "P128",
    "unknown-audience-team",
    E,
    "An audience rule names a team the settings do not have.",
    """
An audience's `outside_teams:` lists the teams (ids from `teams:` in `panels/authority.yml`, such
as `partners`) whose people are not the council's staff, so that its site names them by their role
only. A misspelt id would leave those people named, so it is refused. Until it is corrected, the
rule cannot be built.
""",
)

# --- P13x: the built site (generator/site/site_scan.py, after every build) ------------------------
# The path is the page's, in the built site; the line is the page's line. Never the page's text.
PAGE_INLINE_SCRIPT = _rule(
    "P131",
    "page-inline-script",
    E,
    "A built page has a script that is not one of the site's own files.",
    """
Every script a page runs is one of the site's own files (`script-src 'self'`): Material's inline
scripts are moved to files by the theme override. An inline script, a script whose file is not in
the site, or a script from a URL outside it means something in the pipeline let a document's text
become code. The build stops before the new site replaces the old one, so the page is never
published; the previous site stays. Report it: it is a bug in the generator, not in the document.
""",
)
PAGE_EVENT_HANDLER = _rule(
    "P132",
    "page-event-handler",
    E,
    "A built page has an event-handler attribute (`onclick`, `onerror`, ...).",
    """
No element of a built page carries an `on...` attribute: each is a script. The build stops before
the new site replaces the old one, and the previous site stays. Report it as a generator bug.
""",
)
PAGE_OUTSIDE_URL = _rule(
    "P133",
    "page-outside-url",
    E,
    "A built page links to or loads something outside the site, or a `javascript:` or `data:` URL.",
    """
The site makes no request outside itself and runs no script from a URL: every `href`, `src`,
`srcset`, `action`, `formaction`, `poster` and `url(...)` in a style is relative to the site (or a
`mailto:` link). A `javascript:` URL is a script; a `data:` URL carries content from nowhere; an
address with a host (`https://...`, `//host/...`) leaves the site, taking the reader's address and
the page's with it. The message names the attribute and the URL's scheme, never the address.
The build stops before the new site replaces the old one.
""",
)
PAGE_FORBIDDEN_ELEMENT = _rule(
    "P134",
    "page-forbidden-element",
    E,
    "A built page has an element the site never writes (`base`, a refresh, a frame, an object, a style).",
    """
`<base>` moves every relative link elsewhere; `<meta http-equiv="refresh">` sends the reader to
another page; `<iframe>`, `<frame>`, `<object>`, `<embed>` and `<applet>` load other content into
the page; a `<style>` element can hide or rewrite what follows it. The site's pages have none of
them. The build stops before the new site replaces the old one.
""",
)
PAGE_WITHOUT_POLICY = _rule(
    "P135",
    "page-without-policy",
    E,
    "A built page does not carry the site's Content-Security-Policy before its first script or stylesheet.",
    """
Every HTML page the build writes (Material's pages, printouts, the 404 page) carries the policy
of generator/site/content_policy.py as a `<meta http-equiv="Content-Security-Policy">` in its head,
before anything it loads: a policy that comes later does not cover what came before it. A page
without it (or with another policy) means a template lost the override. The build stops before
the new site replaces the old one.
""",
)
PAGE_HIDDEN_CHARACTER = _rule(
    "P136",
    "page-hidden-character",
    E,
    "A built page holds a bidirectional control or an invisible character.",
    """
Hidden characters are refused in front matter (`bidi-control`, `invisible-character`) and shown as
visible marks in narrative (`hidden-character-in-narrative`), so none should reach a page. One that
did came in by a path the generator does not escape; the message gives its code point. The build
stops before the new site replaces the old one.
""",
)
PAGE_STYLE_ATTRIBUTE = _rule(
    "P137",
    "page-style-attribute",
    E,
    "A built page has a `style` attribute the site does not write.",
    """
The only `style` attributes on the site's pages are the table-cell alignments Python-Markdown
writes (`text-align: left;`, `right;` or `center;`), allowed by hash in the Content-Security-Policy.
Any other can hide text, lay one thing over another or load an address (`url(...)`). The build
stops before the new site replaces the old one.
""",
)


# --- P2xx: fields ---------------------------------------------------------------------------------
UNKNOWN_FIELD = _rule(
    "P201",
    "unknown-field",
    E,
    "A field name is not one this kind of document has.",
    """
Unknown fields are refused so that a misspelt field (`genogramm`) is not silently ignored. The
hint suggests the closest known field. `panel schema` writes JSON Schema files so your editor
can flag these as you type.
""",
)
MISSING_FIELD = _rule(
    "P202",
    "missing-field",
    E,
    "A required field is missing.",
    """
The document lacks a field that this kind of document must have. `panel new` writes a template
holding every field.
""",
)
INVALID_VALUE = _rule(
    "P203",
    "invalid-value",
    E,
    "A field's value has the wrong type or is not one of the allowed values.",
    """
The message names the field and what it expects. Yes/no fields take `true` or `false` (not
`yes`, `no` or `Y`); ids are text; numbers are whole numbers.
""",
)
INVALID_DATE = _rule(
    "P204",
    "invalid-date",
    E,
    "A date is not a real calendar date in the form YYYY-MM-DD.",
    """
Dates are written as ISO 8601 `YYYY-MM-DD`, e.g. `2026-03-09`. Day-first dates such as
`09/03/2026` are ambiguous and refused; impossible dates such as `2026-02-30` are refused, and
so are dates outside the years 1900 to 2199 (`0001-01-01`, `9999-12-31`): deadlines and clocks
add days and years to dates, which at the ends of the calendar cannot be done.
""",
)

# --- P3xx: references and names -------------------------------------------------------------------
UNKNOWN_PANEL = _rule(
    "P301",
    "unknown-panel",
    E,
    "The document names a panel that has no file in `panels/`.",
    """
Panel ids are the file names in `panels/` (`clam`, `cdm`, `cmr`, ...). Check the spelling; the
hint suggests the closest id.

`panel verify` reports it too, for a commit that changes a decision sheet or approves minutes
under `decisions/<panel-id>/`, or for a seal `seal/<panel-id>/<date>`, when HEAD has no
`panels/<panel-id>.md`: without the panel's terms nobody can say who may sign for it, so the
signature cannot be accepted. Restore or add the panel's terms, or move the records to the panel
they belong to.
""",
)
UNKNOWN_CASE = _rule(
    "P302",
    "unknown-case",
    E,
    "The document names a case that has no `cases/<id>/case.md`.",
    """
A decision, meeting record or referral names a case id that the repository does not hold. Add
the case first with `panel new case`, or correct the id.
""",
)
ID_MISMATCH = _rule(
    "P303",
    "id-mismatch",
    E,
    "An id in the front matter does not match the file's path.",
    """
The folder and file names are the index of the repository: a case's `id` must equal its folder
name, a referral's `panel` and `meeting` must match its file name, and so on. Move the file or
correct the field; nothing is renamed for you.
""",
)
NAME_IN_FILE_NAME = _rule(
    "P304",
    "name-in-file-name",
    E,
    "A file or folder name contains a person's name.",
    """
File names are seen in places the content is not (commit lists, pull request titles, backups).
They must never carry a child's or a worker's name: use the case id and dates only.
""",
)
INVALID_ID = _rule(
    "P305",
    "invalid-id",
    E,
    "An id or file name is not in the allowed form.",
    """
Ids use plain ASCII lowercase letters, digits and hyphens (case ids follow the authority's
`case_id_pattern`). Look-alike letters, other scripts, upper case and very long names are
refused because they collide or fail to check out on some systems.
""",
)
UNKNOWN_REQUEST_TYPE = _rule(
    "P306",
    "unknown-request-type",
    E,
    "The referral names a request type the panel does not hear.",
    """
Each panel lists the kinds of request it hears. The hint lists those of the panel named.
""",
)
UNKNOWN_CHILD = _rule(
    "P307",
    "unknown-child",
    E,
    "A child id is not one of the case's children.",
    """
Referrals and decisions name children by the ids given in the case file's `children` list.
""",
)
UNKNOWN_PERSON = _rule(
    "P308",
    "unknown-person",
    E,
    "A person id is not in the roster.",
    """
People (workers, managers, chairs, members) are named by their id in `panels/roster.yml`.
""",
)
DUPLICATE_ID = _rule(
    "P309",
    "duplicate-id",
    E,
    "Two documents or entries share one id.",
    """
Ids must be unique: two roster entries, two children in a case or two outcomes in a panel with
the same id make references ambiguous.
""",
)
UNKNOWN_REFERENCE = _rule(
    "P310",
    "unknown-reference",
    E,
    "A document points at a document or item that does not exist.",
    """
Later records and superseding decisions name what they update. The target must exist.
""",
)

# --- P4xx: completeness ---------------------------------------------------------------------------
MISSING_DOCUMENT = _rule(
    "P401",
    "missing-document",
    E,
    "A document the panel requires for this request is not listed.",
    """
Each panel's terms of reference list the papers a referral must come with, sometimes by request
type (CDM pre-proceedings requests need the draft letter before proceedings). List the document
under `documents:` with its date and where it is held in the case-management system.
""",
)
STALE_DOCUMENT = _rule(
    "P402",
    "stale-document",
    E,
    "A required document is older than the panel allows.",
    """
"Updated" and "recent" documents have a maximum age, counted in days back from the meeting
date. Update the document in the case-management system and record its new date.
""",
)
MISSING_AUTHORISATION = _rule(
    "P403",
    "missing-authorisation",
    E,
    "An authorisation the panel requires is missing.",
    """
Panels require a chain of agreement before a case may be heard (CLAM: practice manager and group
manager; CMR: worker, team manager and service manager). Add each under `authorisations:` with
the person's roster id and the date.
""",
)
MISSING_SECTION = _rule(
    "P404",
    "missing-section",
    E,
    "A narrative section the panel requires is missing or unfilled.",
    """
The referral body must have a `## ` heading for each section the panel requires, with text of
its own under it (template prompts do not count).
""",
)
AUTHORISER_LACKS_ROLE = _rule(
    "P405",
    "authoriser-lacks-role",
    E,
    "The person who authorised does not hold the role required.",
    """
An authorisation counts only when the roster gives the person the role the panel requires.
""",
)
DOCUMENT_DATED_AFTER_MEETING = _rule(
    "P406",
    "document-dated-after-meeting",
    E,
    "A document or authorisation is dated after the meeting.",
    """
Papers and authorisations must exist before the panel sits. A later date is usually a typing
mistake.
""",
)
INELIGIBLE_REFERRAL = _rule(
    "P407",
    "ineligible-referral",
    E,
    "The case does not meet the eligibility ground the referral claims.",
    """
Panels hear cases that meet their triggers (CMR: open six months or more as CIN or CP; CP panel:
on a plan more than seven months). The ground named in the referral is checked against the
case's key events as at the meeting date.
""",
)
MISSING_SCALING = _rule(
    "P408",
    "missing-scaling",
    E,
    "A required safety scaling is missing or out of range.",
    """
Panels that use Signs of Safety ask for scaling from 0 (so dangerous the child must be removed)
to 10 (safe enough to close), with reasons, from at least the worker.
""",
)

# --- P5xx: time ------------------------------------------------------------------------------------
LATE_REFERRAL = _rule(
    "P501",
    "late-referral",
    E,
    "The referral arrived after the panel's referral deadline.",
    """
Lateness is judged by when the referral entered the repository (the commit that added it, or the
time of the check for a referral not yet committed), never by a date typed in the file. The chair
may defer a late referral; ask the panel coordinator for the emergency slot if the case cannot
wait.
""",
)
NOT_A_MEETING_DATE = _rule(
    "P502",
    "not-a-meeting-date",
    E,
    "The panel does not sit on the date given.",
    """
The meeting date must be one of the panel's scheduled meetings (see `panel meetings PANEL`) or a
meeting that has a meeting record in `decisions/`.
""",
)
TERMS_PAST_REVIEW = _rule(
    "P503",
    "terms-past-review",
    W,
    "The panel's terms of reference are past their review date.",
    """
Every terms of reference carries its review date. Past it, the terms still apply, but the panel
should review them.
""",
)
PRESENTATION_OVERDUE = _rule(
    "P504",
    "presentation-overdue",
    E,
    "A case was not brought to panel within the time its trigger allows.",
    """
Some triggers carry their own clock (CLAM: an unplanned emergency entry to care must be presented
within 7 working days). The referral's meeting is after that date.
""",
)
HOLIDAY_RULE_UNSTATED = _rule(
    "P520",
    "holiday-rule-unstated",
    W,
    "A panel's schedule does not say what happens when a meeting's day is a bank holiday.",
    """
Every series of scheduled meetings must say what happens to a meeting whose usual day is a bank
holiday or a local closure day: `on_holiday: next-working-day`, `previous-working-day`, `skip` or
`hold`, under `cadence` (for every series) or on one series. Without it the meeting is skipped,
which for a monthly series means a month with no panel at all: cases wait a month longer and
nobody decided that they should. Write down what the terms (or the panel's practice) say.
""",
)

# --- P6xx: meetings and decisions ---------------------------------------------------------------
OUTCOME_NOT_ALLOWED = _rule(
    "P601",
    "outcome-not-allowed",
    E,
    "A decision uses an outcome outside the panel's vocabulary.",
    """
Each panel can make only the decisions its terms of reference give it. The hint lists the
outcomes that panel allows.
""",
)
QUORUM_NOT_MET = _rule(
    "P602",
    "quorum-not-met",
    E,
    "The meeting record does not show a quorate panel.",
    """
Decisions need a quorate panel (CDM: chair, a children's social care service manager and legal;
CMR: chair and at least two members). The message says what was missing.
""",
)
TOO_MANY_MEMBERS = _rule(
    "P603",
    "too-many-members",
    W,
    "More panel members attended than the terms of reference allow.",
    """
Some panels cap attendance (CMR: at most eight members). The record shows more.
""",
)
CONFLICTED_MEMBER_DECIDED = _rule(
    "P604",
    "conflicted-member-decided",
    E,
    "A member with a declared conflict took part in the item.",
    """
A member who declares a conflict of interest for a case withdraws from that item; the decision
must not list them among those whose views were taken.
""",
)
DECISION_WITHOUT_MEETING = _rule(
    "P605",
    "decision-without-meeting",
    E,
    "A decision sheet has no meeting record beside it.",
    """
Every `decisions/<panel>/<date>/<case-id>.md` needs the `meeting.md` of that meeting.
""",
)
DISSENT_NOT_RECORDED = _rule(
    "P606",
    "dissent-not-recorded",
    E,
    "The chair decided against the majority without recording dissent.",
    """
Where the chair decides against the view of the members, the dissenting views must be recorded.
""",
)
ACTION_DUE_AFTER_REVIEW = _rule(
    "P607",
    "action-due-after-review",
    W,
    "An action is due after the date the case returns to panel.",
    """
Actions normally fall due before the review date so the panel can see them done.
""",
)
CHAIR_NOT_QUALIFIED = _rule(
    "P608",
    "chair-not-qualified",
    E,
    "The chair does not hold a role the panel allows to chair.",
    """
Each panel names who may chair it (CLAM: service lead or head of service). The roster must give
the chair one of those roles.
""",
)

ESCALATION_OFF_PATH = _rule(
    "P609",
    "escalation-off-path",
    E,
    "An action was escalated to a role outside the panel's escalation path.",
    """
Each panel's terms say where overdue actions go (CLAM: the group manager; CP panel: the IRS
service manager, then the group manager, then the dispute resolution process). An escalation
record must name one of those roles.
""",
)
HEARD_WITHOUT_DECISION = _rule(
    "P610",
    "heard-without-decision",
    E,
    "A case the meeting heard has no decision sheet.",
    """
Every case listed under `heard:` in a meeting record needs its decision sheet,
`decisions/<panel>/<date>/<case-id>.md`: the chair signs the sheet at the meeting.
""",
)
OVER_CAPACITY = _rule(
    "P611",
    "over-capacity",
    W,
    "More cases are booked for a meeting than it can hear.",
    """
Some panels cap the cases heard at one meeting (CMR: six). Referrals beyond the cap, taken in the
order they were booked, are tabled to the next meeting unless the chair decides otherwise.
""",
)
DISTRIBUTION_INCOMPLETE = _rule(
    "P612",
    "distribution-incomplete",
    E,
    "Minutes were distributed without reaching everyone the terms name.",
    """
Some panels name who must receive the minutes (CDM: the fostering and adoption service managers,
so specialist resources are found early). When the meeting record dates the distribution, its
`distributed_to` list must include someone in each of those roles.
""",
)
ACTION_OWNER_LACKS_ROLE = _rule(
    "P613",
    "action-owner-lacks-role",
    W,
    "An action's owner is not in a role the panel makes responsible.",
    """
The terms of reference say who progresses agreed actions (CLAM: the practice manager; CMR: the
team manager and social worker). An action owned by someone else is allowed, but the accountable
role should know it is theirs to track.
""",
)
EMERGENCY_SLOT_UNAVAILABLE = _rule(
    "P614",
    "emergency-slot-unavailable",
    E,
    "A referral asks for an emergency slot the meeting does not have.",
    """
Only panels with emergency slots take last-minute cases (CLAM: one a week), and only as many as
there are slots. Ask the coordinator about another meeting, or remove `emergency: true`.
""",
)
ITEM_NOT_QUORATE = _rule(
    "P620",
    "item-not-quorate",
    E,
    "A case was heard when, for that item, the panel was not quorate.",
    """
Quorum is counted item by item. A member who declared a conflict in a case and withdrew does not
count for that case (a chair who withdrew leaves the item without its chair), and someone invited
for particular cases (`items:` on the attendee, such as a partner agency's representative) counts
only for those. The meeting as a whole was quorate, but for this case the chair, a required role
or enough members were missing. Record who stood in, or defer the case to a quorate meeting.
""",
)
INVITED_WITHOUT_ITEMS = _rule(
    "P621",
    "invited-without-items",
    E,
    "Someone the terms invite for particular cases only is recorded as attending the whole meeting.",
    """
The panel's terms invite this role for the cases they know (`attends: invited-items`, such as a
partner agency's representative at CMR): they attend, and count as members, only for those items.
List the case ids they attended for under the attendee's `items:`.
""",
)
LEGAL_ABSENT_FOR_ADVICE = _rule(
    "P622",
    "legal-absent-for-advice",
    E,
    "A decision that needs legal advice was made without legal services present for it.",
    """
The terms require legal services to attend every decision that needs legal advice (at CDM: entering,
continuing or ending pre-proceedings, issuing care proceedings, other legal interventions; the
panel file marks these outcomes `needs_legal_advice: true`). Nobody in the legal role attended for
this case, or they withdrew from it.
""",
)
LEGAL_PAPERS_NOT_RECEIVED = _rule(
    "P623",
    "legal-papers-not-received",
    E,
    "A decision that needs legal advice does not record that legal services had the papers beforehand.",
    """
Legal services must have received all the relevant papers before a decision that needs legal
advice. Record the day they received them as `legal_papers_received:` on the decision sheet; a day
after the meeting means they did not have them when the decision was made.
""",
)

# --- P7xx: nothing lost, nothing rewritten (against the base of a pull request) ---------------------
APPROVED_DECISION_CHANGED = _rule(
    "P701",
    "approved-decision-changed",
    E,
    "A decision sheet that was approved at the base was edited or deleted.",
    """
Checked by `panel check --changed --base REF`. An approved decision is the record of what the
panel decided: it is never edited or deleted, not even to correct a typing mistake. To correct
it, leave the file as it was at the base and add a new decision sheet whose `supersedes:` names
its path; the new sheet is approved in its turn. The message says whether the file was edited
(at the first line that differs) or deleted. A draft decision may be edited freely.
""",
)
APPROVED_MINUTES_CHANGED = _rule(
    "P702",
    "approved-minutes-changed",
    E,
    "A meeting record that was approved at the base was edited or deleted.",
    """
Checked by `panel check --changed --base REF`. Once the chair approves the minutes
(`status: approved` in `meeting.md`), the record of the meeting is final. Restore the file as it
was at the base. What happens afterwards (an action done, a due date changed, an escalation, a
note) is a new file under the meeting's `records/` folder; a changed decision is a new decision
sheet that supersedes the old one.
""",
)
HEARD_REFERRAL_CHANGED = _rule(
    "P703",
    "heard-referral-changed",
    E,
    "A referral the panel has heard was edited or deleted.",
    """
Checked by `panel check --changed --base REF`. A referral is heard once, at the base, its case
is listed under `heard:` in the meeting record or a decision sheet exists for it at that meeting.
The panel decided on what the referral said then, so it is never edited or deleted afterwards.
Restore the file as it was at the base; new information goes into a new referral to a later
meeting.
""",
)
SUPERSEDED_TWICE = _rule(
    "P704",
    "superseded-twice",
    E,
    "Two decision sheets supersede the same decision.",
    """
A decision is replaced by exactly one later decision; corrections of a correction supersede the
latest sheet, so the sheets form one line. Point the newer sheet's `supersedes:` at the sheet
that replaced the old one.
""",
)
SUPERSESSION_LOOP = _rule(
    "P705",
    "supersession-loop",
    E,
    "Decision sheets supersede each other in a circle.",
    """
Following `supersedes:` from sheet to sheet must end at an original decision. A sheet that
supersedes itself, or a chain that comes back to where it started, leaves no decision standing.
Correct the `supersedes:` of the sheet that was added last.
""",
)
SUPERSESSION_MISMATCH = _rule(
    "P706",
    "supersession-mismatch",
    E,
    "A decision supersedes a decision about another case or of another panel.",
    """
A superseding sheet corrects or replaces a decision of the same panel about the same case. A
decision of another panel, or about another case, is a decision in its own right and supersedes
nothing: check the path in `supersedes:`.
""",
)
DRAFT_SUPERSEDED = _rule(
    "P707",
    "draft-superseded",
    E,
    "A decision names a draft decision in `supersedes:`.",
    """
Only approved decisions are superseded: a draft is still being written and is simply edited.
Edit the draft instead, and remove the superseding sheet (or its `supersedes:`).
""",
)
UNAUTHORISED_MACHINERY_CHANGE = _rule(
    "P708",
    "unauthorised-machinery-change",
    E,
    "A pull request changes the machinery and was not made by a maintainer.",
    """
Checked by `panel check --changed --base REF`. Files outside the document folders run or
configure code in CI: the generator and its templates, `mkdocs.yml`, hooks (`.pre-commit-hooks.yaml`,
`.pre-commit-config.yaml`, `hooks/`, `.githooks/`), workflows (`.github/`, `.gitlab-ci.yml`),
`.ci/`, `scripts/`, `tests/`, `Makefile`, `pyproject.toml` and anything else outside `panels/`,
`cases/`, `decisions/`, `docs/` and the top-level Markdown files. Some files grant authority and
count too: a panel's terms of reference (`panels/<panel-id>.md`: who chairs, who may deputise,
quorum, who must authorise), the authority's settings (`panels/authority.yml`: the audit start,
closure days, the case id pattern) and every code-owners file (`CODEOWNERS`, `.github/CODEOWNERS`,
`docs/CODEOWNERS`, `.gitlab/CODEOWNERS`), as does anything in `docs/` that is not documentation
(Markdown, text or an image). Every commit on the branch
that touched such a file must be authored and committed by someone who holds the `maintainer`
role in the roster as it is at the base (matched by email), so a pull request cannot make its
own author a maintainer. Ask a maintainer to make the change, or split it out of your pull
request.
""",
)
UNAUTHORISED_ROSTER_CHANGE = _rule(
    "P709",
    "unauthorised-roster-change",
    E,
    "A pull request changes who may do what in the roster and was not made by a maintainer.",
    """
Checked by `panel check --changed --base REF`. The roster decides who may chair, sign and
maintain: adding or removing a person, or changing anyone's `roles`, `signing_keys`, `email` or
`delegate_for`, must come from a maintainer (by the roster at the base). Names and teams may be
changed by anyone. Ask a maintainer to make the change.
""",
)
EXAMPLE_SIGNING_KEY = _rule(
    "P710",
    "example-signing-key",
    E,
    "The roster trusts one of the bundled example keys, whose private halves are published.",
    """
The example's keys in `demo/keys/` are published on purpose so the demo's history can be signed
on any machine: a signature made with one proves nothing. A council's roster that still holds one
(copied with the example roster) would let anyone sign as that person. Only the bundled example
itself (a demo date and an authority name ending "(fictional example)") may hold them. Replace
the key with the person's own public key, and the example people with your own staff.
""",
)
RECORD_CHANGED = _rule(
    "P711",
    "record-changed",
    E,
    "A record under `records/` that exists at the base is edited or deleted.",
    """
Checked by `panel check --changed --base REF`. Records (an action done, escalated or given a new
date, a note) are append-only: each says what happened on a day, and later events come as new
records. Restore the record and add a new one that says what has changed since.
""",
)
CORRECTION_OUT_OF_LINE = _rule(
    "P712",
    "correction-out-of-line",
    E,
    "A numbered correction of a decision sheet does not supersede the version before it.",
    """
A decision approved at a meeting is corrected at the same meeting by a new sheet beside it:
`<case-id>.v2.md` corrects `<case-id>.md`, `<case-id>.v3.md` corrects `<case-id>.v2.md`, and so
on, so the versions form one line and the site shows the latest as the meeting's decision. Each
numbered sheet must name the version just before it in `supersedes:`. `panel new correction
PATH` writes the next version with `supersedes:` filled in.
""",
)

# --- P8xx: the signed audit trail (`panel verify` and the pre-receive hook) -----------------------
# P80x-P81x judge one commit, P82x one seal, P83x the repository's objects. A diagnostic here
# carries the commit id (or the seal's tag name) it is about; the path is empty when no file is.
UNSIGNED = _rule(
    "P801",
    "unsigned",
    E,
    "A commit is not signed.",
    """
Reported by `panel verify`. Every commit in the audit trail, merge commits included, must carry
an SSH signature by its committer's key from `panels/roster.yml`: the signature is what shows who
made the change. An unsigned commit could have been made by anyone who can push.

To fix it before the commit is merged, set up signing (`git config gpg.format ssh`,
`git config user.signingkey ~/.ssh/id_ed25519.pub`, `git config commit.gpgsign true`) and sign
the commit again: `git commit --amend --no-edit -S` for the last commit, or
`git rebase --exec 'git commit --amend --no-edit -S' BASE` for several. A merge made with the
hosting site's merge button is not signed with a roster key (docs/branch-protection.md says how
to merge instead). A commit already on the protected branch cannot be signed again without
rewriting history, which is refused: a maintainer finds out who made it and, once satisfied, may
move `audit_start` in `panels/authority.yml` past it (the commits before it are then not verified).
""",
)
BAD_SIGNATURE = _rule(
    "P802",
    "bad-signature",
    E,
    "A commit's signature does not match the commit.",
    """
Reported by `panel verify`. Git's check of the signature failed (`%G?` is `B`): the commit was
changed after it was signed (its message, author, date or files), or the signature was copied
from another commit. Either way the signature no longer vouches for what the commit holds.

Treat it as a possible tampering until you know otherwise. If the change is your own work on a
branch, sign the commit again (`git commit --amend --no-edit -S`). If it is on the protected
branch, ask a maintainer to compare it with a trusted copy of the repository before anything else
is merged.
""",
)
EXPIRED_SIGNATURE = _rule(
    "P803",
    "expired-signature",
    E,
    "A commit's signature has expired.",
    """
Reported by `panel verify`. Git says the signature itself has expired (`%G?` is `X`): it was
made to be valid only until a date that has passed, so it no longer vouches for the commit. Sign
the commit again with the SSH key the roster gives you (`git commit --amend --no-edit -S`).
""",
)
SIGNATURE_NOT_CHECKED = _rule(
    "P804",
    "signature-not-checked",
    E,
    "Git could not check a commit's signature.",
    """
Reported by `panel verify`. Git could not check the signature at all (`%G?` is `E`): on the
machine running the verification `ssh-keygen` is missing or too old, or the commit is signed with
a kind of signature (GPG, X.509) that git cannot check with the roster's SSH keys. Install
OpenSSH's `ssh-keygen` (8.2 or later) where `panel verify` runs; if the commit has a GPG or X.509
signature, sign it again with your SSH key from the roster.
""",
)
UNKNOWN_KEY = _rule(
    "P805",
    "unknown-key",
    E,
    "A commit is signed with a key the roster does not give to its committer.",
    """
Reported by `panel verify`. The key that signed the commit is not in `panels/roster.yml`, or is in
it for a person without an email, or git did not accept it for this commit. Git may still print
"Good signature" for a key it can check, but a key outside the roster proves nothing about who
signed: anyone can make a key. A merge made with the hosting site's merge button is signed with
the site's own key and is refused this way (docs/branch-protection.md says how to merge instead).

Add your public key to your entry in the roster (a maintainer's change, see P709), wait until it
is merged, and sign your commits with that key. A roster entry needs `email:`, the address your
commits are made with (`git config user.email`).
""",
)
SHARED_KEY = _rule(
    "P806",
    "shared-key",
    E,
    "A commit is signed with a key the roster gives to more than one person.",
    """
Reported by `panel verify`. A signing key must belong to one person: when the roster lists the
same public key under two people, a signature with it cannot say which of them signed, so every
commit signed with it is refused. Each person makes their own key (`ssh-keygen -t ed25519`); a
maintainer removes the shared key from all but its real holder in `panels/roster.yml`.
""",
)
SIGNER_NOT_COMMITTER = _rule(
    "P807",
    "signer-not-committer",
    E,
    "The key that signed a commit belongs to someone other than its committer.",
    """
Reported by `panel verify`. The signature is good and the key is in the roster, but it is another
person's key: the roster gives it to someone whose email is not the commit's committer. A commit
must be signed by the person who made it, so that nobody can put their name to another's change
(or another's name to their own).

Commit with your own email (`git config user.email`, as the roster has it) and sign with your own
key, then sign the commit again (`git commit --amend --no-edit --reset-author -S`).
""",
)
KEY_NOT_YET_VALID = _rule(
    "P808",
    "key-not-yet-valid",
    E,
    "A commit is dated before the day its signing key became valid.",
    """
Reported by `panel verify`. The roster gives the key a `valid_after` day, and the commit's date is
earlier: the key did not yet vouch for anything then. Either the commit's date is wrong (check the
computer's clock) or `valid_after` in `panels/roster.yml` is later than it should be; a maintainer
corrects the roster, or you sign the commit again with the correct date.
""",
)
EXPIRED_KEY = _rule(
    "P809",
    "expired-key",
    E,
    "A commit is signed with an expired key, and no seal made before the expiry vouches for its date.",
    """
Reported by `panel verify`. The roster gives the key a `valid_before` day and the key had expired
when the commit says it was made; or the key has expired since, and no seal made before its
expiry covers the commit. A commit's date is chosen by whoever makes it, so the date alone cannot
show the commit was made while the key was still valid; a seal (`panel seal`) made before the
expiry can, because the seal is signed and covers the commit and everything before it.

Sign new commits with your current key from the roster. For commits made before the key expired,
ask the panel's chair to seal each meeting as soon as its records are approved, and renew keys
before they expire (add the new key to the roster first).
""",
)
REVOKED_KEY = _rule(
    "P810",
    "revoked-key",
    E,
    "A commit is signed with a revoked key, and no seal made before the revocation vouches for its date.",
    """
Reported by `panel verify`. The roster marks the key `revoked:` (it was lost, stolen or its holder
left) and either the commit is dated after the revocation, or no seal made before the revocation
covers the commit. Anyone holding a revoked key could sign a change today and give it an earlier
date, so only a seal made before the revocation can show a commit is older.

If the commit is your recent work, sign it again with your current key. If it is older work on the
protected branch that no seal covers, a maintainer reviews it and decides whether `audit_start` in
`panels/authority.yml` moves past it.
""",
)
KEY_ADDED_LATER = _rule(
    "P811",
    "key-added-later",
    E,
    "A commit is signed with a key the roster gave its signer only after the commit.",
    """
Reported by `panel verify`. The key is in the roster at HEAD, but the roster the commit was made on
(its first parent's) did not give this key to this person. A key vouches only for changes made
after the roster holds it: otherwise anyone who gets a key into the roster today could sign a
change and slip it into the past with a chosen date. This includes the commit that adds the key
itself.

Add the key to the roster in a commit signed with a key you already hold (or made by a
maintainer), and use the new key only in later commits: sign this commit again once the roster
change is in.
""",
)
NOT_CHAIR = _rule(
    "P812",
    "not-chair",
    E,
    "A decision, approved minutes or a seal signed by someone who is neither a chair nor a named delegate.",
    """
Reported by `panel verify`. Adding, changing or deleting a decision sheet, saving a meeting record
with `status: approved`, and sealing a meeting (`panel seal`) are the chair's acts: the commit (or
the seal) must be signed by someone whose roster roles include a chair role of that panel, or who
is named in `delegate_for` for it where the panel's terms allow a delegate. A worker may commit
drafts; the chair signs the approval.

Leave the decision or approval to the chair (or delegate) to commit and sign. If the person should
be allowed to sign for the panel, a maintainer gives them the role or the delegation in
`panels/roster.yml` first.
""",
)
UNSIGNED_SEAL = _rule(
    "P821",
    "unsigned-seal",
    E,
    "A seal tag is not a signed tag on a commit.",
    """
Reported by `panel verify`. A seal (`seal/<panel>/<date>`) must be an annotated, signed tag that
points at a commit, as `panel seal` makes it. A lightweight tag, or a tag of something other than a
commit, vouches for nothing. Seals are never replaced or deleted on the server, so ask a maintainer
to remove the bad tag wherever it was pushed, then seal the meeting again with `panel seal PANEL
DATE`.
""",
)
MALFORMED_SEAL = _rule(
    "P822",
    "malformed-seal",
    E,
    "A seal tag's name or message is not what `panel seal` makes.",
    """
Reported by `panel verify`. A seal's name must be `seal/<panel-id>/<meeting-date>` for a meeting
that exists, and its message must list the sealed files with their blob ids. A tag made by hand
under `seal/` with another name or message cannot be checked. Ask a maintainer to remove it, and
make seals with `panel seal PANEL DATE` only.
""",
)
BAD_SEAL_SIGNATURE = _rule(
    "P823",
    "bad-seal-signature",
    E,
    "A seal's signature is not good by a roster key within its dates.",
    """
Reported by `panel verify`. Git did not judge the seal's signature good against the roster's keys:
the tag was changed after it was signed, or it was signed with a key the roster does not hold, or
with a key outside its `valid_after`/`valid_before` dates. Ask a maintainer to look at the tag; a
chair whose key is in the roster seals the meeting again once the bad tag is removed.
""",
)
SIGNER_NOT_TAGGER = _rule(
    "P824",
    "signer-not-tagger",
    E,
    "The key that signed a seal belongs to someone other than its tagger.",
    """
Reported by `panel verify`. The seal's signature is good, but the key belongs to someone whose
email is not the tag's tagger: a seal must be made and signed by the same person. Set
`git config user.email` to the address the roster holds for you and seal with your own key.
""",
)
SEAL_NOT_IN_HISTORY = _rule(
    "P825",
    "seal-not-in-history",
    E,
    "A sealed commit is no longer in HEAD's history: history was rewritten.",
    """
Reported by `panel verify`. A seal points at the commit that held a meeting's approved records.
When that commit is no longer HEAD or one of its ancestors, the history it belonged to was
replaced (a force push, a rebase of the protected branch), and the records may have been changed
along with it. Restore the original history from a trusted copy; never rewrite the protected
branch. On a work branch forked before the seal was made, run `panel verify --branch`.
""",
)
SEALED_FILE_CHANGED = _rule(
    "P826",
    "sealed-file-changed",
    E,
    "A file a seal covers was edited after the seal.",
    """
Reported by `panel verify`. A seal records the exact content of a meeting's approved records; the
file at HEAD differs from it. Approved records are never edited: restore the file as it was sealed
(`git checkout SEAL -- PATH`) and record the change as a new file (a superseding decision sheet,
a record under the meeting's `records/`).
""",
)
SEALED_FILE_DELETED = _rule(
    "P827",
    "sealed-file-deleted",
    E,
    "A file a seal covers is no longer in HEAD.",
    """
Reported by `panel verify`. A sealed meeting record, decision sheet or record has been deleted or
moved. Approved records are never deleted: restore the file at its path
(`git checkout SEAL -- PATH`).
""",
)
CORRUPT_REPOSITORY = _rule(
    "P831",
    "corrupt-repository",
    E,
    "Git found damaged or missing objects in the repository.",
    """
Reported by `panel verify`. Without a range, `git fsck --full --strict` checks every object; with
a range (a pull request, a push), each object the range brings is read and hashed again. An object
that is missing, or whose content no longer matches its id, means the repository's files were
altered behind git's back (or a disk failed): the history can no longer be trusted as it stands.
The path is given where git names one.

Stop merging into the repository. Ask a maintainer to compare it with a trusted copy (the git
server's, a backup) and to restore the damaged objects from there.
""",
)

REPLACE_REFS = _rule(
    "P832",
    "replace-refs",
    E,
    "The repository holds replace refs (`refs/replace/`), which make git show other objects than the history holds.",
    """
Reported by `panel verify`. A ref under `refs/replace/` tells git to show one object in place of
another: `git log`, `git show` and every tool built on them would read a substitute decision or
commit while the real one stays in the history. `panel` itself never reads them (every git call it
makes passes `--no-replace-objects`), but anyone reading the repository with plain git would, so a
repository holding them is refused. The server's hook refuses a push of `refs/replace/*`
(`ref-not-allowed`).

List them with `git for-each-ref refs/replace/`, ask who made them and why, then delete them
(`git replace -d ID`, or `git update-ref -d REF`); in a clone, also stop fetching them.
""",
)
GRAFT_FILE = _rule(
    "P833",
    "graft-file",
    E,
    "The repository has a grafts file (`.git/info/grafts`), which gives commits other parents than they hold.",
    """
Reported by `panel verify`. A grafts file makes git pretend that a commit has other parents, so
`git log` can hide commits (a rewritten decision's real history) or join histories that never
met. `panel` never reads it (every git call it makes sets `GIT_GRAFT_FILE` to a path that cannot
exist), but plain git would, so a repository that has one is refused; so is `GIT_GRAFT_FILE`
pointing at a file in the environment `panel verify` runs in.

Find out who wrote it and why, then delete it (`rm "$(git rev-parse --git-common-dir)/info/grafts"`).
Grafts are never copied by a clone or a push: a fresh clone of the server has none.
""",
)
REF_NOT_ALLOWED = _rule(
    "P834",
    "ref-not-allowed",
    E,
    "A push updates a ref the server does not accept: replace refs, or any ref outside the allow-list.",
    """
Reported by the server's pre-receive hook (`hooks/pre-receive`). The server accepts branches
(`refs/heads/*`), seal tags (`refs/tags/seal/*`) and witness tags (`refs/tags/witness/*`), and
the patterns a server administrator adds with `git config --add panel.allowRef PATTERN`. Anything
else is refused and nothing in the push is applied: `refs/replace/*` above all (a replace ref makes
plain git show a substitute object in place of a real decision), and notes, other tags or private
namespaces, which nobody's review sees. Seal and witness tags are never deleted or moved by a push.

Push only branches and seals (`git push origin BRANCH`, `git push origin refs/tags/seal/...`);
ask the server's administrator when another kind of ref is really needed.
""",
)
WITNESSED_COMMIT_MISSING = _rule(
    "P835",
    "witnessed-commit-missing",
    E,
    "A commit the server witnessed as the protected branch's head is no longer in HEAD's history.",
    """
Reported by `panel verify` for each witness it reads (the `witness/*` tags the server makes, and
a file given with `--witness FILE`, such as the server's witness log or the site's `witness.txt`).
The server signs a witness each time its protected branch moves: the head commit and every seal.
A witnessed head that HEAD no longer contains means the history was rewritten after the server
saw it, for example the last commits amended and re-signed by their own author after the last
seal: the records may have changed with it. Compare with the server's copy; restore the history
the witness names, and never rewrite the protected branch.
""",
)
WITNESSED_SEAL_MISSING = _rule(
    "P836",
    "witnessed-seal-missing",
    E,
    "A seal tag the server witnessed is missing from the repository.",
    """
Reported by `panel verify` for each witness it reads. A seal tag the witness lists is not in this
repository: it was deleted (in a clone, a deleted seal makes a rewritten sealed decision pass), or
never fetched (`git fetch --tags origin`). Fetch the seals from the server and verify again; if the
server lacks it too, restore it from a trusted copy.
""",
)
WITNESSED_SEAL_MOVED = _rule(
    "P837",
    "witnessed-seal-moved",
    E,
    "A seal tag is not the object the server witnessed.",
    """
Reported by `panel verify` for each witness it reads. The seal tag exists, but it is another tag
object than the one the witness lists: the seal was replaced (deleted and made again, perhaps over
rewritten records). Restore the original seal tag from the server or a trusted copy
(`git fetch origin "+refs/tags/seal/*:refs/tags/seal/*"`) and verify again.
""",
)
BAD_WITNESS = _rule(
    "P838",
    "bad-witness",
    E,
    "A witness is not signed by one of the authority's witness keys, or is not in the witness format.",
    """
Reported by `panel verify` for each witness it reads. A witness counts only when its SSH signature
(namespace `panel-witness`) is good by a key in `witness_keys` of `panels/authority.yml`, the keys
the git server signs with. An unsigned or badly signed witness, one signed by another key, one
whose text is not what the server writes, or a witness while the authority lists no witness keys,
is refused: a forged witness could otherwise vouch for a rewritten history. If the server's key was
changed, a maintainer adds the new public key to `witness_keys` (keep the old one while its
witnesses are still read).
""",
)

AUDIT_START_MOVED = _rule(
    "P813",
    "audit-start-moved",
    E,
    "A commit moved the authority's `audit_start` and is not signed by a maintainer.",
    """
Reported by `panel verify`. `audit_start` in `panels/authority.yml` says from which commit the
history is verified: moving it forward past an unsigned or wrongly signed commit would take that
commit out of every later verification. So a commit that sets, changes or removes it must be
signed by someone who held the `maintainer` role in the roster it was made on (and, over a range,
in HEAD's roster too); `panel check --changed` refuses the same change in a pull request
(`unauthorised-machinery-change`). Ask a maintainer to make the change; until the refused commit
is reverted, verify the whole history with `panel verify ROOT..HEAD`.
""",
)

TERMS_CHANGED = _rule(
    "P814",
    "terms-changed",
    E,
    "A commit changed a panel's terms of reference and is not signed by a maintainer.",
    """
Reported by `panel verify`. A panel's terms (`panels/<panel>.md`) say who may chair it and whether
a named delegate may act: whoever changes them decides who may approve the panel's decisions from
then on. So a commit that adds, changes or deletes one must be signed by someone who held the
`maintainer` role in the roster it was made on (and, over a range, in HEAD's roster too);
`panel check --changed` refuses the same change in a pull request
(`unauthorised-machinery-change`). The repository's first commit, which brings the first terms,
is exempt: no earlier roster exists to judge it. Ask a maintainer to make the change; decisions
signed under terms a non-maintainer widened are not approved by them (the rule change was
refused, and a rule change never reaches back).
""",
)

# --- P90x: personal data where it does not belong ------------------------------------------------
# These diagnostics never quote the name or date they found: they say whose it is (which case, or
# the roster) and where (which file, commit or branch).
DATE_OF_BIRTH_IN_PATH = _rule(
    "P901",
    "date-of-birth-in-path",
    E,
    "A file or folder name contains a child's date of birth or due date.",
    """
File and folder names are seen where the content is not (commit lists, pull request titles,
backups, the site's addresses) and stay in git's history for ever. A child's date of birth (or an
unborn child's due date) in a path identifies the child as surely as a name. The check knows the
dates in every case's `children` and finds them written as 2015-03-14, 20150314, 14/03/2015,
14-03-2015, 14.03.2015, 14032015, 14 March 2015 or 14 Mar 2015 (any letter case; hyphens,
underscores or dots between the parts). A meeting date that the layout puts in the path is not
counted. Name files by case id, meeting date and panel only. The message says which case the date
belongs to, never the date.
""",
)
PERSONAL_DATA_IN_COMMIT_MESSAGE = _rule(
    "P902",
    "personal-data-in-commit-message",
    E,
    "A commit message on the branch contains a child's or a staff member's name, or a child's date of birth.",
    """
Reported by `panel check --changed --base REF`, which reads the messages of the commits the
branch brings (and by the `panel-commit-msg` pre-commit hook, before the commit is made). Commit
messages are copied to every clone, shown by every git tool and cannot be erased once merged.
A name counts when it is written in full or as first and last name, as whole words in any letter
case (a first name or a surname alone is not counted: too many are ordinary words or shared by
many people). Staff names in trailer lines (`Signed-off-by:`, `Co-authored-by:`) are expected and
not counted. Dates of birth count in the forms `date-of-birth-in-path` lists. Reword the commit
(`git rebase -i BASE`, then `reword`) and refer to the case by its id.
""",
)
PERSONAL_DATA_IN_BRANCH_NAME = _rule(
    "P903",
    "personal-data-in-branch-name",
    E,
    "The branch name contains a child's or a staff member's name, or a child's date of birth.",
    """
Reported by `panel check --changed --base REF` for the branch being checked (the current branch,
or `--branch NAME` where CI checks out a detached HEAD). Branch names are kept by the server, in
pull request pages, merge commit messages and notifications. Names and dates are matched as in
`personal-data-in-commit-message`. Rename the branch (`git branch -m NEW`), push it under the new
name and delete the old one from the server.
""",
)

# --- P904-P919: retention, subject access and erasure (docs/retention.md) ---------------------------
RETENTION_RULE_REPEATED = _rule(
    "P904",
    "retention-rule-repeated",
    E,
    "Two retention rules are given for the same kind of record.",
    """
`retention.rules` in `panels/authority.yml` holds one rule per kind of record (`looked-after`,
`adoption`, `child-protection`, `child-in-need`, `assessment-only`). With two, which period
applies would depend on the order of the lines. Keep the one the information governance lead
confirmed and delete the other.
""",
)
RETENTION_BELOW_STATUTORY = _rule(
    "P905",
    "retention-below-statutory",
    E,
    "A retention rule keeps a record for less time than the law in England requires.",
    """
Two periods are set by regulations, not by the council. A looked-after child's case record is
kept until the 75th anniversary of the child's birth (Care Planning, Placement and Case Review
(England) Regulations 2010, regulation 50; 15 years from death where the child died before 18,
which this system does not record, so the longer period is used). An adoption case record is
kept for at least 100 years (Adoption Agencies Regulations 2005): this system has no adoption
order date and counts from the case's closure, which comes on or after the order. A rule for
`looked-after` must count 75 or more years from `birth`; a rule for `adoption` 100 or more years.
Destruction at the end of either is usually a `review`, not `destroy`.
""",
)
RETENTION_RULE_MISSING = _rule(
    "P906",
    "retention-rule-missing",
    E,
    "The retention settings give no rule for a kind of record the repository holds.",
    """
Every case is of one or more kinds (docs/retention.md): looked-after when a
child came into care or held a care status, adoption when a placement order was made,
child-protection when a protection plan was made, child-in-need for a child in need plan, and
assessment-only otherwise. The longest period of the case's kinds applies. Without a rule for a
kind that a case holds, `panel retention` cannot say when the case falls due. Add the rule with the
period the information governance lead sets; the looked-after rule is fixed by law at 75 years
from birth.
""",
)
RETENTION_FROM_DUE_DATE = _rule(
    "P907",
    "retention-from-due-date",
    W,
    "A closed case's retention period counts from birth, and a child is recorded only as unborn.",
    """
The case is closed (its retention is being counted) and the child is recorded only with a
`due_date`; open cases are not counted, so they are not reported. Until the birth is recorded, a rule counting from
birth uses what the rule's `unborn` says: the due date (the default) or the case's closure. A
baby born late would then be destroyed a little early: record the birth (the child's
`date_of_birth` and a `born` event) as soon as it is known. The message names the case and the
child's id, never the date.
""",
)
RETENTION_HOLD_UNKNOWN = _rule(
    "P908",
    "retention-hold-unknown-case",
    W,
    "A retention hold names a case the repository does not hold.",
    """
`retention.holds` suspends destruction of a case. A hold for a case id not in `cases/` protects
nothing: the id may be mistyped (and the case it meant may be destroyed) or the case was moved.
Correct the case id.
""",
)
PLAINTEXT_NARRATIVE = _rule(
    "P909",
    "plaintext-narrative",
    E,
    "A case document's narrative is plain text where the settings require it sealed.",
    """
With `retention.sealed_text: required`, the narrative (the Markdown body) of every case file,
referral, decision sheet and record must be sealed with the case's key before it is committed,
so that destroying the key later erases it from every clone and backup. Once plain text is
committed it stays in git's history for ever: do not commit. Run `panel seal-text PATH` (with the
key folder in `PANEL_TEXT_KEYS` or `--keys`), which encrypts each section of the body in place and
keeps the `## ` headings readable. If the case has no key yet, `panel text-key new CASE` makes one.
The line is the first line of plain text.
""",
)
SEALED_TEXT_UNREADABLE = _rule(
    "P910",
    "sealed-text-unreadable",
    E,
    "A sealed section cannot be opened with its case's key: it was altered, or sealed with another key.",
    """
Each sealed line carries its case id and an AES-GCM ciphertext that authenticates itself: a
changed character, a line copied from another case or a key that is not the one it was sealed
with all fail to open, and nothing of it is shown. Restore the line from the commit that sealed it
(`git log -p PATH`), or, if the key folder holds a wrong key for the case, restore the right key
from the key folder's backup.
""",
)
SEALED_TEXT_MALFORMED = _rule(
    "P911",
    "sealed-text-malformed",
    E,
    "A line that starts like a sealed section is not one.",
    """
A sealed section is one line: `sealed-text:v1:CASE:TOKEN`, where CASE is the document's case id
and TOKEN is base64url text. A line that starts `sealed-text:` but does not have this form (cut
short, wrapped by an editor, another version) or names another case cannot be opened. Restore it
from git's history; never edit a sealed line by hand.
""",
)
ERASURE_LEDGER_INVALID = _rule(
    "P912",
    "erasure-ledger-invalid",
    E,
    "The erasure ledger `retention/erasures.yml` cannot be read.",
    """
`panel erase` appends one entry to `retention/erasures.yml` for each destroyed key: the case id,
the day and who did it. Builds read it to say "text erased (key destroyed on DATE)" where a sealed
section can no longer be opened. Restore the file from git's history and let `panel erase` write it.
""",
)

del E, W
