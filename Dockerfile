# One image for the API and the worker (the command differs), with the system fonts the renderer
# resolves and Pillow's raqm (HarfBuzz/FriBiDi) for complex scripts.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY scripts/system-packages.txt /tmp/system-packages.txt
RUN apt-get update \
 && xargs -a /tmp/system-packages.txt apt-get install -y --no-install-recommends \
      libfribidi0 libgl1 libegl1 libfontconfig1 \
 && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
COPY api ./api
COPY worker ./worker
COPY shared ./shared
RUN pip install .

RUN useradd --system --uid 10001 designimage
USER designimage

EXPOSE 8000
CMD ["uvicorn", "--factory", "api.main:app_factory", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--no-access-log"]
