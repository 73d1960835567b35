from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture
def data_dir() -> Path:
    if not (DATA / "onet" / "Technology Skills.txt").is_file():
        pytest.skip(f"the public data folder {DATA} is absent (a fresh clone without shared/)")
    return DATA
