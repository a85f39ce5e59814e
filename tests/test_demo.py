"""The demo repository: replayed from a timeline into real, reproducible, signed git history."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from conftest import PROJECT_ROOT

from generator.audit.signing import allowed_signers, blob_fingerprint, fingerprint, read_roster
from generator.audit.verify import verify_repository
from generator.cli import cli
from generator.core.errors import UsageError
from generator.git.history import read_history
from generator.tools.demo import KEYS_PATH, MARKER, build_demo_repo, public_key_blob, read_timeline

if TYPE_CHECKING:
    from conftest import Files, GitFactory

TODAY = date(2026, 11, 25)
REFERRAL = "cases/123456/referrals/2026-10-08-clam.md"
DECISION = "decisions/clam/2026-10-08/123456.md"
TIMELINE = """\
start: 2026-09-01T09:00:00+01:00
start_by: p-bay
events:
  - at: 2026-09-14T10:05:00+01:00
    by: p-ash
    message: Refer case 123456 to CLAM
    paths:
      - cases/123456/case.md
      - cases/123456/referrals/2026-10-08-clam.md
  - at: 2026-10-09T16:30:00+01:00
    by: p-bay
    message: Record the decision
    paths:
      - decisions/clam/2026-10-08/123456.md
"""
PROJECT: dict[str, str | bytes | None] = {
    "panels/authority.yml": "name: Example\ncase_id_pattern: '[0-9]{6}'\n",
    "panels/clam.md": "---\nid: clam\n---\n",
    "cases/123456/case.md": "---\nid: '123456'\n---\n",
    REFERRAL: "---\npanel: clam\n---\n",
    DECISION: "---\npanel: clam\n---\n",
    "cases/654321/case.md": "---\nid: '654321'\n---\n",
    "demo/timeline.yml": TIMELINE,
}


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, str]]:
    """Key pairs for p-ash and p-bay: the private key file's bytes, and the public key as the roster holds it."""
    folder = tmp_path_factory.mktemp("keys")
    made: dict[str, tuple[bytes, str]] = {}
    for person in ("p-ash", "p-bay"):
        private = folder / person
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", str(private)], check=True)
        algorithm, body = Path(f"{private}.pub").read_text(encoding="utf-8").split()[:2]
        made[person] = (private.read_bytes(), f"{algorithm} {body}")
    return made


def roster(keys: dict[str, tuple[bytes, str]]) -> str:
    """The small project's roster: two people with keys, one without an email."""
    return f"""\
people:
  - id: p-ash
    name: Ash Example
    roles: [social-worker]
    email: ash@example.invalid
    signing_keys: [{{key: {keys["p-ash"][1]}, valid_after: 2026-09-01}}]
  - id: p-bay
    name: Bay Example
    roles: [head-of-service]
    email: bay@example.invalid
    signing_keys: [{{key: {keys["p-bay"][1]}, valid_after: 2026-09-01}}]
  - id: p-noemail
    name: No Email
    roles: [social-worker]
"""


@pytest.fixture
def project(make_files: Callable[[Files], Path], git_repo: GitFactory, keys: dict[str, tuple[bytes, str]]) -> Path:
    """A small project with a roster, example keys (written readable by all, as git checks them out), three cases'
    documents and a timeline (git isolated from the user's config)."""
    private = {f"{KEYS_PATH}/{person}": raw for person, (raw, _) in keys.items()}
    root = make_files({**PROJECT, "panels/roster.yml": roster(keys), **private})
    for person in keys:
        (root / KEYS_PATH / person).chmod(0o644)
    return root


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example replayed once into its demo repository; read-only for the tests that use it."""
    return build_demo_repo(PROJECT_ROOT, tmp_path_factory.mktemp("demo") / "repo")


def git(repo: Path, *args: str) -> str:
    """The output of a read-only git command in `repo`."""
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def test_replay_gives_the_same_commit_ids_every_time(project: Path, tmp_path: Path) -> None:
    """Two replays of the same project give identical commit ids."""
    first = build_demo_repo(project, tmp_path / "one")
    second = build_demo_repo(project, tmp_path / "two")
    assert git(first, "rev-list", "HEAD") == git(second, "rev-list", "HEAD")


def test_commit_dates_and_people_follow_the_timeline(project: Path, tmp_path: Path) -> None:
    """Each commit is authored and committed by the timeline's person at the timeline's time."""
    repo = build_demo_repo(project, tmp_path / "demo")
    log = git(repo, "log", "--reverse", "--format=%aI|%cI|%an <%ae>|%cn <%ce>|%s")
    expected = [
        "2026-09-01T09:00:00+01:00|2026-09-01T09:00:00+01:00|Bay Example <bay@example.invalid>|"
        "Bay Example <bay@example.invalid>|Set up the panels, roster and authority settings",
        "2026-09-14T10:05:00+01:00|2026-09-14T10:05:00+01:00|Ash Example <ash@example.invalid>|"
        "Ash Example <ash@example.invalid>|Refer case 123456 to CLAM",
        "2026-10-09T16:30:00+01:00|2026-10-09T16:30:00+01:00|Bay Example <bay@example.invalid>|"
        "Bay Example <bay@example.invalid>|Record the decision",
    ]
    assert expected == log.splitlines()


def test_history_of_the_demo_gives_timeline_arrivals(project: Path, tmp_path: Path) -> None:
    """Read back through the history stage, each document arrives when the timeline says."""
    arrivals = read_history(build_demo_repo(project, tmp_path / "demo")).arrivals
    start = datetime.fromisoformat("2026-09-01T09:00:00+01:00")
    expected = {
        "cases/123456/case.md": datetime.fromisoformat("2026-09-14T10:05:00+01:00"),
        REFERRAL: datetime.fromisoformat("2026-09-14T10:05:00+01:00"),
        DECISION: datetime.fromisoformat("2026-10-09T16:30:00+01:00"),
        "cases/654321/case.md": start,
        "panels/authority.yml": start,
        "panels/clam.md": start,
        "panels/roster.yml": start,
    }
    assert expected == arrivals


def test_working_tree_holds_the_documents(project: Path, tmp_path: Path) -> None:
    """The demo repository is checked out, with every document's content and nothing uncommitted."""
    repo = build_demo_repo(project, tmp_path / "demo")
    expected = (PROJECT[DECISION], "")
    assert expected == ((repo / DECISION).read_text(encoding="utf-8"), git(repo, "status", "--porcelain"))


def test_a_missing_file_is_refused_with_its_line(project: Path, tmp_path: Path) -> None:
    """A timeline naming a file the project does not have is refused, naming the line."""
    (project / "demo/timeline.yml").write_text(TIMELINE.replace("123456.md", "999999.md"), encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        build_demo_repo(project, tmp_path / "demo")
    expected = (
        "the demo timeline has problems:\n"
        "demo/timeline.yml:14: 'decisions/clam/2026-10-08/999999.md' does not exist in the project's "
        "panels, cases, decisions"
    )
    assert expected == str(raised.value)
    assert False is (tmp_path / "demo").exists()


def test_every_problem_is_reported_at_once(project: Path) -> None:
    """A path listed twice, unknown people (the first commit's too) and one without an email, all reported together."""
    broken = (
        TIMELINE.replace("2026-10-09T16:30", "2026-09-10T16:30")
        .replace("by: p-bay", "by: p-nobody")
        .replace("by: p-ash", "by: p-noemail")
        .replace("      - decisions/clam/2026-10-08/123456.md", "      - cases/123456/case.md")
    )
    (project / "demo/timeline.yml").write_text(broken, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        read_timeline(project)
    expected = [
        "the demo timeline has problems:",
        "demo/timeline.yml:2: 'p-nobody' is not a person in panels/roster.yml with a name and an email",
        "demo/timeline.yml:5: 'p-noemail' is not a person in panels/roster.yml with a name and an email",
        "demo/timeline.yml:11: 'p-nobody' is not a person in panels/roster.yml with a name and an email",
        "demo/timeline.yml:14: 'cases/123456/case.md' is already listed on line 8",
    ]
    assert expected == str(raised.value).splitlines()


def test_events_out_of_time_order_are_refused(project: Path) -> None:
    """An event earlier than the one before it is refused."""
    (project / "demo/timeline.yml").write_text(TIMELINE.replace("2026-10-09T16:30", "2026-09-10T16:30"), "utf-8")
    with pytest.raises(UsageError) as raised:
        read_timeline(project)
    assert "demo/timeline.yml:10: 2026-09-10T16:30:00+01:00 is earlier than the time above it" in str(raised.value)


def test_a_time_without_offset_is_refused(project: Path) -> None:
    """A time with no offset from UTC is ambiguous and refused."""
    (project / "demo/timeline.yml").write_text(TIMELINE.replace("2026-09-01T09:00:00+01:00", "2026-09-01"), "utf-8")
    with pytest.raises(UsageError) as raised:
        read_timeline(project)
    assert "demo/timeline.yml:1: '2026-09-01' is not a date and time with an offset" in str(raised.value)


def test_a_previous_demo_is_replaced(project: Path, tmp_path: Path) -> None:
    """Building twice at the same place replaces the first build (it carries the marker)."""
    dest = tmp_path / "demo"
    build_demo_repo(project, dest)
    (dest / "stray.txt").write_text("left over\n", encoding="utf-8")
    build_demo_repo(project, dest)
    assert (False, True) == ((dest / "stray.txt").exists(), (dest / ".git" / MARKER).is_file())


def test_a_folder_not_made_by_the_demo_is_not_deleted(project: Path, tmp_path: Path) -> None:
    """A non-empty destination without the marker is refused and left alone."""
    dest = tmp_path / "precious"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(UsageError, match="refusing to replace"):
        build_demo_repo(project, dest)
    assert ["keep.txt"] == [p.name for p in dest.iterdir()]


def test_the_project_itself_is_refused(project: Path) -> None:
    """The project folder is never a destination."""
    with pytest.raises(UsageError, match="holds the project itself"):
        build_demo_repo(project, project)


def test_cli_prints_the_path_and_commit_count(project: Path, tmp_path: Path) -> None:
    """`panel demo repo` prints where it built the repository and how many commits it made."""
    dest = tmp_path / "cli-demo"
    result = CliRunner().invoke(cli, ["demo", "repo", "--project", str(project), "--dest", str(dest)])
    assert (0, f"{dest}: 3 commits\n") == (result.exit_code, result.output)


def signatures(repo: Path, roster_text: bytes, scratch: Path) -> list[tuple[str, str, str]]:
    """(status, key fingerprint, committer email) of every commit, checked against the roster's allowed signers."""
    signers = scratch / "allowed_signers"
    signers.write_text(allowed_signers(read_roster(roster_text)).allowed, encoding="utf-8")
    log = git(repo, "-c", f"gpg.ssh.allowedSignersFile={signers}", "log", "--format=%G?|%GK|%ce")
    return [(status, key, email) for status, key, email in (line.split("|") for line in log.splitlines())]


def holders(roster_text: bytes) -> dict[str, str]:
    """Email of each roster key's holder, by the key's fingerprint."""
    people = read_roster(roster_text).people
    return {fingerprint(key.key): person.email or "" for person in people for key in person.signing_keys}


def test_each_replayed_commit_is_signed_with_its_committers_key(project: Path, tmp_path: Path) -> None:
    """Good signatures (`G`) by the key the roster gives the committer, from example keys checked out world-readable."""
    repo = build_demo_repo(project, tmp_path / "demo")
    roster_text = (project / "panels/roster.yml").read_bytes()
    found = signatures(repo, roster_text, tmp_path)
    expected = [("G", "bay@example.invalid"), ("G", "ash@example.invalid"), ("G", "bay@example.invalid")]
    assert expected == [(status, holders(roster_text).get(key, "")) for status, key, _ in found]
    assert [email for _, _, email in found] == [email for _, email in expected]


def test_every_commit_of_the_bundled_demo_is_signed_by_its_committer(demo: Path, tmp_path: Path) -> None:
    """In the bundled demo, every commit's status is `G` and its key is the committer's roster key."""
    roster_text = (PROJECT_ROOT / "panels/roster.yml").read_bytes()
    found = signatures(demo, roster_text, tmp_path)
    wrong = [
        (status, key, email) for status, key, email in found if (status, holders(roster_text).get(key)) != ("G", email)
    ]
    assert (read_timeline(PROJECT_ROOT).commits, []) == (len(found), wrong)


def test_the_bundled_demo_passes_panel_verify(demo: Path) -> None:
    """`panel verify` on the replayed demo: every commit and both seals pass, exit 0."""
    result = CliRunner().invoke(cli, ["verify", "--repo", str(demo)])
    head = git(demo, "rev-parse", "HEAD").strip()
    commits = read_timeline(PROJECT_ROOT).commits
    expected = f"Verified {commits} commits ({head}) and 2 seals: every one passes.\n"
    assert (0, expected) == (result.exit_code, result.output)


def test_the_demo_seals_are_signed_by_the_meetings_chair_or_delegate(demo: Path) -> None:
    """Each seal is a signed tag whose tagger chaired the meeting (one a chair, one a named delegate)."""
    tags = git(demo, "for-each-ref", "--format=%(refname:short) %(taggeremail)", "refs/tags/seal/").splitlines()
    expected = [
        "seal/cdm/2026-09-14 <ida.fallowmere@example.invalid>",
        "seal/cdm/2026-10-19 <amos.gorsedene@example.invalid>",
    ]
    assert expected == tags


def test_an_unsigned_commit_appended_to_the_demo_is_refused(demo: Path, tmp_path: Path, git_repo: GitFactory) -> None:
    """A clone of the demo with one unsigned commit on top fails verification on exactly that commit."""
    clone = tmp_path / "tampered"
    subprocess.run(["git", "clone", "--quiet", str(demo), str(clone)], check=True)
    git_repo.commit(clone, {"cases/204117/notes.md": "added without a signature\n"}, "2026-11-25T12:00:00+00:00")
    head = git(clone, "rev-parse", "HEAD").strip()
    result = verify_repository(clone, None, TODAY)
    assert [(head, "unsigned")] == [(d.commit, d.name) for d in result.diagnostics]


def test_a_missing_key_and_a_key_the_roster_does_not_give_are_refused(project: Path, tmp_path: Path) -> None:
    """Every signer needs their own key in demo/keys: both problems are named, and nothing is built."""
    (project / KEYS_PATH / "p-ash").unlink()
    (project / KEYS_PATH / "p-bay").write_bytes(b"not a key\n")
    with pytest.raises(UsageError) as raised:
        build_demo_repo(project, tmp_path / "demo")
    expected = [
        "the demo cannot be signed:",
        "demo/keys/p-ash is missing: everyone who commits or seals in the demo signs",
        "demo/keys/p-bay is not an OpenSSH private key without a passphrase",
    ]
    assert (expected, False) == (str(raised.value).splitlines(), (tmp_path / "demo").exists())


def test_another_persons_key_is_refused(project: Path, tmp_path: Path) -> None:
    """A key file that is not one the roster gives that person would fail verify, so the replay refuses it."""
    (project / KEYS_PATH / "p-bay").write_bytes((project / KEYS_PATH / "p-ash").read_bytes())
    with pytest.raises(UsageError) as raised:
        build_demo_repo(project, tmp_path / "demo")
    expected = "the demo cannot be signed:\ndemo/keys/p-bay is not a key panels/roster.yml gives p-bay in signing_keys"
    assert expected == str(raised.value)


def test_a_seal_of_a_draft_meeting_is_refused(project: Path, tmp_path: Path) -> None:
    """Like `panel seal`, the replay seals approved records only, naming the timeline's line."""
    (project / "decisions/clam/2026-10-08/meeting.md").write_text("---\nstatus: draft\n---\n", encoding="utf-8")
    seal = "seals:\n  - at: 2026-10-09T17:00:00+01:00\n    by: p-bay\n    panel: clam\n    meeting: 2026-10-08\n"
    (project / "demo/timeline.yml").write_text(TIMELINE + seal, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        build_demo_repo(project, tmp_path / "demo")
    expected = (
        "demo/timeline.yml:16: not approved yet, so not ready to seal: "
        "decisions/clam/2026-10-08/123456.md, decisions/clam/2026-10-08/meeting.md"
    )
    assert (expected, False) == (str(raised.value), (tmp_path / "demo").exists())


def test_a_seal_before_its_meeting_record_arrives_is_refused(project: Path) -> None:
    """A seal must come after the meeting record's commit."""
    (project / "decisions/clam/2026-10-08/meeting.md").write_text("---\nstatus: approved\n---\n", encoding="utf-8")
    seal = "seals:\n  - at: 2026-09-02T17:00:00+01:00\n    by: p-bay\n    panel: clam\n    meeting: 2026-10-08\n"
    events = TIMELINE.replace(
        "      - decisions/clam/2026-10-08/123456.md",
        "      - decisions/clam/2026-10-08/123456.md\n      - decisions/clam/2026-10-08/meeting.md",
    )
    (project / "demo/timeline.yml").write_text(events + seal, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        read_timeline(project)
    expected = (
        "the demo timeline has problems:\n"
        "demo/timeline.yml:17: decisions/clam/2026-10-08/meeting.md is not in the repository yet at "
        "2026-09-02T17:00:00+01:00"
    )
    assert expected == str(raised.value)


def test_the_example_keys_are_the_rosters_and_marked_example_only() -> None:
    """Each key file in demo/keys is a roster person's key, by id, and the folder says it is example-only."""
    roster_text = (PROJECT_ROOT / "panels/roster.yml").read_bytes()
    by_id = {p.id: {fingerprint(k.key) for k in p.signing_keys} for p in read_roster(roster_text).people}
    folder = PROJECT_ROOT / KEYS_PATH
    files = sorted(path for path in folder.iterdir() if path.name not in {"README.md", ".gitattributes"})
    mismatched = [
        path.name
        for path in files
        if blob_fingerprint(public_key_blob(path.read_bytes()) or b"") not in by_id.get(path.name, set())
    ]
    keyed = sorted(person for person, held in by_id.items() if held)
    notice = (folder / "README.md").read_text(encoding="utf-8")
    assert ([], keyed, True) == (mismatched, [path.name for path in files], "never" in notice.lower())


def test_demo_site_fails_when_the_example_has_errors(project: Path, tmp_path: Path) -> None:
    """`panel demo site` (what `make site` runs) exits 1 and prints the errors when the example fails its checks."""
    out = tmp_path / "site"
    result = CliRunner().invoke(
        cli, ["demo", "site", "--project", str(project), "--out", str(out), "--as-of", TODAY.isoformat()]
    )
    assert (1, True, True) == (
        result.exit_code,
        "panels/clam.md:" in result.stderr,
        (out / "index.html").is_file(),
    )
