"""The Dockerfile and its build context, checked without a Docker engine: the file is read as text, and the one
thing a build would run that can run here, installing the project from the files the Dockerfile copies, is run."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.helpers.executables import PROJECT

DOCKERFILE = PROJECT / "Dockerfile"
DOCKERIGNORE = PROJECT / ".dockerignore"
MAKEFILE = PROJECT / "Makefile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def stages() -> dict[str, list[tuple[str, str]]]:
    """Instructions per build stage, keyed by the stage's name."""
    result: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for keyword, rest in instructions():
        if keyword == "FROM":
            current = []
            result[rest.split()[-1]] = current
        current.append((keyword, rest))
    return result


def context_copies() -> list[str]:
    """Sources of the COPY instructions that read the build context (not another stage)."""
    sources = []
    for keyword, rest in instructions():
        if keyword == "COPY" and "--from=" not in rest:
            sources += [part.rstrip("/") for part in rest.split()[:-1] if not part.startswith("--")]
    return sources


def makefile_system_packages() -> list[str]:
    match = re.search(r"^SYSTEM_PACKAGES\s*:=\s*(.+)$", MAKEFILE.read_text(), flags=re.MULTILINE)
    assert match, "the Makefile defines no SYSTEM_PACKAGES"
    return match[1].split()


def test_runs_as_a_non_root_user() -> None:
    runtime = stages()["runtime"]
    users = [rest for keyword, rest in runtime if keyword == "USER"]
    assert users, "the runtime stage sets no USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0"), f"runs as {users[-1]}"
    assert list(stages())[-1] == "runtime", "the last stage is the image that ships"


def test_installs_the_makefiles_system_packages() -> None:
    """The image has the Debian packages `make system-deps` installs, no more and no fewer."""
    runs = " ".join(rest for keyword, rest in stages()["runtime"] if keyword == "RUN")
    match = re.search(r"apt-get install -y --no-install-recommends\s+((?:[a-z0-9][a-z0-9.+-]*\s*)+)", runs)
    assert match, "the runtime stage installs no Debian packages"
    assert sorted(match[1].split()) == sorted(makefile_system_packages())
    assert "rm -rf /var/lib/apt/lists/*" in runs, "apt lists are left in the image"


def test_base_images_are_pinned() -> None:
    for keyword, rest in instructions():
        if keyword == "FROM":
            image = next(part for part in rest.split() if not part.startswith("--"))
            name, _, tag = image.partition(":")
            assert tag and "latest" not in tag, f"FROM {image} is not pinned"
            assert name == "python" and tag.startswith("3.11-"), f"FROM {image}: the project targets Python 3.11"


def test_has_a_healthcheck_of_a_file_it_copies() -> None:
    checks = [rest for keyword, rest in instructions() if keyword == "HEALTHCHECK"]
    assert len(checks) == 1
    script = re.search(r'"(/[^"]+\.py)"', checks[0])
    assert script, checks[0]
    copies = [rest for keyword, rest in stages()["runtime"] if keyword == "COPY"]
    assert any(rest.endswith(script[1]) for rest in copies), f"{script[1]} is not copied into the image"


def test_entrypoint_is_the_cli_and_the_default_is_a_worker() -> None:
    runtime = dict(stages()["runtime"])
    assert runtime["ENTRYPOINT"] == '["resume-tailor"]'
    assert runtime["CMD"] == '["worker"]'


def test_the_claude_cli_is_optional_and_pinned() -> None:
    claude = stages()["claude"]
    args = dict(rest.split("=", 1) for keyword, rest in claude if keyword == "ARG")
    assert args["INSTALL_CLAUDE"] == "false", "the claude CLI must be opt-in"
    assert re.fullmatch(r"\d+\.\d+\.\d+", args["CLAUDE_CODE_VERSION"])
    run = " ".join(rest for keyword, rest in claude if keyword == "RUN")
    assert 'if [ "$INSTALL_CLAUDE" = "true" ]' in run
    assert '"@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}"' in run
    assert "--version" in run, "the build must prove the native binary was installed"
    runtime_copies = [rest for keyword, rest in stages()["runtime"] if keyword == "COPY"]
    assert "--from=claude /out/ /usr/local/bin/" in runtime_copies
    runtime_runs = " ".join(rest for keyword, rest in stages()["runtime"] if keyword == "RUN")
    assert "nodejs" not in runtime_runs, "the runtime image needs no Node.js"


def test_dockerignore_lets_in_only_what_the_dockerfile_copies() -> None:
    lines = [line.strip() for line in DOCKERIGNORE.read_text().splitlines()]
    patterns = [line for line in lines if line and not line.startswith("#")]
    assert patterns[0] == "*", "the build context must start from nothing (an allow-list)"
    allowed = {p[1:].rstrip("/") for p in patterns if p.startswith("!")}
    assert allowed == set(context_copies())
    assert not any(p in allowed for p in (".env", "deploy/.env", "deploy", ".venv", ".data", "tests"))


def test_the_install_the_image_makes_contains_every_package_file(tmp_path: Path) -> None:
    """`pip install .` from exactly the files the Dockerfile copies: the wheel must hold every file of the
    packages, the web app's templates and static files included (an editable install hides their absence)."""
    context = tmp_path / "context"
    for source in context_copies():
        if source.startswith("deploy/"):
            continue  # copied into the runtime stage, not installed
        target = context / source
        if (PROJECT / source).is_dir():
            shutil.copytree(PROJECT / source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / source, target)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(tmp_path / "dist"), "."],
        cwd=context,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = (tmp_path / "dist").glob("resume_tailor-*.whl")
    packaged = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        str(path.relative_to(context))
        for package in ("resume_tailor", "workflows", "activities", "api", "examples")
        for path in (context / package).rglob("*")
        if path.is_file()
    }
    missing = sorted(shipped - packaged)
    assert not missing, f"not in the installed package (pyproject.toml [tool.setuptools.package-data]): {missing}"
