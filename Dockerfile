# syntax=docker/dockerfile:1
# The resume-tailor image: `resume-tailor worker` by default, `web` for the web app (docker-compose.yml runs both).
#
#   docker build -t resume-tailor .                              # offline and command generators
#   docker build -t resume-tailor --build-arg INSTALL_CLAUDE=true .   # plus the `claude` CLI
#
# Three stages keep the runtime image small: the project is installed into a virtualenv in `build` and copied
# over without pip's caches or build tools; the optional `claude` CLI is installed with npm in `claude`, whose
# postinstall step leaves a self-contained native binary, so only that file is copied and the runtime image needs
# no Node.js.

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml README.md ./
COPY resume_tailor/ resume_tailor/
COPY workflows/ workflows/
COPY activities/ activities/
COPY api/ api/
COPY examples/ examples/
# The project and its runtime dependencies only (no dev extra), as a regular (non-editable) install.
RUN /opt/venv/bin/pip install --upgrade pip \
 && /opt/venv/bin/pip install .


FROM python:3.11-slim-bookworm AS claude
ARG INSTALL_CLAUDE=false
# Pinned so a rebuild gets the CLI the image was tested with; raise it deliberately.
ARG CLAUDE_CODE_VERSION=2.1.332
# Debian's Node.js is older than the package's `engines` field asks for; npm only warns, and Node runs nothing
# but the postinstall step that puts the native binary in place. `claude --version` proves it did.
RUN mkdir -p /out \
 && if [ "$INSTALL_CLAUDE" = "true" ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm ca-certificates \
      && npm install --global --prefix /opt/claude-code --no-fund --no-audit \
           "@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}" \
      && cp -L /opt/claude-code/bin/claude /out/claude \
      && /out/claude --version; \
    fi


FROM python:3.11-slim-bookworm AS runtime
# Debian packages WeasyPrint and the template need at run time: Pango and HarfBuzz (font subsetting), fontconfig,
# the fonts the template names, and util-linux's setpriv (kills the model CLI if its worker dies). The same list
# as SYSTEM_PACKAGES in the Makefile (tests/deploy/test_dockerfile.py keeps them equal).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
      fonts-liberation2 fonts-dejavu-core util-linux \
 && rm -rf /var/lib/apt/lists/*

# An unprivileged user with a fixed UID (Kubernetes' runAsNonRoot can check a number, not a name). Its data
# directory holds only scratch files when TAILOR_DATABASE_URL points at PostgreSQL.
RUN groupadd --system --gid 10001 tailor \
 && useradd --system --uid 10001 --gid tailor --home-dir /home/tailor --create-home --shell /usr/sbin/nologin tailor \
 && install -d -o tailor -g tailor /var/lib/resume-tailor

COPY --from=build /opt/venv /opt/venv
COPY --from=claude /out/ /usr/local/bin/
COPY deploy/healthcheck.py /opt/resume-tailor/healthcheck.py

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    TAILOR_DATA_DIR=/var/lib/resume-tailor \
    DISABLE_AUTOUPDATER=1

# Fail the build, not the first run, if a system library is missing or the entry point is broken.
RUN python -c "import weasyprint, pymupdf, api.main, resume_tailor.worker" \
 && resume-tailor --help >/dev/null

USER 10001:10001
# Settings also read a `.env` file from the working directory; the user's empty home has none.
WORKDIR /home/tailor
EXPOSE 8000

# Checks whatever the container runs: the web app answers, or this worker polls its task queues.
HEALTHCHECK --interval=30s --timeout=15s --start-period=30s --retries=3 \
  CMD ["python", "/opt/resume-tailor/healthcheck.py"]

ENTRYPOINT ["resume-tailor"]
CMD ["worker"]
