"""`panel history`: per-document histories from one git pass, in text and JSON, with signatures in words."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import SignedWorld

from generator.cli import cli

CASE = "cases/123456/case.md"
REFERRAL = "cases/123456/referrals/2024-02-01-cdm.md"
DECISION = "decisions/cdm/2024-02-01/123456.md"
OTHER = "cases/999999/case.md"


def invoke(*args: str) -> tuple[int, str, str]:
    """Run `panel ARGS`; exit code, standard output and standard error."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _world(world: SignedWorld) -> SignedWorld:
    """The case and referral by the worker (signed), the decision by the chair (signed), then an unsigned edit."""
    world.commit(world.worker, {CASE: "case\n", REFERRAL: "referral\n"}, when="2024-01-10T09:00:00+00:00")
    world.commit(world.chair, {DECISION: "decision\n", OTHER: "other\n"}, when="2024-02-02T10:30:00+00:00")
    world.git.commit(world.repo, {CASE: "case, edited\n"}, "2024-02-05T11:00:00+00:00", world.worker.who)
    return world


def test_text_history_names_signers_with_roles_and_unsigned_changes(signed_world: SignedWorld) -> None:
    world = _world(signed_world)
    code, out, _ = invoke("history", CASE, "--repo", str(world.repo))
    assert code == 0, out
    assert out.startswith(f"{CASE}\n")
    assert "2024-01-10 09:00 +00:00  created by Worker <worker@example.invalid>" in out
    assert "signed by Worker (social worker)" in out
    assert "2024-02-05 11:00 +00:00  changed by Worker" in out
    assert out.rstrip().endswith("unsigned")
    assert DECISION not in out


def test_case_id_expands_to_case_file_referrals_and_decisions(signed_world: SignedWorld) -> None:
    world = _world(signed_world)
    code, out, _ = invoke("history", "123456", "--repo", str(world.repo))
    assert code == 0, out
    assert [line for line in out.splitlines() if line and not line.startswith(" ")] == [CASE, REFERRAL, DECISION]
    assert "signed by Chair (head of service)" in out
    assert OTHER not in out


def test_case_id_takes_in_records_naming_its_decisions(signed_world: SignedWorld) -> None:
    """Records under a meeting's `records/` belong to the case whose decision their `refers_to:` names,
    whatever their file name; another case's record, or one that cannot be read, is left out."""
    world = _world(signed_world)
    ours = "decisions/cdm/2024-02-01/records/action-done.md"
    theirs = "decisions/cdm/2024-02-01/records/other-note.md"
    unreadable = "decisions/cdm/2024-02-01/records/broken.md"
    world.commit(
        world.worker,
        {
            ours: f"---\nkind: done\nrefers_to: {DECISION}\n---\n",
            theirs: "---\nkind: note\nrefers_to: decisions/cdm/2024-02-01/999999.md\n---\n",
            unreadable: "no front matter\n",
        },
        when="2024-02-06T09:00:00+00:00",
    )
    code, out, _ = invoke("history", "123456", "--repo", str(world.repo))
    assert code == 0, out
    headings = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert [CASE, REFERRAL, DECISION, ours] == headings


def test_json_shape(signed_world: SignedWorld) -> None:
    world = _world(signed_world)
    code, out, _ = invoke("history", "123456", "--repo", str(world.repo), "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["query"] == "123456"
    assert len(data["head"]) == 40
    documents = {d["path"]: d for d in data["documents"]}
    assert set(documents) == {CASE, REFERRAL, DECISION}
    created, changed = documents[CASE]["changes"]
    assert created["change"] == "created" and changed["change"] == "changed"
    assert created["time"] == "2024-01-10T09:00:00+00:00"
    assert created["author"] == {"name": "Worker", "email": "worker@example.invalid"}
    assert created["signature"]["status"] == "G"
    assert created["signature"]["key"].startswith("SHA256:")
    assert created["signature"]["person"] == {"id": "p-worker", "name": "Worker", "roles": ["social-worker"]}
    assert changed["signature"] == {"status": "N", "key": None, "person": None, "words": "unsigned"}
    assert documents[CASE]["uncommitted"] is False


def test_key_not_in_roster_is_said_in_words(signed_world: SignedWorld) -> None:
    world = signed_world
    stranger = world.git.key("stranger")
    world.git.commit(world.repo, {CASE: "case\n"}, "2024-01-10T09:00:00+00:00", world.worker.who, sign_with=stranger)
    code, out, _ = invoke("history", CASE, "--repo", str(world.repo))
    assert code == 0, out
    assert "signed with a key not in the roster" in out


def test_uncommitted_change_is_shown(signed_world: SignedWorld) -> None:
    world = _world(signed_world)
    (world.repo / CASE).write_text("case, edited again\n", encoding="utf-8")
    (world.repo / "cases/123456/referrals/2024-03-01-cdm.md").write_text("new\n", encoding="utf-8")
    code, out, _ = invoke("history", "123456", "--repo", str(world.repo))
    assert code == 0, out
    assert "  not yet committed: the working tree differs from the last commit" in out
    assert "cases/123456/referrals/2024-03-01-cdm.md\n  not yet committed" in out
    assert "Some changes are not yet committed" in out
    code, out, _ = invoke("history", CASE, "--repo", str(world.repo), "--format", "json")
    document = json.loads(out)["documents"][0]
    assert document["uncommitted"] is True
    assert document["changes"][-1]["change"] == "uncommitted"


def test_unknown_path_or_case_exits_2(signed_world: SignedWorld) -> None:
    world = _world(signed_world)
    for target in ("cases/000000/case.md", "000000"):
        code, out, err = invoke("history", target, "--repo", str(world.repo))
        assert code == 2
        assert f"'{target}' is neither a path git has a history for nor a case id" in err
        assert "Traceback" not in err + out


def test_shallow_clone_exits_2(signed_world: SignedWorld) -> None:
    world = _world(signed_world)
    clone = world.repo.parent / "shallow"
    world.git.run(world.repo, "clone", "-q", "--depth", "1", f"file://{world.repo}", str(clone))
    code, _, err = invoke("history", CASE, "--repo", str(clone))
    assert code == 2
    assert "shallow clone" in err


def test_not_a_repository_exits_2(signed_world: SignedWorld) -> None:
    folder = signed_world.repo.parent / "plain"
    folder.mkdir()
    code, _, err = invoke("history", CASE, "--repo", str(folder))
    assert code == 2
    assert "not a git repository" in err


def test_file_named_like_an_option(signed_world: SignedWorld) -> None:
    world = signed_world
    world.commit(world.worker, {"--foo": "odd\n"}, when="2024-01-10T09:00:00+00:00")
    code, out, _ = invoke("history", "--repo", str(world.repo), "--", "--foo")
    assert code == 0, out
    assert out.startswith("--foo\n")
    assert "signed by Worker (social worker)" in out
