"""Shared fixtures of the Python package's tests (run by tests/python.rs, which builds and
installs the wheel first): the repository, the batt binary built beside it, the tasks,
and the GPU engine, which fails rather than skips under BATT_REQUIRE_GPU=1."""

import os
import pathlib

import pytest

import batt

REPO = pathlib.Path(os.environ.get("BATT_REPO", pathlib.Path(__file__).resolve().parents[2]))


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def batt_bin():
    """The batt binary of the same build (tests/python.rs passes its path), for comparing
    messages with the command line."""
    path = os.environ.get("BATT_BIN")
    if not path:
        pytest.fail("BATT_BIN is not set: run these tests through `cargo test --test python`")
    return path


@pytest.fixture(scope="session")
def tasks():
    return {t["id"]: t for t in batt.load()}


@pytest.fixture(scope="session")
def cpu():
    return batt.Engine(backend="cpu", cache=False)


@pytest.fixture(scope="session")
def gpu():
    """An engine on a Vulkan device (lavapipe counts). Without one the GPU tests skip, or
    fail under BATT_REQUIRE_GPU=1."""
    try:
        return batt.Engine(backend="gpu", cache=False)
    except batt.BattError as e:
        if os.environ.get("BATT_REQUIRE_GPU") == "1":
            pytest.fail(f"BATT_REQUIRE_GPU=1 and no Vulkan device: {e}")
        pytest.skip(f"no Vulkan device: {e}")
