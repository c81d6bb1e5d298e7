"""Create the PostgreSQL database named by DATABASE_URL if it does not exist (``make prod``).

Connects to the server's ``postgres`` database as the same user. Nothing happens for SQLite
or when the database is there; a server that does not answer is an error naming the address.
"""

import os
import sys

import dj_database_url
import psycopg
from psycopg import sql


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    config = dj_database_url.parse(url) if url else {}
    if "postgresql" not in str(config.get("ENGINE", "")):
        return 0
    name = config["NAME"]
    params = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
        "connect_timeout": 5,
    }
    try:
        with psycopg.connect(**params, autocommit=True) as connection:
            found = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not found:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"created database {name}")
    except psycopg.OperationalError as error:
        print(f"PostgreSQL at {params['host']}:{params['port']} did not answer: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
