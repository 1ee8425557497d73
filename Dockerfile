# The minsheng image: gunicorn for the web, the same image for the Celery worker and beat.
# Build: docker build -t minsheng .   (docker compose up --build does it for you)
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=minsheng.settings.prod

WORKDIR /app

# What PDF bulletins need: Pango and HarfBuzz's subsetter for WeasyPrint, and a CJK font for the Chinese text
# (WenQuanYi Micro Hei, named first in the bulletin's font-family).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-microhei fontconfig \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first (from pyproject.toml), so a code change does not reinstall them.
# psycopg[binary] brings its own libpq: no compiler or system libraries are needed.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .

# Static files are collected into the image and served by WhiteNoise (hashed names, compressed).
# SECRET_KEY and DATABASE_URL here only let the prod settings load (collectstatic opens no connection); the
# real ones come from the environment at run time.
RUN mkdir -p static var media \
    && SECRET_KEY=collectstatic-only DATABASE_URL=postgres://build@localhost/unused \
        python manage.py collectstatic --noinput -v 0 \
    && useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin minsheng \
    && chown -R minsheng:minsheng /app/var /app/media

USER minsheng
EXPOSE 8000

# gunicorn's settings are in gunicorn.conf.py (threads, port 8000, access log on stdout); WEB_CONCURRENCY and
# GUNICORN_THREADS change the number of workers and threads.
CMD ["gunicorn", "minsheng.wsgi"]
