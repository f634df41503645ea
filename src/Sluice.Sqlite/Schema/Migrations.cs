namespace Sluice.Sqlite.Schema;

/// <summary>The schema's ordered history; the last entry's version is the one this code reads and writes.</summary>
/// <remarks>
/// Never edit a migration that has shipped: add a new one. Each change here is described in docs/file-formats.md.
/// </remarks>
internal static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "runs, steps, attempts and events", """
            CREATE TABLE runs (
                id            TEXT    NOT NULL PRIMARY KEY,
                pipeline      TEXT    NOT NULL,
                status        TEXT    NOT NULL,
                created_at    TEXT    NOT NULL,
                ended_at      TEXT,
                arguments     TEXT    NOT NULL,
                host          TEXT    NOT NULL,
                process_id    INTEGER NOT NULL,
                reason        TEXT,
                resumed_from  TEXT
            );
            CREATE INDEX runs_by_created ON runs (created_at DESC, id DESC);
            -- Only unfinished runs are looked for at start-up (MarkInterrupted); a partial index keeps that cheap with a long history.
            CREATE INDEX runs_unfinished ON runs (status) WHERE status IN ('pending', 'running');

            CREATE TABLE steps (
                run_id      TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                step        TEXT    NOT NULL,
                step_order  INTEGER NOT NULL,
                status      TEXT    NOT NULL,
                decision    TEXT    NOT NULL,
                reason      TEXT    NOT NULL,
                started_at  TEXT,
                ended_at    TEXT,
                PRIMARY KEY (run_id, step),
                UNIQUE (run_id, step_order)
            ) WITHOUT ROWID;

            CREATE TABLE attempts (
                run_id         TEXT    NOT NULL,
                step           TEXT    NOT NULL,
                attempt        INTEGER NOT NULL,
                started_at     TEXT    NOT NULL,
                ended_at       TEXT,
                outcome        TEXT    NOT NULL,
                error_type     TEXT,
                error_message  TEXT,
                reason         TEXT,
                PRIMARY KEY (run_id, step, attempt),
                FOREIGN KEY (run_id, step) REFERENCES steps (run_id, step) ON DELETE CASCADE
            ) WITHOUT ROWID;

            -- An INTEGER PRIMARY KEY is assigned max(seq) + 1, so seq is the append order. Not AUTOINCREMENT: that
            -- only stops reuse of numbers freed by deleting the newest rows, and costs a sqlite_sequence update per insert.
            CREATE TABLE events (
                seq            INTEGER NOT NULL PRIMARY KEY,
                run_id         TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                at             TEXT    NOT NULL,
                kind           TEXT    NOT NULL,
                step           TEXT,
                attempt        INTEGER,
                duration_ticks INTEGER,
                error_type     TEXT,
                error_message  TEXT,
                reason         TEXT
            );
            CREATE INDEX events_by_run ON events (run_id, seq);
            """),
        new(2, "checkpoints", """
            CREATE TABLE checkpoints (
                fingerprint      TEXT    NOT NULL PRIMARY KEY,
                pipeline         TEXT    NOT NULL,
                step             TEXT    NOT NULL,
                run_id           TEXT    NOT NULL,
                artifact_hash    TEXT    NOT NULL,
                artifact_size    INTEGER NOT NULL,
                fingerprint_key  TEXT    NOT NULL,
                created_at       TEXT    NOT NULL
            ) WITHOUT ROWID;
            -- The newest checkpoint of a step explains a changed fingerprint ("version 1 -> 2").
            CREATE INDEX checkpoints_by_step ON checkpoints (pipeline, step, created_at DESC);
            """),
        new(3, "each step's output in its run, for resume", """
            ALTER TABLE steps ADD COLUMN artifact_hash TEXT;
            ALTER TABLE steps ADD COLUMN artifact_size INTEGER;
            """),
        new(4, "each run's metrics summary", """
            -- Written once per run, at its end: the engine's figures (step '') and the steps' own measurements.
            CREATE TABLE metrics (
                run_id   TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                step     TEXT    NOT NULL,
                name     TEXT    NOT NULL,
                value    REAL    NOT NULL,
                unit     TEXT,
                source   TEXT    NOT NULL,
                attempt  INTEGER,
                PRIMARY KEY (run_id, step, name)
            ) WITHOUT ROWID;
            """),
        new(5, "alerts and their delivery attempts", AlertTables),
        new(6, "checkpoints_by_step covers the reuse query", """
            -- Every run reads each of its pipeline's checkpoints' run, hash and size (ListCheckpointSummaries). With those
            -- columns in the index (the key, fingerprint, is in every entry of a WITHOUT ROWID table's index) that read
            -- walks the index alone: a 10,000-step pipeline's went from 34 to 12 ms, no lookup per row into the table,
            -- whose rows are three times as wide for the fingerprint key text.
            DROP INDEX checkpoints_by_step;
            CREATE INDEX checkpoints_by_step ON checkpoints (pipeline, step, created_at DESC, run_id, artifact_hash, artifact_size);
            """),
    ];

    // Version 5: the alerts and every delivery attempt.
    private const string AlertTables = """
        -- dedupe_key is what makes an alert once-only across processes: INSERT ... ON CONFLICT DO NOTHING decides who raises it.
        CREATE TABLE alerts (
            id          INTEGER NOT NULL PRIMARY KEY,
            dedupe_key  TEXT    NOT NULL UNIQUE,
            kind        TEXT    NOT NULL,
            pipeline    TEXT    NOT NULL,
            run_id      TEXT    REFERENCES runs (id) ON DELETE CASCADE,
            step        TEXT,
            title       TEXT    NOT NULL,
            message     TEXT    NOT NULL,
            details     TEXT    NOT NULL,
            raised_at   TEXT    NOT NULL
        );
        CREATE INDEX alerts_by_run ON alerts (run_id) WHERE run_id IS NOT NULL;
        CREATE INDEX alerts_by_raised ON alerts (raised_at DESC, id DESC);

        CREATE TABLE alert_deliveries (
            alert_id        INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
            sink            TEXT    NOT NULL,
            attempt         INTEGER NOT NULL,
            at              TEXT    NOT NULL,
            outcome         TEXT    NOT NULL,
            error           TEXT,
            duration_ticks  INTEGER NOT NULL,
            PRIMARY KEY (alert_id, sink, attempt)
        ) WITHOUT ROWID;
        """;

    public static int Latest => All[^1].Version;
}
