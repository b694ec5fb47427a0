"""Start every table's id sequence high, on SQLite and on PostgreSQL.

Ids above 1,000 are where an Indonesian page shows an unlocalised bug: `{{ obj.pk }}` renders 1026
as "1.026". Tests that want such ids call `start_sequences_at(connection, 1000)` before creating
rows; the next id of every table is then above 1,000.
"""

from __future__ import annotations


def start_sequences_at(connection, start: int) -> int:
    """Makes the next id of every table with an auto id at least `start + 1`; returns how many
    sequences it moved. Never lowers a sequence."""
    with connection.cursor() as cursor:
        sequences = connection.introspection.sequence_list()
        if connection.vendor == "sqlite":
            # Django's SQLite tables use AUTOINCREMENT, whose next value is max(rowid, seq) + 1.
            for seq in sequences:
                table = seq["table"]
                cursor.execute("UPDATE sqlite_sequence SET seq = max(seq, %s) WHERE name = %s", [start, table])
                if cursor.rowcount == 0:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start])
        elif connection.vendor == "postgresql":
            for seq in sequences:
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(seq["table"]), seq["column"] or "id"])
                name = cursor.fetchone()[0]
                if name:
                    cursor.execute(f"SELECT setval(%s, greatest(%s, (SELECT last_value FROM {name})), true)", [name, start])
        else:  # pragma: no cover - the project runs on these two
            raise NotImplementedError(connection.vendor)
    return len(sequences)
