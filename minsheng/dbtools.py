"""Create the PostgreSQL database a DATABASE_URL names, if it is missing (used by scripts/ and bench/).

Usage: python -m minsheng.dbtools postgres://postgres@127.0.0.1:5432/minsheng
"""

import sys

import dj_database_url
import psycopg
from psycopg import sql


def ensure_database(database_url: str) -> bool:
    """Create the database of `database_url` on its server if it does not exist; True when created."""
    db = dj_database_url.parse(database_url)
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise ValueError("only PostgreSQL URLs name a database to create")
    with psycopg.connect(
        dbname="postgres",
        autocommit=True,
        host=db["HOST"] or "127.0.0.1",
        port=int(db["PORT"] or 5432),
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
    ) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    print(f"created database {db['NAME']}")
    return True


if __name__ == "__main__":
    ensure_database(sys.argv[1])
