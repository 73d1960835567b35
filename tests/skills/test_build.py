"""The taxonomy build: real data, deterministic output, and the shipped file is its output."""

import gzip
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accord.skills import build
from accord.skills.taxonomy import SYNONYMS_FILE, TAXONOMY_FILE, load, taxonomy


def _subset(data: Path, out: Path, keep: int) -> Path:
    """The first `keep` rows of every input (whole files for the small ones) in a tmp folder."""
    for name in [
        build.ONET_TECH,
        build.ONET_TITLES,
        build.ONET_OCCUPATIONS,
        build.ONET_README,
        *build.ESCO_COLLECTIONS.values(),
        *build.ESCO_PROSE,
        "README.md",
    ]:
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".txt") and name != build.ONET_README:
            lines = (data / name).read_text(encoding="utf-8").splitlines(keepends=True)
            target.write_text("".join(lines[: keep + 1]), encoding="utf-8")
        else:
            shutil.copy(data / name, target)
    return out


def _read(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def test_build_command_on_a_subset_is_deterministic(data_dir: Path, tmp_path: Path) -> None:
    subset = _subset(data_dir, tmp_path / "data", keep=3000)
    synonyms = tmp_path / "synonyms.json"
    curated = [
        {"skill": "Kubernetes", "kind": "technology", "synonyms": ["k8s"]},
        {"skill": "work in teams", "synonyms": ["teamwork"]},
    ]
    synonyms.write_text(json.dumps({"skills": curated}))
    out = tmp_path / "one.json.gz"
    again = tmp_path / "two.json.gz"
    stdout = StringIO()
    for target, echo in ((out, stdout), (again, StringIO())):
        call_command(
            "taxonomy", "build", "--data", str(subset), "--synonyms", str(synonyms),
            "--out", str(target), stdout=echo,
        )  # fmt: skip

    assert out.read_bytes() == again.read_bytes()
    assert "skills" in stdout.getvalue()
    built = _read(out)
    assert built["sources"]["onet"]["version"] == "29.2"
    assert built["sources"]["esco"]["version"] == "1.2.0"
    assert set(built["sources"]["files"]) >= {build.ONET_TECH, *build.ESCO_COLLECTIONS.values()}
    refs = [s["ref"] for s in built["skills"]]
    assert refs == sorted(refs)
    assert len(set(refs)) == len(refs)
    assert all(len(ref) <= 64 for ref in refs)
    assert {s["kind"] for s in built["skills"]} <= set(build.KINDS)
    # The subset has O*NET's first occupations only, yet every ESCO collection in full.
    assert any(s["kind"] == "transversal" for s in built["skills"])
    assert any(s["kind"] == "language" for s in built["skills"])
    subset_taxonomy = load(out)
    assert subset_taxonomy.resolve("k8s").ref == "accord:kubernetes"  # type: ignore[union-attr]
    assert subset_taxonomy.resolve("teamwork").kind == "transversal"  # type: ignore[union-attr]


def test_build_refuses_a_folder_without_the_data(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="lacks"):
        call_command("taxonomy", "build", "--data", str(tmp_path), "--out", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_curated_skill_without_kind_is_refused(data_dir: Path, tmp_path: Path) -> None:
    subset = _subset(data_dir, tmp_path / "data", keep=50)
    synonyms = tmp_path / "synonyms.json"
    synonyms.write_text(json.dumps({"skills": [{"skill": "Frobnicator 9000"}]}))
    out = tmp_path / "t.json.gz"
    with pytest.raises(CommandError, match="give its kind"):
        call_command(
            "taxonomy", "build", "--data", str(subset), "--synonyms", str(synonyms),
            "--out", str(out),
        )  # fmt: skip
    assert not out.exists()


def test_shipped_file_is_what_the_build_produces(data_dir: Path) -> None:
    """Whoever edits synonyms.json or the build must rebuild: the committed file is current."""
    taxonomy_data = build.build(data_dir, SYNONYMS_FILE)
    payload = json.dumps(taxonomy_data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert _read(TAXONOMY_FILE) == json.loads(payload), "run: accord taxonomy build"


def test_shipped_file_is_small_and_names_its_sources() -> None:
    assert TAXONOMY_FILE.stat().st_size < 3_000_000
    sources = taxonomy().sources
    assert sources["onet"]["version"] == "29.2"
    assert sources["esco"]["version"] == "1.2.0"
    assert len(sources["accord"]["sha256"]) == 64


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("Kubernetes", "Kubernetes"),
        ("k8s", "Kubernetes"),
        ("PostgreSQL", "PostgreSQL"),
        ("Postgres", "PostgreSQL"),
        ("python", "Python"),
        ("JavaScript", "JavaScript"),
        ("JS", "JavaScript"),
        ("TS", "TypeScript"),
        ("GCP", "Google Cloud Platform"),
        ("AWS", "Amazon Web Services (AWS)"),
        ("CI/CD", "CI/CD"),
        ("React.js", "React"),
        ("node", "Node.js"),
        ("ML", "machine learning"),
        ("golang", "Go"),
    ],
)
def test_shipped_taxonomy_knows_common_names(typed: str, label: str) -> None:
    skill = taxonomy().resolve(typed)
    assert skill is not None, typed
    assert skill.label == label


def test_shipped_taxonomy_merges_sources_and_keeps_esco_transversal_skills() -> None:
    tax = taxonomy()
    python = tax.resolve("Python")
    assert python is not None
    assert python.ref == "onet:python"
    assert set(python.sources) >= {"onet", "esco"}  # ESCO's "Python (computer programming)"
    assert python.kind == "technology"
    assert python.hot
    assert python.in_demand
    kubernetes = tax.get("onet:kubernetes")
    assert kubernetes is not None
    assert "k8s" in kubernetes.alt_labels
    teams = tax.resolve("work in teams")
    assert teams is not None
    assert teams.kind == "transversal"
    assert teams.ref.startswith("esco:")
    assert "teamwork" in teams.alt_labels
    assert tax.resolve("Hungarian") is not None
    assert tax.resolve("Hungarian").kind == "language"  # type: ignore[union-attr]


def test_title_synonyms_map_to_occupations() -> None:
    found = taxonomy().occupations_for_title("Software Developer")
    assert found
    assert any(o.code.startswith("15-") for o in found)


def test_search_ranks_exact_then_prefix() -> None:
    results = taxonomy().search("postg", limit=5)
    assert results[0].label == "PostgreSQL"
    assert taxonomy().search("", limit=5) == []
    assert len(taxonomy().search("data", limit=7)) == 7
